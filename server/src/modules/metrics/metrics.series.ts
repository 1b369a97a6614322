// Series for charts, downsampled in SQL: the range is cut into at most `maxPoints` equal steps and
// each step averages (and takes the peak of) what the finest sufficient level holds. Raw samples
// for short ranges, 1-minute rollups up to a couple of weeks, 1-hour rollups beyond.
import type { MetricLevel, MetricsDb } from '@pvepaas/orchestration/metrics/index';
import type { MetricColumns } from './metrics.columns.js';
import type { MetricPoint, MetricSeries } from './metrics.types.js';

export const MAX_POINTS = 1000;

export interface SeriesKey {
  clusterId: string;
  kind: 'machine' | 'node' | 'storage';
  key: string;
}

export interface SeriesRange {
  from: Date;
  to: Date;
  maxPoints: number;
}

const LEVEL_SECONDS: Record<MetricLevel, number> = { raw: 10, '1m': 60, '1h': 3600 };

/**
 * The coarsest level still finer than one output step, unless the range reaches past what that
 * level keeps; then a coarser one. `collectSeconds` is the raw sampling interval.
 */
export function chooseLevel(
  range: SeriesRange,
  now: Date,
  retentionMs: Record<MetricLevel, number>,
  collectSeconds = 10,
): { level: MetricLevel; stepSeconds: number } {
  const spanSeconds = (range.to.getTime() - range.from.getTime()) / 1000;
  const wanted = Math.max(1, Math.ceil(spanSeconds / range.maxPoints));
  const age = now.getTime() - range.from.getTime();
  let level: MetricLevel = wanted < 60 ? 'raw' : wanted < 3600 ? '1m' : '1h';
  if (level === 'raw' && age > retentionMs.raw) level = '1m';
  if (level === '1m' && age > retentionMs['1m']) level = '1h';
  const base = level === 'raw' ? collectSeconds : LEVEL_SECONDS[level];
  // A step is a whole number of the level's buckets, so no point mixes partial buckets.
  const stepSeconds = Math.max(base, Math.ceil(wanted / base) * base);
  return { level, stepSeconds };
}

const RAW = {
  table: 'metric_sample',
  time: 'ts',
  cpu: 'avg(cpu)',
  cpuMax: 'max(cpu)',
  cpuCores: 'avg(cpu * cpus)',
  cpuCoresMax: 'max(cpu * cpus)',
  mem: 'avg(mem_used)',
  memMax: 'max(mem_used)',
  memTotal: 'max(mem_total)',
  netIn: 'avg(net_in)',
  netOut: 'avg(net_out)',
  diskRead: 'avg(disk_read)',
  diskWrite: 'avg(disk_write)',
  diskUsed: 'avg(disk_used)',
  diskTotal: 'max(disk_total)',
};
const w = (c: string) => `sum(${c} * samples) / sum(samples)`;
const ROLLUP = (table: string) => ({
  table,
  time: 'bucket',
  cpu: w('cpu_avg'),
  cpuMax: 'max(cpu_max)',
  cpuCores: w('cpu_avg * cpus'),
  cpuCoresMax: 'max(cpu_max * cpus)',
  mem: w('mem_used_avg'),
  memMax: 'max(mem_used_max)',
  memTotal: 'max(mem_total)',
  netIn: w('net_in_avg'),
  netOut: w('net_out_avg'),
  diskRead: w('disk_read_avg'),
  diskWrite: w('disk_write_avg'),
  diskUsed: w('disk_used_avg'),
  diskTotal: 'max(disk_total)',
});
const SOURCES = { raw: RAW, '1m': ROLLUP('metric_rollup_1m'), '1h': ROLLUP('metric_rollup_1h') };

interface Row {
  /** The step's start in epoch seconds: a float parses faster than a timestamp, 288 times a chart. */
  at: number | string;
  cpu: number;
  cpu_max: number;
  mem: number;
  mem_max: number;
  mem_total: number;
  net_in: number;
  net_out: number;
  disk_read: number;
  disk_write: number;
  disk_used: number;
  disk_total: number;
}

const toPoint = (r: Row): MetricPoint => ({
  at: new Date(Math.round(Number(r.at) * 1000)).toISOString(),
  cpu: Number(r.cpu),
  cpuMax: Number(r.cpu_max),
  memoryBytes: Number(r.mem),
  memoryMaxBytes: Number(r.mem_max),
  memoryTotalBytes: Number(r.mem_total),
  netIn: Number(r.net_in),
  netOut: Number(r.net_out),
  diskRead: Number(r.disk_read),
  diskWrite: Number(r.disk_write),
  diskUsedBytes: Number(r.disk_used),
  diskTotalBytes: Number(r.disk_total),
});

function toColumns(rows: readonly Row[]): MetricColumns {
  const n = rows.length;
  const c: MetricColumns = {
    atMs: new Array<number>(n),
    cpu: new Array<number>(n),
    cpuMax: new Array<number>(n),
    memoryBytes: new Array<number>(n),
    memoryMaxBytes: new Array<number>(n),
    memoryTotalBytes: new Array<number>(n),
    netIn: new Array<number>(n),
    netOut: new Array<number>(n),
    diskRead: new Array<number>(n),
    diskWrite: new Array<number>(n),
    diskUsedBytes: new Array<number>(n),
    diskTotalBytes: new Array<number>(n),
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    c.atMs[i] = Math.round(Number(r.at) * 1000);
    c.cpu[i] = Number(r.cpu);
    c.cpuMax[i] = Number(r.cpu_max);
    c.memoryBytes[i] = Number(r.mem);
    c.memoryMaxBytes[i] = Number(r.mem_max);
    c.memoryTotalBytes[i] = Number(r.mem_total);
    c.netIn[i] = Number(r.net_in);
    c.netOut[i] = Number(r.net_out);
    c.diskRead[i] = Number(r.disk_read);
    c.diskWrite[i] = Number(r.disk_write);
    c.diskUsedBytes[i] = Number(r.disk_used);
    c.diskTotalBytes[i] = Number(r.disk_total);
  }
  return c;
}

/**
 * A series as read from the database: its points (an object each) or its columns (an array of
 * numbers per measure) are built from the rows when a query selects them, not before: the web's
 * charts read columns, and 288 point objects nobody asked for would be garbage.
 */
export class RowSeries implements MetricSeries {
  private pointsMemo?: MetricPoint[];
  private columnsMemo?: MetricColumns;

  constructor(
    readonly source: string,
    readonly stepSeconds: number,
    private readonly rows: readonly Row[],
  ) {}

  get points(): MetricPoint[] {
    return (this.pointsMemo ??= this.rows.map(toPoint));
  }

  get columns(): MetricColumns {
    return (this.columnsMemo ??= toColumns(this.rows));
  }
}

/** MetricSeries.columns: a series this module read, or any other as its points turned column-wise. */
export function seriesColumns(series: MetricSeries): MetricColumns {
  if (series instanceof RowSeries) return series.columns;
  return {
    atMs: series.points.map((p) => Date.parse(p.at)),
    cpu: series.points.map((p) => p.cpu),
    cpuMax: series.points.map((p) => p.cpuMax),
    memoryBytes: series.points.map((p) => p.memoryBytes),
    memoryMaxBytes: series.points.map((p) => p.memoryMaxBytes),
    memoryTotalBytes: series.points.map((p) => p.memoryTotalBytes),
    netIn: series.points.map((p) => p.netIn),
    netOut: series.points.map((p) => p.netOut),
    diskRead: series.points.map((p) => p.diskRead),
    diskWrite: series.points.map((p) => p.diskWrite),
    diskUsedBytes: series.points.map((p) => p.diskUsedBytes),
    diskTotalBytes: series.points.map((p) => p.diskTotalBytes),
  };
}

/** The series of one resource; `since` leaves out older samples without moving the steps. */
export async function resourceSeries(
  db: MetricsDb,
  key: SeriesKey,
  range: SeriesRange,
  choice: { level: MetricLevel; stepSeconds: number },
  since?: Date,
): Promise<MetricSeries> {
  const s = SOURCES[choice.level];
  const { rows } = await db.query<Row>(
    `select $6::float8 + floor((extract(epoch from ${s.time}) - $6::float8) / $7) * $7 as at,
        ${s.cpu} as cpu, ${s.cpuMax} as cpu_max, ${s.mem} as mem, ${s.memMax} as mem_max, ${s.memTotal} as mem_total,
        ${s.netIn} as net_in, ${s.netOut} as net_out, ${s.diskRead} as disk_read, ${s.diskWrite} as disk_write,
        ${s.diskUsed} as disk_used, ${s.diskTotal} as disk_total
       from ${s.table}
      where cluster_id = $1 and kind = $2 and key = $3 and ${s.time} >= $4 and ${s.time} < $5
      group by 1 order by 1`,
    [
      key.clusterId,
      key.kind,
      key.key,
      new Date(Math.max(range.from.getTime(), since?.getTime() ?? 0)).toISOString(),
      range.to.toISOString(),
      range.from.getTime() / 1000,
      choice.stepSeconds,
    ],
  );
  return new RowSeries(choice.level, choice.stepSeconds, rows);
}

export interface MachineSeries {
  /** Where the machine belongs, for the caller's authorisation; null when there is no such machine. */
  scope: { organizationId: string; projectId: string } | null;
  series: MetricSeries;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A machine's series and its project in one statement (a chart is one round trip, not a lookup
 * then a query: on a busy database each round trip waits for a CPU). The caller authorises with
 * `scope` before anything of the series leaves the server. As resourceSeries, from the machine's
 * creation on: a VMID is reused after a delete. The constant bounds keep partition pruning at plan time.
 */
export async function machineSeries(
  db: MetricsDb,
  machineId: string,
  range: SeriesRange,
  choice: { level: MetricLevel; stepSeconds: number },
): Promise<MachineSeries> {
  const empty = new RowSeries(choice.level, choice.stepSeconds, []);
  if (!UUID.test(machineId)) return { scope: null, series: empty };
  const s = SOURCES[choice.level];
  const { rows } = await db.query<Row & { project_id: string; organization_id: string; placed: boolean }>(
    `select m.project_id, m.organization_id, m.cluster_id is not null and m.key is not null as placed, p.*
       from (select m.cluster_id, m.vmid::text as key, m.created_at, m.project_id, pr.organization_id
               from machine m join project pr on pr.id = m.project_id where m.id = $1) m
       left join lateral (
         select $4::float8 + floor((extract(epoch from ${s.time}) - $4::float8) / $5) * $5 as at,
            ${s.cpu} as cpu, ${s.cpuMax} as cpu_max, ${s.mem} as mem, ${s.memMax} as mem_max, ${s.memTotal} as mem_total,
            ${s.netIn} as net_in, ${s.netOut} as net_out, ${s.diskRead} as disk_read, ${s.diskWrite} as disk_write,
            ${s.diskUsed} as disk_used, ${s.diskTotal} as disk_total
           from ${s.table}
          where cluster_id = m.cluster_id and kind = 'machine' and key = m.key
            and ${s.time} >= $2 and ${s.time} < $3 and ${s.time} >= m.created_at
          group by 1) p on true
      order by p.at`,
    [machineId, range.from.toISOString(), range.to.toISOString(), range.from.getTime() / 1000, choice.stepSeconds],
  );
  const first = rows[0];
  if (!first) return { scope: null, series: empty };
  const scope = { organizationId: first.organization_id, projectId: first.project_id };
  // Not on a cluster yet: nothing was ever collected, at any level.
  if (!first.placed) return { scope, series: new RowSeries('raw', 0, []) };
  // A machine without samples in the range answers one row of nulls from the outer join.
  return { scope, series: first.at === null ? empty : new RowSeries(choice.level, choice.stepSeconds, rows) };
}

/**
 * A sum over machines: per step, each machine's average, then summed. CPU is in cores (fraction ×
 * the machine's cores), so machines of different sizes add up.
 */
export async function summedSeries(
  db: MetricsDb,
  machines: { clusterId: string; vmid: number; since: Date }[],
  range: SeriesRange,
  choice: { level: MetricLevel; stepSeconds: number },
): Promise<MetricSeries> {
  if (machines.length === 0) return new RowSeries(choice.level, choice.stepSeconds, []);
  const s = SOURCES[choice.level];
  const { rows } = await db.query<Row>(
    `with m as (select * from unnest($1::uuid[], $2::text[], $3::timestamptz[]) as m(cluster_id, key, since)),
      per as (
       select $6::float8 + floor((extract(epoch from ${s.time}) - $6::float8) / $7) * $7 as at,
          ${s.cpuCores} as cpu, ${s.cpuCoresMax} as cpu_max, ${s.mem} as mem, ${s.memMax} as mem_max,
          ${s.memTotal} as mem_total, ${s.netIn} as net_in, ${s.netOut} as net_out, ${s.diskRead} as disk_read,
          ${s.diskWrite} as disk_write, ${s.diskUsed} as disk_used, ${s.diskTotal} as disk_total
         from ${s.table} t join m on t.cluster_id = m.cluster_id and t.key = m.key and t.${s.time} >= m.since
        where t.kind = 'machine' and t.${s.time} >= $4 and t.${s.time} < $5
        group by 1, t.cluster_id, t.key)
     select at, sum(cpu) as cpu, sum(cpu_max) as cpu_max, sum(mem) as mem, sum(mem_max) as mem_max,
        sum(mem_total) as mem_total, sum(net_in) as net_in, sum(net_out) as net_out, sum(disk_read) as disk_read,
        sum(disk_write) as disk_write, sum(disk_used) as disk_used, sum(disk_total) as disk_total
       from per group by at order by at`,
    [
      machines.map((m) => m.clusterId),
      machines.map((m) => String(m.vmid)),
      machines.map((m) => m.since.toISOString()),
      range.from.toISOString(),
      range.to.toISOString(),
      range.from.getTime() / 1000,
      choice.stepSeconds,
    ],
  );
  return new RowSeries(choice.level, choice.stepSeconds, rows);
}
