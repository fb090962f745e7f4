// A private nginx terminating TLS on one loopback port and routing by
// server_name, as a production edge would: each site to its upstream, with
// the Host the browser asked for and X-Forwarded-For/-Proto. Its prefix,
// config, logs and temp files all live in the test's directory.
import fs from 'node:fs';
import path from 'node:path';

import { startProcess, stopProcess } from './processes.js';

const NGINX = '/usr/sbin/nginx';
const START_MS = 10_000;

function siteBlock(port, serverNames, upstreamPort) {
  return `
  server {
    listen 127.0.0.1:${port} ssl;
    server_name ${serverNames.join(' ')};
    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # $http_host keeps the port: the browser's origin is https://host:port,
      # and the app builds its redirects from it.
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }`;
}

/**
 * Starts nginx on `port`; `sites` is a list of { serverNames, upstreamPort }.
 * A request for any other name is refused (421), as an unknown Host
 * should be.
 */
export async function startNginx({ dir, port, certificate, sites }) {
  assertInstalled();
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  const config = `
# As root, nginx would run its worker as nobody, who cannot read this
# private directory.
${process.getuid?.() === 0 ? 'user root root;' : ''}
# One process, no master: stopping it by its PID stops all of nginx.
master_process off;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ssl_certificate ${certificate.cert};
  ssl_certificate_key ${certificate.key};
  server {
    listen 127.0.0.1:${port} ssl default_server;
    return 421;
  }
${sites.map((s) => siteBlock(port, s.serverNames, s.upstreamPort)).join('\n')}
}
`;
  const configPath = path.join(dir, 'nginx.conf');
  fs.writeFileSync(configPath, config);
  const started = await startProcess({
    name: 'nginx',
    command: NGINX,
    args: ['-p', `${dir}/`, '-e', path.join(dir, 'error.log'), '-c', configPath],
    env: { PATH: process.env.PATH || '/usr/bin:/bin' },
    port,
    startMs: START_MS,
  });
  return {
    ...started,
    errorLog: () => readIfExists(path.join(dir, 'error.log')),
    // QUIT: finish the requests in flight, then exit.
    stop: () => stopProcess(started, { signal: 'SIGQUIT' }),
  };
}

function assertInstalled() {
  if (!fs.existsSync(NGINX)) {
    throw new Error(`${NGINX} is missing: install Debian's nginx package (scripts/install-deps.sh)`);
  }
}

function readIfExists(file) {
  try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}
