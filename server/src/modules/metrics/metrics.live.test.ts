// mergedChannels on the in-process pub/sub: one stream of several channels, ended by a refused
// permission or by return() while it waits.
import { describe, expect, it } from 'vitest';
import { createInProcessPubSub, type Topics } from '../../realtime/pubsub.js';
import { mergedChannels } from './metrics.live.js';

const sample = (machineId: string, cpu: number): Topics['machineMetrics'] => ({
  machineId,
  at: new Date(Date.UTC(2026, 0, 1)).toISOString(),
  cpu,
  memoryBytes: 0,
  netIn: 0,
  netOut: 0,
  diskRead: 0,
  diskWrite: 0,
});

describe('mergedChannels', () => {
  it('passes on the messages of every channel, and ends at the first one refused', async () => {
    const pubsub = createInProcessPubSub();
    let allowed = true;
    const stream = mergedChannels(pubsub, 'machineMetrics', ['a', 'b'], () => allowed);
    const first = stream.next();
    // Subscribed once the first next() is asked: wait for the channels, then publish.
    await new Promise((r) => setTimeout(r, 10));
    await pubsub.publish('machineMetrics', 'b', sample('b', 0.5));
    expect((await first).value).toMatchObject({ machineId: 'b', cpu: 0.5 });
    await pubsub.publish('machineMetrics', 'a', sample('a', 0.25));
    expect((await stream.next()).value).toMatchObject({ machineId: 'a', cpu: 0.25 });
    await pubsub.publish('machineMetrics', 'c', sample('c', 1));
    await pubsub.publish('machineMetrics', 'b', sample('b', 0.75));
    expect((await stream.next()).value).toMatchObject({ machineId: 'b', cpu: 0.75 });

    allowed = false;
    await pubsub.publish('machineMetrics', 'a', sample('a', 0.1));
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('ends a waiting next() when returned, and asks the permission asynchronously when it must', async () => {
    const pubsub = createInProcessPubSub();
    const stream = mergedChannels(pubsub, 'machineMetrics', ['a'], async () => true);
    const first = stream.next();
    await new Promise((r) => setTimeout(r, 10));
    await pubsub.publish('machineMetrics', 'a', sample('a', 0.5));
    expect((await first).value).toMatchObject({ machineId: 'a' });
    const waiting = stream.next();
    await stream.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    // Nothing more arrives once returned.
    await pubsub.publish('machineMetrics', 'a', sample('a', 0.9));
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});
