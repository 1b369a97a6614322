// A tiny HTTP(S) server for unit tests: each test installs a handler; every request is recorded with
// its decoded parameters (query for GET/DELETE, form body for POST/PUT). Listens on port 0.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  /** Path below /api2/json, still URL-encoded as sent. */
  path: string;
  params: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
}

export interface Reply {
  status?: number;
  statusMessage?: string;
  body?: unknown;
  /** Raw body text (overrides body). */
  raw?: string;
}

export type Handler = (req: Recorded) => Reply | Promise<Reply>;

export interface FakeServer {
  url: string;
  requests: Recorded[];
  handle(h: Handler): void;
  close(): Promise<void>;
}

export async function startFakeServer(o: { tls?: { key: string; cert: string } } = {}): Promise<FakeServer> {
  let handler: Handler = () => ({ body: { data: null } });
  const requests: Recorded[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString();
      const url = new URL(req.url ?? '/', 'http://x');
      const params = req.method === 'POST' || req.method === 'PUT' ? new URLSearchParams(rawBody) : url.searchParams;
      const rec: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname.replace(/^\/api2\/json/, ''),
        params,
        headers: req.headers,
        rawBody,
      };
      requests.push(rec);
      Promise.resolve(handler(rec)).then(
        (r) => {
          res.statusCode = r.status ?? 200;
          if (r.statusMessage) res.statusMessage = r.statusMessage;
          res.setHeader('content-type', 'application/json;charset=UTF-8');
          res.end(r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body)));
        },
        (e: unknown) => {
          res.statusCode = 599;
          res.end(String(e));
        },
      );
    });
  };
  const server = o.tls
    ? https.createServer({ key: o.tls.key, cert: o.tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    handle(h) {
      handler = h;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const silentLogger = { warn: () => undefined, debug: () => undefined };
