// The example Next.js app (examples/nextjs) in Debian's Chromium, set up
// as in production:
//
//   Chromium ──https──▶ nginx (TLS, one port, routed by server_name)
//                         ├─ api.example.test ──▶ gatehouse (production mode)
//                         └─ app.example.test, app.other.test ──▶ next start
//   next start (middleware) ──http, loopback──▶ gatehouse (JWKS, refresh)
//
// Chromium maps the *.test names to 127.0.0.1 and accepts the certificate
// made at test time. gatehouse runs without --dev: Secure cookies on
// Domain=.example.test, CSRF against its trusted origins, a 5-second access
// token so that expiry can be waited for. The app is built once with
// `next build` (with no gatehouse setting at all) and started with its
// settings in the environment. Refreshes are counted where they land, in
// gatehouse's /metrics. Everything listens on 127.0.0.1 and is stopped by
// PID at the end.
//
//   cd tests/browser && npm ci && node --test nextjs.test.js
// (needs build/gatehouse, and `npm ci` in examples/nextjs after
// `npm ci && npm run build` in clients/js)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import {
  countsSince, loginAttempts, readMetrics, refreshCounts, startExpectingRefusal, startGatehouse,
} from './lib/gatehouse.js';
import { buildNextApp, startNextApp } from './lib/next-app.js';
import { startNginx } from './lib/nginx.js';
import { freePort, freePorts } from './lib/processes.js';
import { makeCertificate } from './lib/tls.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const BINARY = process.env.GATEHOUSE_BINARY
  ? path.resolve(process.env.GATEHOUSE_BINARY)
  : path.join(REPO, 'build/gatehouse');
const APP_DIR = path.join(REPO, 'examples/nextjs');
const ARTIFACTS = path.join(REPO, 'tests/artifacts');
const CHROMIUM = process.env.GATEHOUSE_CHROMIUM || '/usr/bin/chromium';

const API_HOST = 'api.example.test';
const APP_HOST = 'app.example.test';
// Another registrable domain: what an app on *.vercel.app is to an API on
// example.com (F6).
const OTHER_HOST = 'app.other.test';
const COOKIE_DOMAIN = '.example.test';
const ACCESS_COOKIE = 'access_token';
const REFRESH_COOKIE = 'refresh_token';

// Short enough to wait for, long enough that a sign-in and two page views
// fit well inside one token's life on a loaded machine.
const ACCESS_TTL_S = 5;
const ADMIN = {
  email: 'ada@example.test', name: 'Ada Lovelace', role: 'admin',
  password: 'correct horse battery staple',
};

// A page step takes well under a second; 15 s means broken. Setup builds
// the app (about a minute on 2 cores, several when cold).
const STEP_MS = 15_000;
const SETUP_MS = 420_000;
const TEST_MS = 120_000;

let dir;
let gatehouse;
let gatehouseSettings;
let app;
let edge; // nginx
let edgePort;
let browser;

const origin = (host) => `https://${host}:${edgePort}`;
const appUrl = (pathAndQuery, host = APP_HOST) => origin(host) + pathAndQuery;
const refreshes = async () => refreshCounts(await readMetrics(gatehouse.origin));

// --- setup -------------------------------------------------------------

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-nextjs-'));
  // Built before anything listens: the build is the slow part, and it must
  // not need gatehouse.
  await buildNextApp(APP_DIR);

  const certificate = await makeCertificate(dir, [API_HOST, APP_HOST, OTHER_HOST]);
  let gatehousePort, appPort;
  [gatehousePort, appPort, edgePort] = await freePorts(3);
  const internalSecret = crypto.randomBytes(32).toString('hex');

  gatehouseSettings = {
    GATEHOUSE_PUBLIC_URL: origin(API_HOST),
    GATEHOUSE_COOKIE_DOMAIN: COOKIE_DOMAIN,
    GATEHOUSE_TRUSTED_ORIGINS: origin(APP_HOST),
    GATEHOUSE_TRUSTED_PROXIES: '127.0.0.1',
    GATEHOUSE_INTERNAL_SECRET: internalSecret,
    GATEHOUSE_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
    GATEHOUSE_ACCESS_TTL: `${ACCESS_TTL_S}s`,
  };
  gatehouse = await startGatehouse({
    binary: BINARY, dir, port: gatehousePort, users: [ADMIN], settings: gatehouseSettings,
  });
  app = await startNextApp({
    appDir: APP_DIR,
    port: appPort,
    env: {
      GATEHOUSE_API_URL: gatehouse.origin,
      GATEHOUSE_PUBLIC_URL: origin(API_HOST),
      GATEHOUSE_INTERNAL_SECRET: internalSecret,
    },
  });
  edge = await startNginx({
    dir: path.join(dir, 'nginx'),
    port: edgePort,
    certificate,
    sites: [
      { serverNames: [API_HOST], upstreamPort: gatehousePort },
      { serverNames: [APP_HOST, OTHER_HOST], upstreamPort: appPort },
    ],
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=${[API_HOST, APP_HOST, OTHER_HOST]
        .map((h) => `MAP ${h} 127.0.0.1`).join(',')}`,
      '--ignore-certificate-errors'],
  });
}, { timeout: SETUP_MS });

after(async () => {
  if (browser) await browser.close();
  if (edge) await edge.stop();
  if (app) await app.stop();
  const exit = gatehouse ? await gatehouse.stop() : null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  // A clean exit is part of every run: a crash at shutdown fails it.
  if (exit) assert.equal(exit.code, 0, `gatehouse exit ${JSON.stringify(exit)}:\n${gatehouse.output()}`);
});

// --- devices -----------------------------------------------------------

// A device: one browser context (its own cookie jar) with one page.
async function openDevice(name) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(STEP_MS);
  const device = { name, context, problems: [], page: null };
  device.page = await openTab(device);
  return device;
}

// Another tab of the same device: shares its cookies, Web Locks and storage.
async function openTab(device) {
  const page = await device.context.newPage();
  page.on('pageerror', (error) => device.problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // 401s are logged by Chromium as "Failed to load resource": expected
    // before a refresh. Script errors are not.
    const text = message.text();
    if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
      device.problems.push(`console: ${text}`);
    }
  });
  return page;
}

async function screenshot(page, file) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.mouse.move(0, 0); // no hover highlight left from the last click
  await page.screenshot({ path: path.join(ARTIFACTS, file), fullPage: true });
}

// Opens the devices, runs `body`, closes them; on failure saves what each
// page showed, and the logs of the servers. Asserts no page had a script
// error or a console error other than those matching `expectedConsole`.
async function withDevices(testName, names, body, { expectedConsole = null } = {}) {
  const devices = [];
  try {
    for (const name of names) devices.push(await openDevice(name));
    await body(...devices);
    for (const d of devices) {
      const problems = d.problems.filter((p) => !expectedConsole?.test(p));
      assert.deepEqual(problems, [], `${d.name}: page problems`);
    }
  } catch (error) {
    const slug = testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60);
    for (const d of devices) {
      for (const [i, page] of d.context.pages().entries()) {
        await screenshot(page, `failure-nextjs-${slug}-${d.name}-${i}.png`).catch(() => {});
      }
    }
    error.message += `\n--- next start:\n${app.output().slice(-4000)}` +
      `\n--- gatehouse:\n${gatehouse.output().slice(-4000)}` +
      `\n--- nginx:\n${edge.errorLog().slice(-2000)}`;
    throw error;
  } finally {
    for (const d of devices) await d.context.close();
  }
}

// Polls `check` until it returns true; fails naming `what` after `ms`.
async function until(what, check, ms = STEP_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function authCookies(context) {
  const cookies = await context.cookies();
  return cookies.filter((c) => c.name === ACCESS_COOKIE || c.name === REFRESH_COOKIE);
}

// gatehouse gives the access cookie the token's lifetime (Max-Age), so the
// browser drops it when the token expires: from then on the next request
// goes without it, as it would for a user coming back to a tab.
async function waitForAccessExpiry(device) {
  await until(`${device.name}'s access cookie expires`, async () =>
    !(await authCookies(device.context)).some((c) => c.name === ACCESS_COOKIE),
  (ACCESS_TTL_S + 5) * 1000);
}

// The requests `page` sends whose path ends with `suffix`, collected as
// they leave (read `.length` at any time).
function recordRequests(page, suffix) {
  const requests = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.endsWith(suffix)) requests.push(request);
  });
  return requests;
}

// --- pages -------------------------------------------------------------

const heading = (page, name) => page.getByRole('heading', { name, exact: true });

async function signIn(page, { host = APP_HOST, next = null } = {}) {
  await page.goto(appUrl(next ? `/login?next=${encodeURIComponent(next)}` : '/login', host));
  await heading(page, 'Sign in').waitFor();
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

// The dashboard, with what the browser fetched through createAuthFetch.
async function expectDashboard(page) {
  await heading(page, 'Dashboard').waitFor();
  await page.getByText(`${ADMIN.name} <${ADMIN.email}>`).waitFor();
  await page.getByRole('list', { name: 'Signed-in devices' })
    .getByText('This device', { exact: true }).waitFor();
}

const sessionIdOn = (page) => page.locator('dt:text-is("Session") + dd').textContent();

// Presses the five-calls button and returns the statuses the page shows.
async function callFiveTimes(page) {
  await page.getByRole('button', { name: 'Call the API 5 times at once' }).click();
  const status = page.getByRole('status').filter({ hasText: 'Answers:' });
  await status.waitFor();
  return (await status.textContent()).replace('Answers:', '').trim();
}

// --- scenarios ---------------------------------------------------------

test('an admin signs in, opens /admin and reloads it without another refresh',
  { timeout: TEST_MS }, async (t) => {
    await withDevices(t.name, ['desktop'], async (a) => {
      const before = await refreshes();
      const startedAt = Date.now();
      await signIn(a.page, { next: '/admin' });
      await heading(a.page, 'Admin').waitFor();
      await a.page.getByText('with role admin').waitFor();
      const accessBefore = (await authCookies(a.context)).find((c) => c.name === ACCESS_COOKIE);
      assert.ok(accessBefore, 'signed in: the access cookie is set');
      assert.equal(accessBefore.domain, COOKIE_DOMAIN);
      assert.equal(accessBefore.secure, true);

      const reload = await a.page.reload();
      assert.equal(reload.status(), 200);
      await heading(a.page, 'Admin').waitFor();
      const elapsedMs = Date.now() - startedAt;
      const spent = countsSince(before, await refreshes());
      // Within the token's life a page view verifies it locally: nothing
      // reaches gatehouse's refresh endpoint, and the cookie stays as is.
      assert.ok(elapsedMs < ACCESS_TTL_S * 1000,
        `the steps took ${elapsedMs} ms, past the ${ACCESS_TTL_S}s token: the machine is too slow for this check`);
      assert.equal(spent.requests, 0, `refresh requests: ${JSON.stringify(spent)}`);
      const accessAfter = (await authCookies(a.context)).find((c) => c.name === ACCESS_COOKIE);
      assert.equal(accessAfter?.value, accessBefore.value, 'the same access token');
    });
  });

test('an expired access token is refreshed by the middleware on a page view, ' +
  'and 5 concurrent API calls share one refresh', { timeout: TEST_MS }, async (t) => {
  await withDevices(t.name, ['desktop'], async (a) => {
    await signIn(a.page);
    await a.page.waitForURL(appUrl('/dashboard'));
    await expectDashboard(a.page);
    await screenshot(a.page, 'nextjs-dashboard.png');
    const browserRefreshes = recordRequests(a.page, '/api/v1/auth/refresh');

    // A page view after expiry: the middleware refreshes server-side and
    // the page renders, no redirect, no refresh from the browser.
    await waitForAccessExpiry(a);
    let before = await refreshes();
    const view = await a.page.goto(appUrl('/dashboard'));
    assert.equal(view.status(), 200);
    assert.equal(view.request().redirectedFrom()?.url() ?? null, null, 'no redirect');
    await expectDashboard(a.page);
    let spent = countsSince(before, await refreshes());
    assert.equal(spent.requests, 1, `one refresh, by the middleware: ${JSON.stringify(spent)}`);
    assert.equal(spent.rotated, 1);
    assert.equal(browserRefreshes.length, 0, 'the browser itself did not refresh');
    assert.ok((await authCookies(a.context)).some((c) => c.name === ACCESS_COOKIE),
      'the middleware passed the new access cookie on');

    // Five calls from the open page after expiry: five 401s, ONE refresh,
    // five retries that succeed.
    await waitForAccessExpiry(a);
    const me = [];
    a.page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/api/v1/auth/me') me.push(response.status());
    });
    before = await refreshes();
    assert.equal(await callFiveTimes(a.page), '200, 200, 200, 200, 200');
    spent = countsSince(before, await refreshes());
    assert.equal(spent.requests, 1, `one refresh reached gatehouse: ${JSON.stringify(spent)}`);
    assert.equal(spent.rotated, 1);
    assert.equal(browserRefreshes.length, 1, 'one refresh from the page');
    assert.deepEqual(me.toSorted(), [200, 200, 200, 200, 200, 401, 401, 401, 401, 401],
      'each call failed once on the expired token and was retried once');
  });
});

test('two tabs whose access tokens expire together both keep working (F9)',
  { timeout: TEST_MS }, async (t) => {
    await withDevices(t.name, ['desktop'], async (a) => {
      await signIn(a.page);
      await a.page.waitForURL(appUrl('/dashboard'));
      await expectDashboard(a.page);
      const first = a.page;
      const second = await openTab(a);
      await second.goto(appUrl('/dashboard'));
      await expectDashboard(second);
      const sessionId = await sessionIdOn(first);

      // Both tabs come back after expiry at the same moment: the second
      // with API calls (the browser refreshes), the first with a page view
      // (the middleware refreshes). Left to timing, the first response
      // often lands before the other refresh leaves, and nothing races; so
      // the second tab's refresh is held until the first tab's page request
      // has left. Both then present the same refresh token to gatehouse.
      await waitForAccessExpiry(a);
      let holdRefresh;
      const refreshHeld = new Promise((resolve) => { holdRefresh = resolve; });
      const firstTabSent = new Promise((resolve) => first.on('request', (request) => {
        if (request.isNavigationRequest()) resolve();
      }));
      await second.route('**/api/v1/auth/refresh', async (route) => {
        holdRefresh();
        await firstTabSent;
        await route.continue();
      });
      const before = await refreshes();
      const [answers, view] = await Promise.all([
        callFiveTimes(second),
        refreshHeld.then(() => first.reload()),
      ]);
      await second.unroute('**/api/v1/auth/refresh');
      assert.equal(view.status(), 200);
      assert.equal(view.request().redirectedFrom()?.url() ?? null, null, 'no redirect to the login page');
      await expectDashboard(first);
      assert.equal(answers, '200, 200, 200, 200, 200');
      // One refresh rotated the token, the other presented it again within
      // the grace window and got the same successor: no reuse, no revocation.
      assert.deepEqual(countsSince(before, await refreshes()),
        { requests: 2, rotated: 1, graceReplay: 1, reuseDetected: 0, invalid: 0 });

      // Nobody was signed out: both tabs go on, in the same session.
      for (const page of [first, second]) {
        const again = await page.reload();
        assert.equal(again.url(), appUrl('/dashboard'));
        await expectDashboard(page);
        assert.equal(await sessionIdOn(page), sessionId);
        assert.equal(await callFiveTimes(page), '200, 200, 200, 200, 200');
      }
    });
  });

test('F8: a session revoked from another device ends at the next page view after expiry, ' +
  'with one redirect, both cookies cleared, and signing in again works',
{ timeout: TEST_MS }, async (t) => {
  await withDevices(t.name, ['laptop', 'phone'], async (a, b) => {
    await signIn(a.page);
    await a.page.waitForURL(appUrl('/dashboard'));
    await expectDashboard(a.page);
    const revokedId = await sessionIdOn(a.page);
    await signIn(b.page);
    await b.page.waitForURL(appUrl('/dashboard'));
    await expectDashboard(b.page);

    // B signs A out from its devices list (DELETE /api/v1/auth/sessions/{id}).
    const item = b.page.locator(`li[data-session-id="${revokedId}"]`);
    const deleted = b.page.waitForResponse((r) => r.request().method() === 'DELETE' &&
      r.url().endsWith(`/api/v1/auth/sessions/${revokedId}`));
    await item.getByRole('button', { name: 'Sign out this device' }).click();
    assert.equal((await deleted).status(), 200);
    await until('the revoked device leaves B\'s list', async () => (await item.count()) === 0);

    // The middleware verifies the access token locally (no call to
    // gatehouse per page view), so until that token expires A's page views
    // still render; gatehouse itself (/auth/me, its edge guard) refuses it
    // at once. Revocation reaches the pages at the latest at expiry.
    await waitForAccessExpiry(a);
    const redirects = [];
    a.page.on('response', (response) => {
      if (response.status() >= 300 && response.status() < 400) redirects.push(response);
    });
    const landed = await a.page.goto(appUrl('/dashboard'));
    assert.equal(landed.url(), appUrl('/login?next=%2Fdashboard'));
    assert.equal(landed.status(), 200);
    await heading(a.page, 'Sign in').waitFor();
    // Exactly one hop: /dashboard → /login. A login page that sent a
    // browser still holding its cookies back to the landing page would
    // bounce here forever: that is F8.
    assert.equal(redirects.length, 1, redirects.map((r) => r.url()).join(' → '));
    assert.equal(landed.request().redirectedFrom()?.url(), appUrl('/dashboard'));
    // The redirect itself cleared both cookies (gatehouse's clearing
    // Set-Cookie headers, passed on verbatim).
    const cleared = (await redirects[0].headersArray())
      .filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
    for (const name of [ACCESS_COOKIE, REFRESH_COOKIE]) {
      assert.ok(cleared.some((c) => c.startsWith(`${name}=;`) && /Max-Age=0/i.test(c)),
        `the redirect clears ${name}: ${cleared.join(' | ')}`);
    }
    assert.deepEqual(await authCookies(a.context), [], 'both cookies are gone');

    // B was not touched; A signs in again and goes where it was going.
    await b.page.reload();
    await expectDashboard(b.page);
    await a.page.getByLabel('Email').fill(ADMIN.email);
    await a.page.getByLabel('Password').fill(ADMIN.password);
    await a.page.getByRole('button', { name: 'Sign in' }).click();
    await a.page.waitForURL(appUrl('/dashboard'));
    await expectDashboard(a.page);
    assert.notEqual(await sessionIdOn(a.page), revokedId, 'a new session');
  });
});

test('F6: an app on an unrelated site never gets the cookies, and gatehouse refuses to trust it',
  { timeout: TEST_MS }, async (t) => {
    // app.other.test and api.example.test are different registrable
    // domains (sites), as an app on *.vercel.app and an API on example.com
    // are. gatehouse's cookies are set for Domain=.example.test: a browser
    // never sends them to app.other.test, and being SameSite=Lax they are
    // not even stored from a cross-site response. No cookie setting fixes
    // that: serve the app from a subdomain of the API's registrable domain
    // (app.example.test). `gatehouse doctor` reports the mistake.
    //
    // A team chasing it adds the app's origin to GATEHOUSE_TRUSTED_ORIGINS,
    // hoping CORS is the problem. In production gatehouse refuses to start
    // with that, naming the setting: sign-in would answer 200 and the
    // cookies would still never reach the app.
    const portForRefusal = await freePort();
    const refused = await startExpectingRefusal({
      binary: BINARY,
      dir: fs.mkdtempSync(path.join(dir, 'refused-')),
      port: portForRefusal,
      settings: {
        ...gatehouseSettings,
        GATEHOUSE_TRUSTED_ORIGINS: `${origin(APP_HOST)},${origin(OTHER_HOST)}`,
      },
    });
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /GATEHOUSE_TRUSTED_ORIGINS/);
    assert.ok(refused.output.includes(origin(OTHER_HOST)), refused.output);

    // The app served on app.other.test anyway, against the gatehouse that
    // trusts only app.example.test.
    await withDevices(t.name, ['desktop'], async (a) => {
      const appRequests = [];
      a.page.on('request', (request) => {
        if (new URL(request.url()).host === `${OTHER_HOST}:${edgePort}` &&
          request.resourceType() === 'document') appRequests.push(request);
      });
      const loginsBefore = loginAttempts(await readMetrics(gatehouse.origin));
      await signIn(a.page, { host: OTHER_HOST });
      // CORS refuses the untrusted origin's preflight: the sign-in never
      // leaves the browser, and the page says it failed.
      await a.page.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
      assert.equal(loginAttempts(await readMetrics(gatehouse.origin)), loginsBefore,
        'no sign-in reached gatehouse');

      // Whatever the sign-in did, a page of the app gets no auth cookie and
      // is sent to the login page.
      const landed = await a.page.goto(appUrl('/dashboard', OTHER_HOST));
      assert.equal(landed.url(), appUrl('/login?next=%2Fdashboard', OTHER_HOST));
      await heading(a.page, 'Sign in').waitFor();
      const dashboardRequest = appRequests.find((r) => new URL(r.url()).pathname === '/dashboard');
      assert.ok(dashboardRequest, 'the browser asked for the dashboard');
      const sent = (await dashboardRequest.allHeaders()).cookie ?? '';
      assert.doesNotMatch(sent, new RegExp(`\\b(${ACCESS_COOKIE}|${REFRESH_COOKIE})=`),
        `the request to ${OTHER_HOST} carried no auth cookie`);
      assert.deepEqual(await authCookies(a.context), [], 'the browser holds no auth cookie');
    }, { expectedConsole: /CORS policy|Failed to fetch/ });
  });
