// The graphql-ws binding: subscriptions run over it as over graphql-ws's own starter, and a client
// that stops reading stops its subscription from taking more events once HIGH_WATER bytes wait,
// whether they go through graphql-ws's loop or straight to the socket (direct-next.ts).
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, GraphQLInt } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createLogger } from '../logger.js';
import { directNextFor } from './direct-next.js';
import { serveGraphqlWs } from './graphql-ws-server.js';
import { EVENT_IS_RESULT, preparedSubscribe } from './prepared-subscribe.js';
import type { Takes } from './pubsub.js';

const BIG = 'x'.repeat(64 * 1024);

/** A subscription `ticks(n)` yielding n events of 64 KiB, counting how many the server pulled. */
function schemaCounting(pulled: { n: number }) {
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString, resolve: () => 'ok' } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        ticks: {
          type: GraphQLString,
          args: { n: { type: GraphQLInt } },
          subscribe: async function* (_root, args: { n: number }) {
            for (let i = 0; i < args.n; i++) {
              pulled.n++;
              yield { ticks: `${i}:${BIG}` };
            }
          },
        },
      },
    }),
  });
}

describe('serveGraphqlWs', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function serve(pulled: { n: number }, schema = schemaCounting(pulled)) {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    const offered: boolean[] = [];
    const completed: string[] = [];
    const server = serveGraphqlWs(
      {
        schema,
        onComplete: (_ctx, id) => void completed.push(id),
        subscribe: (args) => {
          offered.push(directNextFor(args) !== undefined);
          return preparedSubscribe(args);
        },
      },
      wss,
      createLogger('silent'),
    );
    cleanups.push(() => server.dispose());
    return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, offered, completed };
  }

  /** A raw graphql-transport-ws client, acknowledged, and the messages it receives after that. */
  async function rawClient(url: string) {
    const ws = new WebSocket(url, 'graphql-transport-ws');
    cleanups.push(() => ws.terminate());
    await once(ws, 'open');
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await once(ws, 'message');
    const received: string[] = [];
    ws.on('message', (m) => received.push(String(m)));
    return { ws, received };
  }

  it('streams a subscription to a graphql-ws client, to its end', async () => {
    const pulled = { n: 0 };
    const client = createClient({ url: (await serve(pulled)).url, webSocketImpl: WebSocket, retryAttempts: 0 });
    cleanups.push(() => client.dispose());
    const got: string[] = [];
    await new Promise<void>((resolve, reject) =>
      client.subscribe<{ ticks: string }>(
        { query: 'subscription { ticks(n: 5) }' },
        { next: (m) => got.push(m.data!.ticks.split(':')[0]!), error: reject, complete: resolve },
      ),
    );
    expect(got).toEqual(['0', '1', '2', '3', '4']);
  });

  it('stops taking events for a client that does not read, once HIGH_WATER bytes wait', async () => {
    const pulled = { n: 0 };
    const { url } = await serve(pulled);
    // A raw graphql-transport-ws client that subscribes, then stops reading its socket.
    const ws = new WebSocket(url, 'graphql-transport-ws');
    cleanups.push(() => ws.terminate());
    await once(ws, 'open');
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await once(ws, 'message');
    ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { ticks(n: 2000) }' } }));
    await once(ws, 'message');
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await new Promise((r) => setTimeout(r, 500));
    // 2,000 events of 64 KiB would be 125 MiB: the loop stopped after the kernel's buffers and
    // HIGH_WATER filled (a few MiB), far short of the end.
    expect(pulled.n).toBeGreaterThan(1);
    expect(pulled.n).toBeLessThan(400);
  });

  it('writes directly delivered results as the same messages as graphql-ws, and stops them for a client that does not read', async () => {
    // `ticks` answers each event as is (EVENT_IS_RESULT) from a source that always has one more:
    // only backpressure stops the subscription from taking events.
    const pulled = { n: 0 };
    let ended = false;
    // Bounded, so that a sender without backpressure fails the test instead of hanging it.
    const nextOf = (): IteratorResult<unknown, void> =>
      ended || pulled.n >= 2000
        ? { value: undefined, done: true }
        : { value: { text: BIG, n: ++pulled.n }, done: false };
    const endless: AsyncIterableIterator<unknown> & Takes<unknown> = {
      take: (onEvent) => onEvent(nextOf()),
      next: async () => nextOf(),
      return: async () => {
        ended = true;
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => endless,
    };
    const Tick = new GraphQLObjectType({ name: 'Tick', fields: { text: { type: GraphQLString } } });
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
      subscription: new GraphQLObjectType({
        name: 'Subscription',
        fields: {
          ticks: {
            type: Tick,
            extensions: { [EVENT_IS_RESULT]: true },
            subscribe: () => endless,
            resolve: (event: unknown) => event,
          },
        },
      }),
    });
    const { url, offered, completed } = await serve(pulled, schema);
    const { ws, received } = await rawClient(url);
    ws.send(JSON.stringify({ id: 'a"1', type: 'subscribe', payload: { query: 'subscription { ticks { text } }' } }));
    while (received.length < 3) await once(ws, 'message');
    // The first result went through graphql-ws's loop (the resolver ran), the next ones directly:
    // the same bytes, the id escaped the same way.
    expect(offered).toEqual([true]);
    expect(new Set(received.slice(0, 3)).size).toBe(1);
    expect(JSON.parse(received[0]!)).toEqual({ id: 'a"1', type: 'next', payload: { data: { ticks: { text: BIG } } } });
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await new Promise((r) => setTimeout(r, 500));
    // As through graphql-ws's loop: the kernel's buffers and HIGH_WATER (a few MiB), not all 2,000.
    expect(pulled.n).toBeLessThan(400);
    // Closing the socket ends the subscription, although its sender was waiting for the socket to
    // drain: graphql-ws's loop for it completes.
    ws.terminate();
    await vi.waitFor(() => expect(completed).toEqual(['a"1']));
    expect(ended).toBe(true);
  });
});
