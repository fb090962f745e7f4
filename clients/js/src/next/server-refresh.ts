// The middleware's refresh: a server-to-server POST to gatehouse's
// /auth/refresh carrying the browser's cookies. A server-side call has no
// browser Origin, so it passes gatehouse's CSRF check only with the
// internal-secret header (SPEC §6, F7); it names the browser's user agent
// and address, so the session keeps describing the device, not the server.

import { readSetCookies } from './cookies.js';

/**
 *  - `refreshed`: gatehouse's Set-Cookie headers (new access and refresh
 *    cookies, perhaps stale variants cleared), to pass on verbatim;
 *  - `signed-out`: 401; the Set-Cookie headers that clear both cookies;
 *  - `unavailable`: no answer, or one that is neither (429, 5xx, a CSRF
 *    rejection): the session may be alive, so nobody is signed out.
 */
export type ServerRefreshResult =
  | { status: 'refreshed'; setCookies: string[] }
  | { status: 'signed-out'; setCookies: string[] }
  | { status: 'unavailable'; error: unknown };

export interface BrowserContext {
  cookie: string;
  userAgent: string | null;
  forwardedFor: string | null;
}

export interface ServerRefreshOptions {
  refreshUrl: string;
  internalSecret: string | undefined;
  fetch: typeof fetch;
}

// A page view waits for this call; past a few seconds gatehouse is in
// trouble and the visitor is better served by an error page than a hang.
export const REFRESH_TIMEOUT_MS = 5000;

/**
 * A refresh function with single flight per refresh cookie: concurrent
 * page requests of one browser (a page and its prefetches) share one call
 * and pass the same new cookies on, instead of racing the rotation.
 */
export function createServerRefresh(
  options: ServerRefreshOptions,
): (browser: BrowserContext, refreshKey: string) => Promise<ServerRefreshResult> {
  const inFlight = new Map<string, Promise<ServerRefreshResult>>();
  return (browser, refreshKey) => {
    const running = inFlight.get(refreshKey);
    if (running) return running;
    const call = refreshOnce(options, browser).finally(() => inFlight.delete(refreshKey));
    inFlight.set(refreshKey, call);
    return call;
  };
}

async function refreshOnce(
  options: ServerRefreshOptions,
  browser: BrowserContext,
): Promise<ServerRefreshResult> {
  const headers = new Headers({ accept: 'application/json', cookie: browser.cookie });
  if (options.internalSecret) headers.set('x-internal-secret', options.internalSecret);
  if (browser.userAgent) headers.set('user-agent', browser.userAgent);
  if (browser.forwardedFor) headers.set('x-forwarded-for', browser.forwardedFor);
  let response: Response;
  try {
    response = await options.fetch(options.refreshUrl, {
      method: 'POST',
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
    });
  } catch (error) {
    return { status: 'unavailable', error };
  }
  const body = await response.text().catch(() => '');
  const setCookies = readSetCookies(response.headers);
  if (response.ok) return { status: 'refreshed', setCookies };
  if (response.status === 401) return { status: 'signed-out', setCookies };
  const hint = body.includes('CSRF_REJECTED')
    ? ' (set internalSecret to gatehouse\'s GATEHOUSE_INTERNAL_SECRET: a server-side call has no browser Origin)'
    : '';
  return {
    status: 'unavailable',
    error: new Error(`gatehouse refresh answered ${response.status}${hint}: ${body.slice(0, 200)}`),
  };
}
