// Who is making this request: from the access cookie when it verifies,
// else from a server-side refresh when a refresh cookie is present.

import { cookieValues, rewriteCookieHeader, summarizeSetCookie } from './cookies.js';
import type { BrowserContext, ServerRefreshResult } from './server-refresh.js';
import type { AccessClaims, TokenVerifier } from './token-verifier.js';

/**
 *  - `valid`: a verified session;
 *  - `absent`: nobody is signed in (no cookies, or gatehouse refused the
 *    refresh);
 *  - `unknown`: gatehouse or its key set could not be reached, so the
 *    session may be alive: never a reason to sign anyone out.
 * `setCookies` are gatehouse's Set-Cookie headers from a refresh, for the
 * browser; `requestCookie`, when not null, is the Cookie header the app
 * should see instead of the browser's (the cookies after this response).
 */
export type ResolvedSession = {
  setCookies: string[];
  requestCookie: string | null;
} & (
  | { state: 'valid'; claims: AccessClaims }
  | { state: 'absent' }
  | { state: 'unknown' }
);

export interface SessionResolverOptions {
  accessCookie: string;
  refreshCookie: string;
  verify: TokenVerifier;
  refresh: (browser: BrowserContext, refreshKey: string) => Promise<ServerRefreshResult>;
  onError: (error: unknown) => void;
}

export interface IncomingRequest {
  cookie: string;
  userAgent: string | null;
  forwardedFor: string | null;
}

export function createSessionResolver(
  options: SessionResolverOptions,
): (request: IncomingRequest) => Promise<ResolvedSession> {
  const { accessCookie, refreshCookie, verify, onError } = options;

  return async (request) => {
    const accessTokens = cookieValues(request.cookie, accessCookie);
    let keySetDown = false;
    // Several same-name cookies (F10: an old Domain's beside the new one):
    // the one that verifies counts, and the app sees only that one.
    for (const token of accessTokens) {
      const verification = await verify(token);
      if (verification.status === 'valid') {
        const requestCookie =
          accessTokens.length > 1
            ? rewriteCookieHeader(request.cookie, [`${accessCookie}=${token}`])
            : null;
        return { state: 'valid', claims: verification.claims, setCookies: [], requestCookie };
      }
      if (verification.status === 'unavailable') {
        keySetDown = true;
        onError(verification.error);
      }
    }
    // The token may be fine; rotating it now would fix nothing.
    if (keySetDown) return { state: 'unknown', setCookies: [], requestCookie: null };

    const refreshTokens = cookieValues(request.cookie, refreshCookie);
    if (refreshTokens.length === 0) {
      return { state: 'absent', setCookies: [], requestCookie: null };
    }
    const result = await options.refresh(request, refreshTokens.join('\n'));
    if (result.status === 'unavailable') {
      onError(result.error);
      return { state: 'unknown', setCookies: [], requestCookie: null };
    }
    const setCookies = result.setCookies;
    const requestCookie = rewriteCookieHeader(request.cookie, setCookies);
    if (result.status === 'signed-out') return { state: 'absent', setCookies, requestCookie };

    const newToken = lastValueSet(setCookies, accessCookie);
    const verification = newToken === null ? null : await verify(newToken);
    if (verification?.status === 'valid') {
      return { state: 'valid', claims: verification.claims, setCookies, requestCookie };
    }
    // The browser must still get the rotated cookies, or its next request
    // would present a superseded refresh token.
    onError(
      new Error(
        verification === null
          ? `gatehouse's refresh set no '${accessCookie}' cookie: check the accessCookie option`
          : `the access token gatehouse just issued does not verify (${
              verification.status === 'invalid' ? verification.reason : 'key set unreachable'
            }): check issuer, audience and jwksUrl`,
      ),
    );
    return { state: 'unknown', setCookies, requestCookie };
  };
}

function lastValueSet(setCookies: readonly string[], name: string): string | null {
  let value: string | null = null;
  for (const line of setCookies) {
    const cookie = summarizeSetCookie(line);
    if (cookie?.name === name && !cookie.clears) value = cookie.value;
  }
  return value;
}
