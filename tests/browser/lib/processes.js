// Child processes of a test: started with their output kept, waited for
// until they serve, and stopped by the PID the test got when it started
// them (never by name). Whatever is still running when the runner exits is
// killed, so a failing test leaves nothing behind.
import { spawn } from 'node:child_process';
import net from 'node:net';

const running = new Set();

process.on('exit', () => {
  for (const child of running) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

function listenOnAnyPort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve(probe));
  });
}

// `count` distinct ports that were free a moment ago: bind port 0 that many
// times at once (so none repeats), read the ports, release them.
export async function freePorts(count) {
  const probes = [];
  try {
    for (let i = 0; i < count; i++) probes.push(await listenOnAnyPort());
    return probes.map((probe) => probe.address().port);
  } finally {
    await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  }
}

export async function freePort() {
  const [port] = await freePorts(1);
  return port;
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts `command` and resolves once it accepts connections on `port`
 * (127.0.0.1). Rejects, with its output, if it exits first (the error's
 * `exit` is then its { code, signal }) or takes longer than `startMs`.
 * Returns { name, child, output(), exited }.
 */
export async function startProcess({ name, command, args, env, cwd, port, startMs }) {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    running.delete(child);
    resolve({ code, signal });
  }));
  const spawnError = new Promise((resolve) => child.once('error', resolve));
  const started = { name, child, exited, output: () => output };

  const deadline = Date.now() + startMs;
  for (;;) {
    const failure = await Promise.race([
      exited.then((exit) => ({ why: `exited (${exit.code ?? exit.signal})`, exit })),
      spawnError.then((error) => ({ why: `could not start: ${error.message}` })),
      new Promise((resolve) => setTimeout(resolve, 100, null)),
    ]);
    if (failure) {
      throw Object.assign(new Error(`${name} ${failure.why}:\n${output}`),
        { exit: failure.exit, output });
    }
    if (await canConnect(port)) return started;
    if (Date.now() > deadline) {
      await stopProcess(started);
      throw new Error(`${name} did not listen on port ${port} within ${startMs} ms:\n${output}`);
    }
  }
}

/**
 * Sends `signal` to the process by its PID, waits up to `stopMs`, then
 * SIGKILLs it. Resolves with its exit { code, signal }.
 */
export async function stopProcess(started, { signal = 'SIGTERM', stopMs = 15_000 } = {}) {
  if (!started) return null;
  const { child, exited } = started;
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  process.kill(child.pid, signal);
  const timeout = new Promise((resolve) => setTimeout(resolve, stopMs, 'timeout'));
  if ((await Promise.race([exited, timeout])) === 'timeout') process.kill(child.pid, 'SIGKILL');
  return exited;
}

/** Runs `command` to completion; resolves with its output, rejects on failure. */
export function run(command, args, { env, cwd, input, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const timer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); running.delete(child); reject(error); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${output}`));
    });
    child.stdin.end(input ?? '');
  });
}
