// The example Next.js app (examples/nextjs) as it runs in production:
// `next build` once, then `next start`. The build gets no GATEHOUSE_*
// setting at all, so the test also proves the app reads them when it runs.
import fs from 'node:fs';
import path from 'node:path';

import { run, startProcess, stopProcess } from './processes.js';

const BUILD_MS = 300_000; // a cold build takes about a minute on 2 cores
const START_MS = 30_000;

function nextCli(appDir) {
  const cli = path.join(appDir, 'node_modules/next/dist/bin/next');
  if (!fs.existsSync(cli)) {
    throw new Error(`${appDir} has no node_modules: run \`npm ci && npm run build\` in ` +
      'clients/js, then `npm ci` in examples/nextjs (scripts/install-deps.sh does)');
  }
  return cli;
}

function baseEnv() {
  return {
    PATH: process.env.PATH || '/usr/bin:/bin',
    HOME: process.env.HOME || '/tmp',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

export async function buildNextApp(appDir) {
  return run(process.execPath, [nextCli(appDir), 'build'],
    { cwd: appDir, env: baseEnv(), timeoutMs: BUILD_MS });
}

/** `next start` on 127.0.0.1:`port` with the app's settings in `env`. */
export async function startNextApp({ appDir, port, env }) {
  const started = await startProcess({
    name: 'next start',
    command: process.execPath,
    args: [nextCli(appDir), 'start', '-H', '127.0.0.1', '-p', String(port)],
    cwd: appDir,
    env: { ...baseEnv(), ...env },
    port,
    startMs: START_MS,
  });
  return { ...started, stop: () => stopProcess(started) };
}
