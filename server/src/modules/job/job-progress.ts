// jobProgress(jobId): the job's stored events first, then live ones, without gaps or repeats.
// Subscribing to the channel *before* reading history closes the gap between the two; the seq
// numbers drop what both delivered.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PubSub, Topics } from '../../realtime/pubsub.js';
import { JobEvent } from './job-event.entity.js';

export type JobProgressPayload = Topics['jobProgress'];

export async function* jobProgressStream(
  em: EntityManager,
  pubsub: PubSub,
  jobId: string,
  /** Re-checked on every event: false ends the subscription. */
  stillAllowed: () => boolean | Promise<boolean>,
): AsyncGenerator<JobProgressPayload> {
  const live = await pubsub.subscribe('jobProgress', jobId);
  try {
    const history = await em.fork().find(JobEvent, { job: jobId }, { orderBy: { seq: 'ASC' } });
    let last = 0;
    for (const e of history) {
      last = e.seq;
      yield {
        jobId,
        seq: e.seq,
        step: e.step,
        status: e.status,
        percent: e.percent ?? null,
        message: e.message,
        at: e.createdAt.toISOString(),
        data: e.data,
      };
    }
    // Finished (a retried job's earlier `finished` is followed by its new `queued`). A job that
    // finishes after the history read publishes its last event on `live`, which is already open.
    if (history.at(-1)?.status === 'finished') return;
    for await (const event of live) {
      if (!(await stillAllowed())) return;
      if (event.seq <= last) continue;
      last = event.seq;
      yield event;
      if (event.status === 'finished') return;
    }
  } finally {
    await live.return();
  }
}
