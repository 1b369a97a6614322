// The platform's pub/sub: one typed topic map, two engines behind one interface. Embedded mode uses
// an in-process engine; production uses Redis (graphql-redis-subscriptions on ioredis), so events
// published by a worker reach subscribers on any API instance. Channels are exact names, one per
// job, project or machine: no pattern subscriptions.
import { PubSub as InProcessEngine, type PubSubEngine } from 'graphql-subscriptions';
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

/** Wraps a graphql-subscriptions engine (in-process or Redis) into the typed interface above. */
class EnginePubSub implements PubSub {
  constructor(
    private readonly engine: PubSubEngine,
    private readonly prefix: string,
    private readonly onClose: () => Promise<void>,
  ) {}

  publish<T extends Topic>(topic: T, id: string, payload: Topics[T]): Promise<void> {
    return this.engine.publish(channel(topic, id, this.prefix), payload);
  }

  async subscribe<T extends Topic>(topic: T, id: string): Promise<Subscription<Topics[T]>> {
    type Take = (r: IteratorResult<Topics[T], void>) => void;
    // Messages nobody has asked for yet, or callers waiting for one: never both at once.
    const queue: Topics[T][] = [];
    const waiting: Take[] = [];
    let done = false;
    const subId = await this.engine.subscribe(
      channel(topic, id, this.prefix),
      (payload: Topics[T]) => {
        const take = waiting.shift();
        if (take) take({ value: payload, done: false });
        else queue.push(payload);
      },
      {},
    );
    const engine = this.engine;
    const finish = async (): Promise<IteratorResult<Topics[T]>> => {
      if (!done) {
        done = true;
        engine.unsubscribe(subId);
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
    return this.onClose();
  }
}

export function createInProcessPubSub(): PubSub {
  return new EnginePubSub(new InProcessEngine(), '', async () => undefined);
}

/** Redis pub/sub. `prefix` namespaces channels (several platforms, or test files, on one Redis). */
export async function createRedisPubSub(url: string, prefix = 'pvepaas:'): Promise<PubSub> {
  // Two connections: a Redis connection in subscriber mode cannot publish. The publisher sends the
  // commands issued in one tick as one write (a job's batch of events is published at once).
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  const subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const engine = new RedisPubSub({ publisher, subscriber });
  return new EnginePubSub(engine, prefix, async () => {
    await engine.close();
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
