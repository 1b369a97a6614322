// jobProgress(jobId): the job's stored events first, then live ones, without gaps or repeats.
// Subscribing to the channel *before* reading history closes the gap between the two; the seq
// numbers drop what both delivered.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PubSub, Topics } from '../../realtime/pubsub.js';
import { JobEvent } from './job-event.entity.js';
import { FINAL_STATES } from './job.service.js';
import { Job } from './job.entity.js';

export type JobProgressPayload = Topics['jobProgress'];

export async function* jobProgressStream(
  em: EntityManager,
  pubsub: PubSub,
  jobId: string,
  /** Re-checked on every event: false ends the subscription. */
  stillAllowed: () => boolean,
): AsyncGenerator<JobProgressPayload> {
  const live = await pubsub.subscribe('jobProgress', jobId);
  try {
    const history = await em.fork().find(JobEvent, { job: jobId }, { orderBy: { seq: 'ASC' } });
    let last = 0;
    let finished = false;
    for (const e of history) {
      last = e.seq;
      finished ||= e.status === 'finished';
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
    if (finished) return;
    // A job that ended between the history read and now has published its last event on `live`.
    const job = await em.fork().findOne(Job, { id: jobId });
    if (!job) return;
    if (FINAL_STATES.has(job.status) && last > 0 && history.at(-1)?.status === 'finished') return;
    for await (const event of live) {
      if (!stillAllowed()) return;
      if (event.seq <= last) continue;
      last = event.seq;
      yield event;
      if (event.status === 'finished') return;
    }
  } finally {
    await live.return();
  }
}
