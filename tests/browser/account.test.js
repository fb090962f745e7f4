// The account page (/account) in a real browser against the real server.
//
// Starts build/gatehouse (or $GATEHOUSE_BINARY) with `serve --dev` on a free
// loopback port and a fresh SQLite file, registers one user through the
// API, and drives Debian's Chromium (/usr/bin/chromium) with playwright-core:
// two browser contexts are two devices of that user. Never downloads a
// browser. Screenshots of the signed-in page go to tests/artifacts/.
//
//   cd tests/browser && npm ci && node --test
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BINARY = process.env.GATEHOUSE_BINARY
  ? path.resolve(process.env.GATEHOUSE_BINARY)
  : path.resolve(HERE, '../../build/gatehouse');
const CHROMIUM = process.env.GATEHOUSE_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.resolve(HERE, '../artifacts');

const EMAIL = 'ada@example.com';
const NAME = 'Ada Lovelace';
// Changed by the password test; every test signs in with the current one.
let password = 'correct horse battery staple';

// Bounds: a started server listens within a second; 20 s covers a loaded
// CI machine. A step in the page takes milliseconds; 10 s means broken.
const SERVER_START_MS = 20_000;
const SERVER_STOP_MS = 15_000;
const STEP_MS = 10_000;
const TEST_MS = 90_000;

// The desktop is the browser as it is; the phone is emulated, user agent
// included, so that the devices list shows two different devices.
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 ' +
    '(KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
};

let server;   // { child, origin, output(), dir }
let browser;

// --- the server --------------------------------------------------------

// A port that was free a moment ago: bind port 0, read it, release it.
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function startServerOnce(port, dir) {
  const origin = `http://127.0.0.1:${port}`;
  // Only what the test means: no GATEHOUSE_* of the caller leaks in.
  const env = {
    PATH: process.env.PATH || '/usr/bin:/bin',
    GATEHOUSE_LISTEN: `127.0.0.1:${port}`,
    // Same origin as the page: CSRF compares the page's Origin with it.
    GATEHOUSE_PUBLIC_URL: origin,
    GATEHOUSE_DATABASE_URL: `sqlite://${path.join(dir, 'gatehouse.db')}`,
    GATEHOUSE_LOG_LEVEL: 'warn',
  };
  const child = spawn(BINARY, ['serve', '--dev'], {
    env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) =>
    resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(
      `gatehouse did not listen within ${SERVER_START_MS} ms:\n${output}`)), SERVER_START_MS);
    const check = () => {
      if (output.includes(`listening on ${origin}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`gatehouse exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return { child, origin, exited, ready, output: () => output };
}

async function startServer() {
  assert.ok(fs.existsSync(BINARY),
    `no gatehouse binary at ${BINARY}: build it, or set GATEHOUSE_BINARY`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-browser-'));
  // The port may be taken between probing and binding: try a few.
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = startServerOnce(await freePort(), dir);
    try {
      await started.ready;
      return { ...started, dir };
    } catch (error) {
      lastError = error;
      await stopServer(started);
    }
  }
  throw lastError;
}

// SIGTERM by PID, then wait; SIGKILL if it does not stop. Returns the exit.
async function stopServer(s) {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) {
    return s ? s.exited : null;
  }
  process.kill(s.child.pid, 'SIGTERM');
  const timeout = new Promise((resolve) => setTimeout(resolve, SERVER_STOP_MS, 'timeout'));
  if ((await Promise.race([s.exited, timeout])) === 'timeout') {
    process.kill(s.child.pid, 'SIGKILL');
  }
  return s.exited;
}

// Even if the runner dies on an error, never leave a server behind.
process.on('exit', () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    try { process.kill(server.child.pid, 'SIGKILL'); } catch { /* gone */ }
  }
});

async function apiCall(method, apiPath, body) {
  const response = await fetch(server.origin + '/api/v1' + apiPath, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

// Ends every session of the user, so that each test starts with none.
async function signOutEverywhereViaApi() {
  const login = await fetch(server.origin + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password }),
  });
  assert.equal(login.status, 200, await login.text());
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const out = await fetch(server.origin + '/api/v1/auth/logout-all', {
    method: 'POST',
    // A cookie-authenticated write: from the API's own origin (CSRF).
    headers: { Cookie: cookies, Origin: server.origin },
  });
  assert.equal(out.status, 200, await out.text());
}

// --- the browser -------------------------------------------------------

// A device: one browser context (its own cookie jar) with one page.
async function openDevice(name, options) {
  const context = await browser.newContext({
    ...options,
    baseURL: server.origin,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // 4xx answers are logged by Chromium as "Failed to load resource":
    // expected here. Script errors and CSP violations are not.
    const text = message.text();
    if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
      problems.push(`console: ${text}`);
    }
  });
  return { name, context, page, problems };
}

async function screenshot(device, file) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // No hover highlight left over from the last click.
  if (!device.page.isClosed()) await device.page.mouse.move(0, 0);
  await device.page.screenshot({ path: path.join(ARTIFACTS, file), fullPage: true });
}

// Opens the devices, runs `body`, and closes them; on failure, saves what
// each device showed. Asserts that no page had a script error or a CSP
// violation.
async function withDevices(testName, specs, body) {
  const devices = [];
  await signOutEverywhereViaApi();
  try {
    for (const [name, options] of specs) devices.push(await openDevice(name, options));
    await body(...devices);
    for (const d of devices) assert.deepEqual(d.problems, [], `${d.name}: page problems`);
  } catch (error) {
    const slug = testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    for (const d of devices) {
      await screenshot(d, `failure-${slug}-${d.name}.png`).catch(() => {});
    }
    throw error;
  } finally {
    for (const d of devices) await d.context.close();
  }
}

// Polls `check` until it returns true; fails with `what` after STEP_MS.
async function until(what, check) {
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const signInHeading = (page) => page.getByRole('heading', { name: 'Sign in' });
const accountHeading = (page) => page.getByRole('heading', { name: 'Your account' });
const deviceItems = (page) =>
  page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');

async function signIn(device, secret = password) {
  const { page } = device;
  await page.goto('/account');
  await signInHeading(page).waitFor();
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await accountHeading(page).waitFor();
}

// This device's session id, as the server sees it.
async function sessionIdOf(device) {
  const me = await device.page.evaluate(() =>
    fetch('/api/v1/auth/me', { credentials: 'same-origin' }).then((r) => r.json()));
  assert.equal(me.success, true, JSON.stringify(me));
  return me.data.session_id;
}

async function refreshList(page) {
  await page.getByRole('button', { name: 'Refresh' }).click();
}

// The list shows `count` devices, and exactly one is marked "This device":
// the one with `ownId`.
async function expectDevices(device, count, ownId) {
  const items = deviceItems(device.page);
  await until(`${device.name} lists ${count} devices`, async () => (await items.count()) === count);
  const marked = device.page.locator('#devices > li').filter({
    has: device.page.getByText('This device', { exact: true }),
  });
  assert.equal(await marked.count(), 1, `${device.name}: one device marked as this one`);
  assert.equal(await marked.getAttribute('data-session-id'), ownId,
    `${device.name}: its own session is the one marked`);
  await marked.getByRole('button', { name: 'Sign out this device' }).waitFor();
}

async function expectSignedOut(device, notice = 'You have been signed out') {
  await signInHeading(device.page).waitFor();
  assert.equal(await accountHeading(device.page).isVisible(), false);
  if (notice) {
    await device.page.getByRole('status').filter({ hasText: notice }).waitFor();
  }
}

// --- setup -------------------------------------------------------------

before(async () => {
  server = await startServer();
  const registered = await apiCall('POST', '/auth/register',
    { email: EMAIL, password, name: NAME });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  const exit = await stopServer(server);
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  // A clean exit is part of every run: a crash at shutdown fails it.
  if (exit) assert.equal(exit.code, 0, `gatehouse exit ${JSON.stringify(exit)}:\n${server.output()}`);
});

// --- tests -------------------------------------------------------------

test('the page is served with its security headers and revalidates', async () => {
  const first = await fetch(server.origin + '/account');
  assert.equal(first.status, 200);
  assert.match(first.headers.get('content-type'), /^text\/html/);
  assert.match(first.headers.get('content-security-policy'), /default-src 'none'/);
  assert.equal(first.headers.get('x-frame-options'), 'DENY');
  assert.equal(first.headers.get('referrer-policy'), 'same-origin');
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  const etag = first.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  const again = await fetch(server.origin + '/account', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
});

test('two devices see each other, each marked as itself, and one signs the other out',
  { timeout: TEST_MS }, async (t) => {
    await withDevices(t.name, [['desktop', DESKTOP], ['phone', PHONE]], async (a, b) => {
      await signIn(a);
      await signIn(b);
      const idA = await sessionIdOf(a);
      const idB = await sessionIdOf(b);
      assert.notEqual(idA, idB, 'each device has its own session');

      // The profile.
      for (const d of [a, b]) {
        await d.page.getByText(NAME, { exact: true }).waitFor();
        await d.page.getByText(EMAIL, { exact: true }).waitFor();
        await d.page.getByText('user', { exact: true }).waitFor();
      }

      // A loaded its list before B signed in.
      await refreshList(a.page);
      await expectDevices(a, 2, idA);
      await expectDevices(b, 2, idB);

      // Readable devices: the phone is named as such, with the address.
      const phoneOnDesktop = a.page.locator(`#devices > li[data-session-id="${idB}"]`);
      await phoneOnDesktop.getByText('Chrome 156 on Android').waitFor();
      await phoneOnDesktop.getByText('127.0.0.1').waitFor();
      await phoneOnDesktop.getByText(/^Signed in /).waitFor();
      await phoneOnDesktop.getByText(/^Last active /).waitFor();

      await screenshot(a, 'account-desktop-1280x800.png');
      await screenshot(b, 'account-phone-390x844.png');

      // A signs B out from its list.
      await phoneOnDesktop.getByRole('button', { name: /^Sign out/ }).click();
      await expectDevices(a, 1, idA);

      // B's next action lands on the sign-in form, saying why.
      await refreshList(b.page);
      await expectSignedOut(b);
      await screenshot(b, 'account-signed-out-phone-390x844.png');
      await b.page.reload();
      await expectSignedOut(b, null);

      // A is still signed in.
      await a.page.reload();
      await accountHeading(a.page).waitFor();
      await expectDevices(a, 1, idA);
    });
  });

test('changing the password signs the other device out', { timeout: TEST_MS }, async (t) => {
  await withDevices(t.name, [['desktop', DESKTOP], ['phone', PHONE]], async (a, b) => {
    await signIn(a);
    await signIn(b);
    const idA = await sessionIdOf(a);
    const page = a.page;
    const form = page.locator('#password-form');
    const current = page.getByLabel('Current password');
    const next = page.getByLabel('New password');
    const change = page.getByRole('button', { name: 'Change password' });

    // A wrong current password: said so, at the field.
    await current.fill('not my password');
    await next.fill('a brand new passphrase');
    await change.click();
    await form.getByRole('alert').filter({ hasText: 'current password is incorrect' }).waitFor();
    assert.equal(await current.getAttribute('aria-invalid'), 'true');

    // A new password the server refuses: its message, at the field.
    await current.fill(password);
    await next.fill('short');
    await change.click();
    await form.getByRole('alert').filter({ hasText: 'New password must be 8 to 1024 characters' })
      .waitFor();
    assert.equal(await next.getAttribute('aria-invalid'), 'true');

    const newPassword = 'a brand new passphrase';
    await current.fill(password);
    await next.fill(newPassword);
    await change.click();
    await form.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    const oldPassword = password;
    password = newPassword;
    await expectDevices(a, 1, idA);

    // B is signed out at its next action.
    await refreshList(b.page);
    await expectSignedOut(b);

    // The old password no longer works; the new one does.
    await b.page.getByLabel('Email').fill(EMAIL);
    await b.page.getByLabel('Password', { exact: true }).fill(oldPassword);
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await b.page.getByRole('alert').filter({ hasText: 'Email or password is incorrect.' }).waitFor();
    await b.page.getByLabel('Password', { exact: true }).fill(newPassword);
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await accountHeading(b.page).waitFor();
  });
});

test('an expired access cookie is refreshed once, silently', { timeout: TEST_MS }, async (t) => {
  await withDevices(t.name, [['desktop', DESKTOP]], async (a) => {
    await signIn(a);
    const id = await sessionIdOf(a);
    // The browser drops the access cookie when its Max-Age (the token's
    // lifetime) runs out; the refresh cookie lives on.
    await a.context.clearCookies({ name: 'access_token' });
    const calls = [];
    a.page.on('request', (request) => {
      if (request.url().includes('/api/v1/')) calls.push(new URL(request.url()).pathname);
    });
    await a.page.reload();
    await accountHeading(a.page).waitFor();
    await expectDevices(a, 1, id);
    assert.deepEqual(calls.slice(0, 3),
      ['/api/v1/auth/me', '/api/v1/auth/refresh', '/api/v1/auth/me']);
    assert.equal(calls.filter((c) => c.endsWith('/refresh')).length, 1, calls.join(' '));
    assert.equal(await sessionIdOf(a), id, 'the same session, refreshed');
  });
});

test('sign-in errors, signing out this device and everywhere', { timeout: TEST_MS }, async (t) => {
  await withDevices(t.name, [['desktop', DESKTOP], ['phone', PHONE]], async (a, b) => {
    // A wrong password: the API's message, at the password field.
    await a.page.goto('/account');
    await signInHeading(a.page).waitFor();
    assert.equal(await a.page.locator('#notice').isVisible(), false,
      'a first visit is not told it was signed out');

    // Sent here by the edge guard after it broke a redirect loop: told why.
    await a.page.goto('/account?reason=redirect-loop');
    await expectSignedOut(a, 'Signing in had stopped working in this browser');
    await a.page.goto('/account');
    await a.page.getByLabel('Email').fill(EMAIL);
    await a.page.getByLabel('Password', { exact: true }).fill('wrong password');
    await a.page.getByRole('button', { name: 'Sign in' }).click();
    await a.page.getByRole('alert').filter({ hasText: 'Email or password is incorrect.' }).waitFor();
    assert.equal(await a.page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'),
      'true');

    // Sign out this device: only this one.
    await signIn(a);
    await signIn(b);
    const idB = await sessionIdOf(b);
    await refreshList(a.page);
    await expectDevices(a, 2, await sessionIdOf(a));
    await a.page.getByRole('button', { name: 'Sign out this device' }).click();
    await expectSignedOut(a, 'You have signed out of this device.');
    await refreshList(b.page);
    await expectDevices(b, 1, idB);

    // Sign out everywhere: every device.
    await signIn(a);
    await a.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expectSignedOut(a, 'You have signed out on every device.');
    await refreshList(b.page);
    await expectSignedOut(b);
  });
});
