// Metrics through the API: a provisioned machine on the simulator, the collector running in fast
// ticks, its series and status over HTTP, its live samples over graphql-ws, and another
// organisation's caller refused.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collector } from '@pvepaas/orchestration/metrics/index';
import { sqlClientFromOrm } from '../../db/sql-client.js';
import { createLogger } from '../../logger.js';
import { postgresUnavailable } from '../../test/database.js';
import { startProvisioningPlatform, type ProvisioningPlatform } from '../../test/provisioning.js';
import { Role } from '../membership/membership.entity.js';
import { createClusterClients } from '../provision/cluster-clients.js';
import { startMetricsCollector } from './metrics.collector.js';

const INTERVAL_MS = 400;

const SERIES = `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $n: Int) {
  machineMetrics(machineId: $id, from: $from, to: $to, maxPoints: $n) {
    source stepSeconds points { at cpu cpuMax memoryBytes memoryTotalBytes netIn netOut diskRead diskWrite }
    columns { atMs cpu cpuMax memoryBytes memoryTotalBytes netIn netOut diskRead diskWrite }
  }
}`;
const LIVE = `subscription($ids: [ID!]!) { machineMetricsLive(machineIds: $ids) { machineId at cpu memoryBytes netIn } }`;

describe.skipIf(postgresUnavailable())('metrics API', () => {
  let p: ProvisioningPlatform;
  let collector: Collector;
  let machineId: string;
  let clusterId: string;
  let clusters: ReturnType<typeof createClusterClients>;

  beforeAll(async () => {
    p = await startProvisioningPlatform();
    const { machine, job } = await p.provision({ name: 'metered', templateId: p.templates.VM });
    machineId = machine.id;
    const events = await p.follow(job.id);
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'SUCCEEDED' } });
    const sql = sqlClientFromOrm(p.api.db.orm);
    clusterId = (await sql.query<{ id: string }>(`select id from cluster`)).rows[0]!.id;
    const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
    clusters = createClusterClients(p.api.db.orm, p.api.app.services.secrets, log);
    collector = startMetricsCollector(
      { orm: p.api.db.orm, clusters, pubsub: p.api.pubsub, log },
      { intervalMs: INTERVAL_MS, rollupIntervalMs: 60_000, cephEveryTicks: 1 },
    );
  }, 120_000);

  afterAll(async () => {
    await collector?.stop();
    clusters?.close();
    await p?.close();
  });

  it('delivers a live sample over graphql-ws within one collection interval', async () => {
    const client = createClient({
      url: p.api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${p.admin.token}` },
    });
    try {
      const started = Date.now();
      const sample = await new Promise<Record<string, unknown>>((resolve, reject) => {
        client.subscribe(
          { query: LIVE, variables: { ids: [machineId] } },
          {
            next: (m) =>
              m.errors ? reject(new Error(JSON.stringify(m.errors))) : resolve(m.data!.machineMetricsLive as never),
            error: reject,
            complete: () => reject(new Error('completed')),
          },
        );
      });
      // Subscribed at some point of an interval: the next tick is at most one interval away (plus the
      // tick's own work on a loaded machine).
      expect(Date.now() - started).toBeLessThan(INTERVAL_MS + 1500);
      expect(sample).toMatchObject({ machineId });
      expect(sample.cpu).toBeGreaterThan(0);
      expect(sample.memoryBytes).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });

  it("refuses another organisation's caller a machine's live samples and series (NOT_FOUND)", async () => {
    const outsider = await p.api.user();
    await p.api.org(outsider.user, Role.OWNER);
    const client = createClient({
      url: p.api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${outsider.token}` },
    });
    try {
      const result = await new Promise<{ errors?: { extensions?: { code?: string } }[]; data?: unknown }>((resolve) => {
        client.subscribe(
          { query: LIVE, variables: { ids: [machineId] } },
          {
            next: (m) => resolve(m as never),
            error: (e) => resolve({ errors: Array.isArray(e) ? e : [{ extensions: { code: String(e) } }] }),
            complete: () => resolve({}),
          },
        );
      });
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      await client.dispose();
    }
    const now = Date.now();
    const err = await p.api.fail(
      SERIES,
      { id: machineId, from: new Date(now - 60_000).toISOString(), to: new Date(now).toISOString() },
      outsider.token,
    );
    expect(err.extensions?.code).toBe('NOT_FOUND');
    const status = await p.api.fail(
      `query($c: ID!) { clusterStatus(clusterId: $c) { clusterId } }`,
      { c: clusterId },
      outsider.token,
    );
    expect(status.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers the stored series, downsampled to maxPoints, and the cluster status with Ceph', async () => {
    // Enough ticks for several raw samples.
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 6));
    // Nothing more is written while the answer is compared with the stored rows.
    await collector.stop();
    const to = new Date(Date.now() + 1000);
    const from = new Date(to.getTime() - 5 * 60_000);
    const full = (await p.api.ok(SERIES, { id: machineId, from, to, n: 1000 }, p.admin.token)).machineMetrics;
    expect(full.source).toBe('raw');
    // Steps are whole collection intervals (10 s as configured), counted from `from`.
    expect(full.stepSeconds).toBe(10);
    const sql = sqlClientFromOrm(p.api.db.orm);
    const vmid = (await sql.query<{ vmid: number }>(`select vmid from machine where id = $1`, [machineId])).rows[0]!
      .vmid;
    const raw = (
      await sql.query<{ ts: string; cpu: number; net_in: number }>(
        `select ts, cpu, net_in from metric_sample where kind = 'machine' and key = $1 and ts >= $2 and ts < $3 order by ts`,
        [String(vmid), from.toISOString(), to.toISOString()],
      )
    ).rows;
    expect(raw.length).toBeGreaterThanOrEqual(5);
    // The same downsampling by hand: average of the raw samples of each 10 s step.
    const steps = new Map<number, { cpu: number[]; net: number[] }>();
    for (const r of raw) {
      const k = Math.floor((Date.parse(String(r.ts)) - from.getTime()) / 10_000);
      const g = steps.get(k) ?? { cpu: [], net: [] };
      g.cpu.push(r.cpu);
      g.net.push(r.net_in);
      steps.set(k, g);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(full.points).toHaveLength(steps.size);
    [...steps.entries()]
      .sort(([a], [b]) => a - b)
      .forEach(([k, g], i) => {
        const point = full.points[i];
        expect(Date.parse(point.at)).toBe(from.getTime() + k * 10_000);
        expect(point.cpu).toBeCloseTo(mean(g.cpu), 9);
        expect(point.cpuMax).toBe(Math.max(...g.cpu));
        expect(point.netIn).toBeCloseTo(mean(g.net), 6);
      });
    // Column-wise, the very same points: index i of every array is point i.
    type Measure =
      'cpu' | 'cpuMax' | 'memoryBytes' | 'memoryTotalBytes' | 'netIn' | 'netOut' | 'diskRead' | 'diskWrite';
    type Point = Record<Measure, number> & { at: string };
    const column = (f: (pt: Point) => number) => (full.points as Point[]).map(f);
    expect(full.columns).toEqual({
      atMs: column((pt) => Date.parse(pt.at)),
      cpu: column((pt) => pt.cpu),
      cpuMax: column((pt) => pt.cpuMax),
      memoryBytes: column((pt) => pt.memoryBytes),
      memoryTotalBytes: column((pt) => pt.memoryTotalBytes),
      netIn: column((pt) => pt.netIn),
      netOut: column((pt) => pt.netOut),
      diskRead: column((pt) => pt.diskRead),
      diskWrite: column((pt) => pt.diskWrite),
    });
    const two = (await p.api.ok(SERIES, { id: machineId, from, to, n: 2 }, p.admin.token)).machineMetrics;
    // 150 s per point is coarser than a minute: read from the 1-minute rollups, whole minutes per step.
    expect(two).toMatchObject({ source: '1m', stepSeconds: 180 });
    expect(two.points.length).toBeLessThanOrEqual(2);

    const bad = await p.api.fail(SERIES, { id: machineId, from, to, n: 1001 }, p.admin.token);
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxPoints' });

    const project = (
      await p.api.ok(
        `query($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { projectMetrics(projectId: $p, from: $from, to: $to, maxPoints: 1000) { points { cpu memoryBytes } columns { cpu memoryBytes } } }`,
        { p: p.project.id, from, to },
        p.admin.token,
      )
    ).projectMetrics;
    expect(project.points.length).toBeGreaterThan(0);
    expect(project.points.at(-1).memoryBytes).toBeGreaterThan(0);
    expect(project.columns).toEqual({
      cpu: project.points.map((pt: { cpu: number }) => pt.cpu),
      memoryBytes: project.points.map((pt: { memoryBytes: number }) => pt.memoryBytes),
    });

    const { clusterStatus } = await p.api.ok(
      `query($c: ID!) { clusterStatus(clusterId: $c) {
        collectedAt guestsRunning guestsTotal nodes { node status cpus }
        ceph { available health osdsTotal osdsUp osdsIn pgsTotal pgsByState { state count } pools { name bytesUsed } checks { name } }
      } }`,
      { c: clusterId },
      p.admin.token,
    );
    expect(clusterStatus.nodes.map((n: { node: string }) => n.node)).toEqual(['pve1', 'pve2', 'pve3']);
    expect(clusterStatus.guestsRunning).toBeGreaterThanOrEqual(1);
    expect(clusterStatus.ceph).toMatchObject({
      available: true,
      health: 'HEALTH_OK',
      osdsTotal: 12,
      osdsUp: 12,
      osdsIn: 12,
      pgsTotal: 129,
    });
    expect(clusterStatus.ceph.pools.map((x: { name: string }) => x.name)).toContain('ceph-vm');
  });
});
