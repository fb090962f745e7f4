// A gatehouse stand-in on 127.0.0.1 (port 0) for the Next.js middleware:
// it publishes an Ed25519 key set, signs access tokens with it, and
// rotates refresh tokens on POST /api/v1/auth/refresh the way gatehouse
// does (two Set-Cookie headers on success, two clearing ones on 401).

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';

export const ISSUER = 'https://api.example.test';
export const AUDIENCE = 'gatehouse';
const COOKIE_ATTRIBUTES = 'Domain=.example.test; Path=/; HttpOnly; Secure; SameSite=Lax';
const CLEARING = `Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; ${COOKIE_ATTRIBUTES}`;

export interface SessionClaims {
  sub: string;
  sid: string;
  role: string;
}

export interface TokenOverrides {
  expiresInSeconds?: number;
  issuer?: string;
  audience?: string;
  key?: CryptoKey;
  kid?: string;
}

export class FakeGatehouse {
  readonly url: string;
  jwksHits = 0;
  readonly refreshRequests: IncomingHttpHeaders[] = [];
  /** The Set-Cookie headers of the latest refresh answer, as sent. */
  lastSetCookies: string[] = [];
  /** `unavailable` answers every refresh with 503. */
  refreshMode: 'normal' | 'unavailable' = 'normal';
  refreshDelayMs = 0;
  /** When false the key set answers 500. */
  jwksUp = true;
  /**
   * gatehouse's GATEHOUSE_INTERNAL_SECRET. A cookie-authenticated POST
   * without it (and, server-side, without a browser Origin) is refused
   * with 403 CSRF_REJECTED, as the real server does (SPEC §6).
   */
  internalSecret: string | null = null;

  private readonly sessions = new Map<string, SessionClaims>();

  private constructor(
    private readonly server: Server,
    private readonly privateKey: CryptoKey,
    private readonly jwk: object,
    readonly kid: string,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(): Promise<FakeGatehouse> {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
    let gatehouse: FakeGatehouse | undefined;
    const server = createServer((req, res) => {
      gatehouse!.handle(req.method ?? 'GET', req.url ?? '/', req.headers).then(
        ({ status, body, setCookies }) => {
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          if (setCookies.length > 0) res.setHeader('set-cookie', setCookies);
          res.end(body);
        },
        () => {
          res.statusCode = 500;
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gatehouse = new FakeGatehouse(server, privateKey, jwk, kid);
    return gatehouse;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** A signed access token for `claims`, valid for 15 minutes unless overridden. */
  accessToken(claims: SessionClaims, overrides: TokenOverrides = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sid: claims.sid, role: claims.role })
      .setProtectedHeader({ alg: 'EdDSA', kid: overrides.kid ?? this.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(overrides.issuer ?? ISSUER)
      .setAudience(overrides.audience ?? AUDIENCE)
      .setIssuedAt(now - 60)
      .setExpirationTime(now + (overrides.expiresInSeconds ?? 900))
      .setJti(randomUUID())
      .sign(overrides.key ?? this.privateKey);
  }

  /** Starts a session and returns its refresh token. */
  openSession(claims: SessionClaims): string {
    const token = `rt-${randomUUID()}`;
    this.sessions.set(token, claims);
    return token;
  }

  private async handle(
    method: string,
    url: string,
    headers: IncomingHttpHeaders,
  ): Promise<{ status: number; body: string; setCookies: string[] }> {
    if (method === 'GET' && url === '/.well-known/jwks.json') {
      this.jwksHits += 1;
      if (!this.jwksUp) return { status: 500, body: '{}', setCookies: [] };
      return { status: 200, body: JSON.stringify({ keys: [this.jwk] }), setCookies: [] };
    }
    if (method === 'POST' && url === '/api/v1/auth/refresh') return this.refresh(headers);
    return { status: 404, body: '{"success":false,"code":"NOT_FOUND"}', setCookies: [] };
  }

  private async refresh(headers: IncomingHttpHeaders) {
    this.refreshRequests.push(headers);
    if (this.refreshDelayMs > 0) await new Promise((r) => setTimeout(r, this.refreshDelayMs));
    if (this.internalSecret !== null && headers['x-internal-secret'] !== this.internalSecret) {
      return { status: 403, body: '{"success":false,"code":"CSRF_REJECTED"}', setCookies: [] };
    }
    if (this.refreshMode === 'unavailable') {
      return { status: 503, body: '{"success":false,"code":"UNAVAILABLE"}', setCookies: [] };
    }
    const presented = (headers.cookie ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part.startsWith('refresh_token='))
      .map((part) => part.slice('refresh_token='.length));
    const token = presented.find((t) => this.sessions.has(t));
    if (token === undefined) {
      this.lastSetCookies = [`access_token=; ${CLEARING}`, `refresh_token=; ${CLEARING}`];
      return {
        status: 401,
        body: '{"success":false,"message":"invalid","code":"INVALID_REFRESH_TOKEN"}',
        setCookies: this.lastSetCookies,
      };
    }
    const claims = this.sessions.get(token)!;
    this.sessions.delete(token);
    const next = this.openSession(claims);
    const access = await this.accessToken(claims);
    this.lastSetCookies = [
      `access_token=${access}; Max-Age=900; ${COOKIE_ATTRIBUTES}`,
      `refresh_token=${next}; Max-Age=2592000; ${COOKIE_ATTRIBUTES}`,
    ];
    return { status: 200, body: '{"success":true,"message":"refreshed"}', setCookies: this.lastSetCookies };
  }
}
