// 50 provisions at once through HTTP, each followed over its own graphql-ws connection: every job
// succeeds with its own VMID, no Proxmox lock error reaches a user, and every subscriber sees every
// event of its job exactly once and in order (the stored history is the reference).
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveSimulator, type PveSimulator } from '@pvepaas/orchestration/pve-sim/index';
import { createLogger } from '../logger.js';
import { Role } from '../modules/membership/membership.entity.js';
import { postgresUnavailable, testDatabaseKind } from '../test/database.js';
import { startTestApi, type TestApi } from '../test/api.js';
import { startWorker } from '../worker/start-worker.js';

const JOBS = 50;
const PROVISION = `mutation($input: ProvisionMachineInput!) {
  provisionMachine(input: $input) { machine { id } job { id } }
}`;
const FOLLOW = `subscription($jobId: ID!) { jobProgress(jobId: $jobId) { seq step status message data } }`;

interface Progress {
  seq: number;
  step: string;
  status: string;
  message: string;
  data: Record<string, unknown>;
}

describe.skipIf(postgresUnavailable())(`${JOBS} concurrent provisions`, () => {
  let api: TestApi;
  let sim: PveSimulator;
  let admin: Awaited<ReturnType<TestApi['user']>>;
  let projectId: string;
  let templateId: string;
  let stopWorker: () => void;
  const clients: Client[] = [];

  beforeAll(async () => {
    sim = await createPveSimulator({ seed: 3, timeFactor: 0.01, port: 0 });
    api = await startTestApi();
    admin = await api.user({ admin: true });
    projectId = (await api.org(admin.user, Role.OWNER)).project.id;
    const token = sim.credentials.tokens.full;
    const { createCluster } = await api.ok(
      `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`,
      { input: { name: 'sim', apiUrl: sim.url, tokenId: token.tokenid, tokenSecret: token.secret } },
      admin.token,
    );
    const { createTemplate } = await api.ok(
      `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`,
      {
        input: {
          clusterId: createCluster.id,
          name: 'debian-12',
          kind: 'VM',
          os: 'debian-12',
          sourceVmid: 9000,
          defaultCores: 1,
          defaultMemoryMiB: 512,
          defaultDiskGiB: 4,
        },
      },
      admin.token,
    );
    templateId = createTemplate.id;
    // Jobs mostly wait on Proxmox tasks, so a worker runs many at once; the bound is the database
    // pool (5 connections here), which every step and event write shares. PGlite has one connection.
    const worker = await startWorker({
      orm: api.db.orm,
      jobs: api.jobs,
      pubsub: api.pubsub,
      secrets: api.app.services.secrets,
      log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      concurrency: testDatabaseKind() === 'postgres' ? 16 : 8,
      addressTimeoutMs: 60_000,
    });
    stopWorker = worker.stop;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    stopWorker?.();
    await api?.close();
    await sim?.close();
  });

  const follow = (jobId: string) => {
    const client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${admin.token}` },
    });
    clients.push(client);
    return new Promise<Progress[]>((resolve, reject) => {
      const events: Progress[] = [];
      client.subscribe<{ jobProgress: Progress }>(
        { query: FOLLOW, variables: { jobId } },
        {
          next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : events.push(m.data!.jobProgress)),
          error: reject,
          complete: () => resolve(events),
        },
      );
    });
  };

  it('all succeed with distinct VMIDs, and every subscriber gets every event in order', async () => {
    const started = Date.now();
    const runs = await Promise.all(
      Array.from({ length: JOBS }, async (_, i) => {
        const { provisionMachine } = await api.ok(
          PROVISION,
          { input: { projectId, name: `burst-${i}`, templateId } },
          admin.token,
        );
        return {
          machineId: provisionMachine.machine.id as string,
          jobId: provisionMachine.job.id as string,
          events: await follow(provisionMachine.job.id),
        };
      }),
    );
    const elapsed = Date.now() - started;

    const vmids = new Set<number>();
    for (const run of runs) {
      const { job, machine } = await api.ok(
        `query($job: ID!, $machine: ID!) { job(id: $job) { status error events { seq step status message } } machine(id: $machine) { status vmid } }`,
        { job: run.jobId, machine: run.machineId },
        admin.token,
      );
      expect(job, `job ${run.jobId}: ${job.error}`).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(machine.status).toBe('RUNNING');
      vmids.add(machine.vmid);
      // What the subscriber saw is exactly the stored history: 1..n, no gap, no repeat, same order.
      expect(run.events.map((e) => e.seq)).toEqual(run.events.map((_, i) => i + 1));
      expect(run.events.map((e) => `${e.seq}:${e.step}:${e.status}`)).toEqual(
        (job.events as Progress[]).map((e) => `${e.seq}:${e.step}:${e.status}`),
      );
      expect(run.events.at(-1)).toMatchObject({ step: 'job', status: 'finished', data: { status: 'SUCCEEDED' } });
      // Lock timeouts are retried below the workflow: none surfaces as a failure or in a message.
      expect(run.events.filter((e) => e.status === 'failed')).toEqual([]);
      expect(run.events.filter((e) => /can't lock file|got timeout/.test(e.message))).toEqual([]);
    }
    expect(vmids.size).toBe(JOBS);
    const guests = sim.state.guests.filter((g) => vmids.has(g.vmid));
    expect(guests).toHaveLength(JOBS);
    expect(guests.every((g) => g.status === 'running')).toBe(true);
    console.info(`${JOBS} concurrent provisions on ${testDatabaseKind()}: ${elapsed} ms`);
  }, 300_000);
});
