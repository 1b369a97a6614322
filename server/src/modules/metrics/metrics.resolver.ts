// Metrics over GraphQL: series for charts (downsampled on the server), cluster and Ceph status, and
// live samples. Machines and projects need Machine.Audit on their project; nodes, storages and
// clusters are the operators' (Platform.Admin). Another tenant's machine answers NOT_FOUND.
import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import { DEFAULT_RETENTION_MS, type MetricLevel } from '@pvepaas/orchestration/metrics/index';
import { livePermission } from '../../auth/live-permission.js';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { EVENT_IS_RESULT } from '../../realtime/prepared-subscribe.js';
import type { Topics } from '../../realtime/pubsub.js';
import { Cluster } from '../cluster/cluster.entity.js';
import { Machine } from '../machine/machine.entity.js';
import { Project } from '../project/project.entity.js';
import { User } from '../user/user.entity.js';
import { findVisibleProject, projectScope } from '../project/project.access.js';
import { MetricColumns } from './metrics.columns.js';
import { metricsDb } from './metrics.db.js';
import { mergedChannels, sharedCheck } from './metrics.live.js';
import {
  chooseLevel,
  machineSeries,
  MAX_POINTS,
  resourceSeries,
  RowSeries,
  seriesColumns,
  summedSeries,
  type SeriesRange,
} from './metrics.series.js';
import { clusterStatus } from './metrics.status.js';
import {
  ClusterStatus,
  MachineMetricSample,
  MetricSeries,
  NodeMetricSample,
  ProjectMetricSample,
} from './metrics.types.js';

const DAY = 86_400_000;
/** Machines one machineMetricsLive subscription may follow. */
const MAX_LIVE_MACHINES = 200;

function validRange(from: Date, to: Date, maxPoints: number): SeriesRange {
  if (!Number.isInteger(maxPoints) || maxPoints < 1 || maxPoints > MAX_POINTS)
    throw Errors.invalid('maxPoints', `must be between 1 and ${MAX_POINTS}`);
  if (!(to.getTime() > from.getTime())) throw Errors.invalid('to', 'must be after from');
  if (to.getTime() - from.getTime() > 800 * DAY) throw Errors.invalid('from', 'the range may span at most 800 days');
  return { from, to, maxPoints };
}

function retention(ctx: Context): Record<MetricLevel, number> {
  const c = ctx.services.config;
  return {
    raw: (c.METRICS_RETENTION_RAW_DAYS ?? DEFAULT_RETENTION_MS.raw / DAY) * DAY,
    '1m': (c.METRICS_RETENTION_1M_DAYS ?? DEFAULT_RETENTION_MS['1m'] / DAY) * DAY,
    '1h': (c.METRICS_RETENTION_1H_DAYS ?? DEFAULT_RETENTION_MS['1h'] / DAY) * DAY,
  };
}

const choose = (ctx: Context, range: SeriesRange) =>
  chooseLevel(range, new Date(), retention(ctx), ctx.services.config.METRICS_INTERVAL_SECONDS || 10);

/** A machine the caller may audit, or NOT_FOUND (never FORBIDDEN: that would confirm it exists). */
async function auditableMachine(ctx: Context, id: string): Promise<Machine> {
  const viewer = requireViewer(ctx);
  const machine = await ctx.em.findOne(Machine, { id }, { populate: ['project'] });
  if (!machine || !viewer.can(Privilege.MachineAudit, projectScope(machine.project)))
    throw Errors.notFound('Machine', id);
  return machine;
}

/** Machine.Audit in `scope`, asked again from the database on events (at most once a second per caller). */
const liveAudit = (ctx: Context, scope: { organizationId: string; projectId: string }) =>
  sharedCheck(
    `${requireViewer(ctx).id}|${Privilege.MachineAudit}|${scope.organizationId}|${scope.projectId}`,
    livePermission(ctx, Privilege.MachineAudit, scope),
  );

async function adminCluster(ctx: Context, id: string): Promise<Cluster> {
  requireViewer(ctx).require(Privilege.PlatformAdmin);
  const cluster = await ctx.em.findOne(Cluster, { id });
  if (!cluster) throw Errors.notFound('Cluster', id);
  return cluster;
}

async function auditableProject(ctx: Context, id: string): Promise<Project> {
  const project = await findVisibleProject(ctx, id);
  if (!requireViewer(ctx).can(Privilege.MachineAudit, projectScope(project))) throw Errors.notFound('Project', id);
  return project;
}

@Resolver(() => MetricSeries)
export class MetricsResolver {
  @FieldResolver(() => MetricColumns, {
    description:
      'The same points column-wise, an array of numbers per measure: cheaper to answer and to read than points (one object each).',
  })
  // The union keeps type-graphql from converting the root to a MetricSeries (a copy without RowSeries' getters).
  columns(@Root() series: RowSeries | MetricSeries): MetricColumns {
    return seriesColumns(series);
  }

  @Query(() => MetricSeries, {
    description:
      "A machine's CPU, memory, network and disk over [from, to), at most maxPoints points (≤ 1000). Needs Machine.Audit.",
  })
  async machineMetrics(
    @Arg('machineId', () => ID) machineId: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('maxPoints', () => Int, { defaultValue: 300 }) maxPoints: number,
    @Ctx() ctx: Context,
  ): Promise<MetricSeries> {
    const viewer = requireViewer(ctx);
    const range = validRange(from, to, maxPoints);
    // The machine's project and its series in one round trip; nothing is answered before the check.
    const { scope, series } = await machineSeries(metricsDb(ctx.em), machineId, range, choose(ctx, range));
    if (!scope || !viewer.can(Privilege.MachineAudit, scope)) throw Errors.notFound('Machine', machineId);
    return series;
  }

  @Query(() => MetricSeries, {
    description: "A project's machines summed (CPU in cores) over [from, to). Needs Machine.Audit on the project.",
  })
  async projectMetrics(
    @Arg('projectId', () => ID) projectId: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('maxPoints', () => Int, { defaultValue: 300 }) maxPoints: number,
    @Ctx() ctx: Context,
  ): Promise<MetricSeries> {
    const project = await auditableProject(ctx, projectId);
    const range = validRange(from, to, maxPoints);
    const machines = await ctx.em.find(Machine, { project: project.id, vmid: { $ne: null }, cluster: { $ne: null } });
    return summedSeries(
      metricsDb(ctx.em),
      machines.map((m) => ({ clusterId: m.cluster!.id, vmid: m.vmid!, since: m.createdAt })),
      range,
      choose(ctx, range),
    );
  }

  @Query(() => MetricSeries, { description: "A Proxmox node's series. Needs Platform.Admin." })
  async nodeMetrics(
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('node') node: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('maxPoints', () => Int, { defaultValue: 300 }) maxPoints: number,
    @Ctx() ctx: Context,
  ): Promise<MetricSeries> {
    const cluster = await adminCluster(ctx, clusterId);
    const range = validRange(from, to, maxPoints);
    return resourceSeries(
      metricsDb(ctx.em),
      { clusterId: cluster.id, kind: 'node', key: node },
      range,
      choose(ctx, range),
    );
  }

  @Query(() => MetricSeries, {
    description: "A storage's usage on one node (diskUsedBytes, diskTotalBytes). Needs Platform.Admin.",
  })
  async storageMetrics(
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('node') node: string,
    @Arg('storage') storage: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('maxPoints', () => Int, { defaultValue: 300 }) maxPoints: number,
    @Ctx() ctx: Context,
  ): Promise<MetricSeries> {
    const cluster = await adminCluster(ctx, clusterId);
    const range = validRange(from, to, maxPoints);
    return resourceSeries(
      metricsDb(ctx.em),
      { clusterId: cluster.id, kind: 'storage', key: `${node}/${storage}` },
      range,
      choose(ctx, range),
    );
  }

  @Query(() => ClusterStatus, {
    description: "A cluster's nodes and guests as last collected, and its Ceph health. Needs Platform.Admin.",
  })
  async clusterStatus(@Arg('clusterId', () => ID) clusterId: string, @Ctx() ctx: Context): Promise<ClusterStatus> {
    const cluster = await adminCluster(ctx, clusterId);
    return clusterStatus(metricsDb(ctx.em), cluster.id);
  }

  @Subscription(() => MachineMetricSample, {
    description: `Each new sample of these machines (at most ${MAX_LIVE_MACHINES}), one per collection. Needs Machine.Audit on each.`,
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      requireViewer(ctx);
      const ids = [...new Set((args.machineIds as string[]).map(String))];
      if (ids.length === 0 || ids.length > MAX_LIVE_MACHINES)
        throw Errors.invalid('machineIds', `must name 1 to ${MAX_LIVE_MACHINES} machines`);
      // One live check per project the machines belong to, re-asked (at most once a second) on events.
      const checks = new Map<string, () => boolean | Promise<boolean>>();
      const byMachine = new Map<string, () => boolean | Promise<boolean>>();
      for (const id of ids) {
        const scope = projectScope((await auditableMachine(ctx, id)).project);
        let check = checks.get(scope.projectId);
        if (!check) {
          check = liveAudit(ctx, scope);
          checks.set(scope.projectId, check);
        }
        byMachine.set(id, check);
      }
      return mergedChannels(ctx.services.pubsub, 'machineMetrics', ids, (p) => byMachine.get(p.machineId)?.() ?? false);
    },
  })
  // Answers each event as published: its root middlewares' checks need not run per event (prepared-subscribe.ts).
  @Extensions({ [EVENT_IS_RESULT]: true })
  machineMetricsLive(
    @Root() sample: Topics['machineMetrics'],
    @Arg('machineIds', () => [ID]) _machineIds: string[],
  ): MachineMetricSample {
    return sample;
  }

  @Subscription(() => NodeMetricSample, {
    description: 'Each new sample of a Proxmox node. Needs Platform.Admin.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const viewer = requireViewer(ctx);
      const cluster = await adminCluster(ctx, String(args.clusterId));
      const stillAdmin = sharedCheck(`${viewer.id}|${Privilege.PlatformAdmin}`, async () => {
        const user = await ctx.em
          .fork()
          .findOne(User, { id: viewer.id }, { fields: ['disabledAt', 'isPlatformAdmin'] });
        return viewer.can(Privilege.PlatformAdmin) && Boolean(user?.isPlatformAdmin) && !user?.disabledAt;
      });
      return mergedChannels(ctx.services.pubsub, 'nodeMetrics', [`${cluster.id}:${String(args.node)}`], stillAdmin);
    },
  })
  // Answers each event as published: its root middlewares' checks need not run per event (prepared-subscribe.ts).
  @Extensions({ [EVENT_IS_RESULT]: true })
  nodeMetricsLive(
    @Root() sample: Topics['nodeMetrics'],
    @Arg('clusterId', () => ID) _clusterId: string,
    @Arg('node') _node: string,
  ): NodeMetricSample {
    return sample;
  }

  @Subscription(() => ProjectMetricSample, {
    description: "A project's machines summed, once per collection. Needs Machine.Audit on the project.",
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const project = await auditableProject(ctx, String(args.projectId));
      return mergedChannels(ctx.services.pubsub, 'projectMetrics', [project.id], liveAudit(ctx, projectScope(project)));
    },
  })
  // Answers each event as published: its root middlewares' checks need not run per event (prepared-subscribe.ts).
  @Extensions({ [EVENT_IS_RESULT]: true })
  projectMetricsLive(
    @Root() sample: Topics['projectMetrics'],
    @Arg('projectId', () => ID) _projectId: string,
  ): ProjectMetricSample {
    return sample;
  }
}
