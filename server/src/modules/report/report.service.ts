// Usage over a period, from the metric rollups: each stored sample carries the seconds it stands
// for, and while a guest runs, its cores × seconds, memory bytes × seconds; its disk bytes ×
// seconds whether it runs or not. The period is read from the coarsest level that covers each part
// of it: whole hours from the 1-hour rollups, whole minutes from the 1-minute ones, the rest raw.
import type { MetricsDb } from '@pvepaas/orchestration/metrics/index';

const GiB = 1024 ** 3;

export interface UsageFigures {
  coreHours: number;
  memoryGiBHours: number;
  diskGiBDays: number;
  machineHours: number;
  /** Machines carry no GPU yet (no passthrough in their definition): always 0 until they do. */
  gpuHours: number;
}

export interface UsageMachine {
  machineId: string;
  name: string;
  projectId: string;
  clusterId: string;
  vmid: number;
  /** Samples before this instant belonged to an earlier guest with the same VMID. */
  since: Date;
  gpus: number;
}

export interface MachineUsage extends UsageFigures {
  machineId: string;
}

interface Sums {
  key: string;
  cluster_id: string;
  running_s: number;
  core_s: number;
  mem_byte_s: number;
  disk_byte_s: number;
}

/**
 * Whether a bucket is read from its rollup level: wholly inside [from, to), rolled up (before the
 * level's watermark) and wholly the machine's (a bucket that began before the machine was created
 * may hold an earlier guest's samples under the same VMID; its time is read from a finer level).
 */
const covered = (bucket: string, size: string, watermark: string) =>
  `(${bucket} >= $4 and ${bucket} + interval ${size} <= $5 and ${bucket} < ${watermark} and ${bucket} >= m.since)`;

const SUMS = `
  with m as (select * from unnest($1::uuid[], $2::text[], $3::timestamptz[]) as m(cluster_id, key, since)),
  wm as (select
    coalesce((select done_until from metric_rollup_state where level = '1h'), '-infinity') as h,
    coalesce((select done_until from metric_rollup_state where level = '1m'), '-infinity') as mi),
  parts as (
    select r.cluster_id, r.key, r.running_s, r.core_s, r.mem_byte_s, r.disk_byte_s
      from metric_rollup_1h r join m on r.cluster_id = m.cluster_id and r.key = m.key, wm
     where r.kind = 'machine' and ${covered('r.bucket', "'1 hour'", 'wm.h')}
    union all
    select r.cluster_id, r.key, r.running_s, r.core_s, r.mem_byte_s, r.disk_byte_s
      from metric_rollup_1m r join m on r.cluster_id = m.cluster_id and r.key = m.key, wm
     where r.kind = 'machine' and ${covered('r.bucket', "'1 minute'", 'wm.mi')}
       and not ${covered("date_trunc('hour', r.bucket)", "'1 hour'", 'wm.h')}
    union all
    select s.cluster_id, s.key,
       case when s.status in ('running', 'online', 'available') then s.weight_s else 0 end,
       case when s.status in ('running', 'online', 'available') then s.weight_s * s.cpus else 0 end,
       case when s.status in ('running', 'online', 'available') then s.weight_s * s.mem_total else 0 end,
       s.weight_s * s.disk_total
      from metric_sample s join m on s.cluster_id = m.cluster_id and s.key = m.key, wm
     where s.kind = 'machine' and s.ts >= $4 and s.ts < $5 and s.ts >= m.since
       and not ${covered("date_trunc('minute', s.ts)", "'1 minute'", 'wm.mi')})
  select cluster_id, key, sum(running_s) as running_s, sum(core_s) as core_s, sum(mem_byte_s) as mem_byte_s,
     sum(disk_byte_s) as disk_byte_s
    from parts group by cluster_id, key`;

export async function machineUsage(
  db: MetricsDb,
  machines: UsageMachine[],
  from: Date,
  to: Date,
): Promise<MachineUsage[]> {
  if (machines.length === 0) return [];
  const { rows } = await db.query<Sums>(SUMS, [
    machines.map((m) => m.clusterId),
    machines.map((m) => String(m.vmid)),
    machines.map((m) => m.since.toISOString()),
    from.toISOString(),
    to.toISOString(),
  ]);
  const byKey = new Map(rows.map((r) => [`${r.cluster_id}|${r.key}`, r]));
  return machines.map((m) => {
    const r = byKey.get(`${m.clusterId}|${m.vmid}`);
    const running = Number(r?.running_s ?? 0);
    return {
      machineId: m.machineId,
      coreHours: Number(r?.core_s ?? 0) / 3600,
      memoryGiBHours: Number(r?.mem_byte_s ?? 0) / GiB / 3600,
      diskGiBDays: Number(r?.disk_byte_s ?? 0) / GiB / 86400,
      machineHours: running / 3600,
      gpuHours: (m.gpus * running) / 3600,
    };
  });
}

export const sumFigures = (list: UsageFigures[]): UsageFigures =>
  list.reduce(
    (a, u) => ({
      coreHours: a.coreHours + u.coreHours,
      memoryGiBHours: a.memoryGiBHours + u.memoryGiBHours,
      diskGiBDays: a.diskGiBDays + u.diskGiBDays,
      machineHours: a.machineHours + u.machineHours,
      gpuHours: a.gpuHours + u.gpuHours,
    }),
    { coreHours: 0, memoryGiBHours: 0, diskGiBDays: 0, machineHours: 0, gpuHours: 0 },
  );
