import type { ApolloLink } from '@apollo/client';
import { Observable, of } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { streamGuardLink } from './stream-guard.link';

const KEY = Symbol.for('apollo.tee.readableStreamController');

function openStream() {
  let controller!: ReadableStreamDefaultController<unknown>;
  const stream = new ReadableStream<unknown>({
    start(c) {
      controller = c;
    },
  });
  return { stream, controller };
}

/** Runs the link the way the integration's link chain does: with the tee controller in the context. */
function runGuard(controller: ReadableStreamDefaultController<unknown>) {
  const operation = { getContext: () => ({ [KEY]: () => controller }) } as unknown as ApolloLink.Operation;
  const forward = (() => of({ data: {} })) as unknown as ApolloLink.ForwardFunction;
  const result = streamGuardLink.request(operation, forward) as Observable<unknown>;
  result.subscribe();
}

describe('streamGuardLink', () => {
  test('without it, writing to a stream its reader cancelled throws (the upstream bug)', async () => {
    const { stream, controller } = openStream();
    await stream.cancel();
    expect(() => controller.enqueue({ type: 'next' })).toThrow(/closed/i);
  });

  test('after it, writes and closes on a cancelled stream are dropped', async () => {
    const { stream, controller } = openStream();
    runGuard(controller);
    await stream.cancel();
    expect(() => controller.enqueue({ type: 'next' })).not.toThrow();
    expect(() => controller.close()).not.toThrow();
  });

  test('an open stream still receives every chunk and closes', async () => {
    const { stream, controller } = openStream();
    runGuard(controller);
    runGuard(controller); // a second pass must not wrap twice
    controller.enqueue({ type: 'next', value: 1 });
    controller.enqueue({ type: 'completed' });
    controller.close();
    const chunks: unknown[] = [];
    const reader = stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    expect(chunks).toEqual([{ type: 'next', value: 1 }, { type: 'completed' }]);
  });
});
