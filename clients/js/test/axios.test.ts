import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import axios, { type AxiosError, type AxiosInstance } from 'axios';

import { AUTH_ENDPOINTS } from '@gatehouse/client';
import { attachAuthInterceptor, type AuthInterceptorOptions } from '@gatehouse/client/axios';

import { API, FakeApi, sleep } from './helpers/fake-api.js';
import { fakeAdapter } from './helpers/fake-axios-adapter.js';
import { FakeBrowser } from './helpers/fake-tabs.js';

const DATA = '/api/v1/data';

function setup(options: Partial<AuthInterceptorOptions> = {}) {
  const api = new FakeApi();
  const instance: AxiosInstance = axios.create({ baseURL: API, adapter: fakeAdapter(api) });
  let signedOut = 0;
  const detach = attachAuthInterceptor(instance, {
    onSignedOut: () => {
      signedOut += 1;
    },
    crossTab: new FakeBrowser().tab(),
    ...options,
  });
  return { api, instance, detach, signedOutCalls: () => signedOut };
}

async function rejection(promise: Promise<unknown>): Promise<AxiosError> {
  try {
    await promise;
  } catch (error) {
    return error as AxiosError;
  }
  assert.fail('expected the request to fail');
}

describe('attachAuthInterceptor', () => {
  it('refreshes once for 20 concurrent expired requests and retries each with its body', async () => {
    const { api, instance } = setup();
    api.expireAccessToken();
    const payloads = Array.from({ length: 20 }, (_, i) => ({ n: i }));

    const responses = await Promise.all(payloads.map((payload) => instance.post(DATA, payload)));

    assert.equal(api.refreshCalls, 1);
    assert.deepEqual(
      responses.map((r) => (r.data as { data: { body: string } }).data.body),
      payloads.map((payload) => JSON.stringify(payload)),
    );
    assert.equal(api.callsTo(DATA).length, 40);
  });

  it('sends credentials on every request, the refresh included', async () => {
    const { api, instance } = setup();
    api.expireAccessToken();
    await instance.get(DATA, { withCredentials: false });
    assert.equal(api.requests.length, 3);
    for (const request of api.requests) assert.equal(request.credentials, 'include');
  });

  it('returns a retried 401, without a second refresh or retry', async () => {
    const { api, instance } = setup();
    api.rejectEveryToken = true;

    const error = await rejection(instance.get(DATA));

    assert.equal(error.response?.status, 401);
    assert.equal(api.refreshCalls, 1);
    assert.equal(api.callsTo(DATA).length, 2);
  });

  it('handles a 401 that a custom validateStatus lets through, retrying once', async () => {
    const { api, instance } = setup();
    api.rejectEveryToken = true;
    const response = await instance.get(DATA, { validateStatus: () => true });
    assert.equal(response.status, 401);
    assert.equal(api.refreshCalls, 1);
    assert.equal(api.callsTo(DATA).length, 2);
  });

  for (const endpoint of AUTH_ENDPOINTS) {
    it(`never refreshes for ${endpoint}`, async () => {
      const { api, instance, signedOutCalls } = setup();
      api.refreshBehaviour = 'lure';
      const error = await rejection(instance.post(`/api/v1${endpoint}`, {}));
      assert.equal(error.response?.status, 401);
      assert.equal(api.requests.length, 1);
      assert.equal(signedOutCalls(), 0);
    });
  }

  it('calls onSignedOut once when the refresh fails for concurrent requests', async () => {
    const { api, instance, signedOutCalls } = setup();
    api.expireAccessToken();
    api.refreshBehaviour = 'signed-out';

    const errors = await Promise.all(
      Array.from({ length: 10 }, () => rejection(instance.get(DATA))),
    );

    assert.equal(signedOutCalls(), 1);
    assert.equal(api.refreshCalls, 1);
    for (const error of errors) {
      assert.equal(error.response?.status, 401);
      assert.equal((error.response?.data as { code: string }).code, 'ACCESS_TOKEN_EXPIRED');
    }
  });

  it('rethrows a network error of the refresh, signing nobody out', async () => {
    const { api, instance, signedOutCalls } = setup();
    api.expireAccessToken();
    api.refreshBehaviour = 'network-error';
    const error = await rejection(instance.get(DATA));
    assert.equal(error.code, 'ERR_NETWORK');
    assert.equal(signedOutCalls(), 0);
  });

  it('does not refresh for a 401 that means signed out', async () => {
    const { api, instance } = setup();
    api.expireAccessToken();
    api.expiredCode = 'SESSION_REVOKED';
    const error = await rejection(instance.get(DATA));
    assert.equal(error.response?.status, 401);
    assert.equal(api.refreshCalls, 0);
  });

  it('shares one refresh with requests whose 401 arrives during it', async () => {
    const { api, instance } = setup();
    api.expireAccessToken();
    api.refreshDelayMs = 30;
    api.dataDelaysMs = [0, 10, 60];
    const requests = [instance.get(DATA)];
    await sleep(5);
    requests.push(instance.get(DATA), instance.get(DATA));
    const responses = await Promise.all(requests);
    assert.ok(responses.every((r) => r.status === 200));
    assert.equal(api.refreshCalls, 1);
  });

  it('stops refreshing once detached', async () => {
    const { api, instance, detach } = setup();
    detach();
    api.expireAccessToken();
    const error = await rejection(instance.get(DATA));
    assert.equal(error.response?.status, 401);
    assert.equal(api.refreshCalls, 0);
  });
});
