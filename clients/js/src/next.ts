// @gatehouse/client/next: the Next.js middleware helper and its pure
// pieces (rules, safe `next`, cookie header rewriting), which need no
// Next.js to use or test.

export {
  DEFAULT_ACCESS_COOKIE,
  DEFAULT_AUDIENCE,
  DEFAULT_LANDING_PATH,
  DEFAULT_REFRESH_COOKIE,
  IDENTITY_HEADERS,
  IDENTITY_HEADER_PREFIX,
  createGatehouseMiddleware,
} from './next/gatehouse-middleware.js';
export type {
  GatehouseMiddleware,
  GatehouseMiddlewareOptions,
} from './next/gatehouse-middleware.js';
export { RouteRules, RouteRulesError, coversPath } from './next/route-rules.js';
export type { RoleRule, RouteDecision, RouteRulesConfig } from './next/route-rules.js';
export {
  MAX_GUARDED_PATH_LENGTH,
  MAX_PATH_DECODINGS,
  normalizePath,
  pathReadings,
} from './next/path-readings.js';
export type { NormalizedPath, PathReadingsOf, RejectedPath } from './next/path-readings.js';
export {
  cookieValues,
  parseCookieHeader,
  readSetCookies,
  rewriteCookieHeader,
  splitCombinedSetCookie,
  summarizeSetCookie,
} from './next/cookies.js';
export type { CookiePair, SetCookieSummary } from './next/cookies.js';
export { createTokenVerifier } from './next/token-verifier.js';
export type { AccessClaims, TokenVerifier, Verification } from './next/token-verifier.js';
export { REFRESH_TIMEOUT_MS } from './next/server-refresh.js';
export { isSafeNext, loginRedirectPath, safeNextOr } from './safe-next.js';
