// The real gatehouse binary in production mode (no --dev) for a test: a
// fresh SQLite file in the test's directory, only the settings the test
// passes (nothing of the caller's GATEHOUSE_* leaks in), and its
// Prometheus metrics read over loopback to count what reached it.
import fs from 'node:fs';
import path from 'node:path';

import { run, startProcess, stopProcess } from './processes.js';

const START_MS = 20_000;

function baseEnv(dir, port, settings) {
  return {
    PATH: process.env.PATH || '/usr/bin:/bin',
    GATEHOUSE_LISTEN: `127.0.0.1:${port}`,
    GATEHOUSE_DATABASE_URL: `sqlite://${path.join(dir, 'gatehouse.db')}`,
    GATEHOUSE_LOG_LEVEL: process.env.DEBUG_GH_LOG || 'warn',
    ...settings,
  };
}

/**
 * Creates the users (`gatehouse user add`, password on stdin), then starts
 * `gatehouse serve`. `users` is a list of { email, name, password, role }.
 */
export async function startGatehouse({ binary, dir, port, settings, users }) {
  if (!fs.existsSync(binary)) {
    throw new Error(`no gatehouse binary at ${binary}: build it, or set GATEHOUSE_BINARY`);
  }
  const env = baseEnv(dir, port, settings);
  for (const user of users) {
    await run(binary, ['user', 'add', '--email', user.email, '--name', user.name,
      '--role', user.role, '--password-stdin'], { env, input: `${user.password}\n` });
  }
  const started = await startProcess({
    name: 'gatehouse', command: binary, args: ['serve'], env, port, startMs: START_MS,
  });
  return {
    ...started,
    origin: `http://127.0.0.1:${port}`,
    stop: () => stopProcess(started),
  };
}

/**
 * Runs `gatehouse serve` with `settings` expecting it to refuse to start.
 * Resolves with { code, output } once it exits; rejects if it listens
 * instead (and stops it).
 */
export async function startExpectingRefusal({ binary, dir, port, settings }) {
  try {
    const started = await startProcess({
      name: 'gatehouse', command: binary, args: ['serve'],
      env: baseEnv(dir, port, settings), port, startMs: START_MS,
    });
    await stopProcess(started);
  } catch (error) {
    if (error.exit) return { code: error.exit.code, output: error.output };
    throw error;
  }
  throw new Error('gatehouse started with settings it should have refused');
}

/**
 * gatehouse's /metrics as a Map from series (`name{labels}` as written)
 * to its value.
 */
export async function readMetrics(origin) {
  const response = await fetch(`${origin}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const series = new Map();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    series.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return series;
}

// The sum of every series of `name` whose labels include all of `labels`.
function sumOf(metrics, name, labels = {}) {
  let total = 0;
  for (const [key, value] of metrics) {
    if (key !== name && !key.startsWith(`${name}{`)) continue;
    const matches = Object.entries(labels).every(([label, want]) =>
      key.includes(`${label}="${want}"`));
    if (matches) total += value;
  }
  return total;
}

/**
 * What reached gatehouse's refresh endpoint: requests (any status) and the
 * refresh-token outcomes (rotated, grace_replay, reuse_detected, invalid).
 */
export function refreshCounts(metrics) {
  const outcome = (name) => sumOf(metrics, 'gatehouse_refreshes_total', { outcome: name });
  return {
    requests: sumOf(metrics, 'gatehouse_http_requests_total',
      { route: '/api/v1/auth/refresh', method: 'POST' }),
    rotated: outcome('rotated'),
    graceReplay: outcome('grace_replay'),
    reuseDetected: outcome('reuse_detected'),
    invalid: outcome('invalid'),
  };
}

/** Sign-in attempts that reached gatehouse, whatever their outcome. */
export function loginAttempts(metrics) {
  return sumOf(metrics, 'gatehouse_logins_total');
}

/** `after` minus `before`, field by field. */
export function countsSince(before, after) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
}
