// Runs one job: its workflow's steps in order, each with a timeout, resuming after the last
// finished step (the checkpoint), undoing finished steps in reverse when one fails or the job is
// cancelled. Every transition is an event. See orchestration/PROTOCOL.md.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import type { PubSub } from '../realtime/pubsub.js';
import { Job, JobStatus, type JobCheckpoint } from '../modules/job/job.entity.js';
import { FINAL_STATES, JobEventWriter, type EventInput, type JobPatch } from '../modules/job/job.service.js';

/** An error a step throws on purpose, with a code from PROTOCOL.md and a message for the user. */
export class StepError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StepError';
  }
}

export interface StepContext<C extends JobCheckpoint = JobCheckpoint> {
  job: Job;
  params: Record<string, unknown>;
  /** Mutable; persist it with save() before waiting on anything the step started. */
  checkpoint: C;
  save(): Promise<void>;
  /** Emits a progress event; `fraction` is this step's own progress from 0 to 1. */
  progress(fraction: number, message: string): Promise<void>;
  log(message: string, data?: Record<string, unknown>): Promise<void>;
  skip(reason: string): void;
  /** Aborted on timeout, cancellation or when the worker loses the job. */
  signal: AbortSignal;
}

export interface Step<C extends JobCheckpoint = JobCheckpoint> {
  name: string;
  /** Share of the progress bar (the weights of a workflow are normalised to 100). */
  weight: number;
  timeoutMs: number;
  run(ctx: StepContext<C>): Promise<void>;
  /** Undoes what run() did; must be safe to call when run() did nothing or only part. */
  undo?(ctx: StepContext<C>): Promise<void>;
}

export interface Workflow<C extends JobCheckpoint = JobCheckpoint> {
  kind: string;
  steps: Step<C>[];
  /** Called when the job reaches a final state, inside the runner's EntityManager. */
  onFinished?(em: EntityManager, job: Job, status: JobStatus): Promise<void>;
}

export interface RunnerDeps {
  em: EntityManager;
  pubsub: PubSub;
  log: Logger;
  workflows: Map<string, Workflow>;
}

class SkipSignal extends Error {}

const CANCELLED_MESSAGE = 'Cancelled by a user.';

export async function runJob(deps: RunnerDeps, jobId: string, outerSignal: AbortSignal): Promise<void> {
  const em = deps.em.fork();
  const job = await em.findOne(Job, { id: jobId });
  if (!job || FINAL_STATES.has(job.status)) return;
  const workflow = deps.workflows.get(job.kind);
  // Every write of the run goes through the writer, behind the job: events and the job row's
  // changes are batched into one statement each time; step boundaries, checkpoints and the end wait.
  const writer = new JobEventWriter(em, deps.pubsub, job.id);
  /** The job entity mirrors what was written, and stays clean for the ORM (no second write on a flush). */
  const apply = (patch: JobPatch) => {
    Object.assign(job, patch);
    em.getUnitOfWork().merge(job);
  };
  /** Queues the event and the job's change (written in order, soon; see flush). */
  const emit = (e: EventInput | null, patch: JobPatch = {}): void => {
    apply(patch);
    writer.emit(e, patch);
  };
  if (!workflow) {
    const error = `No workflow for job kind "${job.kind}".`;
    emit(
      { step: 'job', status: 'finished', message: error, data: { status: JobStatus.FAILED } },
      { status: JobStatus.FAILED, error, finishedAt: new Date() },
    );
    await writer.flush();
    return;
  }
  if (job.status === JobStatus.QUEUED) {
    // Conditional, so a cancelJob racing with this pickup is not overwritten: a job cancelled while
    // queued stays CANCELLING and ends before its first step (read again only then).
    const startedAt = new Date();
    const updated = await em.nativeUpdate(
      Job,
      { id: job.id, status: JobStatus.QUEUED },
      { status: JobStatus.RUNNING, startedAt },
    );
    if (updated === 1) apply({ status: JobStatus.RUNNING, startedAt });
    else await em.refresh(job);
  }

  const total = workflow.steps.reduce((sum, s) => sum + s.weight, 0) || 1;
  const before = (i: number) => (100 * workflow.steps.slice(0, i).reduce((sum, s) => sum + s.weight, 0)) / total;
  const save = async () => {
    // The same object the step holds as ctx.checkpoint (a copy here would leave the step's later
    // changes out of the next save). Stored before the step goes on: it is what a worker taking
    // over after a crash resumes from.
    emit(null, { checkpoint: job.checkpoint });
    await writer.flush();
  };

  let failure: { code: string; message: string; step: string } | null = null;
  let index = 0;
  /** The job's status as last read or written: a cancelJob shows here at a later step boundary. */
  const status = () => writer.status ?? job.status;
  if (job.status === JobStatus.ROLLING_BACK) {
    // A worker died while undoing: undo everything again (undo steps are idempotent).
    failure = { code: 'RESUMED', message: job.error ?? 'Rolled back.', step: job.currentStep ?? 'job' };
    index = workflow.steps.length - 1;
  }
  for (; !failure && index < workflow.steps.length; index++) {
    const step = workflow.steps[index]!;
    if (job.checkpoint.done.includes(step.name)) continue;
    // A cancelJob between steps: stop here and undo. The flush stores what the previous step
    // queued (its checkpoint entry among it) and reads the job's status in the same statement.
    if ((await writer.flush()) === JobStatus.CANCELLING || status() === JobStatus.CANCELLING) {
      failure = { code: 'CANCELLED', message: CANCELLED_MESSAGE, step: step.name };
      break;
    }
    const start = before(index);
    const span = before(index + 1) - start;
    emit(
      { step: step.name, status: 'started', percent: Math.round(start), message: `${step.name} started` },
      { currentStep: step.name, percent: Math.round(start) },
    );
    const timeout = AbortSignal.timeout(step.timeoutMs);
    const signal = AbortSignal.any([outerSignal, timeout]);
    let skipped: string | null = null;
    const ctx: StepContext = {
      job,
      params: job.params,
      // A getter: save() replaces job.checkpoint with a copy, and later edits must land on that copy.
      get checkpoint() {
        return job.checkpoint;
      },
      save,
      signal,
      async progress(fraction, message) {
        const percent = Math.round(start + span * Math.min(1, Math.max(0, fraction)));
        emit({ step: step.name, status: 'progress', percent, message }, { percent });
      },
      log: async (message, data) => emit({ step: step.name, status: 'log', message, data }),
      skip(reason) {
        skipped = reason;
        throw new SkipSignal(reason);
      },
    };
    try {
      await raceAbort(step.run(ctx), signal);
    } catch (err) {
      if (!(err instanceof SkipSignal)) {
        failure = describeFailure(err, step, timeout.aborted);
        break;
      }
    }
    const percent = Math.round(start + span);
    // The step's checkpoint entry and its event in one statement: a crash leaves both or neither.
    emit(
      skipped
        ? { step: step.name, status: 'skipped', percent, message: skipped }
        : { step: step.name, status: 'succeeded', percent, message: `${step.name} done` },
      { checkpoint: { ...job.checkpoint, done: [...job.checkpoint.done, step.name] }, percent },
    );
  }

  if (!failure) {
    const done: JobPatch = { status: JobStatus.SUCCEEDED, percent: 100, currentStep: null, finishedAt: new Date() };
    apply(done);
    await workflow.onFinished?.(em, job, JobStatus.SUCCEEDED);
    emit(
      { step: 'job', status: 'finished', percent: 100, message: 'Done.', data: { status: JobStatus.SUCCEEDED } },
      done,
    );
    await writer.flush();
    return;
  }

  if (job.status !== JobStatus.ROLLING_BACK) {
    emit(
      { step: failure.step, status: 'failed', message: failure.message, data: { code: failure.code } },
      { status: JobStatus.ROLLING_BACK, error: failure.message },
    );
    // Stored before undoing: a worker taking over undoes again instead of running on.
    await writer.flush();
  }
  // Undo the failed step too: it may have done part of its work before failing.
  for (let i = Math.min(index, workflow.steps.length - 1); i >= 0; i--) {
    const step = workflow.steps[i]!;
    if (!step.undo) continue;
    const ctx: StepContext = {
      job,
      params: job.params,
      get checkpoint() {
        return job.checkpoint;
      },
      save,
      signal: AbortSignal.timeout(step.timeoutMs),
      progress: async () => undefined,
      log: async (message, data) => emit({ step: step.name, status: 'log', message, data }),
      skip: () => undefined,
    };
    try {
      await step.undo(ctx);
      emit({ step: step.name, status: 'rolledBack', message: `${step.name} undone` });
    } catch (err) {
      deps.log.error({ err, jobId, step: step.name }, 'undo failed');
      emit({
        step: step.name,
        status: 'log',
        message: `Undo failed: ${(err as Error).message}`,
        data: { code: 'UNDO_FAILED' },
      });
    }
  }
  const cancelled =
    failure.code === 'CANCELLED' || (failure.code === 'RESUMED' && failure.message === CANCELLED_MESSAGE);
  const final = cancelled ? JobStatus.CANCELLED : JobStatus.FAILED;
  const ended: JobPatch = { status: final, error: failure.message, currentStep: null, finishedAt: new Date() };
  apply(ended);
  await workflow.onFinished?.(em, job, final);
  emit(
    { step: 'job', status: 'finished', message: failure.message, data: { status: final, code: failure.code } },
    ended,
  );
  await writer.flush();
}

function describeFailure(err: unknown, step: Step, timedOut: boolean): { code: string; message: string; step: string } {
  if (timedOut)
    return {
      code: 'STEP_TIMEOUT',
      message: `Step ${step.name} did not finish within ${step.timeoutMs / 1000} s.`,
      step: step.name,
    };
  if (err instanceof StepError) return { code: err.code, message: err.message, step: step.name };
  const code =
    typeof (err as { code?: unknown }).code === 'string' ? String((err as { code: string }).code) : 'INTERNAL';
  return { code, message: (err as Error).message ?? String(err), step: step.name };
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (the step's own work is told by the same signal). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
