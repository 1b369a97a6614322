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
  const server = makeServer(options);
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
        send: (data) => {
          if (socket.readyState !== socket.OPEN) return;
          if (socket.bufferedAmount < HIGH_WATER) return socket.send(data);
          return new Promise<void>((resolve, reject) => socket.send(data, (err) => (err ? reject(err) : resolve())));
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
