// The platform's pub/sub: one typed topic map, two transports behind one interface. Embedded mode
// uses an in-process map of listeners; production uses Redis (graphql-redis-subscriptions on ioredis), so events
// published by a worker reach subscribers on any API instance. Channels are exact names, one per
// job, project or machine: no pattern subscriptions.
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';

/** Every topic and the payload it carries. Payloads are JSON-safe: they cross Redis as JSON. */
export interface Topics {
  /** Progress of one job; `id` is the job id. */
  jobProgress: {
    jobId: string;
    seq: number;
    step: string;
    status: string;
    percent: number | null;
    message: string;
    at: string;
    data: Record<string, unknown>;
  };
  /** Status, node and address changes of a project's machines; `id` is the project id. */
  machineEvents: {
    machineId: string;
    projectId: string;
    status: string;
    node: string | null;
    ipAddresses: string[];
    at: string;
  };
  /** One metrics sample of a machine; `id` is the machine id. */
  machineMetrics: {
    machineId: string;
    at: string;
    cpu: number;
    memoryBytes: number;
    netIn: number;
    netOut: number;
    diskRead: number;
    diskWrite: number;
  };
  /** One metrics sample of a Proxmox node; `id` is `<clusterId>:<node>`. */
  nodeMetrics: {
    clusterId: string;
    node: string;
    at: string;
    status: string;
    cpu: number;
    cpus: number;
    memoryBytes: number;
    memoryTotalBytes: number;
    netIn: number;
    netOut: number;
    diskRead: number;
    diskWrite: number;
  };
  /** A project's machines summed over one collection tick; `id` is the project id. */
  projectMetrics: {
    projectId: string;
    at: string;
    machines: number;
    /** CPUs in use (sum over machines of cpu fraction × cores). */
    cpu: number;
    memoryBytes: number;
    netIn: number;
    netOut: number;
    diskRead: number;
    diskWrite: number;
  };
  /** An alert changed state (or was acknowledged, silenced); `id` is the organisation id, or `platform`. */
  alertEvents: {
    kind: string;
    at: string;
    alertId: string;
    ruleId: string;
    ruleName: string;
    organizationId: string | null;
    projectId: string | null;
    machineId: string | null;
    clusterId: string | null;
    subject: string;
    subjectLabel: string;
    state: string;
    severity: string;
    value: number;
  };
}
export type Topic = keyof Topics;

export interface PubSub {
  publish<T extends Topic>(topic: T, id: string, payload: Topics[T]): Promise<void>;
  /**
   * Messages published on the channel from now on. The subscription is active when the promise
   * resolves, so a caller can subscribe first and then read history without missing anything.
   */
  subscribe<T extends Topic>(topic: T, id: string): Promise<Subscription<Topics[T]>>;
  close(): Promise<void>;
}

/**
 * `next()` with callbacks instead of a promise: `onEvent` is called at once when an event is queued,
 * else by the publish that brings one (or by `return()`, with `done`); `fail` if the stream ends
 * with an error. Wrappers of one subscription (metrics.live.ts, prepared-subscribe.ts) chain their
 * work on it and make a single promise per event, where each layer's own `next()` would make one
 * each: a metrics tick is thousands of events at once (bench/metrics fan-out). The callbacks must
 * not throw: they run inside `publish`.
 */
export interface Takes<P> {
  take(onEvent: (r: IteratorResult<P, void>) => void, fail?: (err: unknown) => void): void;
}

export interface Subscription<P> extends AsyncIterableIterator<P>, Takes<P> {
  /** Stops listening and ends the iteration. */
  return(): Promise<IteratorResult<P>>;
}

const ENDED: IteratorReturnResult<void> = Object.freeze({ value: undefined, done: true });

export const channel = (topic: Topic, id: string, prefix = ''): string => `${prefix}${topic}:${id}`;

/** How payloads travel between publishers and the listeners of a channel. */
interface Transport {
  publish(topic: Topic, id: string, payload: unknown): Promise<void>;
  /** Calls `onMessage` with each payload published on the channel once the promise resolves; the
   * function it resolves to stops that. */
  listen(topic: Topic, id: string, onMessage: (payload: unknown) => void): Promise<() => void>;
  close(): Promise<void>;
}

/** The typed interface above over a transport: one queue per subscription, taken by callbacks. */
class ChannelPubSub implements PubSub {
  constructor(private readonly transport: Transport) {}

  publish<T extends Topic>(topic: T, id: string, payload: Topics[T]): Promise<void> {
    return this.transport.publish(topic, id, payload);
  }

  async subscribe<T extends Topic>(topic: T, id: string): Promise<Subscription<Topics[T]>> {
    type Take = (r: IteratorResult<Topics[T], void>) => void;
    // Messages nobody has asked for yet, or callers waiting for one: never both at once.
    const queue: Topics[T][] = [];
    const waiting: Take[] = [];
    let done = false;
    const unlisten = await this.transport.listen(topic, id, (payload) => {
      const take = waiting.shift();
      if (take) take({ value: payload as Topics[T], done: false });
      else queue.push(payload as Topics[T]);
    });
    const finish = async (): Promise<IteratorResult<Topics[T]>> => {
      if (!done) {
        done = true;
        unlisten();
        for (const take of waiting.splice(0)) take(ENDED);
      }
      return ENDED;
    };
    const take = (onMessage: Take) => {
      if (queue.length > 0) onMessage({ value: queue.shift() as Topics[T], done: false });
      else if (done) onMessage(ENDED);
      else waiting.push(onMessage);
    };
    const iterator: Subscription<Topics[T]> = {
      next: () => new Promise<IteratorResult<Topics[T]>>(take),
      take,
      return: finish,
      async throw(err?: unknown) {
        await finish();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

const RESOLVED = Promise.resolve();

/**
 * Embedded mode: listeners in a map by topic, then id. A publish is a lookup and a call per
 * listener, in the publisher's turn; a metrics tick publishes to thousands of channels at once,
 * and graphql-subscriptions' engine (an EventEmitter keyed by the joined channel name) cost a
 * string join and a dictionary lookup of it per publish.
 */
export function createInProcessPubSub(): PubSub {
  const channels = new Map<Topic, Map<string, Set<(payload: unknown) => void>>>();
  return new ChannelPubSub({
    publish(topic, id, payload) {
      const listeners = channels.get(topic)?.get(id);
      if (listeners?.size === 1) for (const l of listeners) l(payload);
      // Several: those present at the publish, whatever they do meanwhile.
      else if (listeners) for (const l of [...listeners]) l(payload);
      return RESOLVED;
    },
    async listen(topic, id, onMessage) {
      let byId = channels.get(topic);
      if (!byId) channels.set(topic, (byId = new Map()));
      let listeners = byId.get(id);
      if (!listeners) byId.set(id, (listeners = new Set()));
      // A new function per subscription (ChannelPubSub.subscribe), so the set keeps each of them.
      listeners.add(onMessage);
      return () => {
        listeners.delete(onMessage);
        if (listeners.size === 0 && byId.get(id) === listeners) byId.delete(id);
      };
    },
    close: async () => undefined,
  });
}

/** Redis pub/sub. `prefix` namespaces channels (several platforms, or test files, on one Redis). */
export async function createRedisPubSub(url: string, prefix = 'pvepaas:'): Promise<PubSub> {
  // Two connections: a Redis connection in subscriber mode cannot publish. The publisher sends the
  // commands issued in one tick as one write (a job's batch of events is published at once).
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  const subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const engine = new RedisPubSub({ publisher, subscriber });
  return new ChannelPubSub({
    publish: (topic, id, payload) => engine.publish(channel(topic, id, prefix), payload),
    async listen(topic, id, onMessage) {
      const subId = await engine.subscribe(channel(topic, id, prefix), onMessage, {});
      return () => engine.unsubscribe(subId);
    },
    close: async () => {
      await engine.close();
    },
  });
}

/**
 * The same pub/sub in the shape type-graphql wants (`@Subscription({ topics })`). The platform's own
 * subscriptions use `subscribe:` functions with the typed interface; this keeps type-graphql's
 * topic subscriptions working on the same engine.
 */
export function asTypeGraphqlPubSub(pubsub: PubSub): {
  publish(routingKey: string, ...args: unknown[]): void;
  subscribe(routingKey: string, dynamicId?: unknown): AsyncIterable<unknown>;
} {
  return {
    publish(routingKey, id, payload) {
      void pubsub.publish(routingKey as Topic, String(id), payload as never);
    },
    subscribe(routingKey, dynamicId) {
      return {
        async *[Symbol.asyncIterator]() {
          const sub = await pubsub.subscribe(routingKey as Topic, String(dynamicId));
          try {
            yield* sub;
          } finally {
            await sub.return();
          }
        },
      };
    },
  };
}
