// A real HTTP server on a free 127.0.0.1 port whose `upgrade` handler routes
// /api2/json/nodes/{node}/{qemu|lxc}/{vmid}/vncwebsocket to the broker, as the simulator's API does,
// and a WebSocket client that reads the server's bytes as a stream.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { createConsoleBroker } from '../index.js';
import type { ConsoleBroker, ConsoleBrokerOptions, ConsoleTarget } from '../types.js';

export interface ConsoleServer {
  broker: ConsoleBroker;
  url: (target: ConsoleTarget, port: string, ticket: string) => string;
  close: () => Promise<void>;
}

export async function startConsoleServer(options: ConsoleBrokerOptions): Promise<ConsoleServer> {
  const broker = createConsoleBroker(options);
  const server = createServer((_req, res) => res.writeHead(501).end());
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/api2\/json\/nodes\/([^/]+)\/(qemu|lxc)\/(\d+)\/vncwebsocket$/.exec(url.pathname);
    if (!match) {
      socket.end('HTTP/1.1 501 Method not implemented\r\nConnection: close\r\n\r\n');
      return;
    }
    const target: ConsoleTarget = { node: match[1] ?? '', type: match[2] as 'qemu' | 'lxc', vmid: Number(match[3]) };
    const query = {
      port: url.searchParams.get('port') ?? '',
      vncticket: url.searchParams.get('vncticket') ?? '',
      // Stands in for the authid the API side authenticated (cookie or token).
      ...(req.headers['x-test-authid'] ? { user: String(req.headers['x-test-authid']) } : {}),
    };
    broker.handleUpgrade(target, query, req, socket, head);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    broker,
    url: (target, consolePort, ticket) =>
      `ws://127.0.0.1:${port}/api2/json/nodes/${target.node}/${target.type}/${target.vmid}/vncwebsocket?` +
      new URLSearchParams({ port: consolePort, vncticket: ticket }).toString(),
    async close() {
      await broker.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The HTTP answer to a refused upgrade. */
export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly statusMessage: string,
    readonly body: string,
  ) {
    super(`upgrade refused: ${status} ${statusMessage}`);
  }
}

/** A connected WebSocket whose incoming binary messages are read as one byte stream. */
export class ByteSocket {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, data]);
      this.waiter?.();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.waiter?.();
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  static open(url: string, options: { protocol?: string; authid?: string } = {}): Promise<ByteSocket> {
    return new Promise((resolve, reject) => {
      const { protocol = 'binary', authid } = options;
      const ws = new WebSocket(url, protocol ? [protocol] : [], {
        headers: authid ? { 'x-test-authid': authid } : {},
      });
      ws.once('open', () => resolve(new ByteSocket(ws)));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => reject(new UpgradeRefused(res.statusCode ?? 0, res.statusMessage ?? '', body)));
      });
      ws.once('error', reject);
    });
  }

  /** Resolves with exactly `n` bytes, or rejects if the socket closes first. */
  async read(n: number): Promise<Buffer> {
    while (this.buffer.length < n) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting for ${n} bytes`);
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = undefined;
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  /** Reads up to and including the first occurrence of `expected`; returns it as UTF-8 text. */
  async readUntil(expected: string): Promise<string> {
    const needle = Buffer.from(expected, 'utf8');
    while (this.buffer.indexOf(needle) < 0) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed before ${JSON.stringify(expected)}`);
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = undefined;
    }
    return (await this.read(this.buffer.indexOf(needle) + needle.length)).toString('utf8');
  }

  /** Bytes received and not yet read. */
  get unread(): number {
    return this.buffer.length;
  }

  send(data: Buffer | string): void {
    this.ws.send(typeof data === 'string' ? Buffer.from(data, 'utf8') : data, { binary: true });
  }
}
