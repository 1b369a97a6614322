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

  it('take(): passes the allowed events of a single channel to the callback and ends with done when one is refused', async () => {
    const pubsub = createInProcessPubSub();
    let allowed: boolean | Promise<boolean> = true;
    const stream = mergedChannels(pubsub, 'machineMetrics', ['a'], () => allowed);
    // The first event goes through next(), which opens the channel.
    const first = stream.next();
    await new Promise((r) => setTimeout(r, 10));
    await pubsub.publish('machineMetrics', 'a', sample('a', 0.5));
    expect((await first).value).toMatchObject({ cpu: 0.5 });

    const got: unknown[] = [];
    const takeOne = () =>
      new Promise((resolve, reject) =>
        stream.take((r) => {
          got.push(r);
          resolve(r);
        }, reject),
      );
    const second = takeOne();
    await pubsub.publish('machineMetrics', 'a', sample('a', 0.6));
    expect(await second).toMatchObject({ value: { cpu: 0.6 }, done: false });
    // A permission asked asynchronously.
    allowed = Promise.resolve(true);
    const third = takeOne();
    await pubsub.publish('machineMetrics', 'a', sample('a', 0.7));
    expect(await third).toMatchObject({ value: { cpu: 0.7 }, done: false });
    // Refused: the stream ends, and stays ended.
    allowed = false;
    const fourth = takeOne();
    await pubsub.publish('machineMetrics', 'a', sample('a', 0.8));
    expect(await fourth).toEqual({ value: undefined, done: true });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(got).toHaveLength(3);
  });

  it('take(): a permission check that throws fails the stream instead of reaching the publisher', async () => {
    const pubsub = createInProcessPubSub();
    let fail = false;
    const stream = mergedChannels(pubsub, 'machineMetrics', ['a'], () => {
      if (fail) throw new Error('permission store down');
      return true;
    });
    const first = stream.next();
    await new Promise((r) => setTimeout(r, 10));
    await pubsub.publish('machineMetrics', 'a', sample('a', 0.5));
    await first;
    fail = true;
    const failed = new Promise((resolve, reject) => stream.take(resolve, reject));
    // The publish itself succeeds: the error goes to the subscriber, not to the publisher.
    await expect(pubsub.publish('machineMetrics', 'a', sample('a', 0.6))).resolves.toBeUndefined();
    await expect(failed).rejects.toThrow('permission store down');
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});
