// Creating jobs and recording their events. See orchestration/PROTOCOL.md for the lifecycle.
import { randomUUID } from 'node:crypto';
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

/** Stores the next event of a job (numbered without gaps), then publishes it. For one-off writers
 * (cancelJob, retryJob); a running job writes through a JobEventWriter. */
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
      if (attempt < 5 && isSeqConflict(err)) continue;
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

const isSeqConflict = (err: unknown) => /job_event_job_id_seq_unique/.test(String(err));

/** Columns of `job` a running job changes, as the runner patches them. */
export interface JobPatch {
  status?: JobStatus;
  percent?: number;
  currentStep?: string | null;
  error?: string | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  checkpoint?: Job['checkpoint'];
}

const PATCH_COLUMNS: Record<keyof JobPatch, string> = {
  status: 'status',
  percent: 'percent',
  currentStep: 'current_step',
  error: 'error',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  checkpoint: 'checkpoint',
};

/**
 * Writers with queued work that nobody flushed: drained every DRAIN_DELAY_MS by one timer for the
 * whole process, so the events a step emits between two flushes (its start, progress, log lines)
 * go out together instead of one statement each (bench/provision: 30 statements per job → ~15).
 * An interval, not a timer per writer, and not a job's: a job never waits on it.
 */
const DRAIN_DELAY_MS = 100;
const pendingWriters = new Set<JobEventWriter>();
let drainTicker: ReturnType<typeof setInterval> | null = null;
function drainLater(writer: JobEventWriter): void {
  pendingWriters.add(writer);
  drainTicker ??= setInterval(() => {
    const due = [...pendingWriters];
    pendingWriters.clear();
    if (!due.length && drainTicker) {
      clearInterval(drainTicker);
      drainTicker = null;
    }
    for (const w of due) w.drainNow();
  }, DRAIN_DELAY_MS);
  drainTicker.unref?.();
}

/**
 * A running job's event stream and row updates, written behind the job instead of in its way.
 * emit() only queues (drained by the next flush, or within DRAIN_DELAY_MS if none comes): one
 * writer per job drains the queue in order, each batch as ONE statement (a
 * multi-row insert of the events and the job row's accumulated change, in one data-modifying CTE),
 * then publishes the batch. Sequence numbers come from a counter read once per run, not a
 * `max(seq)` read per event. The runner is the job's only regular writer; when another one (a
 * cancelJob) took a number, the batch fails on the unique (job, seq), the counter is read again and
 * the batch renumbered, so numbers stay gapless. flush() waits until everything queued is stored
 * (at each step boundary, a step's checkpoint before it waits on Proxmox, the end of the job) and
 * rethrows a failed write.
 *
 * bench/provision: each event had been a max(seq) read, an insert and an ORM flush of the job in
 * its own transaction, ~80 round trips on a job's critical path; now about one per step.
 */
export class JobEventWriter {
  private next: number | null = null;
  private queue: { input: EventInput; at: Date }[] = [];
  private patch: JobPatch = {};
  private draining: Promise<void> | null = null;
  private failure: unknown = null;
  /** The job's status as the last write returned it (a cancelJob shows here). */
  status: JobStatus | null = null;

  constructor(
    private readonly em: EntityManager,
    private readonly pubsub: PubSub,
    private readonly jobId: string,
  ) {}

  /** Queues the event and the job row's change; stored and published in order, soon. */
  emit(input: EventInput | null, patch: JobPatch = {}): void {
    if (input) this.queue.push({ input, at: new Date() });
    Object.assign(this.patch, patch);
    if (!this.draining) drainLater(this);
  }

  /** Starts writing what is queued, unless a write is under way (which takes it on). */
  drainNow(): void {
    if (this.queue.length || Object.keys(this.patch).length) this.draining ??= this.drain();
  }

  /** Everything queued so far is stored (and published); the job's status afterwards. */
  async flush(): Promise<JobStatus | null> {
    for (;;) {
      while (this.draining) await this.draining;
      if (this.failure) {
        const err = this.failure;
        this.failure = null;
        throw err;
      }
      if (!this.queue.length && !Object.keys(this.patch).length) return this.status;
      this.draining = this.drain();
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length || Object.keys(this.patch).length) {
        const batch = this.queue;
        const patch = this.patch;
        this.queue = [];
        this.patch = {};
        try {
          await this.write(batch, patch);
        } catch (err) {
          // Kept for the next flush, in order, and the error reported there.
          this.queue = [...batch, ...this.queue];
          this.patch = { ...patch, ...this.patch };
          this.failure = err;
          return;
        }
      }
    } finally {
      this.draining = null;
    }
  }

  private async write(batch: { input: EventInput; at: Date }[], patch: JobPatch): Promise<void> {
    const connection = this.em.getConnection();
    for (let attempt = 0; ; attempt++) {
      if (batch.length && this.next === null) {
        const [row] = await connection.execute<{ next: number }[]>(
          'select coalesce(max(seq), 0) + 1 as next from job_event where job_id = ?',
          [this.jobId],
        );
        this.next = Number(row?.next ?? 1);
      }
      const first = this.next ?? 1;
      const values: string[] = [];
      const params: unknown[] = [];
      batch.forEach(({ input, at }, i) => {
        values.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)');
        params.push(
          randomUUID(),
          at,
          at,
          this.jobId,
          first + i,
          input.step,
          input.status,
          input.percent ?? null,
          input.message ?? '',
          JSON.stringify(input.data ?? {}),
        );
      });
      const update = updateSql(this.jobId, patch, batch.at(-1)?.at);
      const sql = batch.length
        ? 'with event as (insert into job_event (id, created_at, updated_at, job_id, seq, step, status, percent, message, data) ' +
          `values ${values.join(', ')}) ${update.sql} returning status`
        : `${update.sql} returning status`;
      try {
        const rows = await connection.execute<{ status: JobStatus }[]>(sql, [...params, ...update.params]);
        this.status = rows[0]?.status ?? this.status;
      } catch (err) {
        if (attempt < 5 && isSeqConflict(err)) {
          this.next = null;
          continue;
        }
        throw err;
      }
      this.next = first + batch.length;
      // Sent in order (one connection, or in-process at once), not waited for: the job goes on
      // while Redis delivers. Stored already: a failed publish is reported by the next flush, never
      // written again (a subscriber that missed one reads it from history when it subscribes).
      void Promise.all(
        batch.map(({ input, at }, i) =>
          this.pubsub.publish('jobProgress', this.jobId, {
            jobId: this.jobId,
            seq: first + i,
            step: input.step,
            status: input.status,
            percent: input.percent ?? null,
            message: input.message ?? '',
            at: at.toISOString(),
            data: input.data ?? {},
          }),
        ),
      ).catch((err: unknown) => void (this.failure ??= err));
      return;
    }
  }
}

function updateSql(jobId: string, patch: JobPatch, at = new Date()): { sql: string; params: unknown[] } {
  const sets: string[] = ['updated_at = ?'];
  const params: unknown[] = [at];
  for (const [key, value] of Object.entries(patch) as [keyof JobPatch, unknown][]) {
    if (value === undefined) continue;
    if (key === 'checkpoint') {
      sets.push('checkpoint = ?::jsonb');
      params.push(JSON.stringify(value));
    } else {
      sets.push(`${PATCH_COLUMNS[key]} = ?`);
      params.push(value);
    }
  }
  return { sql: `update job set ${sets.join(', ')} where id = ?`, params: [...params, jobId] };
}

export const FINAL_STATES: ReadonlySet<JobStatus> = new Set([
  JobStatus.SUCCEEDED,
  JobStatus.FAILED,
  JobStatus.CANCELLED,
]);
