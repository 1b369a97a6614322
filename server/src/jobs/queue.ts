// The durable job queue: pg-boss on the platform's own PostgreSQL (or PGlite). A job is enqueued
// inside the transaction that writes its rows, on the same connection, so an accepted request is
// never lost and a rolled-back one never runs.
import type { EntityManager } from '@mikro-orm/postgresql';
import { PgBoss } from 'pg-boss';
import type { Logger } from '../logger.js';

export const JOBS_QUEUE = 'jobs';

interface PgConnection {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface JobQueueOptions {
  url: string;
  /** Connections for pg-boss's own pool (1 on PGlite). */
  poolSize: number;
  log: Logger;
  /** A worker that stops heartbeating for this long loses its job to another worker. */
  heartbeatSeconds?: number;
  /**
   * How often pg-boss looks for jobs whose heartbeat stopped (its supervise and monitor passes).
   * pg-boss's default is 60 s, which would leave a dead worker's job stuck for a minute on top of
   * heartbeatSeconds; half the heartbeat keeps the takeover within ~1.5 × heartbeatSeconds.
   */
  superviseSeconds?: number;
}

export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly log: Logger,
  ) {}

  static async start(options: JobQueueOptions): Promise<JobQueue> {
    const supervise = options.superviseSeconds ?? Math.max(1, Math.floor((options.heartbeatSeconds ?? 10) / 2));
    const boss = new PgBoss({
      connectionString: options.url,
      max: options.poolSize,
      schema: 'pgboss',
      superviseIntervalSeconds: supervise,
      monitorIntervalSeconds: supervise,
    });
    boss.on('error', (err) => options.log.error({ err }, 'job queue error'));
    await boss.start();
    // A job whose worker dies is retried (resuming from its checkpoint); the retry limit bounds
    // a job that kills every worker that runs it.
    await boss
      .createQueue(JOBS_QUEUE, { heartbeatSeconds: options.heartbeatSeconds ?? 10, retryLimit: 5, retryDelay: 1 })
      .catch((err: Error) => {
        if (!/already exists/i.test(err.message)) throw err;
      });
    return new JobQueue(boss, options.log);
  }

  /** Enqueues job `jobId` in the EntityManager's open transaction (commits or rolls back with it). */
  async enqueueInTransaction(em: EntityManager, jobId: string): Promise<void> {
    const trx = em.getTransactionContext<{ client: { acquireConnection(): Promise<PgConnection> } }>();
    if (!trx) throw new Error('enqueueInTransaction needs an open transaction');
    // Inside a knex transaction, acquireConnection returns the transaction's own connection.
    const connection = await trx.client.acquireConnection();
    await this.boss.send(
      JOBS_QUEUE,
      { jobId },
      {
        singletonKey: jobId,
        db: { executeSql: (text: string, values?: unknown[]) => connection.query(text, values) },
      },
    );
  }

  /** Enqueues outside any transaction (retries of failed jobs). */
  async enqueue(jobId: string): Promise<void> {
    await this.boss.send(JOBS_QUEUE, { jobId }, { singletonKey: jobId });
  }

  /** Runs `handler` for each job, `concurrency` at a time in this process. */
  async work(concurrency: number, handler: (jobId: string, signal: AbortSignal) => Promise<void>): Promise<void> {
    await this.boss.work<{ jobId: string }>(
      JOBS_QUEUE,
      { batchSize: 1, localConcurrency: concurrency, pollingIntervalSeconds: 0.5 },
      async ([job]) => {
        if (job) await handler(job.data.jobId, job.signal ?? new AbortController().signal);
      },
    );
  }

  async stop(): Promise<void> {
    this.log.info('stopping job queue');
    await this.boss.stop({ graceful: true, timeout: 10_000 });
  }
}
