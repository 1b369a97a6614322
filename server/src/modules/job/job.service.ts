// Creating jobs and recording their events. See orchestration/PROTOCOL.md for the lifecycle.
import { isDeepStrictEqual } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Errors } from '../../errors/domain-error.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { PubSub } from '../../realtime/pubsub.js';
import type { Machine } from '../machine/machine.entity.js';
import type { Project } from '../project/project.entity.js';
import type { User } from '../user/user.entity.js';
import { JobEvent } from './job-event.entity.js';
import { Job, JobStatus } from './job.entity.js';

export interface NewJob {
  kind: string;
  project: Project;
  machine?: Machine | null;
  requestedBy: User | null;
  params: Record<string, unknown>;
  idempotencyKey?: string | null;
}

/**
 * Writes the job and its first event and enqueues it, all in `em`'s open transaction. With an
 * idempotency key already used by this caller: the same job for the same request, CONFLICT otherwise.
 */
export async function createJobInTransaction(
  em: EntityManager,
  queue: JobQueue,
  request: NewJob,
): Promise<{ job: Job; created: boolean }> {
  // Parameters as they will be stored (JSON drops undefined), so a repeated request compares equal.
  const input = { ...request, params: JSON.parse(JSON.stringify(request.params)) as Record<string, unknown> };
  if (input.idempotencyKey && input.requestedBy) {
    const existing = await em.findOne(Job, { requestedBy: input.requestedBy.id, idempotencyKey: input.idempotencyKey });
    if (existing) {
      if (existing.kind === input.kind && isDeepStrictEqual(existing.params, input.params))
        return { job: existing, created: false };
      throw Errors.conflict(
        `The idempotency key "${input.idempotencyKey}" was used for a different request;`,
        'use a new key for a new request.',
      );
    }
  }
  const job = em.create(Job, {
    kind: input.kind,
    project: input.project,
    machine: input.machine ?? null,
    requestedBy: input.requestedBy,
    params: input.params,
    idempotencyKey: input.idempotencyKey ?? null,
  });
  em.create(JobEvent, { job, seq: 1, step: 'queued', status: 'queued', percent: 0, message: `${input.kind} accepted` });
  await em.flush();
  await queue.enqueueInTransaction(em, job.id);
  return { job, created: true };
}

export interface EventInput {
  step: string;
  status: string;
  percent?: number | null;
  message?: string;
  data?: Record<string, unknown>;
}

/** Stores the next event of a job (numbered without gaps), then publishes it. */
export async function appendJobEvent(
  em: EntityManager,
  pubsub: PubSub,
  jobId: string,
  input: EventInput,
): Promise<JobEvent> {
  for (let attempt = 0; ; attempt++) {
    const fork = em.fork();
    const [row] = await fork
      .getConnection()
      .execute<{ next: number }[]>('select coalesce(max(seq), 0) + 1 as next from job_event where job_id = ?', [jobId]);
    const event = fork.create(JobEvent, {
      job: jobId,
      seq: Number(row?.next ?? 1),
      step: input.step,
      status: input.status,
      percent: input.percent ?? null,
      message: input.message ?? '',
      data: input.data ?? {},
    });
    try {
      await fork.flush();
    } catch (err) {
      // Two writers raced for the same seq (a cancel while a step reports): take the next one.
      if (attempt < 5 && /job_event_job_id_seq_unique/.test(String(err))) continue;
      throw err;
    }
    await pubsub.publish('jobProgress', jobId, {
      jobId,
      seq: event.seq,
      step: event.step,
      status: event.status,
      percent: event.percent ?? null,
      message: event.message,
      at: event.createdAt.toISOString(),
      data: event.data,
    });
    return event;
  }
}

export const FINAL_STATES: ReadonlySet<JobStatus> = new Set([
  JobStatus.SUCCEEDED,
  JobStatus.FAILED,
  JobStatus.CANCELLED,
]);
