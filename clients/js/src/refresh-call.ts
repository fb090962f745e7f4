// The browser's refresh request: a cookie-authenticated POST to
// /auth/refresh. The browser sends the HttpOnly refresh cookie and its
// Origin (gatehouse's CSRF check, SPEC §6), and stores the new cookies
// from the response; script never sees a token.

import type { RefreshOutcome } from './refresh-coordinator.js';

/** Classifies gatehouse's answer to a refresh (see RefreshOutcome). */
export function refreshOutcomeOf(status: number): RefreshOutcome {
  if (status >= 200 && status < 300) return 'refreshed';
  if (status === 401) return 'signed-out';
  return 'failed';
}

/** POSTs to `url` with the given fetch; rejects only on network errors. */
export async function callRefresh(
  fetchImpl: typeof fetch,
  url: string,
): Promise<RefreshOutcome> {
  const response = await fetchImpl(
    new Request(url, {
      method: 'POST',
      credentials: 'include',
      headers: { accept: 'application/json' },
    }),
  );
  // The body is not needed; reading it frees the connection.
  await response.arrayBuffer().catch(() => undefined);
  return refreshOutcomeOf(response.status);
}
