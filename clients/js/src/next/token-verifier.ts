// Local verification of gatehouse access tokens: EdDSA signatures checked
// against the keys gatehouse publishes at /.well-known/jwks.json. The key
// set is fetched once and cached by jose (refetched on an unknown `kid`,
// at most every 30 s), so a page view costs no network call.

// Subpath imports: the package root also pulls in JWE code that uses
// CompressionStream, which Next.js flags in the Edge runtime.
import { createRemoteJWKSet } from 'jose/jwks/remote';
import { jwtVerify } from 'jose/jwt/verify';

/** The claims the middleware hands to the app (SPEC §4). */
export interface AccessClaims {
  userId: string; // sub
  sessionId: string; // sid
  role: string;
}

/**
 *  - `valid`: signature, algorithm, issuer, audience and expiry check out;
 *  - `invalid`: expired, forged, for another audience...: worth a refresh;
 *  - `unavailable`: the key set could not be fetched, so nothing is known
 *    about the token, and refreshing would only rotate it for nothing.
 */
export type Verification =
  | { status: 'valid'; claims: AccessClaims }
  | { status: 'invalid'; reason: string }
  | { status: 'unavailable'; error: unknown };

export interface TokenVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
}

export type TokenVerifier = (token: string) => Promise<Verification>;

// jose's errors for a key set it could not get; any other jose error is
// about the token itself.
const KEY_SET_ERRORS = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID']);

function isKeySetFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // Not a jose error at all: fetch's own TypeError, a DNS failure, ...
  if (typeof code !== 'string' || !code.startsWith('ERR_J')) return true;
  return KEY_SET_ERRORS.has(code);
}

/** A verifier with its own cached key set; create one per middleware. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keySet = createRemoteJWKSet(new URL(options.jwksUrl));
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keySet, {
        // Pinned: a token naming another algorithm (none, HS256 with the
        // public key as secret) is refused before any key is used.
        algorithms: ['EdDSA'],
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['exp', 'sub'],
      });
      const { sub, sid, role } = payload as { sub?: unknown; sid?: unknown; role?: unknown };
      if (typeof sub !== 'string' || typeof sid !== 'string' || typeof role !== 'string') {
        return { status: 'invalid', reason: 'missing sub, sid or role claim' };
      }
      return { status: 'valid', claims: { userId: sub, sessionId: sid, role } };
    } catch (error) {
      if (isKeySetFailure(error)) return { status: 'unavailable', error };
      return { status: 'invalid', reason: (error as Error).message };
    }
  };
}
