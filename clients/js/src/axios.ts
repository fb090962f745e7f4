// @gatehouse/client/axios: the same silent refresh as createAuthFetch, as
// an axios interceptor pair. axios is only a type import here: the
// instance passed in brings its own runtime.

import type {
  AxiosError,
  AxiosInstance,
  AxiosResponse,
  InternalAxiosRequestConfig,
} from 'axios';

import { isRefreshableCode, readEnvelopeCode } from './auth-codes.js';
import { isAuthEndpoint, refreshUrl } from './auth-endpoints.js';
import {
  absoluteUrl,
  createCoordinator,
  resolveClientOptions,
  type AuthClientOptions,
} from './client-options.js';
import { refreshOutcomeOf } from './refresh-call.js';
import type { SendStamp } from './refresh-coordinator.js';

export type AuthInterceptorOptions = AuthClientOptions;

// Per-request state, kept on the config under a string key: axios merges
// configs by their own keys, so a symbol would not survive into the
// config a response or an error carries.
const STATE_KEY = '__gatehouse';

interface RequestState {
  stamp?: SendStamp;
  /** Set on the one retry, so its 401 is returned instead of retried. */
  retried?: boolean;
}

type ConfigWithState = InternalAxiosRequestConfig & { [STATE_KEY]?: RequestState };

/**
 * Makes `instance` send cookies (`withCredentials: true`) and refresh
 * silently: a 401 whose code says the access token is missing, expired or
 * invalid waits for one shared refresh, then the request is retried once
 * (marked on its config). Auth endpoints never trigger a refresh; a 401
 * from the refresh calls `onSignedOut` once and the original error is
 * rethrown; a network error of the refresh is thrown instead.
 *
 * Returns a function that removes both interceptors.
 */
export function attachAuthInterceptor(
  instance: AxiosInstance,
  options: AuthInterceptorOptions = {},
): () => void {
  const resolved = resolveClientOptions(options);
  const baseUrl =
    options.baseUrl ?? originOf(instance.defaults.baseURL) ?? resolved.baseUrl;
  instance.defaults.withCredentials = true;

  const coordinator = createCoordinator(options, resolved, async () => {
    if (baseUrl === undefined) {
      throw new TypeError('gatehouse client: set baseUrl to refresh outside a browser');
    }
    // Every status resolves, so a 401 is classified here and only a
    // network error throws.
    const response = await instance.request({
      url: refreshUrl(baseUrl, resolved.apiPrefix),
      method: 'post',
      withCredentials: true,
      validateStatus: () => true,
    });
    return refreshOutcomeOf(response.status);
  });

  const isAuthCall = (config: InternalAxiosRequestConfig): boolean =>
    isAuthEndpoint(absoluteUrl(instance.getUri(config), baseUrl), resolved.apiPrefix);

  // Settles one 401: the retried response, or null to let the original
  // outcome (response or error) stand.
  const retryAfterRefresh = async (
    config: ConfigWithState | undefined,
    response: AxiosResponse | undefined,
  ): Promise<AxiosResponse | null> => {
    if (!config || response?.status !== 401) return null;
    const state = config[STATE_KEY];
    if (!state?.stamp || state.retried || isAuthCall(config)) return null;
    if (!isRefreshableCode(readEnvelopeCode(response.data))) return null;
    const outcome = await coordinator.refreshAfter(state.stamp);
    if (outcome !== 'refreshed') return null;
    state.retried = true;
    return instance.request(config);
  };

  const requestId = instance.interceptors.request.use((config: ConfigWithState) => {
    config.withCredentials = true;
    const state = config[STATE_KEY] ?? {};
    if (!state.retried) state.stamp = coordinator.stamp();
    config[STATE_KEY] = state;
    return config;
  });

  const responseId = instance.interceptors.response.use(
    // A custom validateStatus may let a 401 through as a success.
    async (response: AxiosResponse) =>
      (await retryAfterRefresh(response.config, response)) ?? response,
    async (error: unknown) => {
      const axiosError = error as Partial<AxiosError>;
      if (!axiosError?.isAxiosError) throw error;
      const retried = await retryAfterRefresh(axiosError.config, axiosError.response);
      if (retried === null) throw error;
      return retried;
    },
  );

  return () => {
    instance.interceptors.request.eject(requestId);
    instance.interceptors.response.eject(responseId);
  };
}

function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
