// The behaviour every pub/sub engine must have, written once and run against each implementation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PubSub, Topics } from '../pubsub.js';

const sample = (jobId: string, seq: number): Topics['jobProgress'] => ({
  jobId,
  seq,
  step: 'create',
  status: 'progress',
  percent: seq,
  message: `step ${seq}`,
  at: new Date(0).toISOString(),
  data: {},
});

async function take<T>(iterable: AsyncIterator<T>, n: number, timeoutMs = 5000): Promise<T[]> {
  const out: T[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    const next = await Promise.race([
      iterable.next(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`timed out after ${out.length}/${n}`)), deadline - Date.now()),
      ),
    ]);
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

export function definePubSubContract(name: string, make: () => Promise<PubSub>): void {
  describe(`pub/sub contract: ${name}`, () => {
    let pubsub: PubSub;
    beforeAll(async () => {
      pubsub = await make();
    });
    afterAll(() => pubsub?.close());

    it('delivers every message published after subscribe resolves, in order', async () => {
      const sub = await pubsub.subscribe('jobProgress', 'job-a');
      for (let i = 1; i <= 50; i++) await pubsub.publish('jobProgress', 'job-a', sample('job-a', i));
      const got = await take(sub, 50);
      expect(got.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      await sub.return();
    });

    it('keeps channels apart by topic and id', async () => {
      const a = await pubsub.subscribe('jobProgress', 'job-b');
      const b = await pubsub.subscribe('jobProgress', 'job-c');
      await pubsub.publish('jobProgress', 'job-c', sample('job-c', 1));
      await pubsub.publish('jobProgress', 'job-b', sample('job-b', 2));
      expect((await take(a, 1))[0]).toMatchObject({ jobId: 'job-b', seq: 2 });
      expect((await take(b, 1))[0]).toMatchObject({ jobId: 'job-c', seq: 1 });
      await a.return();
      await b.return();
    });

    it('fans one message out to every subscriber of the channel', async () => {
      const subs = await Promise.all(Array.from({ length: 5 }, () => pubsub.subscribe('jobProgress', 'job-d')));
      await pubsub.publish('jobProgress', 'job-d', sample('job-d', 7));
      for (const s of subs) expect((await take(s, 1))[0]?.seq).toBe(7);
      await Promise.all(subs.map((s) => s.return()));
    });

    it('ends the iteration on return() and stops delivering', async () => {
      const sub = await pubsub.subscribe('jobProgress', 'job-e');
      const pending = sub.next();
      await sub.return();
      expect((await pending).done).toBe(true);
      await pubsub.publish('jobProgress', 'job-e', sample('job-e', 1));
      expect((await sub.next()).done).toBe(true);
    });

    it('carries JSON payloads unchanged', async () => {
      const sub = await pubsub.subscribe('machineEvents', 'project-1');
      const payload: Topics['machineEvents'] = {
        machineId: 'm',
        projectId: 'project-1',
        status: 'RUNNING',
        node: null,
        ipAddresses: ['10.0.0.5', 'fe80::1'],
        at: '2026-01-01T00:00:00.000Z',
      };
      await pubsub.publish('machineEvents', 'project-1', payload);
      expect((await take(sub, 1))[0]).toEqual(payload);
      await sub.return();
    });

    it('hands messages to take() callbacks: queued ones at once, later ones as published, then done on return()', async () => {
      const sub = await pubsub.subscribe('jobProgress', 'job-f');
      await pubsub.publish('jobProgress', 'job-f', sample('job-f', 1));
      // Wait until the first message has arrived (Redis delivers it asynchronously), through next().
      const seen: number[] = [];
      seen.push(((await sub.next()).value as Topics['jobProgress']).seq);
      // Queued: a message published while nobody waits is given to the next take() synchronously.
      await pubsub.publish('jobProgress', 'job-f', sample('job-f', 2));
      await new Promise((r) => setTimeout(r, 50));
      let sync: number | undefined;
      sub.take((r) => (sync = r.done ? -1 : r.value.seq));
      expect(sync).toBe(2);
      // Waiting: the callback is called by the publish that brings the message.
      const arrived = new Promise<number>((resolve) => sub.take((r) => resolve(r.done ? -1 : r.value.seq)));
      await pubsub.publish('jobProgress', 'job-f', sample('job-f', 3));
      expect(await arrived).toBe(3);
      // A waiting callback is told the subscription ended.
      const ended = new Promise<boolean>((resolve) => sub.take((r) => resolve(r.done === true)));
      await sub.return();
      expect(await ended).toBe(true);
      expect(seen).toEqual([1]);
    });
  });
}
