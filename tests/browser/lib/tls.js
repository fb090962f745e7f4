// A self-signed certificate for the test's host names, made at test time
// with openssl, so that nothing secret is ever committed. Chromium is told
// to accept it (--ignore-certificate-errors); what matters here is that
// the pages are https, so the cookies can be Secure as in production.
import path from 'node:path';

import { run } from './processes.js';

/** Writes cert.pem and key.pem into `dir` for `hosts`; returns their paths. */
export async function makeCertificate(dir, hosts) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-nodes', '-days', '2',
    '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-keyout', key, '-out', cert,
    '-subj', `/CN=${hosts[0]}`,
    '-addext', `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
  ], { env: { PATH: process.env.PATH || '/usr/bin:/bin' } });
  return { cert, key };
}
