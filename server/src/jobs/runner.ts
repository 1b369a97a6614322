// Runs one job: its workflow's steps in order, each with a timeout, resuming after the last
// finished step (the checkpoint), undoing finished steps in reverse when one fails or the job is
// cancelled. Every transition is an event. See orchestration/PROTOCOL.md.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import type { PubSub } from '../realtime/pubsub.js';
import { Job, JobStatus, type JobCheckpoint } from '../modules/job/job.entity.js';
import { appendJobEvent, FINAL_STATES, type EventInput } from '../modules/job/job.service.js';

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
  const emit = (e: EventInput) => appendJobEvent(em, deps.pubsub, job.id, e);
  const setState = async (
    patch: Partial<Pick<Job, 'status' | 'percent' | 'currentStep' | 'error' | 'startedAt' | 'finishedAt'>>,
  ) => {
    Object.assign(job, patch);
    await em.flush();
  };
  if (!workflow) {
    await setState({
      status: JobStatus.FAILED,
      error: `No workflow for job kind "${job.kind}".`,
      finishedAt: new Date(),
    });
    await emit({ step: 'job', status: 'finished', message: job.error ?? '', data: { status: JobStatus.FAILED } });
    return;
  }
  if (job.status === JobStatus.QUEUED) {
    // Conditional, so a cancelJob racing with this pickup is not overwritten: a job cancelled while
    // queued stays CANCELLING and ends before its first step.
    await em.nativeUpdate(
      Job,
      { id: job.id, status: JobStatus.QUEUED },
      { status: JobStatus.RUNNING, startedAt: new Date() },
    );
    await em.refresh(job);
  }

  const total = workflow.steps.reduce((sum, s) => sum + s.weight, 0) || 1;
  const before = (i: number) => (100 * workflow.steps.slice(0, i).reduce((sum, s) => sum + s.weight, 0)) / total;
  const save = async () => {
    // A new object, so the ORM sees the JSON column changed.
    job.checkpoint = { ...job.checkpoint };
    await em.flush();
  };

  let failure: { code: string; message: string; step: string } | null = null;
  let index = 0;
  if (job.status === JobStatus.ROLLING_BACK) {
    // A worker died while undoing: undo everything again (undo steps are idempotent).
    failure = { code: 'RESUMED', message: job.error ?? 'Rolled back.', step: job.currentStep ?? 'job' };
    index = workflow.steps.length - 1;
  }
  for (; !failure && index < workflow.steps.length; index++) {
    const step = workflow.steps[index]!;
    if (job.checkpoint.done.includes(step.name)) continue;
    // A cancelJob between steps: stop here and undo.
    await em.refresh(job);
    if (job.status === JobStatus.CANCELLING) {
      failure = { code: 'CANCELLED', message: CANCELLED_MESSAGE, step: step.name };
      break;
    }
    const start = before(index);
    const span = before(index + 1) - start;
    await setState({ currentStep: step.name, percent: Math.round(start) });
    await emit({ step: step.name, status: 'started', percent: Math.round(start), message: `${step.name} started` });
    const timeout = AbortSignal.timeout(step.timeoutMs);
    const signal = AbortSignal.any([outerSignal, timeout]);
    let skipped: string | null = null;
    const ctx: StepContext = {
      job,
      params: job.params,
      checkpoint: job.checkpoint,
      save,
      signal,
      async progress(fraction, message) {
        const percent = Math.round(start + span * Math.min(1, Math.max(0, fraction)));
        await setState({ percent });
        await emit({ step: step.name, status: 'progress', percent, message });
      },
      log: (message, data) => emit({ step: step.name, status: 'log', message, data }).then(() => undefined),
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
    job.checkpoint.done = [...job.checkpoint.done, step.name];
    await save();
    const percent = Math.round(start + span);
    await setState({ percent });
    await emit(
      skipped
        ? { step: step.name, status: 'skipped', percent, message: skipped }
        : { step: step.name, status: 'succeeded', percent, message: `${step.name} done` },
    );
  }

  if (!failure) {
    await setState({ status: JobStatus.SUCCEEDED, percent: 100, currentStep: null, finishedAt: new Date() });
    await workflow.onFinished?.(em, job, JobStatus.SUCCEEDED);
    await emit({
      step: 'job',
      status: 'finished',
      percent: 100,
      message: 'Done.',
      data: { status: JobStatus.SUCCEEDED },
    });
    return;
  }

  if (job.status !== JobStatus.ROLLING_BACK) {
    await emit({ step: failure.step, status: 'failed', message: failure.message, data: { code: failure.code } });
    await setState({ status: JobStatus.ROLLING_BACK, error: failure.message });
  }
  // Undo the failed step too: it may have done part of its work before failing.
  for (let i = Math.min(index, workflow.steps.length - 1); i >= 0; i--) {
    const step = workflow.steps[i]!;
    if (!step.undo) continue;
    const ctx: StepContext = {
      job,
      params: job.params,
      checkpoint: job.checkpoint,
      save,
      signal: AbortSignal.timeout(step.timeoutMs),
      progress: async () => undefined,
      log: (message, data) => emit({ step: step.name, status: 'log', message, data }).then(() => undefined),
      skip: () => undefined,
    };
    try {
      await step.undo(ctx);
      await emit({ step: step.name, status: 'rolledBack', message: `${step.name} undone` });
    } catch (err) {
      deps.log.error({ err, jobId, step: step.name }, 'undo failed');
      await emit({
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
  await setState({ status: final, error: failure.message, currentStep: null, finishedAt: new Date() });
  await workflow.onFinished?.(em, job, final);
  await emit({
    step: 'job',
    status: 'finished',
    message: failure.message,
    data: { status: final, code: failure.code },
  });
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
