// Live samples for subscriptions: one channel per machine (or node, or project), merged into one
// stream for a subscriber of several, each event checked against the caller's rights again.
import type { PubSub, Subscription, Topic, Topics } from '../../realtime/pubsub.js';

const recent = new Map<string, { at: number; ok: Promise<boolean>; value?: boolean }>();

/**
 * A permission check asked on every event, its answer shared for `ms` by every subscription with
 * the same `key` (caller, privilege, scope): one tick publishes to all of a tenant's machines at
 * once, and one database read answers for all of that caller's subscriptions in the tick.
 */
export function sharedCheck(key: string, check: () => Promise<boolean>, ms = 1000): () => boolean | Promise<boolean> {
  return () => {
    const now = Date.now();
    const hit = recent.get(key);
    // A settled answer is given synchronously: no promise per event on the hot path.
    if (hit && now - hit.at < ms) return hit.value ?? hit.ok;
    if (recent.size > 10_000) for (const [k, v] of recent) if (now - v.at >= ms) recent.delete(k);
    const entry: { at: number; ok: Promise<boolean>; value?: boolean } = {
      at: now,
      ok: check()
        .catch(() => false)
        .then((v) => (entry.value = v)),
    };
    recent.set(key, entry);
    return entry.ok;
  };
}

/**
 * Every message of the given channels, as one stream. All channels are subscribed before the
 * first value is awaited; `stillAllowed` is asked before each event is passed on and ends the
 * stream when the caller lost the right to see it.
 */
export async function* mergedChannels<T extends Topic>(
  pubsub: PubSub,
  topic: T,
  ids: string[],
  stillAllowed: (payload: Topics[T]) => boolean | Promise<boolean>,
): AsyncGenerator<Topics[T]> {
  const subs: Subscription<Topics[T]>[] = await Promise.all(ids.map((id) => pubsub.subscribe(topic, id)));
  const allowed = async (v: Topics[T]) => {
    const ok = stillAllowed(v);
    return ok === true || (ok !== false && (await ok));
  };
  try {
    if (subs.length === 1) {
      // One channel (the common case): no race between iterators per event, and a settled
      // permission answer is used without a promise (this runs once per event per subscriber).
      for await (const v of subs[0]!) {
        const ok = stillAllowed(v);
        if (ok === false || (ok !== true && !(await ok))) return;
        yield v;
      }
      return;
    }
    const pending = new Map<number, Promise<{ i: number; r: IteratorResult<Topics[T]> }>>();
    const pull = (i: number) =>
      pending.set(
        i,
        subs[i]!.next().then((r) => ({ i, r })),
      );
    subs.forEach((_, i) => pull(i));
    while (pending.size > 0) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
        continue;
      }
      pull(i);
      if (!(await allowed(r.value))) return;
      yield r.value;
    }
  } finally {
    await Promise.all(subs.map((s) => s.return()));
  }
}
