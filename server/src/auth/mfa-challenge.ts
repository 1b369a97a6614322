// The MFA challenge: after a correct password, an account with a second factor gets this instead of
// a session. A JWT signed with its own key (derived from the session secret with HKDF, so it can never
// pass as a session token), typed, for one user, valid a few minutes; `completeSignIn` redeems it.
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export const MFA_CHALLENGE_TTL_SECONDS = 300;
const TYPE = 'mfa-challenge';

export class MfaChallengeKeys {
  private readonly key: KeyObject;

  constructor(sessionSecretBase64: string) {
    const raw = Buffer.from(sessionSecretBase64, 'base64');
    this.key = createSecretKey(Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), 'pvepaas mfa challenge', 32)));
  }

  async issue(userId: string, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(now + MFA_CHALLENGE_TTL_SECONDS * 1000);
    const token = await new SignJWT({ typ: TYPE })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /** The user id, or null when the challenge is malformed, forged, of another type or expired. */
  async verify(token: string): Promise<string | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      return payload.typ === TYPE && typeof payload.sub === 'string' ? payload.sub : null;
    } catch {
      return null;
    }
  }
}
