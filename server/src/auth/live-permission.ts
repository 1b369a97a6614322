// Subscriptions outlive the request that authorised them: a member removed from an organisation,
// demoted, or disabled must stop receiving its events, not keep them until they reconnect. The
// Viewer of a subscription is a snapshot taken when it started, so its events ask the database.
//
// Asking it for every event cost two queries per delivered event (bench/provision: 200 jobs of ~20
// events each, 8,000 queries in the API). The answer for a user, privilege and scope is now shared
// by every subscription of the API process and kept until one of:
// - LIVE_RECHECK_MS passed (a change made through another API instance, or in the database by hand,
//   ends the subscription within that time, as auth/viewer-cache.ts bounds it for requests);
// - a mutation went through this API over HTTP (livePermissionPlugin: removeMember, updateMemberRole,
//   setUserDisabled... any mutation, so none that changes access can be missed): the next event
//   asks the database again. A check that was under way when the mutation ended is not kept.
import type { ApolloServerPlugin } from '@apollo/server';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../graphql/context.js';
import { ApiToken } from '../modules/api-token/api-token.entity.js';
import { Membership } from '../modules/membership/membership.entity.js';
import { User } from '../modules/user/user.entity.js';
import { rolePrivileges, type Privilege } from './privileges.js';
import type { SessionKeys } from './session.js';
import type { Credential, Scope } from './viewer.js';

/** How long a database answer serves the events of every subscription it applies to. */
export const LIVE_RECHECK_MS = 2_000;
const MAX_ENTRIES = 10_000;

/** The API process's shared answers (one set per app: keyed by its services). */
class LiveChecks {
  private readonly entries = new Map<string, { at: number; allowed: Promise<boolean> }>();

  /** Something may have changed who can see what: every answer is asked again. */
  changed(): void {
    this.entries.clear();
  }

  answer(key: string, ask: () => Promise<boolean>): Promise<boolean> {
    const now = Date.now();
    const known = this.entries.get(key);
    if (known && now - known.at <= LIVE_RECHECK_MS) return known.allowed;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const entry = { at: now, allowed: ask() };
    // A check under way when a mutation ends is dropped with the rest (changed()); a failed one is
    // asked again next time.
    this.entries.set(key, entry);
    entry.allowed.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.allowed;
  }
}

const checksByApp = new WeakMap<object, LiveChecks>();
function liveChecks(services: object): LiveChecks {
  let checks = checksByApp.get(services);
  if (!checks) checksByApp.set(services, (checks = new LiveChecks()));
  return checks;
}

/**
 * A check for every event of a subscription: the caller still holds `privilege` in `scope`, by the
 * roles and account state in the database (at most LIVE_RECHECK_MS old, and read again after any
 * mutation through this API), still by the credential's own scopes, and with the credential still in
 * force (stillWorks).
 */
export function livePermission(ctx: Context, privilege: Privilege, scope: Scope): () => Promise<boolean> {
  const viewer = ctx.viewer;
  const checks = liveChecks(ctx.services);
  return async () => {
    // The credential's limits (an API token's scopes) cannot have grown since the start.
    if (!viewer || !viewer.can(privilege, scope)) return false;
    const credential = viewer.credential;
    const key = `${viewer.id}|${credentialKey(credential)}|${privilege}|${scope.organizationId}|${scope.projectId ?? ''}`;
    return checks.answer(key, async () => {
      const em = ctx.em.fork();
      if (credential && !(await stillWorks(em, ctx.services.sessionKeys, credential))) return false;
      const user = await em.findOne(User, { id: viewer.id }, { fields: ['disabledAt', 'isPlatformAdmin'] });
      if (!user || user.disabledAt) return false;
      if (user.isPlatformAdmin) return true;
      const grants = await em.find(
        Membership,
        { user: viewer.id, organization: scope.organizationId },
        { fields: ['project', 'role'] },
      );
      return grants.some(
        (g) =>
          (g.project === null || g.project === undefined || g.project.id === scope.projectId) &&
          rolePrivileges[g.role].has(privilege),
      );
    });
  };
}

const credentialKey = (c: Credential | null) =>
  !c ? '' : 'apiTokenId' in c ? `token:${c.apiTokenId}` : `session:${c.sessionFamilyId}`;

/**
 * A subscription ends with what it was opened with: an API token revoked, expired or deleted, or a
 * session signed out (its family revoked, which also happens when a refresh token is reused).
 */
async function stillWorks(em: EntityManager, keys: SessionKeys, credential: Credential): Promise<boolean> {
  if ('sessionFamilyId' in credential) return keys.familyActive(credential.sessionFamilyId);
  const token = await em.findOne(ApiToken, { id: credential.apiTokenId, revokedAt: null }, { fields: ['expiresAt'] });
  return token !== null && (!token.expiresAt || token.expiresAt > new Date());
}

/** Empties the shared answers when a mutation has gone through (after it, whatever its outcome). */
export function livePermissionPlugin(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => ({
      willSendResponse: async (rc) => {
        if (rc.operation?.operation === 'mutation') liveChecks(rc.contextValue.services).changed();
      },
    }),
  };
}
