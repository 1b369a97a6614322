// The metrics collector: every `intervalMs`, one GET /cluster/resources per cluster (every guest,
// node and storage at once), counters turned into rates, the tick's samples written in one
// statement, then the listeners (live publication, alerts) called. Beside it, a slower loop rolls
// raw samples up into 1-minute and 1-hour buckets, creates partitions ahead and drops expired ones.
// Gaps (collector down, guest new since the last tick) are filled from Proxmox's RRD.
import { randomUUID } from 'node:crypto';
import type { ProxmoxClient } from '../proxmox/client.js';
import { backfillGap, type Gap } from './backfill.js';
import { readCeph, writeCeph } from './ceph.js';
import type { MetricsDb, MetricsLog } from './db.js';
import { PartitionKeeper, type MetricLevel } from './partitions.js';
import { CounterRates } from './rates.js';
import { resourceKey, toSamples } from './resources.js';
import type { CollectionListener, MetricSample } from './sample.js';
import {
  lastSampleTimes,
  rollupRange,
  rollupWatermark,
  setRollupWatermark,
  takeLease,
  writeSamples,
  type StoredSample,
} from './store.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface CollectorOptions {
  db: MetricsDb;
  log: MetricsLog;
  /** The clusters to collect (ids of the platform's cluster rows). */
  clusters: () => Promise<{ id: string }[]>;
  client: (clusterId: string) => Promise<ProxmoxClient>;
  /** Between ticks; default 10 s (pvestatd's own update period). */
  intervalMs?: number;
  /** Between rollup/retention passes; default 60 s. */
  rollupIntervalMs?: number;
  /** How long each level is kept; defaults: raw 2 days, 1m 14 days, 1h 400 days. */
  retentionMs?: Partial<Record<MetricLevel, number>>;
  /** Days of partitions created ahead of today; default 2. */
  partitionsAheadDays?: number;
  /** Ceph is read every n-th tick; default 3. 0: never. */
  cephEveryTicks?: number;
  /** RRD reads per cluster and tick for gaps; default 50 (the rest wait for the next tick). */
  backfillPerTick?: number;
  /** The clock; tests pass the simulator's. */
  now?: () => Date;
  listeners?: CollectionListener[];
  /** Start the timers; false leaves ticks to `tick()` (tests, benchmarks). Default true. */
  timers?: boolean;
}

export const DEFAULT_RETENTION_MS: Record<MetricLevel, number> = {
  raw: 2 * DAY,
  '1m': 14 * DAY,
  '1h': 400 * DAY,
};

interface ClusterState {
  rates: CounterRates;
  /** Last sample time per `kind:key`; loaded from the database at the first tick. */
  lastSeen: Map<string, number> | undefined;
  gaps: Map<string, Gap>;
  ticks: number;
}

export interface TickReport {
  clusterId: string;
  at: Date;
  samples: number;
  /** Samples written from RRD for gaps this tick. */
  backfilled: number;
  /** False when another worker holds the cluster's lease, or the read failed. */
  collected: boolean;
  ms: number;
  error?: string;
}

export interface Collector {
  /** One collection pass over every cluster (what the timer runs). */
  tick(): Promise<TickReport[]>;
  /** Rolls up complete minutes and hours, creates partitions ahead and drops expired ones. */
  maintain(): Promise<{ rolled1m: number; rolled1h: number; dropped: Record<MetricLevel, number[]> }>;
  addListener(listener: CollectionListener): void;
  /** The last tick's report per cluster (self-monitoring: collector lag). */
  lastTicks(): TickReport[];
  readonly intervalMs: number;
  stop(): Promise<void>;
}

const ACTIVE = new Set(['running', 'online']);

export function startCollector(o: CollectorOptions): Collector {
  const log = o.log;
  const intervalMs = o.intervalMs ?? 10_000;
  const now = o.now ?? (() => new Date());
  const retention = { ...DEFAULT_RETENTION_MS, ...o.retentionMs };
  const listeners = [...(o.listeners ?? [])];
  const partitions = new PartitionKeeper(o.db);
  const holder = randomUUID();
  const states = new Map<string, ClusterState>();
  const reports = new Map<string, TickReport>();
  const backfillPerTick = o.backfillPerTick ?? 50;
  const cephEvery = o.cephEveryTicks ?? 3;

  /** Writes rows, creating their days' partitions first (again, if another worker dropped one). */
  const write = async (rows: StoredSample[], firstMs: number, lastMs: number) => {
    await partitions.ensure(firstMs, lastMs);
    try {
      await writeSamples(o.db, rows);
    } catch (err) {
      if (!/no partition of relation/.test((err as Error).message)) throw err;
      partitions.forget();
      await partitions.ensure(firstMs, lastMs);
      await writeSamples(o.db, rows);
    }
  };

  const stateOf = (id: string): ClusterState => {
    let s = states.get(id);
    if (!s) {
      s = { rates: new CounterRates(), lastSeen: undefined, gaps: new Map(), ticks: 0 };
      states.set(id, s);
    }
    return s;
  };

  const findGaps = async (
    clusterId: string,
    st: ClusterState,
    samples: MetricSample[],
    at: Date,
    types: Map<number, 'qemu' | 'lxc'>,
  ) => {
    const atMs = at.getTime();
    st.lastSeen ??= await lastSampleTimes(o.db, clusterId, new Date(atMs - HOUR));
    for (const s of samples) {
      if (s.kind === 'storage') continue;
      const key = `${s.kind}:${resourceKey(s)}`;
      const last = st.lastSeen.get(key);
      st.lastSeen.set(key, atMs);
      if (!ACTIVE.has(s.status)) continue;
      if (last !== undefined && atMs - last <= 2 * intervalMs + MINUTE) continue;
      // Rows of the RRD minutes between the last sample (or an hour ago) and this one.
      const pending = st.gaps.get(key);
      st.gaps.set(key, {
        kind: s.kind as 'machine' | 'node',
        clusterId,
        node: s.node,
        ...(s.vmid !== undefined ? { vmid: s.vmid, guestType: types.get(s.vmid) ?? 'qemu' } : {}),
        fromMs: pending?.fromMs ?? last ?? atMs - HOUR,
        toMs: atMs,
      });
    }
    // Resources gone for an hour (deleted guests) are forgotten: the map stays the cluster's size.
    for (const [key, seen] of st.lastSeen) if (seen < atMs - HOUR) st.lastSeen.delete(key);
  };

  const runBackfill = async (client: ProxmoxClient, st: ClusterState): Promise<number> => {
    const batch = [...st.gaps.entries()].slice(0, backfillPerTick);
    const rows: StoredSample[] = [];
    for (let i = 0; i < batch.length; i += 4) {
      await Promise.all(
        batch.slice(i, i + 4).map(async ([key, gap]) => {
          st.gaps.delete(key);
          try {
            rows.push(...(await backfillGap(client, gap)));
          } catch (err) {
            // A guest created seconds ago has no RRD file yet; it has nothing to fill either.
            log.debug({ err, gap }, 'backfill read failed');
          }
        }),
      );
    }
    if (rows.length === 0) return 0;
    const times = rows.map((r) => Date.parse(r.ts));
    const first = Math.min(...times);
    const last = Math.max(...times);
    await write(rows, first, last);
    // Buckets already rolled up are recomputed with the filled minutes.
    const wm1 = await rollupWatermark(o.db, '1m');
    if (wm1 && first < wm1.getTime()) {
      await rollupRange(o.db, '1m', new Date(Math.floor(first / MINUTE) * MINUTE), wm1);
      const wmh = await rollupWatermark(o.db, '1h');
      if (wmh && first < wmh.getTime()) await rollupRange(o.db, '1h', new Date(Math.floor(first / HOUR) * HOUR), wmh);
    }
    return rows.length;
  };

  const collectCluster = async (clusterId: string): Promise<TickReport> => {
    const started = performance.now();
    const at = now();
    const report: TickReport = { clusterId, at, samples: 0, backfilled: 0, collected: false, ms: 0 };
    try {
      if (!(await takeLease(o.db, clusterId, holder, at, new Date(at.getTime() + 3 * intervalMs)))) return report;
      const st = stateOf(clusterId);
      const client = await o.client(clusterId);
      const rows = await client.cluster.resources();
      const samples = toSamples(clusterId, rows, at, st.rates);
      await write(
        samples.map((s) => ({ ...s, weightSeconds: intervalMs / 1000 })),
        at.getTime(),
        at.getTime(),
      );
      report.samples = samples.length;
      report.collected = true;
      for (const l of listeners) {
        try {
          await l(clusterId, samples, at);
        } catch (err) {
          log.error({ err, clusterId }, 'metrics listener failed');
        }
      }
      const types = new Map<number, 'qemu' | 'lxc'>();
      for (const r of rows)
        if ((r.type === 'qemu' || r.type === 'lxc') && r.vmid !== undefined) types.set(r.vmid, r.type);
      await findGaps(clusterId, st, samples, at, types);
      report.backfilled = await runBackfill(client, st);
      if (cephEvery > 0 && st.ticks % cephEvery === 0) {
        const node = samples.find((s) => s.kind === 'node' && s.status === 'online')?.node;
        await writeCeph(o.db, clusterId, at, await readCeph(client, node));
      }
      st.ticks++;
    } catch (err) {
      report.error = (err as Error).message;
      log.warn({ err, clusterId }, 'metrics collection failed');
    } finally {
      report.ms = performance.now() - started;
      reports.set(clusterId, report);
    }
    return report;
  };

  const tick = async (): Promise<TickReport[]> => {
    const clusters = await o.clusters();
    // Clusters are independent: one slow cluster must not delay the others' samples.
    return Promise.all(clusters.map((c) => collectCluster(c.id)));
  };

  const maintain = async () => {
    const t = now().getTime();
    await partitions.ensure(t - DAY, t + (o.partitionsAheadDays ?? 2) * DAY);
    // 1-minute buckets up to the current minute; the last two again for samples that came late.
    const to1m = new Date(Math.floor(t / MINUTE) * MINUTE);
    const wm1 = await rollupWatermark(o.db, '1m');
    const from1m = wm1
      ? new Date(Math.min(wm1.getTime() - 2 * MINUTE, to1m.getTime()))
      : new Date(to1m.getTime() - retention.raw);
    const rolled1m = await rollupRange(o.db, '1m', from1m, to1m);
    await setRollupWatermark(o.db, '1m', to1m);
    const to1h = new Date(Math.floor(t / HOUR) * HOUR);
    const wmh = await rollupWatermark(o.db, '1h');
    // Hours from where the last pass ended, and again the hour whose minutes were just re-rolled
    // (samples that came late across an hour's end): an hour is recomputed a few times, not hourly.
    const from1h = wmh
      ? new Date(Math.floor(Math.min(wmh.getTime(), from1m.getTime()) / HOUR) * HOUR)
      : new Date(to1h.getTime() - retention['1m']);
    const rolled1h = from1h < to1h ? await rollupRange(o.db, '1h', from1h, to1h) : 0;
    await setRollupWatermark(o.db, '1h', to1h);
    const dropped = {} as Record<MetricLevel, number[]>;
    for (const level of ['raw', '1m', '1h'] as const)
      dropped[level] = await partitions.dropOlderThan(level, t, retention[level]);
    if (Object.values(dropped).some((d) => d.length > 0)) log.info({ dropped }, 'metric partitions dropped');
    return { rolled1m, rolled1h, dropped };
  };

  let stopped = false;
  const inFlight = new Set<Promise<unknown>>();
  const timers = new Set<NodeJS.Timeout>();
  // Each loop waits for its run to end before scheduling the next: a slow pass never overlaps.
  const loop = (every: number, fn: () => Promise<unknown>, what: string) => {
    const schedule = (delay: number) => {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        const started = Date.now();
        const run: Promise<unknown> = fn()
          .catch((err: unknown) => log.error({ err }, `${what} failed`))
          .finally(() => {
            inFlight.delete(run);
            schedule(Math.max(0, every - (Date.now() - started)));
          });
        inFlight.add(run);
      }, delay);
      timer.unref();
      timers.add(timer);
    };
    schedule(0);
  };
  if (o.timers !== false) {
    loop(intervalMs, tick, 'metrics tick');
    loop(o.rollupIntervalMs ?? MINUTE, maintain, 'metrics rollup');
    log.info({ intervalMs }, 'metrics collector started');
  }

  return {
    tick,
    maintain,
    intervalMs,
    addListener: (l) => listeners.push(l),
    lastTicks: () => [...reports.values()],
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all([...inFlight]);
    },
  };
}
