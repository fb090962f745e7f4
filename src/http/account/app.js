// gatehouse account page: sign in, profile, devices, password.
//
// Speaks the auth API on the same origin with the session cookies
// (credentials: 'same-origin'); the cookies are HttpOnly, so this script
// never sees a token. An expired access token is refreshed once and the
// call retried; a session that has ended shows the sign-in form.
'use strict';

(() => {
  const API = '/api/v1/auth';
  // Survives a reload of this tab only: lets the page say "You have been
  // signed out" rather than greet a returning user as a stranger.
  const SIGNED_IN_KEY = 'gatehouse.account.signedIn';
  // 401 codes an API call answers with while the session may still be
  // refreshed. ACCESS_TOKEN_MISSING is here too: the access cookie expires
  // with its token (Max-Age), while the refresh cookie lives on.
  const REFRESHABLE = new Set(['ACCESS_TOKEN_EXPIRED', 'ACCESS_TOKEN_MISSING']);
  // Form fields named in VALIDATION_FAILED messages ("new_password: ...").
  const FIELD_LABELS = {
    email: 'Email',
    password: 'Password',
    current_password: 'Current password',
    new_password: 'New password',
  };

  const $ = (id) => document.getElementById(id);

  class ApiError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message);
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }
  // The session has ended (revoked, expired, or never began).
  class SignedOutError extends Error {}

  const state = { signedIn: false, user: null, sessionId: null };

  // --- API ---------------------------------------------------------------

  async function send(method, path, body) {
    const init = {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(API + path, init);
    } catch {
      throw new ApiError(0, 'NETWORK',
        'Cannot reach the server. Check your connection and try again.');
    }
    let envelope = {};
    try {
      envelope = (await response.json()) || {};
    } catch {
      // Not JSON (a proxy's error page): the status speaks for itself.
    }
    return {
      status: response.status,
      envelope,
      retryAfter: response.headers.get('Retry-After'),
    };
  }

  function failure(reply) {
    const env = reply.envelope;
    return new ApiError(reply.status, env.code || 'HTTP_' + reply.status,
      env.message || 'The server answered ' + reply.status + '.', reply.retryAfter);
  }

  // One refresh at a time: calls that fail together wait for the same one.
  let refreshing = null;
  function refreshSession() {
    if (!refreshing) {
      refreshing = send('POST', '/refresh').finally(() => { refreshing = null; });
    }
    return refreshing;
  }

  // Calls the API and returns the envelope's data. Throws SignedOutError
  // when the session is gone and ApiError for any other failure; a wrong
  // password (INVALID_CREDENTIALS) is an ApiError, not a sign-out.
  async function api(method, path, body) {
    let reply = await send(method, path, body);
    if (reply.status === 401 && REFRESHABLE.has(reply.envelope.code)) {
      const refreshed = await refreshSession();
      if (refreshed.status === 401) throw new SignedOutError();
      if (refreshed.status !== 200) throw failure(refreshed);
      reply = await send(method, path, body);  // once: no loop
    }
    if (reply.status === 401 && reply.envelope.code !== 'INVALID_CREDENTIALS') {
      throw new SignedOutError();
    }
    if (reply.status < 200 || reply.status >= 300 || reply.envelope.success === false) {
      throw failure(reply);
    }
    return reply.envelope.data || {};
  }

  // --- formatting --------------------------------------------------------

  // "new_password: must be 8 to 1024 characters" →
  // "New password must be 8 to 1024 characters."
  function readable(error) {
    let text = error.message;
    const named = /^([a-z_]+): (.*)$/.exec(text);
    if (named && FIELD_LABELS[named[1]]) {
      const rest = named[2] === 'required' ? 'is required' : named[2];
      text = FIELD_LABELS[named[1]] + ' ' + rest;
    }
    text = text.charAt(0).toUpperCase() + text.slice(1);
    if (!/[.!?]$/.test(text)) text += '.';
    const wait = Number(error.retryAfter);
    if (error.code === 'RATE_LIMITED' && wait > 0) {
      const minutes = Math.ceil(wait / 60);
      text += wait < 60 ? ` You can try again in ${wait} seconds.`
        : ` You can try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
    }
    return text;
  }

  function fieldOf(error) {
    if (error.code !== 'VALIDATION_FAILED') return null;
    const named = /^([a-z_]+):/.exec(error.message);
    return named ? named[1] : null;
  }

  const dateTime = new Intl.DateTimeFormat(undefined,
    { dateStyle: 'medium', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800],
    ['day', 86400], ['hour', 3600], ['minute', 60]];

  function ago(date) {
    const seconds = (date.getTime() - Date.now()) / 1000;
    if (Math.abs(seconds) < 60) return 'just now';
    for (const [unit, size] of UNITS) {
      if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
    }
    return 'just now';
  }

  // <time> with a readable text and the exact moment on hover.
  function timeElement(iso, text) {
    const el = document.createElement('time');
    el.dateTime = iso;
    el.title = dateTime.format(new Date(iso));
    el.textContent = text;
    return el;
  }

  const BROWSERS = [
    [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
    [/OPR\/(\d+)/, 'Opera'],
    [/SamsungBrowser\/(\d+)/, 'Samsung Internet'],
    [/(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
    [/HeadlessChrome\/(\d+)/, 'Headless Chrome'],
    [/(?:Chrome|CriOS|Chromium)\/(\d+)/, 'Chrome'],
    [/Version\/(\d+)[\d.]*(?: Mobile\/\S+)? Safari\//, 'Safari'],
    [/^curl\/(\d+)/, 'curl'],
  ];
  const SYSTEMS = [
    [/iPhone/, 'iPhone'],
    [/iPad/, 'iPad'],
    [/Android/, 'Android'],
    [/CrOS/, 'ChromeOS'],
    [/Windows/, 'Windows'],
    [/Macintosh|Mac OS X/, 'macOS'],
    [/Linux/, 'Linux'],
  ];

  // "Mozilla/5.0 (X11; Linux x86_64) ... Firefox/128.0" → "Firefox 128 on Linux".
  function describeUserAgent(ua) {
    if (!ua) return 'Unknown device';
    let browser = null;
    for (const [re, name] of BROWSERS) {
      const m = re.exec(ua);
      if (m) { browser = name + ' ' + m[1]; break; }
    }
    const system = (SYSTEMS.find(([re]) => re.test(ua)) || [])[1];
    if (browser && system) return browser + ' on ' + system;
    if (browser) return browser;
    if (system) return 'Browser on ' + system;
    return ua.length > 60 ? ua.slice(0, 57) + '…' : ua;
  }

  // --- views -------------------------------------------------------------

  function show(view) {
    $('loading').hidden = view !== 'loading';
    $('signin').hidden = view !== 'signin';
    $('account').hidden = view !== 'account';
    $('main').setAttribute('aria-busy', String(view === 'loading'));
  }

  function notify(text, kind) {
    const box = $('notice');
    box.textContent = text || '';
    box.className = 'notice' + (kind ? ' ' + kind : '');
    box.hidden = !text;
  }

  function setMessage(id, text) {
    const el = $(id);
    el.textContent = text || '';
    el.hidden = !text;
  }

  function clearFieldErrors(form) {
    for (const input of form.querySelectorAll('input')) {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-errormessage');
    }
  }

  function showFormError(form, messageId, error, field) {
    setMessage(messageId, readable(error));
    const input = field && form.elements.namedItem(field);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-errormessage', messageId);
      input.focus();
    }
  }

  // Runs `work` with `button` disabled; always re-enables it.
  async function busy(button, work) {
    button.disabled = true;
    try {
      return await work();
    } finally {
      button.disabled = false;
    }
  }

  function rememberSignedIn(on) {
    state.signedIn = on;
    try {
      if (on) sessionStorage.setItem(SIGNED_IN_KEY, '1');
      else sessionStorage.removeItem(SIGNED_IN_KEY);
    } catch {
      // Storage disabled: the notice is a nicety.
    }
  }

  function wasSignedIn() {
    try {
      return state.signedIn || sessionStorage.getItem(SIGNED_IN_KEY) === '1';
    } catch {
      return state.signedIn;
    }
  }

  // Shows the sign-in form; `message` explains why, if anything.
  function showSignIn(message, kind) {
    rememberSignedIn(false);
    state.user = null;
    state.sessionId = null;
    $('devices').replaceChildren();
    $('password-form').reset();
    setMessage('password-done', '');
    setMessage('password-error', '');
    setMessage('devices-error', '');
    setMessage('signin-error', '');
    notify(message, kind);
    show('signin');
    if (message) $('signin-email').focus();
  }

  // The edge guard sends a browser to the sign-in page with this reason
  // after it broke a redirect loop and cleared the browser's auth cookies.
  const LOOP_REASON = 'redirect-loop';
  const LOOP_NOTICE = 'Signing in had stopped working in this browser, so it was ' +
    'signed out to repair it. Sign in again to continue.';

  // The session ended under us (revoked elsewhere, expired, password
  // changed on another device, a loop broken at the edge): say so if this
  // tab was signed in.
  function signedOut() {
    if (new URLSearchParams(location.search).get('reason') === LOOP_REASON) {
      showSignIn(LOOP_NOTICE, 'warning');
      return;
    }
    showSignIn(wasSignedIn() ? 'You have been signed out. Sign in again to continue.' : null,
      'warning');
  }

  // Any action's error: a sign-out shows the form, the rest are shown by
  // `onError`.
  function handle(error, onError) {
    if (error instanceof SignedOutError) {
      signedOut();
    } else if (error instanceof ApiError) {
      onError(error);
    } else {
      onError(new ApiError(0, 'INTERNAL', 'Something went wrong: ' + error.message));
    }
  }

  function renderProfile(user) {
    $('profile-name').textContent = user.name || '—';
    $('profile-email').textContent = user.email;
    $('profile-role').textContent = user.role;
  }

  function renderDevices(sessions) {
    const template = $('device-template');
    const list = $('devices');
    const items = [...sessions].sort((a, b) =>
      (b.current - a.current) ||
      String(b.last_used_at || b.created_at).localeCompare(String(a.last_used_at || a.created_at)));
    list.replaceChildren(...items.map((session) => {
      const current = session.current === true || session.id === state.sessionId;
      const item = template.content.firstElementChild.cloneNode(true);
      const label = describeUserAgent(session.user_agent);
      item.dataset.sessionId = session.id;
      item.classList.toggle('current', current);
      const name = item.querySelector('.device-label');
      name.textContent = label;
      if (session.user_agent) name.title = session.user_agent;
      if (!current) item.querySelector('.badge').remove();
      item.querySelector('.device-ip').textContent = session.ip || '';
      const created = item.querySelector('.device-created');
      created.append('Signed in ',
        timeElement(session.created_at, dateTime.format(new Date(session.created_at))));
      const used = item.querySelector('.device-used');
      if (current) {
        used.textContent = 'Active now';
      } else if (session.last_used_at) {
        used.append('Last active ',
          timeElement(session.last_used_at, ago(new Date(session.last_used_at))));
      }
      const button = item.querySelector('.device-signout');
      if (current) {
        button.textContent = 'Sign out this device';
        button.addEventListener('click', () => signOutThisDevice(button));
      } else {
        button.setAttribute('aria-label',
          `Sign out ${label}, signed in ${dateTime.format(new Date(session.created_at))}`);
        button.addEventListener('click', () => signOutDevice(button, session.id, label));
      }
      return item;
    }));
  }

  // --- actions -----------------------------------------------------------

  async function loadDevices() {
    setMessage('devices-error', '');
    try {
      const data = await api('GET', '/sessions');
      renderDevices(data.sessions || []);
    } catch (error) {
      handle(error, (e) => setMessage('devices-error', readable(e)));
    }
  }

  function enterAccount(user, sessionId) {
    state.user = user;
    state.sessionId = sessionId;
    rememberSignedIn(true);
    renderProfile(user);
    show('account');
    return loadDevices();
  }

  async function start() {
    show('loading');
    try {
      const me = await api('GET', '/me');
      notify('');
      await enterAccount(me.user, me.session_id);
    } catch (error) {
      handle(error, (e) => {
        showSignIn(readable(e), 'warning');
      });
    }
  }

  async function signIn(event) {
    event.preventDefault();
    const form = event.currentTarget;
    clearFieldErrors(form);
    setMessage('signin-error', '');
    const email = form.elements.namedItem('email').value.trim();
    const password = form.elements.namedItem('password').value;
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        const data = await api('POST', '/login', { email, password });
        form.reset();
        notify('');
        await enterAccount(data.user, data.session && data.session.id);
        $('profile-title').focus();
      } catch (error) {
        // A 401 here is always a wrong email or password, never a sign-out.
        const e = error instanceof SignedOutError
          ? new ApiError(401, 'INVALID_CREDENTIALS', 'email or password is incorrect')
          : error;
        const field = fieldOf(e) || (e.code === 'INVALID_CREDENTIALS' ? 'password' : null);
        showFormError(form, 'signin-error', e, field);
      }
    });
  }

  async function signOutDevice(button, id, label) {
    await busy(button, async () => {
      try {
        await api('DELETE', '/sessions/' + encodeURIComponent(id));
        notify(`Signed out ${label}.`);
        await loadDevices();
        $('devices-title').focus();
      } catch (error) {
        handle(error, (e) => setMessage('devices-error', readable(e)));
      }
    });
  }

  async function signOutThisDevice(button) {
    await busy(button, async () => {
      try {
        await api('POST', '/logout');
        showSignIn('You have signed out of this device.');
      } catch (error) {
        handle(error, (e) => setMessage('devices-error', readable(e)));
      }
    });
  }

  async function signOutEverywhere(event) {
    await busy(event.currentTarget, async () => {
      try {
        await api('POST', '/logout-all');
        showSignIn('You have signed out on every device.');
      } catch (error) {
        handle(error, (e) => setMessage('devices-error', readable(e)));
      }
    });
  }

  async function changePassword(event) {
    event.preventDefault();
    const form = event.currentTarget;
    clearFieldErrors(form);
    setMessage('password-error', '');
    setMessage('password-done', '');
    const body = {
      current_password: form.elements.namedItem('current_password').value,
      new_password: form.elements.namedItem('new_password').value,
    };
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        await api('POST', '/password', body);
        form.reset();
        setMessage('password-done', 'Password changed. Every other device has been signed out.');
        await loadDevices();
      } catch (error) {
        handle(error, (e) => {
          if (e.code === 'INVALID_CREDENTIALS') {
            showFormError(form, 'password-error',
              new ApiError(401, e.code, 'your current password is incorrect'),
              'current_password');
          } else {
            showFormError(form, 'password-error', e, fieldOf(e));
          }
        });
      }
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    for (const id of ['profile-title', 'devices-title']) $(id).tabIndex = -1;
    $('signin-form').addEventListener('submit', signIn);
    $('password-form').addEventListener('submit', changePassword);
    $('devices-refresh').addEventListener('click', (event) =>
      busy(event.currentTarget, loadDevices));
    $('signout-all').addEventListener('click', signOutEverywhere);
    start();
  });
})();
