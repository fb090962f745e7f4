import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createAuthFetch } from '@gatehouse/client';

import { API, FakeApi, sleep } from './helpers/fake-api.js';
import { FakeBrowser } from './helpers/fake-tabs.js';

const DATA = '/api/v1/data';

function openTabs(count: number, withLocks: boolean) {
  const api = new FakeApi();
  const browser = new FakeBrowser();
  const signedOut: number[] = [];
  const tabs = Array.from({ length: count }, (_, i) => {
    signedOut.push(0);
    return createAuthFetch({
      baseUrl: API,
      fetch: api.fetch,
      onSignedOut: () => {
        signedOut[i]! += 1;
      },
      crossTab: browser.tab({ withLocks }),
    });
  });
  return { api, browser, tabs, signedOut };
}

describe('cross-tab refresh', () => {
  it('refreshes once for three tabs whose requests expire together (Web Locks)', async () => {
    const { api, browser, tabs } = openTabs(3, true);
    api.expireAccessToken();

    const responses = await Promise.all(
      tabs.flatMap((tab) => Array.from({ length: 5 }, () => tab(DATA))),
    );

    assert.equal(api.refreshCalls, 1);
    assert.ok(responses.every((r) => r.status === 200));
    // Each tab asked for the lock once, not once per request.
    assert.equal(browser.locks.requests, 3);
  });

  it('still refreshes when the token expired after another tab refreshed', async () => {
    const { api, tabs } = openTabs(2, true);
    api.expireAccessToken();
    assert.equal((await tabs[0]!(DATA)).status, 200);
    api.expireAccessToken();
    assert.equal((await tabs[1]!(DATA)).status, 200);
    assert.equal(api.refreshCalls, 2);
  });

  it('without Web Locks refreshes once per tab, leaving the race to the grace window', async () => {
    const { api, browser, tabs } = openTabs(3, false);
    api.expireAccessToken();

    const responses = await Promise.all(
      tabs.flatMap((tab) => Array.from({ length: 5 }, () => tab(DATA))),
    );

    assert.equal(api.refreshCalls, 3);
    assert.ok(responses.every((r) => r.status === 200));
    assert.equal(browser.locks.requests, 0);
  });

  it('without Web Locks skips the refresh when another tab finished one after the request left', async () => {
    const { api, tabs } = openTabs(2, false);
    api.expireAccessToken();
    api.refreshDelayMs = 30;
    // Tab 1's request leaves while tab 0's refresh runs; its 401 arrives
    // after that refresh completed.
    api.dataDelaysMs = [0, 60];
    const first = tabs[0]!(DATA);
    await sleep(5);
    const late = tabs[1]!(DATA);
    const [a, b] = await Promise.all([first, late]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(api.refreshCalls, 1);
  });

  it('signs each tab out once when the session is over', async () => {
    const { api, tabs, signedOut } = openTabs(2, true);
    api.expireAccessToken();
    api.refreshBehaviour = 'signed-out';
    await Promise.all(tabs.flatMap((tab) => [tab(DATA), tab(DATA), tab(DATA)]));
    assert.deepEqual(signedOut, [1, 1]);
  });
});
