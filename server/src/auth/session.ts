// Session tokens: short JWTs signed with the platform's key, carried in an httpOnly cookie by the
// browser or as `Authorization: Bearer` by API clients. Personal API tokens (prefix `pvp_`) are
// opaque and looked up by their SHA-256 hash.
import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export const SESSION_COOKIE = 'pvepaas_session';
export const API_TOKEN_PREFIX = 'pvp_';

export class SessionKeys {
  // A KeyObject, imported once: handing jose raw bytes makes it import the key on every call.
  private readonly key: KeyObject;
  constructor(
    secretBase64: string,
    readonly ttlSeconds: number,
  ) {
    const raw = Buffer.from(secretBase64, 'base64');
    if (raw.length < 32) throw new Error('SESSION_SECRET must decode to at least 32 bytes');
    this.key = createSecretKey(raw);
  }

  sign(userId: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** The user id, or null when the token is malformed, forged or expired. */
  async verify(token: string): Promise<string | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      return typeof payload.sub === 'string' ? payload.sub : null;
    } catch {
      return null;
    }
  }
}

export const hashApiToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function newApiToken(): { token: string; prefix: string; hash: string } {
  const token = API_TOKEN_PREFIX + randomBytes(24).toString('base64url');
  return { token, prefix: token.slice(0, 12), hash: hashApiToken(token) };
}
