// The collector against the simulator with a frozen, stepped clock: what it stores equals the
// simulator's closed-form metrics (rates across a counter reset included), rollups equal the
// aggregates of the raw rows, expired partitions go, gaps are filled from rrddata, Ceph is read.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import { createPveSimulator, type PveSimulator } from '@pvepaas/orchestration/pve-sim/index';
import { bytesBetween, cpuFraction, memFraction } from '@pvepaas/orchestration/pve-sim/metrics';
import {
  listPartitions,
  startCollector,
  type Collector,
  type MetricSample,
  type MetricsDb,
} from '@pvepaas/orchestration/metrics/index';
import { sqlClientFromOrm } from '../../db/sql-client.js';
import { createLogger } from '../../logger.js';
import { openTestDatabase, postgresUnavailable, type TestDatabase } from '../../test/database.js';

const SEED = 11;
const MiB = 1024 * 1024;
const MINUTE = 60_000;

interface Raw {
  ts: Date;
  key: string;
  kind: string;
  status: string;
  cpu: number;
  mem_used: number;
  net_in: number;
  net_out: number;
  disk_read: number;
  disk_write: number;
  backfilled: boolean;
}

describe.skipIf(postgresUnavailable())('metrics collector against the simulator', () => {
  let sim: PveSimulator;
  let db: TestDatabase;
  let sql: MetricsDb;
  let client: ProxmoxClient;
  let collector: Collector;
  const clusterId = randomUUID();
  // A whole minute plus 5 s, so ticks straddle minute boundaries predictably.
  const t0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000 + 5_000;
  let t = t0;
  let vmids: number[] = [];
  const delivered: { samples: MetricSample[]; at: Date }[] = [];

  const step = (seconds: number) => {
    sim.control.advanceTime(seconds);
    t += seconds * 1000;
  };
  const guest = (vmid: number) => sim.state.guests.find((g) => g.vmid === vmid)!;
  const metricId = (vmid: number) => `vm${vmid}:${guest(vmid).createdAt}`;
  // Timestamps arrive as strings through the ORM's pool (its pg type parsers); the tests compare instants.
  const rows = <T extends { ts?: unknown; bucket?: unknown }>(list: T[]): T[] =>
    list.map((r) => ({
      ...r,
      ...(r.ts !== undefined ? { ts: new Date(r.ts as string) } : {}),
      ...(r.bucket !== undefined ? { bucket: new Date(r.bucket as string) } : {}),
    }));
  const rawOf = async (vmid: number) =>
    rows(
      (
        await sql.query<Raw>(
          `select * from metric_sample where cluster_id = $1 and kind = 'machine' and key = $2 order by ts`,
          [clusterId, String(vmid)],
        )
      ).rows,
    );

  beforeAll(async () => {
    sim = await createPveSimulator({ seed: SEED, timeFactor: 0.01, port: 0, demo: false });
    sim.control.freezeTime(t0);
    vmids = sim.control.addGuests(3);
    db = await openTestDatabase();
    sql = sqlClientFromOrm(db.orm);
    await sql.query(
      `insert into cluster (id, name, api_url, token_id, token_secret_ref) values ($1, 'sim', $2, 'x', 'y')`,
      [clusterId, sim.url],
    );
    const token = sim.credentials.tokens.full;
    client = new ProxmoxClient({
      url: sim.url,
      auth: { type: 'token', tokenId: token.tokenid, secret: token.secret },
      logger: createLogger('silent'),
    });
    collector = startCollector({
      db: sql,
      log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      clusters: async () => [{ id: clusterId }],
      client: async () => client,
      intervalMs: 10_000,
      now: () => new Date(t),
      timers: false,
      listeners: [async (_id, samples, at) => void delivered.push({ samples, at })],
    });
  });

  afterAll(async () => {
    await collector?.stop();
    client?.close();
    await db?.close();
    await sim?.close();
  });

  it('stores what the simulator serves: gauges as read, counters as rates over each interval', async () => {
    const first = await collector.tick();
    expect(first[0]).toMatchObject({ collected: true });
    for (let i = 0; i < 6; i++) {
      step(10);
      await collector.tick();
    }
    // The listener saw every tick after its samples were written.
    expect(delivered).toHaveLength(7);
    expect(delivered[0]!.samples.filter((s) => s.kind === 'node')).toHaveLength(3);
    for (const vmid of vmids) {
      const id = metricId(vmid);
      const live = (await rawOf(vmid)).filter((r) => !r.backfilled);
      expect(live).toHaveLength(7);
      for (let i = 1; i < live.length; i++) {
        const r = live[i]!;
        const sec = r.ts.getTime() / 1000;
        const prev = live[i - 1]!.ts.getTime() / 1000;
        expect(r.cpu).toBeCloseTo(cpuFraction(SEED, id, sec, 10), 9);
        expect(r.mem_used).toBe(Math.round(1024 * MiB * memFraction(SEED, id, sec)));
        for (const [col, kind] of [
          ['net_in', 'netin'],
          ['net_out', 'netout'],
          ['disk_read', 'diskread'],
          ['disk_write', 'diskwrite'],
        ] as const) {
          // Counters are rounded to bytes by the simulator: one byte over 10 s.
          expect(Math.abs(r[col] - bytesBetween(SEED, id, kind, prev, sec) / 10)).toBeLessThanOrEqual(0.1 + 1e-6);
        }
      }
    }
  });

  it('computes the rate across a counter reset from the new value, never a negative rate', async () => {
    const vmid = vmids[0]!;
    const before = t / 1000;
    step(3);
    sim.control.rebootGuest(vmid);
    const boot = t / 1000;
    step(7);
    await collector.tick();
    const last = (await rawOf(vmid)).at(-1)!;
    expect(last.ts.getTime()).toBe(t);
    const id = metricId(vmid);
    const sinceBoot = bytesBetween(SEED, id, 'netin', boot, t / 1000);
    // Without reset handling this would be (small - large) / 10 < 0.
    expect(last.net_in).toBeGreaterThan(0);
    expect(Math.abs(last.net_in - sinceBoot / 10)).toBeLessThanOrEqual(0.1);
    // And it is less than the rate of an interval without the reset.
    expect(last.net_in).toBeLessThan(bytesBetween(SEED, id, 'netin', before, t / 1000) / 10);
  });

  it('rolls raw samples up into minutes and hours equal to their aggregates', async () => {
    // Tick across the next full hour boundary, every 10 s for two minutes around it.
    const nextHour = Math.ceil(t / 3_600_000) * 3_600_000;
    step((nextHour - 60_000 - t) / 1000);
    for (let i = 0; i < 13; i++) {
      await collector.tick();
      step(10);
    }
    step(3600);
    await collector.tick();
    await collector.maintain();
    const raw = rows(
      (
        await sql.query<Raw>(`select * from metric_sample where cluster_id = $1 and ts < $2 order by ts`, [
          clusterId,
          new Date(Math.floor(t / MINUTE) * MINUTE).toISOString(),
        ])
      ).rows,
    );
    const groups = new Map<string, Raw[]>();
    for (const r of raw) {
      const k = `${r.kind}|${r.key}|${Math.floor(r.ts.getTime() / MINUTE) * MINUTE}`;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    const rollups = rows(
      (
        await sql.query<{
          kind: string;
          key: string;
          bucket: Date;
          samples: number;
          cpu_avg: number;
          cpu_max: number;
          net_in_avg: number;
          net_in_max: number;
          mem_used_avg: number;
        }>(`select * from metric_rollup_1m where cluster_id = $1`, [clusterId])
      ).rows,
    );
    expect(rollups.length).toBe(groups.size);
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const r of rollups) {
      const g = groups.get(`${r.kind}|${r.key}|${r.bucket.getTime()}`)!;
      expect(g, `${r.kind} ${r.key} ${r.bucket.toISOString()}`).toBeDefined();
      expect(r.samples).toBe(g.length);
      expect(r.cpu_avg).toBeCloseTo(avg(g.map((x) => x.cpu)), 9);
      expect(r.cpu_max).toBe(Math.max(...g.map((x) => x.cpu)));
      expect(r.net_in_avg).toBeCloseTo(avg(g.map((x) => x.net_in)), 6);
      expect(r.net_in_max).toBe(Math.max(...g.map((x) => x.net_in)));
      expect(r.mem_used_avg).toBeCloseTo(avg(g.map((x) => x.mem_used)), 3);
    }
    // One hour bucket of one guest against its raw samples.
    const hour = new Date(nextHour - 3_600_000);
    const vmid = String(vmids[1]);
    const hourRows = (
      await sql.query<{ samples: number; cpu_avg: number; cpu_max: number; disk_write_max: number }>(
        `select * from metric_rollup_1h where cluster_id = $1 and kind = 'machine' and key = $2 and bucket = $3`,
        [clusterId, vmid, hour.toISOString()],
      )
    ).rows;
    const inHour = raw.filter(
      (r) => r.kind === 'machine' && r.key === vmid && r.ts >= hour && r.ts.getTime() < nextHour,
    );
    expect(inHour.length).toBeGreaterThan(6);
    expect(hourRows[0]).toBeDefined();
    expect(hourRows[0]!.samples).toBe(inHour.length);
    expect(hourRows[0]!.cpu_avg).toBeCloseTo(avg(inHour.map((x) => x.cpu)), 9);
    expect(hourRows[0]!.cpu_max).toBe(Math.max(...inHour.map((x) => x.cpu)));
    expect(hourRows[0]!.disk_write_max).toBe(Math.max(...inHour.map((x) => x.disk_write)));
  });

  it('fills a gap from rrddata: every missing whole minute, with the RRD values', async () => {
    const vmid = vmids[2]!;
    const lastBefore = (await rawOf(vmid))
      .filter((r) => !r.backfilled)
      .at(-1)!
      .ts.getTime();
    // The collector is down for 5 minutes.
    step(300);
    const report = (await collector.tick())[0]!;
    expect(report.backfilled).toBeGreaterThan(0);
    const filled = (await rawOf(vmid)).filter((r) => r.backfilled && r.ts.getTime() > lastBefore);
    const minutes = filled.map((r) => r.ts.getTime());
    // The whole minutes strictly inside the gap (RRD rows start on the minute).
    const expected: number[] = [];
    for (let m = Math.floor(lastBefore / MINUTE) * MINUTE + MINUTE; m + MINUTE <= t; m += MINUTE) expected.push(m);
    expect(minutes).toEqual(expected);
    const rrd = await client.qemu.rrddata(guest(vmid).node, vmid, 'hour');
    for (const r of filled) {
      const p = rrd.find((x) => x.time * 1000 === r.ts.getTime())!;
      expect(r.cpu).toBeCloseTo(p.cpu!, 9);
      expect(r.net_in).toBeCloseTo(p.netin!, 6);
    }
  });

  it('backfills a machine that is new since the last tick from its RRD hour', async () => {
    const [vmid] = sim.control.addGuests(1);
    step(10);
    await collector.tick();
    const stored = await rawOf(vmid!);
    // An hour of RRD minutes before its first live sample (it was created long before it was seen).
    expect(stored.filter((r) => r.backfilled).length).toBeGreaterThanOrEqual(58);
    expect(stored.filter((r) => !r.backfilled)).toHaveLength(1);
  });

  it('drops partitions older than their retention, level by level', async () => {
    const days = await listPartitions(sql, 'raw');
    expect(days).toContain(Math.floor(t0 / 86_400_000) * 86_400_000);
    const later = startCollector({
      db: sql,
      log: createLogger('silent'),
      clusters: async () => [],
      client: async () => client,
      now: () => new Date(t + 3 * 86_400_000),
      timers: false,
      retentionMs: { raw: 86_400_000, '1m': 7 * 86_400_000 },
    });
    const { dropped } = await later.maintain();
    const today = Math.floor(t0 / 86_400_000) * 86_400_000;
    expect(dropped.raw).toContain(today);
    expect(dropped['1m']).toEqual([]);
    expect(await listPartitions(sql, 'raw')).not.toContain(today);
    expect(await listPartitions(sql, '1m')).toContain(today);
    const left = await sql.query<{ n: number }>(`select count(*)::int as n from metric_sample where ts < $1`, [
      new Date(today + 86_400_000).toISOString(),
    ]);
    expect(left.rows[0]!.n).toBe(0);
    // Partitions exist ahead of the clock, so the next days' samples have somewhere to go.
    expect(await listPartitions(sql, 'raw')).toContain(today + 5 * 86_400_000);
    await later.stop();
  });

  it('reads Ceph: health, checks, OSDs up/in, placement groups and pools; a host down shows', async () => {
    const row = async () =>
      (await sql.query<Record<string, unknown>>(`select * from cluster_ceph_status where cluster_id = $1`, [clusterId]))
        .rows[0]!;
    const ok = await row();
    expect(ok).toMatchObject({ available: true, health: 'HEALTH_OK', osds_total: 12, osds_up: 12, osds_in: 12 });
    expect(ok.pgs_by_state).toEqual([{ state: 'active+clean', count: 129 }]);
    expect((ok.pools as { name: string }[]).map((p) => p.name)).toEqual(['.mgr', 'ceph-vm']);
    sim.control.setNodeOnline('pve3', false);
    for (let i = 0; i < 3; i++) {
      step(10);
      const report = (await collector.tick())[0]!;
      expect(report.error).toBeUndefined();
      expect(report.collected).toBe(true);
    }
    const warn = await row();
    expect(warn).toMatchObject({ health: 'HEALTH_WARN', osds_up: 8, osds_total: 12 });
    expect(warn.checks).toEqual([expect.objectContaining({ name: 'OSD_HOST_DOWN', severity: 'HEALTH_WARN' })]);
  });
});
