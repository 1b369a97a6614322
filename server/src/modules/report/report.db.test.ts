// Usage reports against a hand-computed fixture: samples written for two machines over three hours,
// rolled up partly into hours and minutes, and the figures worked out on paper below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PartitionKeeper,
  rollupRange,
  setRollupWatermark,
  writeSamples,
  type StoredSample,
} from '@pvepaas/orchestration/metrics/index';
import { sqlClientFromOrm } from '../../db/sql-client.js';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { Role } from '../membership/membership.entity.js';
import { Project } from '../project/project.entity.js';

const GiB = 1024 ** 3;
const T0 = Date.parse('2026-11-20T00:00:00Z');
const H = 3_600_000;
const REPORT = `query($org: ID, $project: ID, $from: DateTimeISO!, $to: DateTimeISO!) {
  usageReport(organizationId: $org, projectId: $project, from: $from, to: $to) {
    organizationId projectId
    totals { coreHours memoryGiBHours diskGiBDays machineHours gpuHours }
    projects { name totals { coreHours machineHours } machines { name coreHours memoryGiBHours diskGiBDays machineHours gpuHours } }
  }
}`;

// On paper, for [00:00, 03:00):
// A: 2 cores, 4 GiB, 10 GiB disk; running 00:00–01:30, stopped 01:30–03:00 (disk still counts).
//    machine-hours 1.5; core-hours 2 × 1.5 = 3; memory 4 × 1.5 = 6 GiB-h; disk 10 GiB × 3 h = 1.25 GiB-days.
// B: 1 core, 2 GiB, 20 GiB; created 00:30, running 00:30–01:00 only.
//    machine-hours 0.5; core-hours 0.5; memory 1 GiB-h; disk 20 × 0.5 h = 0.416667 GiB-days.
//    A sample of B's VMID at 00:10 belonged to an earlier guest: not B's.
// A sample of A at 23:59:50 the day before is outside the period.
const A = { coreHours: 3, memoryGiBHours: 6, diskGiBDays: 1.25, machineHours: 1.5, gpuHours: 0 };
const B = { coreHours: 0.5, memoryGiBHours: 1, diskGiBDays: 20 / 48, machineHours: 0.5, gpuHours: 0 };

describe.skipIf(postgresUnavailable())('usage reports', () => {
  let api: TestApi;
  let owner: Awaited<ReturnType<TestApi['user']>>;
  let orgId: string;
  let projectA: string;
  let projectB: string;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user();
    const { org, project } = await api.org(owner.user, Role.OWNER);
    orgId = org.id;
    projectA = project.id;
    const em = api.db.orm.em.fork();
    const second = em.create(Project, { organization: org.id, name: 'second' });
    await em.flush();
    projectB = second.id;
    const template = await api.template();
    const clusterId = template.cluster.id;
    const a = await api.machine({ id: projectA }, owner.user, template, 'alpha');
    const b = await api.machine({ id: projectB }, owner.user, template, 'beta');
    const sql = sqlClientFromOrm(api.db.orm);
    await sql.query(`update machine set cluster_id = $1, vmid = 101, created_at = $2 where id = $3`, [
      clusterId,
      new Date(T0 - 24 * H).toISOString(),
      a.id,
    ]);
    await sql.query(`update machine set cluster_id = $1, vmid = 102, created_at = $2 where id = $3`, [
      clusterId,
      new Date(T0 + 0.5 * H).toISOString(),
      b.id,
    ]);
    const rows: StoredSample[] = [];
    const sample = (
      ms: number,
      vmid: number,
      running: boolean,
      cpus: number,
      mem: number,
      disk: number,
    ): StoredSample => ({
      ts: new Date(ms).toISOString(),
      kind: 'machine',
      clusterId,
      node: 'pve1',
      vmid,
      cpu: running ? 0.5 : 0,
      cpus,
      memUsed: running ? mem / 2 : 0,
      memTotal: mem,
      netInBps: 0,
      netOutBps: 0,
      diskReadBps: 0,
      diskWriteBps: 0,
      diskUsed: 0,
      diskTotal: disk,
      status: running ? 'running' : 'stopped',
      weightSeconds: 10,
    });
    for (let ms = T0; ms < T0 + 3 * H; ms += 10_000)
      rows.push(sample(ms, 101, ms < T0 + 1.5 * H, 2, 4 * GiB, 10 * GiB));
    for (let ms = T0 + 0.5 * H; ms < T0 + H; ms += 10_000) rows.push(sample(ms, 102, true, 1, 2 * GiB, 20 * GiB));
    rows.push(sample(T0 - 10_000, 101, true, 2, 4 * GiB, 10 * GiB));
    rows.push(sample(T0 + 600_000, 102, true, 64, 512 * GiB, 1000 * GiB));
    await new PartitionKeeper(sql).ensure(T0 - H, T0 + 4 * H);
    await writeSamples(sql, rows);
    // Minutes rolled up to 02:59, hours to 02:00: the report reads 1h, then 1m, then raw samples.
    await rollupRange(sql, '1m', new Date(T0 - H), new Date(T0 + 3 * H - 60_000));
    await setRollupWatermark(sql, '1m', new Date(T0 + 3 * H - 60_000));
    await rollupRange(sql, '1h', new Date(T0 - H), new Date(T0 + 2 * H));
    await setRollupWatermark(sql, '1h', new Date(T0 + 2 * H));
  });
  afterAll(() => api?.close());

  const vars = (extra: Record<string, unknown>) => ({
    from: new Date(T0).toISOString(),
    to: new Date(T0 + 3 * H).toISOString(),
    ...extra,
  });

  it("sums an organization's machines per project to the hand-computed figures", async () => {
    const { usageReport } = await api.ok(REPORT, vars({ org: orgId }), owner.token);
    const [lineA, lineB] = [usageReport.projects[0].machines[0], usageReport.projects[1].machines[0]];
    expect(usageReport.projects.map((p: { name: string }) => p.name)).toEqual(['default', 'second']);
    for (const [got, want] of [
      [lineA, A],
      [lineB, B],
    ] as const)
      for (const [k, v] of Object.entries(want)) expect(got[k], k).toBeCloseTo(v, 9);
    for (const [k, v] of Object.entries(A)) expect(usageReport.totals[k], k).toBeCloseTo(v + B[k as keyof typeof B], 9);
  });

  it("reports one project, and refuses another organization's caller", async () => {
    const { usageReport } = await api.ok(REPORT, vars({ project: projectB }), owner.token);
    expect(usageReport).toMatchObject({ projectId: projectB, organizationId: null });
    expect(usageReport.totals.coreHours).toBeCloseTo(B.coreHours, 9);
    expect(usageReport.totals.diskGiBDays).toBeCloseTo(B.diskGiBDays, 9);
    const outsider = await api.user();
    await api.org(outsider.user, Role.OWNER);
    expect((await api.fail(REPORT, vars({ org: orgId }), outsider.token)).extensions?.code).toBe('NOT_FOUND');
    expect((await api.fail(REPORT, vars({ project: projectA }), outsider.token)).extensions?.code).toBe('NOT_FOUND');
    const bad = await api.fail(REPORT, { ...vars({ org: orgId }), to: new Date(T0).toISOString() }, owner.token);
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('downloads the same figures as CSV, for its own caller only', async () => {
    const q = new URLSearchParams({
      organizationId: orgId,
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 3 * H).toISOString(),
    });
    const res = await fetch(`${api.url}/reports/usage.csv?${q}`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text())
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(lines[0]).toEqual([
      'project_id',
      'project',
      'machine_id',
      'machine',
      'core_hours',
      'memory_gi_b_hours',
      'disk_gi_b_days',
      'machine_hours',
      'gpu_hours',
    ]);
    const alpha = lines.find((l) => l[3] === 'alpha')!;
    expect(alpha.slice(4).map(Number)).toEqual([3, 6, 1.25, 1.5, 0]);
    const total = lines.at(-1)!;
    expect(total[1]).toBe('(total)');
    expect(total.slice(4).map(Number)).toEqual([3.5, 7, 1.666667, 2, 0]);
    const outsider = await api.user();
    const refused = await fetch(`${api.url}/reports/usage.csv?${q}`, {
      headers: { authorization: `Bearer ${outsider.token}` },
    });
    expect(refused.status).toBe(404);
    expect((await fetch(`${api.url}/reports/usage.csv?${q}`)).status).toBe(401);
  });
});
