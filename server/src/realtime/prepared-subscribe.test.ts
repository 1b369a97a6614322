// preparedSubscribe on a small graphql-js schema: what a subscriber receives, and when the root
// resolver (where the root middlewares' checks run) is asked again for a field marked EVENT_IS_RESULT.
import {
  GraphQLFloat,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type ExecutionResult,
} from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { offerDirectNext, type DirectNext } from './direct-next.js';
import { EVENT_IS_RESULT, preparedSubscribe, RECHECK_MS } from './prepared-subscribe.js';
import { createInProcessPubSub } from './pubsub.js';

interface Tick {
  n: number;
  label: string;
  load?: number | null;
}

/** A stream the test feeds by hand. */
function feed() {
  const queue: Tick[] = [];
  let wake: (() => void) | null = null;
  const iterator: AsyncIterableIterator<Tick> = {
    async next() {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      return { value: queue.shift()!, done: false };
    },
    async return() {
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return {
    iterator,
    push(t: Tick) {
      queue.push(t);
      wake?.();
    },
  };
}

/**
 * A schema whose `tick` resolver counts its calls; `answer` decides what it gives for an event. Its
 * events come from a hand-fed stream, or from `subscribe` when given.
 */
function schemaWith(opts: {
  marked: boolean;
  answer: (t: Tick, ctx: { allowed: boolean }) => unknown;
  subscribe?: () => unknown;
}) {
  const source = feed();
  const calls = { resolve: 0 };
  const TickType = new GraphQLObjectType({
    name: 'Tick',
    fields: {
      n: { type: new GraphQLNonNull(GraphQLInt) },
      label: { type: new GraphQLNonNull(GraphQLString) },
      load: { type: GraphQLFloat },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        tick: {
          type: TickType,
          extensions: opts.marked ? { [EVENT_IS_RESULT]: true } : {},
          subscribe: opts.subscribe ?? (() => source.iterator),
          resolve: (t: Tick, _args, ctx: { allowed: boolean }) => {
            calls.resolve++;
            return opts.answer(t, ctx);
          },
        },
      },
    }),
  });
  return { schema, source, calls };
}

async function subscribeTo(schema: GraphQLSchema, ctx: { allowed: boolean }) {
  const stream = await preparedSubscribe({
    schema,
    document: parse('subscription { tick { n label load } }'),
    contextValue: ctx,
  });
  if (!(Symbol.asyncIterator in stream)) throw new Error(JSON.stringify(stream));
  return stream as AsyncGenerator<ExecutionResult, void, void>;
}

const itself = (t: Tick, ctx: { allowed: boolean }) => {
  if (!ctx.allowed) throw new Error('not allowed');
  return t;
};

describe('preparedSubscribe', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers every event of a field marked EVENT_IS_RESULT, asking its resolver once per RECHECK_MS', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { schema, source, calls } = schemaWith({ marked: true, answer: itself });
    const ctx = { allowed: true };
    const stream = await subscribeTo(schema, ctx);
    for (let n = 1; n <= 3; n++) {
      source.push({ n, label: `t${n}`, load: n / 4 });
      expect((await stream.next()).value).toEqual({ data: { tick: { n, label: `t${n}`, load: n / 4 } } });
    }
    // A value Float cannot represent is graphql-js's error, as without the projection.
    source.push({ n: 9, label: 't9', load: Infinity });
    const invalid = (await stream.next()).value as ExecutionResult;
    expect(invalid.data).toEqual({ tick: { n: 9, label: 't9', load: null } });
    expect(invalid.errors?.[0]?.message).toMatch(/Float cannot represent/);
    // (the resolver ran once more for it, and graphql-js ran it again for the exact error)
    expect(calls.resolve).toBe(3);

    // Past RECHECK_MS the resolver is asked again, and its refusal reaches the subscriber.
    ctx.allowed = false;
    vi.setSystemTime(Date.now() + RECHECK_MS);
    source.push({ n: 4, label: 't4' });
    const refused = (await stream.next()).value as ExecutionResult;
    expect(refused.data).toEqual({ tick: null });
    expect(refused.errors?.map((e) => e.message)).toEqual(['not allowed']);
    // A refusal is not remembered: the next event asks again.
    source.push({ n: 5, label: 't5' });
    expect(((await stream.next()).value as ExecutionResult).errors).toHaveLength(1);
    expect(calls.resolve).toBe(5);
    await stream.return();
  });

  it('asks the resolver on every event when the field is not marked', async () => {
    const { schema, source, calls } = schemaWith({ marked: false, answer: itself });
    const stream = await subscribeTo(schema, { allowed: true });
    for (let n = 1; n <= 3; n++) {
      source.push({ n, label: `t${n}` });
      expect((await stream.next()).value).toEqual({ data: { tick: { n, label: `t${n}`, load: null } } });
    }
    expect(calls.resolve).toBe(3);
    await stream.return();
  });

  it('asks the resolver on every event when it answers something else than the event', async () => {
    const { schema, source, calls } = schemaWith({
      marked: true,
      answer: (t) => ({ ...t, label: t.label.toUpperCase() }),
    });
    const stream = await subscribeTo(schema, { allowed: true });
    for (let n = 1; n <= 3; n++) {
      source.push({ n, label: `t${n}` });
      expect((await stream.next()).value).toEqual({ data: { tick: { n, label: `T${n}`, load: null } } });
    }
    expect(calls.resolve).toBe(3);
    await stream.return();
  });
});

describe('preparedSubscribe with a direct sink (direct-next.ts)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A marked `tick` field on the in-process pub/sub, whose subscriptions take events by callback. */
  async function onPubSub(sink: DirectNext) {
    const pubsub = createInProcessPubSub();
    const { schema, calls } = schemaWith({
      marked: true,
      answer: itself,
      subscribe: () => pubsub.subscribe('jobProgress', 'ticks'),
    });
    const args = { schema, document: parse('subscription { tick { n label } }'), contextValue: { allowed: true } };
    offerDirectNext(args, sink);
    const stream = (await preparedSubscribe(args)) as AsyncGenerator<ExecutionResult, void, void>;
    const publish = (n: number) => pubsub.publish('jobProgress', 'ticks', { n, label: `t${n}` } as never);
    return { stream, publish, calls };
  }

  /** A next() call and whether it has settled. */
  function pending<T>(p: Promise<T>) {
    const state = { settled: false, value: undefined as T | undefined };
    void p.then((v) => Object.assign(state, { settled: true, value: v }));
    return state;
  }
  const settle = () => new Promise((r) => setTimeout(r, 10));

  it('writes events projected as is to the sink, as graphql-ws would serialise them, in order with the others', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const sent: string[] = [];
    const { stream, publish, calls } = await onPubSub({ send: (json) => (sent.push(json), true) });
    // The first event goes through the resolver, so through next() and graphql-ws's loop.
    const first = stream.next();
    await publish(1);
    expect((await first).value).toEqual({ data: { tick: { n: 1, label: 't1' } } });
    // Later ones, until RECHECK_MS, to the sink, while next() stays pending.
    const second = pending(stream.next());
    await publish(2);
    await publish(3);
    await settle();
    expect(sent).toEqual([2, 3].map((n) => JSON.stringify({ data: { tick: { n, label: `t${n}` } } })));
    expect(second.settled).toBe(false);
    // Past RECHECK_MS the resolver runs again: that result resolves next(), after those sent.
    vi.setSystemTime(Date.now() + RECHECK_MS);
    await publish(4);
    await settle();
    expect(second.value?.value).toEqual({ data: { tick: { n: 4, label: 't4' } } });
    expect(sent).toHaveLength(2);
    expect(calls.resolve).toBe(2);
    // return() ends a next() that waits for events sent directly.
    const last = pending(stream.next());
    await publish(5);
    await stream.return();
    await settle();
    expect(last.value).toEqual({ value: undefined, done: true });
    expect(sent).toHaveLength(3);
  });

  it('takes no event while the sink is over its high-water mark, and loses none', async () => {
    const sent: number[] = [];
    let drained: (() => void) | null = null;
    const { stream, publish } = await onPubSub({
      send(json, onDrained) {
        sent.push((JSON.parse(json) as { data: { tick: { n: number } } }).data.tick.n);
        if (sent.length !== 2) return true;
        drained = onDrained;
        return false;
      },
    });
    const first = stream.next();
    await publish(1);
    await first;
    void stream.next();
    for (let n = 2; n <= 6; n++) await publish(n);
    await settle();
    // The second send said "full": the rest wait in the subscription's queue.
    expect(sent).toEqual([2, 3]);
    drained!();
    expect(sent).toEqual([2, 3, 4, 5, 6]);
    await stream.return();
  });
});
