// Where gatehouse is, read from the environment of the running server (not
// at build time), so one build can be started against any gatehouse.
// Server code only: the middleware and server components.

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see the example's README)`);
  return value;
}

/**
 * gatehouse's public URL, the value of its own GATEHOUSE_PUBLIC_URL: the
 * origin browsers call, and the `iss` of its tokens.
 */
export function gatehousePublicUrl(): string {
  return required('GATEHOUSE_PUBLIC_URL');
}

/** What the middleware needs to verify tokens and refresh sessions. */
export function gatehouseServerSettings() {
  return {
    // How this server reaches gatehouse: often an internal address.
    apiUrl: required('GATEHOUSE_API_URL'),
    issuer: gatehousePublicUrl(),
    // Marks the middleware's refresh as a trusted server call (CSRF, WAF).
    internalSecret: required('GATEHOUSE_INTERNAL_SECRET'),
  };
}
