// Writes and aggregates of the metric tables. A tick's samples go in as one INSERT of unnested
// arrays: one statement and a fixed number of parameters whatever the number of guests, on
// PostgreSQL and PGlite alike.
import type { MetricsDb } from './db.js';
import { resourceKey } from './resources.js';
import type { MetricSample } from './sample.js';

export interface StoredSample extends MetricSample {
  /** Seconds of time this sample stands for (the collection interval; 60 for an RRD minute). */
  weightSeconds: number;
  backfilled?: boolean;
}

/** Statuses in which a resource is using what it was given (for usage and `running_s`). */
export const ACTIVE_STATUSES = ['running', 'online', 'available'];

export async function writeSamples(db: MetricsDb, samples: StoredSample[]): Promise<void> {
  if (samples.length === 0) return;
  const cols = {
    ts: [] as string[],
    cluster: [] as string[],
    kind: [] as string[],
    key: [] as string[],
    node: [] as string[],
    vmid: [] as (number | null)[],
    storage: [] as (string | null)[],
    status: [] as string[],
    cpu: [] as number[],
    cpus: [] as number[],
    memUsed: [] as number[],
    memTotal: [] as number[],
    netIn: [] as number[],
    netOut: [] as number[],
    diskRead: [] as number[],
    diskWrite: [] as number[],
    diskUsed: [] as number[],
    diskTotal: [] as number[],
    weight: [] as number[],
    backfilled: [] as boolean[],
  };
  for (const s of samples) {
    cols.ts.push(s.ts);
    cols.cluster.push(s.clusterId);
    cols.kind.push(s.kind);
    cols.key.push(resourceKey(s));
    cols.node.push(s.node);
    cols.vmid.push(s.vmid ?? null);
    cols.storage.push(s.storage ?? null);
    cols.status.push(s.status);
    cols.cpu.push(s.cpu);
    cols.cpus.push(s.cpus);
    cols.memUsed.push(s.memUsed);
    cols.memTotal.push(s.memTotal);
    cols.netIn.push(s.netInBps);
    cols.netOut.push(s.netOutBps);
    cols.diskRead.push(s.diskReadBps);
    cols.diskWrite.push(s.diskWriteBps);
    cols.diskUsed.push(s.diskUsed);
    cols.diskTotal.push(s.diskTotal);
    cols.weight.push(s.weightSeconds);
    cols.backfilled.push(s.backfilled ?? false);
  }
  await db.query(
    `insert into metric_sample (ts, cluster_id, kind, key, node, vmid, storage, status, cpu, cpus, mem_used,
       mem_total, net_in, net_out, disk_read, disk_write, disk_used, disk_total, weight_s, backfilled)
     select * from unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[],
       $7::text[], $8::text[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[],
       $14::float8[], $15::float8[], $16::float8[], $17::float8[], $18::float8[], $19::float8[], $20::bool[])`,
    Object.values(cols),
  );
}

const ACTIVE = `status in ('running', 'online', 'available')`;

/** avg/max of each gauge, and the weighted sums usage reports add up, grouped by bucket. */
const ROLLUP_FROM_RAW = (trunc: string) => `
  select date_trunc('${trunc}', ts) as bucket, cluster_id, kind, key,
    (array_agg(node order by ts desc))[1] as node, max(vmid) as vmid, max(storage) as storage,
    count(*)::int as samples, sum(weight_s) as weight_s,
    coalesce(sum(weight_s) filter (where ${ACTIVE}), 0) as running_s,
    coalesce(sum(weight_s * cpus) filter (where ${ACTIVE}), 0) as core_s,
    coalesce(sum(weight_s * mem_total) filter (where ${ACTIVE}), 0) as mem_byte_s,
    sum(weight_s * disk_total) as disk_byte_s,
    max(cpus) as cpus, avg(cpu) as cpu_avg, max(cpu) as cpu_max,
    avg(mem_used) as mem_used_avg, max(mem_used) as mem_used_max, max(mem_total) as mem_total,
    avg(net_in) as net_in_avg, max(net_in) as net_in_max, avg(net_out) as net_out_avg, max(net_out) as net_out_max,
    avg(disk_read) as disk_read_avg, max(disk_read) as disk_read_max,
    avg(disk_write) as disk_write_avg, max(disk_write) as disk_write_max,
    avg(disk_used) as disk_used_avg, max(disk_used) as disk_used_max, max(disk_total) as disk_total
  from metric_sample where ts >= $1 and ts < $2
  group by 1, cluster_id, kind, key`;

/** Averages of averages weighted by their sample counts equal the average of the raw samples. */
const wavg = (c: string) => `sum(${c} * samples) / sum(samples) as ${c}`;
const ROLLUP_FROM_1M = `
  select date_trunc('hour', bucket) as bucket, cluster_id, kind, key,
    (array_agg(node order by bucket desc))[1] as node, max(vmid) as vmid, max(storage) as storage,
    sum(samples)::int as samples, sum(weight_s) as weight_s, sum(running_s) as running_s,
    sum(core_s) as core_s, sum(mem_byte_s) as mem_byte_s, sum(disk_byte_s) as disk_byte_s,
    max(cpus) as cpus, ${wavg('cpu_avg')}, max(cpu_max) as cpu_max,
    ${wavg('mem_used_avg')}, max(mem_used_max) as mem_used_max, max(mem_total) as mem_total,
    ${wavg('net_in_avg')}, max(net_in_max) as net_in_max, ${wavg('net_out_avg')}, max(net_out_max) as net_out_max,
    ${wavg('disk_read_avg')}, max(disk_read_max) as disk_read_max,
    ${wavg('disk_write_avg')}, max(disk_write_max) as disk_write_max,
    ${wavg('disk_used_avg')}, max(disk_used_max) as disk_used_max, max(disk_total) as disk_total
  from metric_rollup_1m where bucket >= $1 and bucket < $2
  group by 1, cluster_id, kind, key`;

export const ROLLUP_VALUE_COLUMNS = [
  'node',
  'vmid',
  'storage',
  'samples',
  'weight_s',
  'running_s',
  'core_s',
  'mem_byte_s',
  'disk_byte_s',
  'cpus',
  'cpu_avg',
  'cpu_max',
  'mem_used_avg',
  'mem_used_max',
  'mem_total',
  'net_in_avg',
  'net_in_max',
  'net_out_avg',
  'net_out_max',
  'disk_read_avg',
  'disk_read_max',
  'disk_write_avg',
  'disk_write_max',
  'disk_used_avg',
  'disk_used_max',
  'disk_total',
];

/**
 * (Re)computes the rollup buckets of `level` that start in [from, to). Upserts, so running it
 * again over a range (late or backfilled samples) replaces the buckets with the new aggregates.
 * `from`/`to` are aligned by the caller to the level's bucket size.
 */
export async function rollupRange(db: MetricsDb, level: '1m' | '1h', from: Date, to: Date): Promise<number> {
  if (to <= from) return 0;
  const select = level === '1m' ? ROLLUP_FROM_RAW('minute') : ROLLUP_FROM_1M;
  const cols = ['bucket', 'cluster_id', 'kind', 'key', ...ROLLUP_VALUE_COLUMNS];
  const { rows } = await db.query<{ n: number }>(
    `with up as (
       insert into metric_rollup_${level} (${cols.join(', ')})
       select ${cols.join(', ')} from (${select}) r
       on conflict (cluster_id, kind, key, bucket) do update set
         ${ROLLUP_VALUE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
       returning 1)
     select count(*)::int as n from up`,
    [from.toISOString(), to.toISOString()],
  );
  return rows[0]?.n ?? 0;
}

export async function rollupWatermark(db: MetricsDb, level: '1m' | '1h'): Promise<Date | undefined> {
  const { rows } = await db.query<{ done_until: Date | string }>(
    `select done_until from metric_rollup_state where level = $1`,
    [level],
  );
  return rows[0] ? new Date(rows[0].done_until) : undefined;
}

export async function setRollupWatermark(db: MetricsDb, level: '1m' | '1h', until: Date): Promise<void> {
  await db.query(
    `insert into metric_rollup_state (level, done_until) values ($1, $2)
     on conflict (level) do update set done_until = greatest(metric_rollup_state.done_until, excluded.done_until)`,
    [level, until.toISOString()],
  );
}

/** Newest sample time per resource of a cluster since `since` (gap detection after a restart). */
export async function lastSampleTimes(db: MetricsDb, clusterId: string, since: Date): Promise<Map<string, number>> {
  const { rows } = await db.query<{ kind: string; key: string; last: Date | string }>(
    `select kind, key, max(ts) as last from metric_sample
      where cluster_id = $1 and ts >= $2 group by kind, key`,
    [clusterId, since.toISOString()],
  );
  return new Map(rows.map((r) => [`${r.kind}:${r.key}`, new Date(r.last).getTime()]));
}

/**
 * Takes or renews the cluster's collection lease for `holder` until `until`. False when another
 * live worker holds it: only one process collects a cluster at a time.
 */
export async function takeLease(db: MetricsDb, clusterId: string, holder: string, now: Date, until: Date) {
  const { rows } = await db.query<{ holder: string }>(
    `insert into metric_collector_lease (cluster_id, holder, until) values ($1, $2, $4)
     on conflict (cluster_id) do update set holder = excluded.holder, until = excluded.until
       where metric_collector_lease.holder = excluded.holder or metric_collector_lease.until < $3
     returning holder`,
    [clusterId, holder, now.toISOString(), until.toISOString()],
  );
  return rows.length > 0;
}
