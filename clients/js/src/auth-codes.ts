// The stable `code` values of gatehouse's 401 responses (SPEC §3) and the
// one decision the clients make from them: refresh, or not.

/** The access token is missing, expired or unreadable: a refresh may fix it. */
export const REFRESHABLE_CODES = [
  'ACCESS_TOKEN_MISSING',
  'ACCESS_TOKEN_EXPIRED',
  'ACCESS_TOKEN_INVALID',
] as const;

/** The session is over (or never began): refreshing cannot help. */
export const SIGNED_OUT_CODES = [
  'SESSION_REVOKED',
  'INVALID_CREDENTIALS',
  'INVALID_REFRESH_TOKEN',
  'REFRESH_TOKEN_REUSED',
] as const;

export type RefreshableCode = (typeof REFRESHABLE_CODES)[number];
export type SignedOutCode = (typeof SIGNED_OUT_CODES)[number];

/** True iff a 401 with this `code` is worth one refresh and one retry. */
export function isRefreshableCode(code: unknown): code is RefreshableCode {
  return (
    typeof code === 'string' &&
    (REFRESHABLE_CODES as readonly string[]).includes(code)
  );
}

/**
 * The `code` of a gatehouse envelope (`{"success", "message", "code"?,
 * "data"?}`), or undefined for anything else: a body that is not such an
 * envelope never triggers a refresh.
 */
export function readEnvelopeCode(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return readEnvelopeCode(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  if (body === null || typeof body !== 'object') return undefined;
  const code = (body as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The envelope `code` of a response, read from a clone (the body stays unread). */
export async function readResponseCode(
  response: Response,
): Promise<string | undefined> {
  try {
    return readEnvelopeCode(await response.clone().text());
  } catch {
    return undefined;
  }
}
