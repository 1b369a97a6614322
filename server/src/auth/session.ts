// Session tokens: short JWTs signed with the platform's key, carried in an httpOnly cookie by the
// browser or as `Authorization: Bearer` by API clients. Personal API tokens (prefix `pvp_`) are
// opaque and looked up by their SHA-256 hash.
import { createHash, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export const SESSION_COOKIE = 'pvepaas_session';
export const API_TOKEN_PREFIX = 'pvp_';

export class SessionKeys {
  // A KeyObject, imported once: handing jose raw bytes makes it import the key on every call.
  private readonly key: KeyObject;
  /**
   * Whether a session family (the `sid` of access tokens issued at sign-in) is still active; set by
   * createApp from the refresh-token store, so a revoked family's access tokens stop at once.
   * Tokens without `sid` are minted by the platform itself (tests, benchmarks, consoles).
   */
  familyActive: (familyId: string) => Promise<boolean> = async () => true;
  constructor(
    secretBase64: string,
    readonly ttlSeconds: number,
  ) {
    const raw = Buffer.from(secretBase64, 'base64');
    if (raw.length < 32) throw new Error('SESSION_SECRET must decode to at least 32 bytes');
    this.key = createSecretKey(raw);
    this.raw = raw;
  }

  private readonly raw: Buffer;

  /** A 32-byte key for another purpose (CSRF tokens, OIDC state), derived so one secret serves all. */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.raw, Buffer.alloc(0), `pvepaas:${purpose}`, 32));
  }

  sign(userId: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** A sign-in's access token: short-lived, bound to its session family (`sid`). */
  signAccess(userId: string, familyId: string, ttlSeconds: number): Promise<string> {
    return new SignJWT({ sid: familyId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.key);
  }

  /** The user and session family, or null when the token is malformed, forged or expired. */
  async claims(token: string): Promise<{ userId: string; familyId: string | null } | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string') return null;
      return { userId: payload.sub, familyId: typeof payload.sid === 'string' ? payload.sid : null };
    } catch {
      return null;
    }
  }

  /** The user and session family, or null when the token is malformed, forged, expired or its session was revoked. */
  async session(token: string): Promise<{ userId: string; familyId: string | null } | null> {
    const claims = await this.claims(token);
    if (!claims) return null;
    if (claims.familyId !== null && !(await this.familyActive(claims.familyId))) return null;
    return claims;
  }

  /** The user id, or null when the token is malformed, forged, expired or its session was revoked. */
  async verify(token: string): Promise<string | null> {
    return (await this.session(token))?.userId ?? null;
  }
}

export const hashApiToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function newApiToken(): { token: string; prefix: string; hash: string } {
  const token = API_TOKEN_PREFIX + randomBytes(24).toString('base64url');
  return { token, prefix: token.slice(0, 12), hash: hashApiToken(token) };
}
