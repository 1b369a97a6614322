import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiToken } from '../modules/api-token/api-token.entity.js';
import { Membership } from '../modules/membership/membership.entity.js';
import { User } from '../modules/user/user.entity.js';
import { API_TOKEN_PREFIX, hashApiToken, type SessionKeys } from './session.js';
import { Viewer, type Credential } from './viewer.js';

/** Credentials as they arrive: a bearer token (session JWT or API token) or the session cookie. */
export interface Credentials {
  bearer?: string | null;
  cookie?: string | null;
}

/**
 * Resolves credentials to a Viewer, or null for an anonymous caller. A present but invalid
 * credential also yields null: resolvers that need a caller answer UNAUTHENTICATED.
 */
export async function authenticate(em: EntityManager, keys: SessionKeys, creds: Credentials): Promise<Viewer | null> {
  const raw = creds.bearer ?? creds.cookie;
  if (!raw) return null;
  let user: User | null = null;
  let scopes: Set<string> | null = null;
  let credential: Credential | null = null;
  if (raw.startsWith(API_TOKEN_PREFIX)) {
    const token = await em.findOne(ApiToken, { tokenHash: hashApiToken(raw), revokedAt: null }, { populate: ['user'] });
    if (!token || (token.expiresAt && token.expiresAt <= new Date())) return null;
    user = token.user;
    scopes = new Set(token.scopes);
    credential = { apiTokenId: token.id };
    // Recorded without waiting: a failed write of lastUsedAt must not fail the request.
    void em
      .fork()
      .nativeUpdate(ApiToken, { id: token.id }, { lastUsedAt: new Date() })
      .catch(() => undefined);
  } else {
    const session = await keys.session(raw);
    if (session) user = await em.findOne(User, { id: session.userId });
    if (session?.familyId) credential = { sessionFamilyId: session.familyId };
  }
  if (!user || user.disabledAt) return null;
  // The organization's MFA policy comes with the memberships (one join): see auth/mfa-policy.ts.
  const memberships = await em.find(
    Membership,
    { user: user.id },
    { fields: ['organization.requireMfa', 'project', 'role'] },
  );
  const grants = memberships.map((m) => ({
    organizationId: m.organization.id,
    projectId: m.project?.id ?? null,
    role: m.role,
    requireMfa: m.organization.requireMfa,
  }));
  return new Viewer(user, grants, scopes, credential);
}
