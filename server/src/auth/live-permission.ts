// Subscriptions outlive the request that authorised them: a member removed from an organisation,
// demoted, or disabled must stop receiving its events at once, not when they reconnect. The
// Viewer of a subscription is a snapshot taken when it started, so each event asks the database.
import type { Context } from '../graphql/context.js';
import { Membership } from '../modules/membership/membership.entity.js';
import { User } from '../modules/user/user.entity.js';
import { rolePrivileges, type Privilege } from './privileges.js';
import type { Scope } from './viewer.js';

/**
 * A check for every event of a subscription: the caller still holds `privilege` in `scope`, by the
 * roles and account state in the database now (and still by the credential's own scopes).
 */
export function livePermission(ctx: Context, privilege: Privilege, scope: Scope): () => Promise<boolean> {
  const viewer = ctx.viewer;
  return async () => {
    // The credential's limits (an API token's scopes) cannot have grown since the start.
    if (!viewer || !viewer.can(privilege, scope)) return false;
    const em = ctx.em.fork();
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
  };
}
