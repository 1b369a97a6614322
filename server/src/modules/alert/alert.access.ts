// Who may see and change alert rules and alerts. An organisation's (machine and project scopes):
// read with Machine.Audit on the project, rules changed with Project.Admin, alerts acknowledged or
// silenced with Machine.Config. The platform's (node, cluster, Ceph): Platform.Admin for all.
// Anything another tenant cannot see answers NOT_FOUND.
import type { FilterQuery } from '@mikro-orm/core';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { findVisibleOrganization } from '../organization/organization.access.js';
import { Alert, AlertRule } from './alert.entity.js';

type Owned = { organization?: { id: string } | null; project?: { id: string } | null };

/** Throws NOT_FOUND unless the caller may read `thing`, FORBIDDEN unless they also hold `privilege`. */
export function authorize(ctx: Context, thing: Owned, entity: string, id: string, privilege: Privilege | null): void {
  const viewer = requireViewer(ctx);
  const orgId = thing.organization?.id;
  if (!orgId) {
    if (!viewer.isPlatformAdmin) throw Errors.notFound(entity, id);
    if (privilege) viewer.require(Privilege.PlatformAdmin);
    return;
  }
  const scope = { organizationId: orgId, projectId: thing.project?.id ?? null };
  if (!viewer.can(Privilege.MachineAudit, scope)) throw Errors.notFound(entity, id);
  if (privilege) viewer.require(privilege, scope);
}

export async function findRule(ctx: Context, id: string, privilege: Privilege | null): Promise<AlertRule> {
  const rule = await ctx.em.findOne(AlertRule, { id });
  if (!rule) throw Errors.notFound('AlertRule', id);
  authorize(ctx, rule, 'AlertRule', id, privilege);
  return rule;
}

export async function findAlert(ctx: Context, id: string, privilege: Privilege | null): Promise<Alert> {
  const alert = await ctx.em.findOne(Alert, { id }, { populate: ['rule'] });
  if (!alert) throw Errors.notFound('Alert', id);
  authorize(ctx, alert, 'Alert', id, privilege);
  return alert;
}

/**
 * Rows (rules or alerts) of an organisation the caller may read: all of them with Machine.Audit in
 * the organisation, else those of the projects they hold it in. No organisation: the platform's.
 */
export async function ownedFilter<T extends Owned>(
  ctx: Context,
  organizationId: string | null | undefined,
): Promise<FilterQuery<T>> {
  const viewer = requireViewer(ctx);
  if (!organizationId) {
    viewer.require(Privilege.PlatformAdmin, undefined, "the platform (its rules and alerts are the operators')");
    return { organization: null } as FilterQuery<T>;
  }
  const org = await findVisibleOrganization(ctx, organizationId);
  const v = viewer.visibility(Privilege.MachineAudit);
  if (v.all || v.organizationIds.includes(org.id)) return { organization: org.id } as FilterQuery<T>;
  return { organization: org.id, project: { $in: v.projectIds } } as FilterQuery<T>;
}
