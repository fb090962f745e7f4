import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AUTH_ENDPOINTS, createAuthFetch, type AuthFetchOptions } from '@gatehouse/client';

import { API, FakeApi, sleep } from './helpers/fake-api.js';
import { FakeBrowser } from './helpers/fake-tabs.js';

const DATA = '/api/v1/data';

function setup(overrides: Partial<AuthFetchOptions> = {}) {
  const api = new FakeApi();
  let signedOut = 0;
  const authFetch = createAuthFetch({
    baseUrl: API,
    fetch: api.fetch,
    onSignedOut: () => {
      signedOut += 1;
    },
    crossTab: new FakeBrowser().tab(),
    ...overrides,
  });
  return { api, authFetch, signedOutCalls: () => signedOut };
}

async function codeOf(response: Response): Promise<unknown> {
  return ((await response.json()) as { code?: unknown }).code;
}

describe('createAuthFetch', () => {
  it('refreshes once for 20 concurrent expired requests and retries each with its body', async () => {
    const { api, authFetch } = setup();
    api.expireAccessToken();
    const bodies = Array.from({ length: 20 }, (_, i) => JSON.stringify({ n: i }));

    const responses = await Promise.all(
      bodies.map((body) => authFetch(DATA, { method: 'POST', body })),
    );

    assert.equal(api.refreshCalls, 1);
    assert.deepEqual(
      responses.map((r) => r.status),
      bodies.map(() => 200),
    );
    const echoed = await Promise.all(
      responses.map(async (r) => ((await r.json()) as { data: { body: string } }).data.body),
    );
    assert.deepEqual(echoed, bodies);
    // Each request twice: the 401 and the retry, never more.
    assert.equal(api.callsTo(DATA).length, 40);
    for (const body of bodies) {
      assert.equal(api.callsTo(DATA).filter((r) => r.body === body).length, 2);
    }
  });

  it('sends credentials with every request, the refresh included', async () => {
    const { api, authFetch } = setup();
    api.expireAccessToken();
    await authFetch(DATA);
    await authFetch(new Request(`${API}${DATA}`, { credentials: 'omit' }));
    assert.ok(api.requests.length >= 4);
    for (const request of api.requests) assert.equal(request.credentials, 'include');
  });

  it('returns a retried 401 as it is, without a second refresh or retry', async () => {
    const { api, authFetch } = setup();
    api.rejectEveryToken = true;

    const response = await authFetch(DATA);

    assert.equal(response.status, 401);
    assert.equal(await codeOf(response), 'ACCESS_TOKEN_EXPIRED');
    assert.equal(api.refreshCalls, 1);
    assert.equal(api.callsTo(DATA).length, 2);
  });

  for (const endpoint of AUTH_ENDPOINTS) {
    it(`never refreshes for ${endpoint}`, async () => {
      const { api, authFetch, signedOutCalls } = setup();
      api.refreshBehaviour = 'lure';
      const response = await authFetch(`/api/v1${endpoint}/`, { method: 'POST' });
      assert.equal(response.status, 401);
      assert.equal(await codeOf(response), 'ACCESS_TOKEN_EXPIRED');
      // One request: the call itself, no refresh and no retry after it.
      assert.equal(api.requests.length, 1);
      assert.equal(signedOutCalls(), 0);
    });
  }

  it('calls onSignedOut once when the refresh fails for concurrent requests', async () => {
    const { api, authFetch, signedOutCalls } = setup();
    api.expireAccessToken();
    api.refreshBehaviour = 'signed-out';

    const responses = await Promise.all(Array.from({ length: 10 }, () => authFetch(DATA)));

    assert.equal(signedOutCalls(), 1);
    assert.equal(api.refreshCalls, 1);
    assert.equal(api.callsTo(DATA).length, 10);
    for (const response of responses) {
      assert.equal(response.status, 401);
      assert.equal(await codeOf(response), 'ACCESS_TOKEN_EXPIRED');
    }
  });

  it('does not refresh for 401 codes that mean signed out', async () => {
    for (const code of ['SESSION_REVOKED', 'INVALID_CREDENTIALS', 'REFRESH_TOKEN_REUSED', 'OTHER']) {
      const { api, authFetch, signedOutCalls } = setup();
      api.expireAccessToken();
      api.expiredCode = code;
      const response = await authFetch(DATA);
      assert.equal(response.status, 401, code);
      assert.equal(api.refreshCalls, 0, code);
      assert.equal(signedOutCalls(), 0, code);
    }
  });

  it('refreshes for each of the three access-token codes', async () => {
    for (const code of ['ACCESS_TOKEN_MISSING', 'ACCESS_TOKEN_EXPIRED', 'ACCESS_TOKEN_INVALID']) {
      const { api, authFetch } = setup();
      api.expireAccessToken();
      api.expiredCode = code;
      const response = await authFetch(DATA);
      assert.equal(response.status, 200, code);
      assert.equal(api.refreshCalls, 1, code);
    }
  });

  it('lets a network error of the refresh reject, signing nobody out', async () => {
    const { api, authFetch, signedOutCalls } = setup();
    api.expireAccessToken();
    api.refreshBehaviour = 'network-error';

    const results = await Promise.allSettled([authFetch(DATA), authFetch(DATA)]);

    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.match(String((result as PromiseRejectedResult).reason), /fetch failed/);
    }
    assert.equal(api.refreshCalls, 1);
    assert.equal(signedOutCalls(), 0);

    // The blip is over: the next 401 tries again.
    api.refreshBehaviour = 'rotate';
    assert.equal((await authFetch(DATA)).status, 200);
    assert.equal(api.refreshCalls, 2);
  });

  it('returns the original 401 without signing out when gatehouse cannot refresh (503)', async () => {
    const { api, authFetch, signedOutCalls } = setup();
    api.expireAccessToken();
    api.refreshBehaviour = 'unavailable';
    const response = await authFetch(DATA);
    assert.equal(response.status, 401);
    assert.equal(await codeOf(response), 'ACCESS_TOKEN_EXPIRED');
    assert.equal(signedOutCalls(), 0);
    assert.equal(api.callsTo(DATA).length, 1);
  });

  // Without storage or locks, only the tab's own record of refreshes can
  // tell that a late 401 predates the last refresh.
  const TAB_ONLY = { crossTab: { locks: null, storage: null, channel: null } };

  it('does not refresh again for a request sent before the last refresh completed', async () => {
    const { api, authFetch } = setup(TAB_ONLY);
    api.expireAccessToken();
    api.refreshDelayMs = 30;
    // The second request leaves while the refresh runs, and its 401 (it
    // carried the old cookie) arrives after the refresh settled: that
    // refresh is its remedy.
    api.dataDelaysMs = [0, 60];
    const first = authFetch(DATA);
    await sleep(5);
    const late = authFetch(DATA);
    const responses = await Promise.all([first, late]);
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200],
    );
    assert.equal(api.refreshCalls, 1);
    assert.equal(api.callsTo(DATA).length, 4);
  });

  it('does not sign out twice for a request sent before the failed refresh completed', async () => {
    const { api, authFetch, signedOutCalls } = setup(TAB_ONLY);
    api.expireAccessToken();
    api.refreshBehaviour = 'signed-out';
    api.refreshDelayMs = 30;
    api.dataDelaysMs = [0, 60];
    const first = authFetch(DATA);
    await sleep(5);
    const late = authFetch(DATA);
    const responses = await Promise.all([first, late]);
    assert.deepEqual(
      responses.map((r) => r.status),
      [401, 401],
    );
    assert.equal(api.refreshCalls, 1);
    assert.equal(signedOutCalls(), 1);
  });

  it('shares the refresh in flight with a request whose 401 arrives during it', async () => {
    const { api, authFetch } = setup();
    api.expireAccessToken();
    api.refreshDelayMs = 30;
    api.dataDelaysMs = [0, 10];
    const first = authFetch(DATA);
    await sleep(5);
    const second = authFetch(DATA);
    const responses = await Promise.all([first, second]);
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200],
    );
    assert.equal(api.refreshCalls, 1);
  });

  it('refreshes again when the token expires after an earlier refresh', async () => {
    const { api, authFetch } = setup();
    api.expireAccessToken();
    assert.equal((await authFetch(DATA)).status, 200);
    api.expireAccessToken();
    assert.equal((await authFetch(DATA)).status, 200);
    assert.equal(api.refreshCalls, 2);
  });

  it('by default sends the signed-out browser to the login page with a local next', async () => {
    const { api, authFetch } = setup({ onSignedOut: undefined, loginPath: '/signin' });
    api.expireAccessToken();
    api.refreshBehaviour = 'signed-out';
    const assigned: string[] = [];
    const location = {
      origin: 'https://app.example.test',
      pathname: '/reports/q3',
      search: '?tab=2',
      assign: (url: string) => assigned.push(url),
    };
    Object.defineProperty(globalThis, 'location', { value: location, configurable: true });
    try {
      await Promise.all([authFetch(DATA), authFetch(DATA)]);
    } finally {
      Reflect.deleteProperty(globalThis, 'location');
    }
    assert.deepEqual(assigned, [`/signin?next=${encodeURIComponent('/reports/q3?tab=2')}`]);
  });
});
