// GET /metrics over real HTTP: after some requests, a running subscription, finished and queued
// jobs and a collected sample, the named series are there with the values those imply; with
// METRICS_TOKEN set, only a caller with the token gets them.
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartitionKeeper } from '@pvepaas/orchestration/metrics/index';
import { sqlClientFromOrm } from '../db/sql-client.js';
import { Job, JobStatus } from '../modules/job/job.entity.js';
import { Role } from '../modules/membership/membership.entity.js';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type TestApi } from '../test/api.js';

const TOKEN = 'metrics-token-0123456789';

const scrape = async (api: TestApi, token?: string) => {
  const res = await fetch(`${api.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

/** The value of one series line (name with its labels exactly as exposed), or undefined. */
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const waitFor = async (what: string, ok: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(postgresUnavailable())('/metrics', () => {
  describe('without METRICS_TOKEN (loopback callers)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi();
    });
    afterAll(() => api?.close());

    it('exposes HTTP and GraphQL latency, subscriptions, jobs and collector lag', async () => {
      const owner = await api.user();
      const { project } = await api.org(owner.user, Role.OWNER);
      for (let i = 0; i < 3; i++) await fetch(`${api.url}/healthz`);
      await api.ok(`query Me { viewer { id } }`, {}, owner.token);
      await api.ok(`query Me { viewer { id } }`, {}, owner.token);
      await api.gql(`query Broken { nope }`, {}, owner.token);

      const em = api.db.orm.em.fork();
      const now = Date.now();
      em.create(Job, {
        kind: 'provision',
        status: JobStatus.SUCCEEDED,
        project: project.id,
        requestedBy: owner.user.id,
        startedAt: new Date(now - 7000),
        finishedAt: new Date(now - 1000),
      });
      for (let i = 0; i < 2; i++)
        em.create(Job, { kind: 'start', status: JobStatus.QUEUED, project: project.id, requestedBy: owner.user.id });
      await em.flush();
      const sql = sqlClientFromOrm(api.db.orm);
      await new PartitionKeeper(sql).ensure(now - 86_400_000, now + 86_400_000);
      const clusterId = randomUUID();
      await sql.query(
        `insert into metric_sample (ts, cluster_id, kind, key, node, status, cpu, cpus, mem_used, mem_total, net_in,
           net_out, disk_read, disk_write, disk_used, disk_total, weight_s)
         values ($1, $2, 'node', 'pve1', 'pve1', 'online', 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 10)`,
        [new Date(now - 30_000).toISOString(), clusterId],
      );

      const ws = createClient({
        url: api.url.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${owner.token}` },
      });
      const active = async () => value((await scrape(api)).text, 'pvepaas_graphql_active_subscriptions');
      try {
        ws.subscribe(
          {
            query: `subscription($p: ID!) { machineEvents(projectId: $p) { machineId } }`,
            variables: { p: project.id },
          },
          { next: () => undefined, error: () => undefined, complete: () => undefined },
        );
        await waitFor('the subscription to count', async () => (await active()) === 1);
      } finally {
        await ws.dispose();
      }
      await waitFor('the subscription to end', async () => (await active()) === 0);

      const { status, type, text } = await scrape(api);
      expect(status).toBe(200);
      expect(type).toContain('text/plain');
      expect(
        value(text, 'pvepaas_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'),
      ).toBe(3);
      expect(
        value(text, 'pvepaas_graphql_operation_duration_seconds_count{type="query",operation="Me",outcome="ok"}'),
      ).toBe(2);
      expect(
        value(
          text,
          'pvepaas_graphql_operation_duration_seconds_count{type="invalid",operation="Broken",outcome="error"}',
        ),
      ).toBe(1);
      expect(value(text, 'pvepaas_job_queue_depth{status="QUEUED"}')).toBe(2);
      expect(value(text, 'pvepaas_job_duration_seconds_count{kind="provision",status="SUCCEEDED"}')).toBe(1);
      expect(value(text, 'pvepaas_job_duration_seconds_sum{kind="provision",status="SUCCEEDED"}')).toBeCloseTo(6, 1);
      const lag = value(text, `pvepaas_metrics_collector_lag_seconds{cluster_id="${clusterId}"}`);
      expect(lag).toBeGreaterThanOrEqual(30);
      expect(lag).toBeLessThan(120);
      expect(text).toContain('pvepaas_process_cpu_seconds_total');
      // A job is observed once, not again at the next scrape.
      expect(
        value((await scrape(api)).text, 'pvepaas_job_duration_seconds_count{kind="provision",status="SUCCEEDED"}'),
      ).toBe(1);
    });
  });

  describe('with METRICS_TOKEN', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ env: { METRICS_TOKEN: TOKEN } });
    });
    afterAll(() => api?.close());

    it('answers only a caller with the token', async () => {
      expect((await scrape(api)).status).toBe(401);
      expect((await scrape(api, 'wrong-token-0123456789')).status).toBe(401);
      const ok = await scrape(api, TOKEN);
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('# TYPE pvepaas_http_request_duration_seconds histogram');
    });
  });
});
