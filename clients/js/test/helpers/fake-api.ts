// An in-memory gatehouse for the browser clients: one cookie jar (shared
// by every "tab" that uses the same FakeApi), access tokens that expire on
// demand, and a refresh endpoint whose answer each test chooses.

// `lure` answers the refresh itself with the code that asks for a
// refresh: a client that does not exclude the endpoint would recurse.
export type RefreshBehaviour = 'rotate' | 'signed-out' | 'unavailable' | 'network-error' | 'lure';

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
  credentials: RequestCredentials;
}

export const API = 'https://api.example.test';

export class FakeApi {
  /** What the next refreshes do. */
  refreshBehaviour: RefreshBehaviour = 'rotate';
  /** Keeps each refresh pending this long, so concurrent 401s overlap it. */
  refreshDelayMs = 10;
  /** When true, data endpoints answer 401 even to a fresh token. */
  rejectEveryToken = false;
  /** The `code` of a data endpoint's 401. */
  expiredCode = 'ACCESS_TOKEN_EXPIRED';
  /**
   * Delays of the data responses, in order of arrival (missing: none). The
   * answer is decided on arrival and delivered after the delay, like a
   * response still on the wire while a refresh completes.
   */
  dataDelaysMs: number[] = [];

  refreshCalls = 0;
  readonly requests: RecordedRequest[] = [];
  // The browser's cookie jar holds token `jarToken`; the server accepts
  // `currentToken`. They differ while the access token is expired.
  private jarToken = 0;
  private currentToken = 0;
  private dataArrivals = 0;

  /** Makes the access token in the jar stale, as 15 minutes would. */
  expireAccessToken(): void {
    this.currentToken += 1;
  }

  callsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = await request.text();
    this.requests.push({
      method: request.method,
      path: url.pathname,
      body,
      credentials: request.credentials,
    });
    if (url.pathname === '/api/v1/auth/refresh') return this.refresh();
    if (url.pathname.startsWith('/api/v1/auth/')) {
      // Auth endpoints in this fake always say "expired", the answer most
      // likely to lure a client into refreshing.
      return envelope(401, { success: false, message: 'no', code: 'ACCESS_TOKEN_EXPIRED' });
    }
    const delay = this.dataDelaysMs[this.dataArrivals++] ?? 0;
    const response =
      this.rejectEveryToken || this.jarToken !== this.currentToken
        ? envelope(401, { success: false, message: 'expired', code: this.expiredCode })
        : envelope(200, {
            success: true,
            message: 'ok',
            data: { method: request.method, path: url.pathname, body },
          });
    if (delay > 0) await sleep(delay);
    return response;
  };

  private async refresh(): Promise<Response> {
    this.refreshCalls += 1;
    await sleep(this.refreshDelayMs);
    switch (this.refreshBehaviour) {
      case 'rotate':
        this.jarToken = this.currentToken;
        return envelope(200, { success: true, message: 'refreshed' });
      case 'signed-out':
        return envelope(401, { success: false, message: 'no', code: 'INVALID_REFRESH_TOKEN' });
      case 'unavailable':
        return envelope(503, { success: false, message: 'down', code: 'UNAVAILABLE' });
      case 'network-error':
        throw new TypeError('fetch failed');
      case 'lure':
        return envelope(401, { success: false, message: 'no', code: 'ACCESS_TOKEN_EXPIRED' });
    }
  }
}

function envelope(status: number, body: object): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
