// The graphql-ws binding: subscriptions run over it as over graphql-ws's own starter, and a client
// that stops reading stops its subscription from taking more events once HIGH_WATER bytes wait.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, GraphQLInt } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createLogger } from '../logger.js';
import { serveGraphqlWs } from './graphql-ws-server.js';

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

  async function serve(pulled: { n: number }) {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    const server = serveGraphqlWs({ schema: schemaCounting(pulled) }, wss, createLogger('silent'));
    cleanups.push(() => server.dispose());
    return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  }

  it('streams a subscription to a graphql-ws client, to its end', async () => {
    const pulled = { n: 0 };
    const client = createClient({ url: await serve(pulled), webSocketImpl: WebSocket, retryAttempts: 0 });
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
    const url = await serve(pulled);
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
});
