import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { Role } from '../modules/membership/membership.entity.js';
import { Job, JobStatus } from '../modules/job/job.entity.js';
import { createJobInTransaction } from '../modules/job/job.service.js';
import type { Project } from '../modules/project/project.entity.js';
import type { User } from '../modules/user/user.entity.js';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type TestApi } from '../test/api.js';
import { runJob, StepError, type Workflow } from './runner.js';

interface Progress {
  seq: number;
  step: string;
  status: string;
  percent: number | null;
  message: string;
  data: Record<string, unknown>;
}

const SUBSCRIBE = `subscription($jobId: ID!) { jobProgress(jobId: $jobId) { seq step status percent message data } }`;

describe.skipIf(postgresUnavailable())('job runner and jobProgress over graphql-ws', () => {
  let api: TestApi;
  let owner: { user: User; token: string };
  let project: Project;
  let ws: Client;
  const undone: string[] = [];

  // A workflow made for the test: three steps, the second undoable, the third failing on demand.
  const workflow: Workflow = {
    kind: 'test.steps',
    steps: [
      {
        name: 'prepare',
        weight: 1,
        timeoutMs: 5000,
        run: async (ctx) => {
          await ctx.log('preparing', { source: 'test' });
          // Long enough for the test to cancel the job while this step runs.
          if (ctx.params.hold) await new Promise((r) => setTimeout(r, 500));
        },
      },
      {
        name: 'create',
        weight: 2,
        timeoutMs: 5000,
        run: async (ctx) => {
          ctx.checkpoint.created = `thing-${ctx.job.id}`;
          await ctx.save();
          // A second save in the same step (as a clone's task id after its guest id): must not be lost.
          ctx.checkpoint.task = `task-${ctx.job.id}`;
          await ctx.save();
          await ctx.progress(0.5, 'half way');
        },
        undo: async (ctx) => void undone.push(String(ctx.checkpoint.created ?? 'nothing')),
      },
      {
        name: 'finish',
        weight: 1,
        timeoutMs: 300,
        run: async (ctx) => {
          if (ctx.params.fail) throw new StepError('PROXMOX_TASK_FAILED', 'The clone task failed: storage full.');
          if (ctx.params.stall) await new Promise((r) => setTimeout(r, 5000));
          if (ctx.params.skip) ctx.skip('Nothing to configure: no playbook for this template.');
        },
      },
    ],
  };

  async function submit(params: Record<string, unknown>, idempotencyKey?: string) {
    const em = api.db.orm.em.fork();
    const job = { kind: 'test.steps', project, requestedBy: owner.user, params, idempotencyKey };
    return em.transactional((tx) => createJobInTransaction(tx, api.jobs, job));
  }

  function follow(jobId: string, client = ws): Promise<Progress[]> {
    return new Promise((resolve, reject) => {
      const events: Progress[] = [];
      client.subscribe<{ jobProgress: Progress }>(
        { query: SUBSCRIBE, variables: { jobId } },
        {
          next: (msg) =>
            msg.errors ? reject(new Error(JSON.stringify(msg.errors))) : events.push(msg.data!.jobProgress),
          error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
          complete: () => resolve(events),
        },
      );
    });
  }

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user();
    ({ project } = await api.org(owner.user, Role.OWNER));
    const log = createLogger('silent');
    await api.jobs.work(2, (jobId, signal) =>
      runJob(
        { em: api.db.orm.em, pubsub: api.pubsub, log, workflows: new Map([[workflow.kind, workflow]]) },
        jobId,
        signal,
      ),
    );
    ws = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${owner.token}` },
    });
  });
  afterAll(async () => {
    await ws?.dispose();
    await api?.close();
  });

  it('streams every step in order, numbered without gaps, up to finished', async () => {
    const { job } = await submit({ n: 1 });
    const events = await follow(job.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => `${e.step}:${e.status}`)).toEqual([
      'queued:queued',
      'prepare:started',
      'prepare:log',
      'prepare:succeeded',
      'create:started',
      'create:progress',
      'create:succeeded',
      'finish:started',
      'finish:succeeded',
      'job:finished',
    ]);
    expect(events.at(-1)).toMatchObject({ percent: 100, data: { status: 'SUCCEEDED' } });
    const percents = events.map((e) => e.percent).filter((p): p is number => p !== null);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const stored = await api.db.orm.em.fork().findOneOrFail(Job, { id: job.id });
    expect(stored.status).toBe(JobStatus.SUCCEEDED);
  });

  it('stores every checkpoint field a step saves, also those saved after its first save', async () => {
    const { job } = await submit({ n: 7 });
    await follow(job.id);
    const stored = await api.db.orm.em.fork().findOneOrFail(Job, { id: job.id });
    expect(stored.checkpoint).toMatchObject({ created: `thing-${job.id}`, task: `task-${job.id}` });
    expect(stored.checkpoint.done).toEqual(['prepare', 'create', 'finish']);
  });

  it("numbers events without gaps when cancelJob's event lands between the runner's, and cancels at the next step", async () => {
    const { job } = await submit({ hold: true });
    const following = follow(job.id);
    await expect
      .poll(async () => (await api.db.orm.em.fork().findOneOrFail(Job, { id: job.id })).currentStep, {
        timeout: 10_000,
      })
      .toBe('prepare');
    await api.ok(`mutation($id: ID!) { cancelJob(id: $id) { status } }`, { id: job.id }, owner.token);
    const events = await following;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const stored = await api.db.orm.em
      .fork()
      .getConnection()
      .execute<{ seq: number }[]>('select seq from job_event where job_id = ? order by seq', [job.id]);
    expect(stored.map((r) => r.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(events.map((e) => `${e.step}:${e.status}`)).toEqual(
      expect.arrayContaining(['job:progress', 'prepare:succeeded', 'create:failed']),
    );
    expect(events.some((e) => e.step === 'create' && e.status === 'started')).toBe(false);
    expect(events.at(-1)).toMatchObject({ data: { status: 'CANCELLED', code: 'CANCELLED' } });
  });

  it('gives a late subscriber the whole history, then completes', async () => {
    const { job } = await submit({ n: 2 });
    const first = await follow(job.id);
    const late = await follow(job.id);
    expect(late).toEqual(first);
  });

  it('rolls back what was done when a step fails, and says why', async () => {
    const { job } = await submit({ fail: true });
    const events = await follow(job.id);
    expect(events.find((e) => e.status === 'failed')).toMatchObject({
      step: 'finish',
      message: 'The clone task failed: storage full.',
      data: { code: 'PROXMOX_TASK_FAILED' },
    });
    expect(events.filter((e) => e.status === 'rolledBack').map((e) => e.step)).toEqual(['create']);
    expect(undone).toContain(`thing-${job.id}`);
    expect(events.at(-1)).toMatchObject({
      status: 'finished',
      data: { status: 'FAILED', code: 'PROXMOX_TASK_FAILED' },
    });
    const stored = await api.db.orm.em.fork().findOneOrFail(Job, { id: job.id });
    expect(stored).toMatchObject({ status: JobStatus.FAILED, error: 'The clone task failed: storage full.' });
  });

  it('fails a step that passes its timeout with STEP_TIMEOUT', async () => {
    const { job } = await submit({ stall: true });
    const events = await follow(job.id);
    expect(events.find((e) => e.status === 'failed')).toMatchObject({ step: 'finish', data: { code: 'STEP_TIMEOUT' } });
  });

  it('records a skipped step with its reason', async () => {
    const { job } = await submit({ skip: true });
    const events = await follow(job.id);
    expect(events.find((e) => e.status === 'skipped')).toMatchObject({
      step: 'finish',
      message: 'Nothing to configure: no playbook for this template.',
    });
    expect(events.at(-1)?.data).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('returns the same job for the same idempotency key and parameters, CONFLICT for different ones', async () => {
    const a = await submit({ n: 3 }, 'key-1');
    const b = await submit({ n: 3 }, 'key-1');
    expect(b).toMatchObject({ created: false });
    expect(b.job.id).toBe(a.job.id);
    await expect(submit({ n: 4 }, 'key-1')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses the subscription to a user of another organization, and to an anonymous one', async () => {
    const { job } = await submit({ n: 5 });
    const stranger = await api.user();
    await api.org(stranger.user, Role.OWNER);
    const other = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${stranger.token}` },
    });
    await expect(follow(job.id, other)).rejects.toThrow(/NOT_FOUND/);
    await other.dispose();
    const anon = createClient({ url: api.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket });
    await expect(follow(job.id, anon)).rejects.toThrow(/UNAUTHENTICATED/);
    await anon.dispose();
  });

  it('reads the job and its events over HTTP', async () => {
    const { job } = await submit({ n: 6 });
    await follow(job.id);
    const data = await api.ok(
      `query($id: ID!) { job(id: $id) { kind status percent events { seq status } project { id } } }`,
      { id: job.id },
      owner.token,
    );
    expect(data.job).toMatchObject({
      kind: 'test.steps',
      status: 'SUCCEEDED',
      percent: 100,
      project: { id: project.id },
    });
    expect(data.job.events.length).toBeGreaterThan(5);
  });
});
