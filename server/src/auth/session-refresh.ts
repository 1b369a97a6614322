// One refresh, shared by the `refreshSession` mutation and POST /auth/refresh: rotate the token,
// make sure the user may still sign in, and record a detected reuse as a security event.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import type { Logger } from '../logger.js';
import { appendAudit } from '../modules/audit/audit.service.js';
import { User } from '../modules/user/user.entity.js';
import { bearerOf, clearSessionCookies, cookieFamily } from './session-cookies.js';
import { SessionErrors, type SessionIssuer, type SessionTokens } from './session-tokens.js';
import type { SessionKeys } from './session.js';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export async function refreshSession(
  em: EntityManager,
  sessions: SessionIssuer,
  log: Logger,
  refreshToken: string,
  meta: RequestMeta,
): Promise<{ tokens: SessionTokens; user: User }> {
  const tokens = await sessions.refresh(refreshToken, async (userId, familyId) => {
    try {
      await appendAudit(em, [
        {
          action: 'auth.refreshReuse',
          result: 'denied',
          actorId: userId,
          targetType: 'user',
          targetId: userId,
          ...meta,
          details: { family: familyId, revoked: true },
        },
      ]);
    } catch (err) {
      log.error({ err }, 'could not record a refresh-token reuse in the audit log');
    }
  });
  const user = await em.findOne(User, { id: tokens.userId });
  if (!user || user.disabledAt) {
    await sessions.end(tokens.familyId);
    throw SessionErrors.refreshInvalid();
  }
  return { tokens, user };
}

/**
 * Sign-out: revokes the session family the request speaks for (its bearer access token's `sid`, or
 * its cookies) and clears the browser's cookies. CSRF was checked before (csrf.ts).
 */
export async function endRequestSession(
  req: Request | undefined,
  res: Response | undefined,
  keys: SessionKeys,
  sessions: SessionIssuer,
): Promise<void> {
  const bearer = bearerOf(req);
  const family = bearer ? ((await keys.claims(bearer))?.familyId ?? null) : await cookieFamily(req, keys);
  if (family) await sessions.end(family);
  clearSessionCookies(req, res);
}
