// What a browser app does by default when its session is over: go to the
// login page, asking to come back here afterwards.

import { loginRedirectPath } from './safe-next.js';

export const DEFAULT_LOGIN_PATH = '/auth';

interface LocationLike {
  pathname: string;
  search: string;
  assign(url: string): void;
}

/**
 * An `onSignedOut` that navigates to `loginPath?next=<current path>`.
 * Does nothing outside a browser, or on the login page itself (navigating
 * there again would only reload it, and could loop).
 */
export function redirectToLogin(loginPath: string): () => void {
  return () => {
    const location = (globalThis as { location?: LocationLike }).location;
    if (!location || typeof location.assign !== 'function') return;
    if (location.pathname === loginPath) return;
    location.assign(loginRedirectPath(loginPath, location.pathname + location.search));
  };
}
