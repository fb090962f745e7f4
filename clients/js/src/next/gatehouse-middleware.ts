// createGatehouseMiddleware: a Next.js middleware (App Router, Next 14+)
// that guards pages with gatehouse's cookies. Per request:
//  1. a public path passes untouched (every x-auth-* header stripped);
//  2. the access cookie is verified locally (EdDSA via the JWKS, cached);
//  3. if it is missing or no longer valid and a refresh cookie is present,
//     the middleware refreshes server-side and passes gatehouse's
//     Set-Cookie headers to the browser verbatim and the new cookies to
//     the app's request;
//  4. the route rules decide: pass (with x-auth-* headers), redirect to the
//     login page with a local `next`, 403, or, for a verified user on the
//     login page, redirect to the landing page (F8).
// A path that cannot be read safely (path-readings.ts: an encoded '/',
// one still encoded after two decodings, ...) gets 403 before step 2.

import { NextResponse, type NextRequest } from 'next/server.js';

import { DEFAULT_API_PREFIX, normalizeApiPrefix, refreshUrl } from '../auth-endpoints.js';
import { loginRedirectPath } from '../safe-next.js';
import { DEFAULT_LOGIN_PATH } from '../signed-out.js';
import { pathReadings } from './path-readings.js';
import { RouteRules, type RoleRule } from './route-rules.js';
import { createServerRefresh } from './server-refresh.js';
import { createSessionResolver, type ResolvedSession } from './session-resolver.js';
import { createTokenVerifier } from './token-verifier.js';

/**
 * The request headers the app reads the verified identity from. Every
 * request header starting with this prefix is removed from what the client
 * sent, these and any added later alike (`x-auth-email`, ...).
 */
export const IDENTITY_HEADER_PREFIX = 'x-auth-';

/** The request headers the app reads the verified identity from. */
export const IDENTITY_HEADERS = {
  userId: 'x-auth-user-id',
  role: 'x-auth-role',
  sessionId: 'x-auth-session-id',
} as const;

export const DEFAULT_AUDIENCE = 'gatehouse';
export const DEFAULT_ACCESS_COOKIE = 'access_token';
export const DEFAULT_REFRESH_COOKIE = 'refresh_token';
export const DEFAULT_LANDING_PATH = '/';

// How long a browser should wait before retrying while gatehouse is
// unreachable: long enough not to hammer it, short enough to feel alive.
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export interface GatehouseMiddlewareOptions {
  /** gatehouse's origin as the Next.js server reaches it, e.g. `http://gatehouse:8080`. */
  apiUrl: string;
  /** Default `/api/v1`. */
  apiPrefix?: string;
  /** The tokens' `iss`: gatehouse's public URL. Default: `apiUrl`. */
  issuer?: string;
  /** The tokens' `aud`. Default `gatehouse`. */
  audience?: string;
  /** Default `${apiUrl}/.well-known/jwks.json`. */
  jwksUrl?: string;
  /** gatehouse's `GATEHOUSE_INTERNAL_SECRET`, sent as `X-Internal-Secret` on refresh (F7). */
  internalSecret?: string;
  /** Default `access_token`. */
  accessCookie?: string;
  /** Default `refresh_token`. */
  refreshCookie?: string;
  /** Where the signed-out are sent, with `?next=<local path>`. Default `/auth`. */
  loginPath?: string;
  /** Where a signed-in user visiting the login page is sent. Default `/`. */
  landingPath?: string;
  /** Path prefixes open to everyone, checked without looking at cookies. */
  publicPaths?: readonly string[];
  /** Role rules by path prefix; the longest covering prefix wins. */
  rules?: readonly RoleRule[];
  /** The fetch used for the refresh call; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Told when gatehouse or its key set cannot be reached; default `console.error`. */
  onError?: (error: unknown) => void;
}

export type GatehouseMiddleware = (request: NextRequest) => Promise<NextResponse>;

/**
 * Builds the middleware once (module scope of `middleware.ts`), so the key
 * set cache and the refresh single flight live across requests. Throws a
 * RouteRulesError at once for rules that would loop.
 */
export function createGatehouseMiddleware(options: GatehouseMiddlewareOptions): GatehouseMiddleware {
  const apiUrl = new URL(options.apiUrl).origin;
  const apiPrefix = normalizeApiPrefix(options.apiPrefix ?? DEFAULT_API_PREFIX);
  const accessCookie = options.accessCookie ?? DEFAULT_ACCESS_COOKIE;
  const refreshCookie = options.refreshCookie ?? DEFAULT_REFRESH_COOKIE;
  const onError =
    options.onError ?? ((error: unknown) => console.error('[gatehouse] middleware:', error));
  const rules = RouteRules.create({
    loginPath: options.loginPath ?? DEFAULT_LOGIN_PATH,
    landingPath: options.landingPath ?? DEFAULT_LANDING_PATH,
    publicPaths: options.publicPaths ?? [],
    rules: options.rules ?? [],
  });
  const resolveSession = createSessionResolver({
    accessCookie,
    refreshCookie,
    onError,
    verify: createTokenVerifier({
      jwksUrl: options.jwksUrl ?? `${apiUrl}/.well-known/jwks.json`,
      issuer: options.issuer ?? apiUrl,
      audience: options.audience ?? DEFAULT_AUDIENCE,
    }),
    refresh: createServerRefresh({
      refreshUrl: refreshUrl(apiUrl, apiPrefix),
      internalSecret: options.internalSecret,
      fetch: (...args) => (options.fetch ?? globalThis.fetch)(...args),
    }),
  });

  return async function gatehouseMiddleware(request) {
    const { pathname, search } = request.nextUrl;
    const appHeaders = withoutIdentityHeaders(request.headers);
    if (rules.isPublic(pathname)) return NextResponse.next({ request: { headers: appHeaders } });
    // A path no reading can be trusted for is refused whoever asks, as at
    // the edge guard: no session is looked at, no token refreshed.
    if (pathReadings(pathname + search) === null) return forbidden();

    const session = await resolveSession({
      cookie: request.headers.get('cookie') ?? '',
      userAgent: request.headers.get('user-agent'),
      forwardedFor: request.headers.get('x-forwarded-for'),
    });
    const response = respond(request, rules, session, appHeaders, pathname + search);
    // Verbatim, whatever the verdict: a rotated refresh cookie the browser
    // does not store would be replayed after the grace window and revoke
    // the session (SPEC §4).
    for (const line of session.setCookies) response.headers.append('set-cookie', line);
    return response;
  };
}

function respond(
  request: NextRequest,
  rules: RouteRules,
  session: ResolvedSession,
  appHeaders: Headers,
  target: string,
): NextResponse {
  const role = session.state === 'valid' ? session.claims.role : null;
  switch (rules.decide(target, role)) {
    case 'allow':
      return NextResponse.next({ request: { headers: headersForApp(appHeaders, session) } });
    case 'login-required':
      // Not knowing is not being signed out: the login page could do nothing.
      if (session.state === 'unknown') return unavailable();
      return redirect(request, loginRedirectPath(rules.loginPath, target));
    case 'forbidden':
      return forbidden();
    case 'send-to-landing':
      return redirect(request, rules.landingPath);
  }
}

// Only this middleware speaks for the user: a client cannot claim a role,
// an address or anything else under x-auth-*, whether or not this version
// sets that header itself (an app or a proxy may read more of them).
function withoutIdentityHeaders(headers: Headers): Headers {
  const copy = new Headers(headers);
  const forged = [...copy.keys()].filter((name) => name.startsWith(IDENTITY_HEADER_PREFIX));
  for (const name of forged) copy.delete(name);
  return copy;
}

function headersForApp(appHeaders: Headers, session: ResolvedSession): Headers {
  if (session.requestCookie !== null) {
    if (session.requestCookie === '') appHeaders.delete('cookie');
    else appHeaders.set('cookie', session.requestCookie);
  }
  if (session.state === 'valid') {
    appHeaders.set(IDENTITY_HEADERS.userId, session.claims.userId);
    appHeaders.set(IDENTITY_HEADERS.role, session.claims.role);
    appHeaders.set(IDENTITY_HEADERS.sessionId, session.claims.sessionId);
  }
  return appHeaders;
}

// 307 keeps a GET a GET; after a POST (a server action) 303 makes the
// browser fetch the login page instead of re-posting to it. The app's
// basePath, if any, prefixes the configured paths, as it does every page.
function redirect(request: NextRequest, pathAndQuery: string): NextResponse {
  const url = new URL(request.nextUrl.basePath + pathAndQuery, browserOrigin(request));
  const status = request.method === 'GET' || request.method === 'HEAD' ? 307 : 303;
  const response = NextResponse.redirect(url, status);
  response.headers.set('cache-control', 'no-store');
  return response;
}

// A host[:port] as a browser sends it: a name or an IP literal, no path,
// no credentials.
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

// The origin the browser asked for, as Next.js itself derives it: the
// proxy's X-Forwarded-Host/-Proto, else Host. request.nextUrl has the
// address `next start` listens on instead (and for `-H 127.0.0.1` Next
// rewrites it to `localhost`, so Next no longer turns the Location into a
// relative one): behind a proxy, a redirect there would leave the site.
function browserOrigin(request: NextRequest): string {
  const first = (name: string) => request.headers.get(name)?.split(',')[0]?.trim() || null;
  const host = first('x-forwarded-host') ?? first('host');
  const proto = first('x-forwarded-proto') ?? request.nextUrl.protocol.slice(0, -1);
  if (host === null || !HOST_PATTERN.test(host) || (proto !== 'http' && proto !== 'https')) {
    return request.nextUrl.origin;
  }
  return `${proto}://${host}`;
}

function forbidden(): NextResponse {
  return new NextResponse('Forbidden', {
    status: 403,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function unavailable(): NextResponse {
  return new NextResponse('Authentication service unavailable', {
    status: 503,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
    },
  });
}
