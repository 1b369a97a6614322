// A worker process killed in the middle of a provision: pg-boss notices the missing heartbeat and
// hands the job to another worker process, which resumes from the checkpoint (the clone's UPID)
// instead of cloning again. Real PostgreSQL only: the API (this process) and the workers (child
// processes running server/dist/worker.js, as `npm run worker` does) share one database. Build first
// (`npm run build:ts`; `npm test` does).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveSimulator, type PveSimulator } from '@pvepaas/orchestration/pve-sim/index';
import { Job, JobStatus } from '../modules/job/job.entity.js';
import { Role } from '../modules/membership/membership.entity.js';
import { startTestApi, type TestApi } from '../test/api.js';
import { postgresUnavailable } from '../test/database.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const WORKER = resolve(ROOT, 'server/dist/worker.js');
const NODE = existsSync(resolve(ROOT, 'node_modules/.bin/node'))
  ? resolve(ROOT, 'node_modules/.bin/node')
  : process.execPath;

const PROVISION = `mutation($input: ProvisionMachineInput!) {
  provisionMachine(input: $input) { machine { id } job { id } }
}`;

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined | null | false>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(postgresUnavailable())('a worker process killed mid-provision', () => {
  let api: TestApi;
  let sim: PveSimulator;
  let admin: Awaited<ReturnType<TestApi['user']>>;
  let projectId: string;
  let templateId: string;
  const key = randomBytes(32);
  const workers: ChildProcess[] = [];
  const output: string[] = [];

  const startWorkerProcess = (name: string) => {
    const child = spawn(NODE, [WORKER], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: api.db.url,
        DATABASE_POOL_SIZE: '4',
        SECRETS_KEY: key.toString('base64'),
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        WORKER_CONCURRENCY: '2',
        RECONCILE_INTERVAL_SECONDS: '0',
        // As the provisioning harness's worker: the simulator's guest addresses are made up and must
        // not be probed or configured over SSH (the configure step skips at once).
        CONFIGURE_GUESTS: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => output.push(`[${name}] ${b.toString()}`);
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    workers.push(child);
    return child;
  };
  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => child.once('exit', () => r()));

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build:ts\` first (npm test does).`);
    sim = await createPveSimulator({ seed: 11, timeFactor: 0.01, port: 0 });
    api = await startTestApi({ secretsKey: key });
    admin = await api.user({ admin: true });
    const { project } = await api.org(admin.user, Role.OWNER);
    projectId = project.id;
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
          defaultMemoryMiB: 1024,
          defaultDiskGiB: 4,
        },
      },
      admin.token,
    );
    templateId = createTemplate.id;
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await Promise.all(workers.map(exited));
    await api?.close();
    await sim?.close();
  });

  it('resumes on another worker from the clone UPID: the job succeeds with one guest and one clone', async () => {
    // The clone hangs after taking its locks, so the first worker is certainly mid-step when killed.
    sim.control.stallTasks('qmclone');
    const clonesBefore = sim.state.tasks.filter((t) => t.type === 'qmclone').length;
    const first = startWorkerProcess('worker-1');
    const { provisionMachine } = await api.ok(
      PROVISION,
      { input: { projectId, name: 'crash-1', templateId } },
      admin.token,
    );
    const jobId: string = provisionMachine.job.id;
    const readJob = () => api.db.orm.em.fork().findOneOrFail(Job, { id: jobId });

    const checkpoint = await until('the clone UPID in the checkpoint', 30_000, async () => {
      const job = await readJob();
      return typeof job.checkpoint.createUpid === 'string' ? job.checkpoint : null;
    });
    const vmid = checkpoint.vmid as number;
    expect(checkpoint.done).toEqual(['place', 'reserve', 'secrets']);
    first.kill('SIGKILL');
    await exited(first);
    expect(first.signalCode).toBe('SIGKILL');

    const killedAt = Date.now();
    startWorkerProcess('worker-2');
    sim.control.releaseTasks('qmclone');
    // A timeout names the job's last events (the step it stopped in) beside the workers' output.
    const withOutput = async (err: Error): Promise<never> => {
      const events = await api.db.orm.em
        .fork()
        .getConnection()
        .execute<{ seq: number; step: string; status: string; message: string }[]>(
          `select seq, step, status, message from job_event where job_id = ? order by seq`,
          [jobId],
        );
      const trail = events.map((e) => `${e.seq} ${e.step} ${e.status}: ${e.message}`).join('\n');
      throw new Error(`${err.message}\njob events:\n${trail}\nworker output:\n${output.join('')}`);
    };
    // Taken over within heartbeat (10 s) + supervise interval (5 s) + retry delay, not pg-boss's
    // default minute: the second worker starts the create step again.
    await until('another worker to take the job over', 30_000, async () => {
      const [row] = await api.db.orm.em
        .fork()
        .getConnection()
        .execute<{ n: string }[]>(
          `select count(*) as n from job_event where job_id = ? and step = 'create' and status = 'started'`,
          [jobId],
        );
      return Number(row?.n) >= 2;
    }).catch(withOutput);
    const job = await until('the job to finish', 30_000, async () => {
      const j = await readJob();
      return [JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED].includes(j.status) ? j : null;
    }).catch(withOutput);
    expect(job.status, `error: ${job.error}\n${output.join('')}`).toBe(JobStatus.SUCCEEDED);
    expect(Date.now() - killedAt).toBeLessThan(60_000);

    expect(sim.state.guests.filter((g) => g.vmid === vmid)).toHaveLength(1);
    expect(sim.state.guests.find((g) => g.vmid === vmid)).toMatchObject({ status: 'running' });
    expect(sim.state.tasks.filter((t) => t.type === 'qmclone').length - clonesBefore).toBe(1);
    const { job: seen } = await api.ok(
      `query($id: ID!) { job(id: $id) { events { seq step status } } }`,
      { id: jobId },
      admin.token,
    );
    const events = seen.events as { seq: number; step: string; status: string }[];
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // `create` started once by each worker: the second resumed the step instead of skipping or redoing it.
    expect(events.filter((e) => e.step === 'create' && e.status === 'started')).toHaveLength(2);
    expect(events.filter((e) => e.status === 'failed')).toEqual([]);
    // No SSH to the simulator's made-up address: the configure step skipped instead of running Ansible.
    expect(events.filter((e) => e.step === 'configure').map((e) => e.status)).toEqual(['started', 'skipped']);
    expect(events.at(-1)).toMatchObject({ step: 'job', status: 'finished' });
  }, 120_000);
});
