// Alert rules (CRUD), alerts (list, acknowledge, silence) and the in-app stream `alertEvents`.
// Evaluation itself runs in the worker (alert.listener.ts); mutations are audited by the audit plugin.
import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { livePermission } from '../../auth/live-permission.js';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { ConnectionType, PageArgs, paginate } from '../../graphql/connection.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import type { Topics } from '../../realtime/pubsub.js';
import { Cluster } from '../cluster/cluster.entity.js';
import { Machine } from '../machine/machine.entity.js';
import { mergedChannels, sharedCheck } from '../metrics/metrics.live.js';
import { findVisibleOrganization } from '../organization/organization.access.js';
import { findVisibleProject, projectScope } from '../project/project.access.js';
import { User } from '../user/user.entity.js';
import { findAlert, findRule, ownedFilter } from './alert.access.js';
import {
  Alert,
  AlertComparator,
  AlertEvent,
  AlertEventKind,
  AlertMetric,
  AlertRule,
  AlertScope,
  AlertState,
} from './alert.entity.js';
import { SCOPE_METRICS } from './alert.evaluate.js';
import { AlertFilter, CreateAlertRuleInput, UpdateAlertRuleInput } from './alert.input.js';
import { alertChannel, alertPayload } from './alert.listener.js';
import { AlertEventPayload } from './alert.types.js';

export const AlertRuleConnection = ConnectionType(AlertRule, 'AlertRule');
export const AlertConnection = ConnectionType(Alert, 'Alert');

const PERCENT = new Set([AlertMetric.CPU, AlertMetric.MEMORY, AlertMetric.STORAGE]);
const MAX_SILENCE_MS = 30 * 86_400_000;

/** The checks across fields, on the rule as it will be stored. */
function validateRule(r: AlertRule): void {
  if (!SCOPE_METRICS[r.scope].includes(r.metric))
    throw Errors.invalid('input.metric', `must be one of ${SCOPE_METRICS[r.scope].join(', ')} for ${r.scope} scope`);
  if (PERCENT.has(r.metric) && (r.threshold < 0 || r.threshold > 100))
    throw Errors.invalid('input.threshold', 'is a percentage for this metric: 0 to 100');
  if (r.threshold < 0) throw Errors.invalid('input.threshold', 'must not be negative');
  if (r.node != null && r.scope !== AlertScope.NODE) throw Errors.invalid('input.node', 'applies to NODE scope only');
  const c = r.clearThreshold;
  if (c == null) return;
  if (r.comparator === AlertComparator.EQ || r.comparator === AlertComparator.NE)
    throw Errors.invalid('input.clearThreshold', 'applies to GT, GTE, LT and LTE only');
  const above = r.comparator === AlertComparator.GT || r.comparator === AlertComparator.GTE;
  if (above ? c > r.threshold : c < r.threshold)
    throw Errors.invalid(
      'input.clearThreshold',
      `must be ${above ? 'at or below' : 'at or above'} the threshold (the alert resolves once the value is back past it)`,
    );
}

function requireAbsent(input: CreateAlertRuleInput, fields: ('machineId' | 'projectId' | 'clusterId')[]) {
  for (const f of fields)
    if (input[f] != null) throw Errors.invalid(`input.${f}`, `does not apply to ${input.scope} scope`);
}

@Resolver(() => AlertRule)
export class AlertRuleResolver {
  @Query(() => AlertRuleConnection, {
    description:
      "An organisation's alert rules the caller may see (Machine.Audit); without organizationId the platform's (Platform.Admin).",
  })
  async alertRules(
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId?: string,
  ) {
    const where = await ownedFilter<AlertRule>(ctx, organizationId);
    return paginate<AlertRule>(ctx.em, AlertRule, where, { field: 'createdAt', direction: 'ASC' }, page);
  }

  @Mutation(() => AlertRule, {
    description: 'MACHINE and PROJECT scopes need Project.Admin on the project; NODE, CLUSTER and CEPH Platform.Admin.',
  })
  async createAlertRule(@Arg('input') input: CreateAlertRuleInput, @Ctx() ctx: Context): Promise<AlertRule> {
    const viewer = requireViewer(ctx);
    const rule = ctx.em.create(AlertRule, {
      name: input.name,
      scope: input.scope,
      metric: input.metric,
      comparator: input.comparator,
      threshold: input.threshold,
      clearThreshold: input.clearThreshold ?? null,
      durationSeconds: input.durationSeconds,
      severity: input.severity,
      enabled: input.enabled,
      node: input.node ?? null,
    });
    // Who may create it first: a refusal must not depend on the other fields being right.
    if (input.scope === AlertScope.MACHINE) {
      if (!input.machineId) throw Errors.invalid('input.machineId', 'is required for MACHINE scope');
      const machine = await ctx.em.findOne(Machine, { id: input.machineId }, { populate: ['project'] });
      if (!machine || !viewer.can(Privilege.MachineAudit, projectScope(machine.project)))
        throw Errors.notFound('Machine', input.machineId);
      viewer.require(Privilege.ProjectAdmin, projectScope(machine.project));
      requireAbsent(input, ['projectId', 'clusterId']);
      Object.assign(rule, { machine, project: machine.project, organization: machine.project.organization });
    } else if (input.scope === AlertScope.PROJECT) {
      if (!input.projectId) throw Errors.invalid('input.projectId', 'is required for PROJECT scope');
      const project = await findVisibleProject(ctx, input.projectId);
      viewer.require(Privilege.ProjectAdmin, projectScope(project));
      requireAbsent(input, ['machineId', 'clusterId']);
      Object.assign(rule, { project, organization: project.organization });
    } else {
      viewer.require(Privilege.PlatformAdmin, undefined, 'the platform (node, cluster and Ceph rules)');
      requireAbsent(input, ['machineId', 'projectId']);
      if (input.clusterId) {
        const cluster = await ctx.em.findOne(Cluster, { id: input.clusterId });
        if (!cluster) throw Errors.notFound('Cluster', input.clusterId);
        rule.cluster = cluster;
      }
    }
    validateRule(rule);
    await ctx.em.flush();
    return rule;
  }

  @Mutation(() => AlertRule, { description: 'Needs what creating it needed.' })
  async updateAlertRule(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateAlertRuleInput,
    @Ctx() ctx: Context,
  ): Promise<AlertRule> {
    const rule = await findRule(ctx, id, Privilege.ProjectAdmin);
    for (const key of Object.keys(input) as (keyof UpdateAlertRuleInput)[]) {
      const value = input[key];
      if (value === undefined) continue;
      if (value === null && key !== 'clearThreshold') throw Errors.invalid(`input.${key}`, 'must not be null');
      Object.assign(rule, { [key]: value });
    }
    validateRule(rule);
    await ctx.em.flush();
    return rule;
  }

  @Mutation(() => Boolean, { description: 'Deletes the rule and its alerts. Needs what creating it needed.' })
  async deleteAlertRule(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const rule = await findRule(ctx, id, Privilege.ProjectAdmin);
    await ctx.em.remove(rule).flush();
    return true;
  }
}

@Resolver(() => Alert)
export class AlertResolver {
  @Query(() => AlertConnection, {
    description:
      "An organisation's alerts the caller may see, newest first; without organizationId the platform's (Platform.Admin).",
  })
  async alerts(
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId?: string,
    @Arg('filter', () => AlertFilter, { nullable: true }) filter?: AlertFilter,
  ) {
    const where: FilterQuery<Alert>[] = [await ownedFilter<Alert>(ctx, organizationId)];
    if (filter?.states?.length) where.push({ state: { $in: filter.states } });
    if (filter?.severities?.length) where.push({ severity: { $in: filter.severities } });
    if (filter?.projectId) where.push({ project: filter.projectId });
    if (filter?.ruleId) where.push({ rule: filter.ruleId });
    if (filter?.since) where.push({ pendingSince: { $gte: filter.since } });
    return paginate<Alert>(ctx.em, Alert, { $and: where }, { field: 'createdAt', direction: 'DESC' }, page);
  }

  @Mutation(() => Alert, {
    description: 'Marks an open alert as seen. Needs Machine.Config (Platform.Admin for platform alerts).',
  })
  async acknowledgeAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Alert> {
    const alert = await findAlert(ctx, id, Privilege.MachineConfig);
    if (alert.state === AlertState.RESOLVED)
      throw Errors.conflict(`Alert ${id}`, 'is resolved already; nothing to acknowledge.');
    const at = new Date();
    alert.acknowledgedAt = at;
    alert.acknowledgedBy = ctx.em.getReference(User, requireViewer(ctx).id);
    ctx.em.create(AlertEvent, {
      alert,
      kind: AlertEventKind.ACKNOWLEDGED,
      at,
      value: alert.value,
      actor: alert.acknowledgedBy,
    });
    await ctx.em.flush();
    await publish(ctx, alert, AlertEventKind.ACKNOWLEDGED, at);
    return alert;
  }

  @Mutation(() => Alert, {
    description:
      'No notifications for this alert until `until` (at most 30 days ahead); if it still fires then, it is notified again. Needs Machine.Config (Platform.Admin for platform alerts).',
  })
  async silenceAlert(
    @Arg('id', () => ID) id: string,
    @Arg('until', () => Date) until: Date,
    @Ctx() ctx: Context,
  ): Promise<Alert> {
    const alert = await findAlert(ctx, id, Privilege.MachineConfig);
    const at = new Date();
    if (!(until.getTime() > at.getTime())) throw Errors.invalid('until', 'must be in the future');
    if (until.getTime() - at.getTime() > MAX_SILENCE_MS) throw Errors.invalid('until', 'may be at most 30 days ahead');
    alert.silencedUntil = until;
    ctx.em.create(AlertEvent, {
      alert,
      kind: AlertEventKind.SILENCED,
      at,
      value: alert.value,
      actor: ctx.em.getReference(User, requireViewer(ctx).id),
    });
    await ctx.em.flush();
    await publish(ctx, alert, AlertEventKind.SILENCED, at);
    return alert;
  }

  @FieldResolver(() => AlertRule)
  rule(@Root() alert: Alert, @Ctx() ctx: Context): Promise<AlertRule> {
    return ctx.loaders.load(AlertRule, alert.rule.id);
  }

  @FieldResolver(() => [AlertEvent], { description: 'Every state change, acknowledgement and silence, oldest first.' })
  async history(@Root() alert: Alert, @Ctx() ctx: Context): Promise<AlertEvent[]> {
    // In the order they were recorded: state changes carry the collector's clock, acts of users the
    // wall clock, and the two may disagree (a collector behind, a simulator ahead).
    const events = await ctx.em.find(AlertEvent, { alert: alert.id });
    const rank = Object.values(AlertEventKind);
    return events.sort(
      (a, b) =>
        a.createdAt.getTime() - b.createdAt.getTime() ||
        a.at.getTime() - b.at.getTime() ||
        rank.indexOf(a.kind) - rank.indexOf(b.kind),
    );
  }

  @Subscription(() => AlertEventPayload, {
    description:
      "Every change of an organisation's alerts the caller may see (Machine.Audit on the alert's project); without organizationId the platform's (Platform.Admin). Re-authorised on every event.",
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const viewer = requireViewer(ctx);
      const organizationId = args.organizationId ? String(args.organizationId) : null;
      if (!organizationId) {
        viewer.require(Privilege.PlatformAdmin, undefined, "the platform (its alerts are the operators')");
        const stillAdmin = sharedCheck(`${viewer.id}|${Privilege.PlatformAdmin}`, async () => {
          const user = await ctx.em
            .fork()
            .findOne(User, { id: viewer.id }, { fields: ['disabledAt', 'isPlatformAdmin'] });
          return viewer.can(Privilege.PlatformAdmin) && Boolean(user?.isPlatformAdmin) && !user?.disabledAt;
        });
        return mergedChannels(ctx.services.pubsub, 'alertEvents', [alertChannel(null)], stillAdmin);
      }
      const org = await findVisibleOrganization(ctx, organizationId);
      // Each event: an event the caller may not see is skipped; they may audit machines of the alert's project, as the database says now.
      return filtered(
        mergedChannels(ctx.services.pubsub, 'alertEvents', [alertChannel(org.id)], () => true),
        async (p) =>
          sharedCheck(
            `${viewer.id}|${Privilege.MachineAudit}|${org.id}|${p.projectId ?? ''}`,
            livePermission(ctx, Privilege.MachineAudit, { organizationId: org.id, projectId: p.projectId }),
          )(),
      );
    },
  })
  alertEvents(
    @Root() event: Topics['alertEvents'],
    @Arg('organizationId', () => ID, { nullable: true }) _organizationId?: string,
  ): AlertEventPayload {
    return event;
  }
}

/** Events the caller may see of a stream; the others are skipped (not the end of the stream). */
async function* filtered<T>(source: AsyncGenerator<T>, allowed: (v: T) => Promise<boolean>): AsyncGenerator<T> {
  try {
    for await (const v of source) if (await allowed(v)) yield v;
  } finally {
    await source.return(undefined);
  }
}

async function publish(ctx: Context, alert: Alert, kind: AlertEventKind, at: Date) {
  const payload = alertPayload(alert, alert.rule, kind, at);
  await ctx.services.pubsub.publish('alertEvents', alertChannel(payload.organizationId), payload);
}
