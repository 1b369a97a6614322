// graphql-ws on a `ws` server: graphql-ws's own `makeServer`, bound to the sockets the way its
// `graphql-ws/use/ws` starter does (its docs invite adapting it), with one difference: `send` does
// not wait for the socket's write callback while the socket keeps up.
//
// graphql-ws awaits `send` after every `next` message of a subscription. The starter resolves that
// promise from `ws`'s write callback, so each delivered event costs a promise, a callback and a
// later turn to resume the subscription's loop. A metrics tick sends thousands of messages at once
// (bench/metrics fan-out: 2,000 subscribers): the starter's way cost ~6% of the fan-out's rate.
// Backpressure is kept where it matters: once a socket has more than HIGH_WATER bytes queued (a
// slow client), `send` waits for the write again, so that subscription's loop stops taking events
// until the client catches up.
import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import { offerDirectNext, type DirectNext } from './direct-next.js';

/** What graphql-ws callbacks find in `ctx.extra`: the same as graphql-ws/use/ws's `Extra`. */
export interface Extra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

/** Queued bytes above which `send` waits for the socket again. */
const HIGH_WATER = 1 << 20;
/** ws-level ping every 12 s (graphql-ws/use/ws's default); no pong by the next ping closes it. */
const KEEP_ALIVE_MS = 12_000;

export function serveGraphqlWs<P extends Record<string, unknown>>(
  options: ServerOptions<P, Extra>,
  wss: WebSocketServer,
  log: Logger,
): { dispose(): Promise<void> } {
  const { context } = options;
  const server = makeServer({
    ...options,
    // Called by graphql-ws for every subscribe message without a contextValue, with the execution
    // arguments it then runs: the place that knows both the socket and the operation's id.
    context: async (ctx, id, payload, args) => {
      offerDirectNext(args, directNext(ctx.extra.socket, id));
      return typeof context === 'function' ? await context(ctx, id, payload, args) : context;
    },
  });
  wss.options.handleProtocols = handleProtocols;
  wss.once('error', (err) => {
    log.error({ err }, 'WebSocket server error: closing every connection');
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, 'Internal server error');
  });
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.once('error', (err) => {
      log.warn({ err }, 'WebSocket connection error');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    let pongWait: NodeJS.Timeout | null = null;
    const ping = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, KEEP_ALIVE_MS);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        // A promise only when the socket is behind: graphql-ws's loop then waits for it.
        send: (data) => {
          let drained!: () => void;
          return write(socket, data, () => drained()) ? undefined : new Promise<void>((r) => (drained = r));
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', (message) => {
            cb(String(message)).catch((err: unknown) => {
              log.error({ err }, 'graphql-ws message handling failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      clearInterval(ping);
      void closed(code, String(reason));
    });
  });
  return {
    async dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/**
 * Writes `data` to the socket. True if it keeps up; false if it has more than HIGH_WATER bytes
 * queued, and then `drained` is called once this message is written. A closing socket drops the
 * message and answers false, with `drained` on the next turn: its subscriptions end once the close
 * event has run graphql-ws's cleanup, and until then each takes one event per turn of the event
 * loop, never a run of them that would keep the close from happening.
 */
function write(socket: WebSocket, data: string, drained: () => void): boolean {
  if (socket.readyState !== socket.OPEN) {
    setImmediate(drained);
    return false;
  }
  if (socket.bufferedAmount < HIGH_WATER) {
    socket.send(data);
    return true;
  }
  socket.send(data, () => drained());
  return false;
}

/** `next` messages of subscription `id` written to `socket` as graphql-ws would (direct-next.ts). */
function directNext(socket: WebSocket, id: string): DirectNext {
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return { send: (payloadJson, drained) => write(socket, head + payloadJson + '}', drained) };
}
