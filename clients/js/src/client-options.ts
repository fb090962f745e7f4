// Options shared by the fetch wrapper and the axios interceptor, and the
// defaults they resolve to.

import { DEFAULT_API_PREFIX, normalizeApiPrefix } from './auth-endpoints.js';
import { CrossTabCoordination, type CrossTabEnvironment } from './cross-tab.js';
import {
  RefreshCoordinator,
  type RefreshOutcome,
} from './refresh-coordinator.js';
import { DEFAULT_LOGIN_PATH, redirectToLogin } from './signed-out.js';

export const DEFAULT_LOCK_NAME = 'gatehouse-refresh';

export interface AuthClientOptions {
  /**
   * gatehouse's origin, e.g. `https://api.example.test`. Relative request
   * URLs resolve against it. Default: the page's own origin (an API
   * reached through a rewrite on the app's host).
   */
  baseUrl?: string;
  /** Where the API lives under `baseUrl`; default `/api/v1`. */
  apiPrefix?: string;
  /** The app's login page; default `/auth`. Used by the default `onSignedOut`. */
  loginPath?: string;
  /**
   * Called once when a refresh shows the session is over (401 from
   * /auth/refresh), however many requests were waiting on it. Default:
   * `location.assign(loginPath + '?next=' + <current path and query>)`.
   */
  onSignedOut?: () => void;
  /**
   * Name of the Web Lock the tabs of one origin take turns on; tabs share
   * a refresh only when they use the same name. Default `gatehouse-refresh`.
   */
  lockName?: string;
  /** Replaces the browser's Web Locks, storage or BroadcastChannel (tests, workers). */
  crossTab?: CrossTabEnvironment;
}

export interface ResolvedClientOptions {
  baseUrl: string | undefined;
  apiPrefix: string;
  loginPath: string;
  onSignedOut: () => void;
  lockName: string;
}

export function resolveClientOptions(options: AuthClientOptions): ResolvedClientOptions {
  const loginPath = options.loginPath ?? DEFAULT_LOGIN_PATH;
  return {
    baseUrl: options.baseUrl ?? pageOrigin(),
    apiPrefix: normalizeApiPrefix(options.apiPrefix ?? DEFAULT_API_PREFIX),
    loginPath,
    onSignedOut: options.onSignedOut ?? redirectToLogin(loginPath),
    lockName: options.lockName ?? DEFAULT_LOCK_NAME,
  };
}

/** The coordinator one client instance shares among all its requests. */
export function createCoordinator(
  options: AuthClientOptions,
  resolved: ResolvedClientOptions,
  refresh: () => Promise<RefreshOutcome>,
): RefreshCoordinator {
  return new RefreshCoordinator({
    refresh,
    onSignedOut: resolved.onSignedOut,
    crossTab: new CrossTabCoordination(resolved.lockName, options.crossTab),
  });
}

/** The absolute URL of `input`, or a TypeError naming the missing base. */
export function absoluteUrl(input: string, baseUrl: string | undefined): URL {
  try {
    return new URL(input, baseUrl);
  } catch {
    throw new TypeError(
      `gatehouse client: cannot resolve ${JSON.stringify(input)}; pass an absolute URL or set baseUrl`,
    );
  }
}

function pageOrigin(): string | undefined {
  const location = (globalThis as { location?: { origin?: string } }).location;
  return typeof location?.origin === 'string' ? location.origin : undefined;
}
