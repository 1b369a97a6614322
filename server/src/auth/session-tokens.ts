// A signed-in session: one family of rotating refresh tokens (refresh-token-store.ts) and, per
// refresh, a short-lived access JWT carrying the family as `sid`. Sign-in (local, OIDC, or after a
// second factor) calls `start`; `/auth/refresh` and the `refreshSession` mutation call `refresh`;
// sign-out calls `end`. The CSRF token of a browser session is derived from its family, so a
// request's X-CSRF-Token can be checked without any stored state (csrf.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../errors/domain-error.js';
import type { RefreshTokenStore } from './refresh-token-store.js';
import type { SessionKeys } from './session.js';

export interface SessionTokens {
  userId: string;
  familyId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  /** Null after a reuse within the grace window: the caller keeps the refresh token it has. */
  refreshToken: string | null;
  /** When the session ends whatever the refreshes (SESSION_TTL_SECONDS after sign-in). */
  sessionExpiresAt: Date;
  csrfToken: string;
}

export const SessionErrors = {
  refreshInvalid: () =>
    new DomainError('UNAUTHENTICATED', 'The refresh token is unknown, expired or revoked: sign in again.', {
      reason: 'REFRESH_INVALID',
    }),
  refreshReused: () =>
    new DomainError(
      'UNAUTHENTICATED',
      'This refresh token was already used, so the session may have been copied: every token of the session is revoked. Sign in again.',
      { reason: 'REFRESH_REUSED' },
    ),
  csrf: () =>
    new DomainError(
      'FORBIDDEN',
      'Missing or wrong X-CSRF-Token header: a request authenticated by the session cookie must send the value of the pvepaas_csrf cookie in it.',
      { reason: 'CSRF' },
    ),
};

export class SessionIssuer {
  private readonly csrfKey: Buffer;

  constructor(
    private readonly keys: SessionKeys,
    readonly store: RefreshTokenStore,
    readonly settings: { accessTtlSeconds: number; sessionTtlSeconds: number },
  ) {
    this.csrfKey = keys.derive('csrf');
    keys.familyActive = (familyId) => store.isActive(familyId);
  }

  /** A new session family for a user who just proved who they are. */
  async start(userId: string): Promise<SessionTokens> {
    const issued = await this.store.create(userId, this.settings.sessionTtlSeconds);
    return this.withAccess(userId, issued.familyId, issued.token, issued.expiresAt);
  }

  /**
   * Rotates `refreshToken`. A reuse after the grace window revokes the family and answers
   * `refreshReused`; anything else unusable answers `refreshInvalid`. `onReuse` records the event.
   */
  async refresh(
    refreshToken: string,
    onReuse?: (userId: string, familyId: string) => Promise<void>,
  ): Promise<SessionTokens> {
    const result = await this.store.rotate(refreshToken);
    switch (result.kind) {
      case 'rotated':
        return this.withAccess(result.userId, result.familyId, result.token, result.expiresAt);
      case 'grace':
        return this.withAccess(result.userId, result.familyId, null, result.expiresAt);
      case 'reused':
        await onReuse?.(result.userId, result.familyId);
        throw SessionErrors.refreshReused();
      case 'invalid':
        throw SessionErrors.refreshInvalid();
    }
  }

  /** Sign-out: the family's refresh tokens and access tokens stop working. */
  end(familyId: string): Promise<void> {
    return this.store.revokeFamily(familyId);
  }

  csrfToken(familyId: string): string {
    return createHmac('sha256', this.csrfKey).update(familyId).digest('base64url');
  }

  csrfValid(familyId: string, header: string | undefined | null): boolean {
    if (!header) return false;
    const expected = Buffer.from(this.csrfToken(familyId));
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async withAccess(
    userId: string,
    familyId: string,
    refreshToken: string | null,
    sessionExpiresAt: Date,
  ): Promise<SessionTokens> {
    // The access token never outlives its session.
    const ttl = Math.max(
      1,
      Math.min(this.settings.accessTtlSeconds, Math.floor((sessionExpiresAt.getTime() - Date.now()) / 1000)),
    );
    return {
      userId,
      familyId,
      accessToken: await this.keys.signAccess(userId, familyId, ttl),
      accessTokenExpiresAt: new Date(Date.now() + ttl * 1000),
      refreshToken,
      sessionExpiresAt,
      csrfToken: this.csrfToken(familyId),
    };
  }
}
