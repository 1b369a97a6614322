// Live samples for subscriptions: one channel per machine (or node, or project), merged into one
// stream for a subscriber of several, each event checked against the caller's rights again.
import type { PubSub, Subscription, Takes, Topic, Topics } from '../../realtime/pubsub.js';

/** One shared answer: when it was asked, the promise, and its value once settled. */
interface Answer {
  at: number;
  ok: Promise<boolean>;
  value?: boolean;
}

/** The latest answer per key; each check also holds its own, so an event needs no lookup here. */
const recent = new Map<string, { answer: Answer | null }>();

/**
 * A permission check asked on every event, its answer shared for `ms` by every subscription with
 * the same `key` (caller, privilege, scope): one tick publishes to all of a tenant's machines at
 * once, and one database read answers for all of that caller's subscriptions in the tick.
 */
export function sharedCheck(key: string, check: () => Promise<boolean>, ms = 1000): () => boolean | Promise<boolean> {
  let slot = recent.get(key);
  if (!slot) recent.set(key, (slot = { answer: null }));
  const shared = slot;
  return () => {
    const now = Date.now();
    const hit = shared.answer;
    // A settled answer is given synchronously: no promise per event on the hot path.
    if (hit && now - hit.at < ms) return hit.value ?? hit.ok;
    if (recent.size > 10_000)
      for (const [k, v] of recent) if (v !== shared && (!v.answer || now - v.answer.at >= ms)) recent.delete(k);
    const answer: Answer = {
      at: now,
      ok: check()
        .catch(() => false)
        .then((v) => (answer.value = v)),
    };
    shared.answer = answer;
    // A key dropped from the map meanwhile comes back, so later checks share it again.
    if (recent.get(key) !== shared) recent.set(key, shared);
    return answer.ok;
  };
}

/** An event stream whose events can also be taken with callbacks (`Takes` in realtime/pubsub.ts). */
export type LiveStream<P> = AsyncGenerator<P, void, void> & Takes<P>;

/**
 * Every message of the given channels, as one stream. All channels are subscribed before the
 * first value is awaited; `stillAllowed` is asked before each event is passed on and ends the
 * stream when the caller lost the right to see it.
 *
 * A plain iterator, not an async generator: this runs once per event and subscriber (a tick to
 * 2,000 subscribers is 2,000 of them), and a generator's `for await` and `yield` cost promise hops
 * and an object per event. `return()` reaches the channels at once, even while `next()` waits.
 */
export function mergedChannels<T extends Topic>(
  pubsub: PubSub,
  topic: T,
  ids: string[],
  stillAllowed: (payload: Topics[T]) => boolean | Promise<boolean>,
): LiveStream<Topics[T]> {
  type Next = { i: number; r: IteratorResult<Topics[T]> };
  const DONE: IteratorReturnResult<void> = { value: undefined, done: true };
  let opened: Promise<Subscription<Topics[T]>[]> | null = null;
  let channels: Subscription<Topics[T]>[] | null = null;
  let finished = false;
  // Several channels: each one's pending next(), raced; a channel that ended leaves the race.
  const pending = new Map<number, Promise<Next>>();
  const end = async (): Promise<IteratorReturnResult<void>> => {
    if (!finished) {
      finished = true;
      // Channels that failed to open have nothing to close.
      if (opened) await Promise.all((await opened.catch(() => [])).map((s) => s.return()));
    }
    return DONE;
  };
  /** Several channels: the next message of any. */
  const race = async (subs: Subscription<Topics[T]>[]): Promise<IteratorResult<Topics[T]> | null> => {
    if (pending.size === 0 && !finished)
      subs.forEach((s, i) =>
        pending.set(
          i,
          s.next().then((r) => ({ i, r })),
        ),
      );
    while (pending.size > 0) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
        continue;
      }
      pending.set(
        i,
        subs[i]!.next().then((next) => ({ i, r: next })),
      );
      return r;
    }
    return null;
  };
  type OnEvent = (r: IteratorResult<Topics[T], void>) => void;
  type Fail = (err: unknown) => void;
  // The stream's end told to a taker; made only when it ends, not per event.
  const endTo = (onEvent: OnEvent, fail: Fail) => void end().then(onEvent, fail);
  const failTo = (fail: Fail, err: unknown) => void end().finally(() => fail(err));
  /** One channel's next event, checked, to a callback; several channels go through next(). */
  const take = (onEvent: OnEvent, fail: Fail = () => undefined) => {
    const sub = channels?.length === 1 ? channels[0]! : null;
    if (!sub || finished) {
      iterator.next().then(onEvent, fail);
      return;
    }
    sub.take((r) => {
      if (r.done || finished) return endTo(onEvent, fail);
      let ok: boolean | Promise<boolean>;
      try {
        ok = stillAllowed(r.value);
      } catch (err) {
        return failTo(fail, err);
      }
      if (ok === true) onEvent(r);
      else if (ok === false) endTo(onEvent, fail);
      else
        ok.then(
          (yes) => (yes ? onEvent(r) : endTo(onEvent, fail)),
          (err: unknown) => failTo(fail, err),
        );
    });
  };
  const iterator: LiveStream<Topics[T]> = {
    take,
    async next() {
      if (finished) return DONE;
      // Awaited once: later events do not wait a tick for the settled subscriptions.
      const subs =
        channels ?? (channels = await (opened ??= Promise.all(ids.map((id) => pubsub.subscribe(topic, id)))));
      try {
        // One channel (the common case): its own next(), no race between iterators.
        const r = finished ? null : subs.length === 1 ? await subs[0]!.next() : await race(subs);
        if (!r || r.done || finished) return await end();
        // A settled permission answer is used without a promise.
        const ok = stillAllowed(r.value);
        if (ok === false || (ok !== true && !(await ok))) return await end();
        return { value: r.value, done: false };
      } catch (err) {
        await end();
        throw err;
      }
    },
    return: end,
    async throw(err: unknown) {
      await end();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async [Symbol.asyncDispose]() {
      await end();
    },
  };
  return iterator;
}
