import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveSimulator, type PveSimulator } from '@pvepaas/orchestration/pve-sim/index';
import { createLogger } from '../../logger.js';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { startWorker } from '../../worker/start-worker.js';
import { Role } from '../membership/membership.entity.js';
import type { Project } from '../project/project.entity.js';
import type { User } from '../user/user.entity.js';

const PROVISION = `mutation($input: ProvisionMachineInput!) {
  provisionMachine(input: $input) { machine { id name status } job { id status kind } }
}`;
const FOLLOW = `subscription($jobId: ID!) { jobProgress(jobId: $jobId) { seq step status percent message data } }`;

interface Progress {
  seq: number;
  step: string;
  status: string;
  percent: number | null;
  message: string;
  data: Record<string, unknown>;
}

describe.skipIf(postgresUnavailable())('provisioning on the Proxmox VE simulator', () => {
  let api: TestApi;
  let sim: PveSimulator;
  let admin: { user: User; token: string };
  let project: Project;
  let ws: Client;
  let stopWorker: () => void;
  const templates: Record<string, string> = {};

  const follow = (jobId: string) =>
    new Promise<Progress[]>((resolve, reject) => {
      const events: Progress[] = [];
      ws.subscribe<{ jobProgress: Progress }>(
        { query: FOLLOW, variables: { jobId } },
        {
          next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : events.push(m.data!.jobProgress)),
          error: reject,
          complete: () => resolve(events),
        },
      );
    });

  const guest = (vmid: number) => sim.state.guests.find((g) => g.vmid === vmid);

  beforeAll(async () => {
    sim = await createPveSimulator({ seed: 7, timeFactor: 0.01, port: 0 });
    api = await startTestApi();
    admin = await api.user({ admin: true });
    ({ project } = await api.org(admin.user, Role.OWNER));
    const token = sim.credentials.tokens.full;
    const { createCluster } = await api.ok(
      `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`,
      { input: { name: 'sim', apiUrl: sim.url, tokenId: token.tokenid, tokenSecret: token.secret } },
      admin.token,
    );
    for (const t of [
      { name: 'debian-12', kind: 'VM', os: 'debian-12', sourceVmid: 9000, defaultCores: 1, defaultMemoryMiB: 1024, defaultDiskGiB: 4 },
      { name: 'debian-12-ct', kind: 'LXC', os: 'debian-12', osTemplate: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst', defaultCores: 1, defaultMemoryMiB: 512, defaultDiskGiB: 4 },
    ]) {
      const { createTemplate } = await api.ok(
        `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`,
        { input: { ...t, clusterId: createCluster.id } },
        admin.token,
      );
      templates[t.kind] = createTemplate.id;
    }
    const worker = await startWorker({
      orm: api.db.orm,
      jobs: api.jobs,
      pubsub: api.pubsub,
      secrets: api.app.services.secrets,
      log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      concurrency: 4,
      addressTimeoutMs: 30_000,
    });
    stopWorker = worker.stop;
    ws = createClient({ url: api.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${admin.token}` } });
  }, 120_000);

  afterAll(async () => {
    await ws?.dispose();
    stopWorker?.();
    await api?.close();
    await sim?.close();
  });

  it('provisions a VM: every step in order up to finished, and the guest runs with what was asked', async () => {
    const { provisionMachine } = await api.ok(PROVISION, { input: { projectId: project.id, name: 'web-1', templateId: templates.VM, cores: 2, memoryMiB: 2048, diskGiB: 8 } }, admin.token);
    expect(provisionMachine.machine.status).toBe('PROVISIONING');
    const events = await follow(provisionMachine.job.id);
    const steps = events.filter((e) => e.status === 'succeeded' || e.status === 'skipped').map((e) => `${e.step}:${e.status}`);
    expect(steps).toEqual(['place:succeeded', 'reserve:succeeded', 'secrets:succeeded', 'create:succeeded', 'start:succeeded', 'address:succeeded', 'configure:skipped']);
    expect(events.at(-1)).toMatchObject({ status: 'finished', percent: 100, data: { status: 'SUCCEEDED' } });
    expect(events.some((e) => e.status === 'log' && e.data.source === 'proxmox')).toBe(true);
    const { machine } = await api.ok(`query($id: ID!) { machine(id: $id) { status vmid ipAddresses } }`, { id: provisionMachine.machine.id }, admin.token);
    expect(machine.status).toBe('RUNNING');
    expect(machine.ipAddresses.length).toBeGreaterThan(0);
    const g = guest(machine.vmid)!;
    expect(g.status).toBe('running');
    expect(g.config).toMatchObject({ cores: '2', memory: '2048', ciuser: 'paas', name: 'web-1' });
    expect(decodeURIComponent(g.config.sshkeys ?? '')).toMatch(/^ssh-ed25519 /);
  });

  it('provisions an LXC container', async () => {
    const { provisionMachine } = await api.ok(PROVISION, { input: { projectId: project.id, name: 'ct-1', templateId: templates.LXC } }, admin.token);
    const events = await follow(provisionMachine.job.id);
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'SUCCEEDED' } });
    const { machine } = await api.ok(`query($id: ID!) { machine(id: $id) { status vmid } }`, { id: provisionMachine.machine.id }, admin.token);
    const g = guest(machine.vmid)!;
    expect(g).toMatchObject({ type: 'lxc', status: 'running' });
    expect(g.config).toMatchObject({ hostname: 'ct-1', memory: '512' });
  });

  it('ends a failed clone in FAILED with its reason, and leaves no guest, reservation or secret', async () => {
    sim.control.failNextTask('qmclone', 'clone failed: storage ceph-vm is full');
    const before = sim.state.guests.length;
    const { provisionMachine } = await api.ok(PROVISION, { input: { projectId: project.id, name: 'doomed', templateId: templates.VM } }, admin.token);
    const events = await follow(provisionMachine.job.id);
    expect(events.find((e) => e.status === 'failed')).toMatchObject({ step: 'create', data: { code: 'PROXMOX_TASK_FAILED' } });
    expect(events.find((e) => e.status === 'failed')?.message).toMatch(/storage ceph-vm is full/);
    expect(events.filter((e) => e.status === 'rolledBack').map((e) => e.step)).toEqual(['create', 'secrets', 'reserve']);
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'FAILED' } });
    const { machine } = await api.ok(`query($id: ID!) { machine(id: $id) { status vmid } }`, { id: provisionMachine.machine.id }, admin.token);
    expect(machine).toEqual({ status: 'FAILED', vmid: null });
    expect(sim.state.guests.length).toBe(before);
    expect(await api.app.services.secrets.read(`machines/${provisionMachine.machine.id}/credentials`)).toBeNull();
  });

  it('returns the same job for a repeated idempotency key', async () => {
    const input = { projectId: project.id, name: 'idem-1', templateId: templates.LXC, idempotencyKey: 'k-1' };
    const a = await api.ok(PROVISION, { input }, admin.token);
    const b = await api.ok(PROVISION, { input }, admin.token);
    expect(b.provisionMachine.job.id).toBe(a.provisionMachine.job.id);
    const c = await api.gql(PROVISION, { input: { ...input, cores: 3 } }, admin.token);
    expect(c.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await follow(a.provisionMachine.job.id);
  });
});
