// A platform that can provision: the API harness, a Proxmox VE simulator registered over GraphQL as
// a cluster with a VM and an LXC template, a worker, and a graphql-ws client to follow jobs.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createPveSimulator, type PveSimulator, type PveSimulatorOptions } from '@pvepaas/orchestration/pve-sim/index';
import { createLogger, type Logger } from '../logger.js';
import { Role } from '../modules/membership/membership.entity.js';
import type { Organization } from '../modules/organization/organization.entity.js';
import type { Project } from '../modules/project/project.entity.js';
import type { User } from '../modules/user/user.entity.js';
import { startWorker, type WorkerDeps } from '../worker/start-worker.js';
import { startTestApi, type TestApi } from './api.js';

export interface Progress {
  seq: number;
  step: string;
  status: string;
  percent: number | null;
  message: string;
  data: Record<string, unknown>;
}

export interface ProvisioningPlatform {
  api: TestApi;
  sim: PveSimulator;
  admin: { user: User; token: string };
  org: Organization;
  project: Project;
  /** The admin's graphql-ws client (more subscriptions can share it). */
  ws: Client;
  templates: { VM: string; LXC: string };
  /** Every event of a job, from the first to `finished`, over graphql-ws. */
  follow(jobId: string): Promise<Progress[]>;
  provision(input: Record<string, unknown>): Promise<{ machine: { id: string }; job: { id: string } }>;
  close(): Promise<void>;
}

export const PROVISION = `mutation($input: ProvisionMachineInput!) {
  provisionMachine(input: $input) { machine { id name status } job { id status kind } }
}`;
const FOLLOW = `subscription($jobId: ID!) { jobProgress(jobId: $jobId) { seq step status percent message data } }`;

export async function startProvisioningPlatform(
  options: {
    sim?: PveSimulatorOptions;
    worker?: Partial<
      Pick<WorkerDeps, 'concurrency' | 'addressTimeoutMs' | 'stepTimeoutsMs' | 'terraform' | 'configure'>
    >;
    /** Options of the API harness (environment, secret-store key, logger). */
    api?: Parameters<typeof startTestApi>[0];
    /** The worker's logger (default: TEST_LOG_LEVEL, silent). */
    workerLog?: Logger;
  } = {},
): Promise<ProvisioningPlatform> {
  const sim = await createPveSimulator({ seed: 7, timeFactor: 0.01, port: 0, ...options.sim });
  const api = await startTestApi(options.api);
  const admin = await api.user({ admin: true });
  const { org, project } = await api.org(admin.user, Role.OWNER);
  const token = sim.credentials.tokens.full;
  const { createCluster } = await api.ok(
    `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`,
    { input: { name: 'sim', apiUrl: sim.url, tokenId: token.tokenid, tokenSecret: token.secret } },
    admin.token,
  );
  const templates = { VM: '', LXC: '' };
  for (const t of [
    {
      name: 'debian-12',
      kind: 'VM',
      os: 'debian-12',
      sourceVmid: 9000,
      defaultCores: 1,
      defaultMemoryMiB: 1024,
      defaultDiskGiB: 4,
    },
    {
      name: 'debian-12-ct',
      kind: 'LXC',
      os: 'debian-12',
      osTemplate: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst',
      defaultCores: 1,
      defaultMemoryMiB: 512,
      defaultDiskGiB: 4,
    },
  ] as const) {
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
    log: options.workerLog ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    concurrency: 4,
    addressTimeoutMs: 30_000,
    ...options.worker,
  });
  const ws: Client = createClient({
    url: api.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${admin.token}` },
  });
  return {
    api,
    sim,
    admin,
    org,
    project,
    ws,
    templates,
    follow: (jobId) =>
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
      }),
    provision: async (input) =>
      (await api.ok(PROVISION, { input: { projectId: project.id, ...input } }, admin.token)).provisionMachine,
    async close() {
      await ws.dispose();
      worker.stop();
      await api.close();
      await sim.close();
    },
  };
}
