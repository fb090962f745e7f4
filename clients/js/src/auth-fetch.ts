// createAuthFetch: `fetch` with gatehouse's cookies and a silent refresh.

import { isRefreshableCode, readResponseCode } from './auth-codes.js';
import { isAuthEndpoint, refreshUrl } from './auth-endpoints.js';
import {
  absoluteUrl,
  createCoordinator,
  resolveClientOptions,
  type AuthClientOptions,
} from './client-options.js';
import { callRefresh } from './refresh-call.js';

export interface AuthFetchOptions extends AuthClientOptions {
  /** The fetch to wrap; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

export type AuthFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * A fetch-compatible function that always sends cookies (`credentials:
 * 'include'`) and, on a 401 whose code says the access token is missing,
 * expired or invalid, refreshes once (shared by every request of this
 * instance, and by the tabs using the same lock) and retries the request
 * once. A retried request that fails again is returned as it is. A refresh
 * answered with 401 calls `onSignedOut` once and returns the original
 * 401; a network error of the refresh rejects, and signs nobody out.
 *
 * Create one instance per app and share it: single flight is per instance.
 */
export function createAuthFetch(options: AuthFetchOptions = {}): AuthFetch {
  const resolved = resolveClientOptions(options);
  // Late-bound so that a fetch patched after creation (tests, polyfills) is used.
  const fetchImpl: typeof fetch = (...args) => (options.fetch ?? globalThis.fetch)(...args);
  const coordinator = createCoordinator(options, resolved, () => {
    if (resolved.baseUrl === undefined) {
      throw new TypeError('gatehouse client: set baseUrl to refresh outside a browser');
    }
    return callRefresh(fetchImpl, refreshUrl(resolved.baseUrl, resolved.apiPrefix));
  });

  return async function authFetch(input, init) {
    const request = toRequest(input, init, resolved.baseUrl);
    if (isAuthEndpoint(request.url, resolved.apiPrefix)) return fetchImpl(request);

    // The first attempt sends a clone, so `request` and its body stay
    // unread for the one retry.
    const stamp = coordinator.stamp();
    const response = await fetchImpl(request.clone());
    if (response.status !== 401) return response;
    if (!isRefreshableCode(await readResponseCode(response))) return response;

    const outcome = await coordinator.refreshAfter(stamp);
    if (outcome !== 'refreshed') return response;
    // Whatever the retry brings back, 401 included, is the answer: no loop.
    return fetchImpl(request);
  };
}

function toRequest(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  baseUrl: string | undefined,
): Request {
  const target =
    typeof input === 'string' || input instanceof URL
      ? absoluteUrl(String(input), baseUrl)
      : input;
  return new Request(target, { ...init, credentials: 'include' });
}
