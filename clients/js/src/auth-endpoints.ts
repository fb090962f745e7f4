// The endpoints that authenticate with a password or a refresh cookie
// rather than an access token. A 401 from them is an answer, never a
// reason to refresh: refreshing after a failed login or a failed refresh
// would either be pointless or loop.

export const DEFAULT_API_PREFIX = '/api/v1';

export const AUTH_ENDPOINTS = [
  '/auth/login',
  '/auth/register',
  '/auth/refresh',
  '/auth/logout',
  '/auth/logout-all',
] as const;

export const REFRESH_ENDPOINT = '/auth/refresh';

/** `/api/v1` and `api/v1/` both become `/api/v1`; `/` becomes ``. */
export function normalizeApiPrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * True iff `url` (absolute) names one of AUTH_ENDPOINTS under `apiPrefix`,
 * whatever its origin: the API may sit behind the app's own origin through
 * a rewrite, and the path is what identifies the endpoint.
 */
export function isAuthEndpoint(url: string | URL, apiPrefix: string): boolean {
  const pathname = new URL(url).pathname.replace(/\/+$/, '');
  const prefix = normalizeApiPrefix(apiPrefix);
  return AUTH_ENDPOINTS.some((endpoint) => pathname === prefix + endpoint);
}

/** The absolute URL of the refresh endpoint of the API at `baseUrl`. */
export function refreshUrl(baseUrl: string, apiPrefix: string): string {
  return new URL(normalizeApiPrefix(apiPrefix) + REFRESH_ENDPOINT, baseUrl).href;
}
