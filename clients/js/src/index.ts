// @gatehouse/client: the browser side of gatehouse (fetch wrapper and the
// pieces the axios and Next.js entry points share).

export { createAuthFetch } from './auth-fetch.js';
export type { AuthFetch, AuthFetchOptions } from './auth-fetch.js';
export type { AuthClientOptions } from './client-options.js';
export { DEFAULT_LOCK_NAME } from './client-options.js';
export type {
  ChannelLike,
  CrossTabEnvironment,
  LockManagerLike,
  StorageLike,
} from './cross-tab.js';
export type { RefreshOutcome } from './refresh-coordinator.js';
export {
  REFRESHABLE_CODES,
  SIGNED_OUT_CODES,
  isRefreshableCode,
  readEnvelopeCode,
} from './auth-codes.js';
export type { RefreshableCode, SignedOutCode } from './auth-codes.js';
export {
  AUTH_ENDPOINTS,
  DEFAULT_API_PREFIX,
  isAuthEndpoint,
} from './auth-endpoints.js';
export { MAX_NEXT_LENGTH, isSafeNext, loginRedirectPath, safeNextOr } from './safe-next.js';
export { DEFAULT_LOGIN_PATH, redirectToLogin } from './signed-out.js';
