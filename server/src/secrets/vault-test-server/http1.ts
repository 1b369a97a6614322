// A small HTTP/1.1 server on `net`: Node's HTTP parser rejects Vault's `LIST` verb, which node-vault
// and the Vault CLI send. Keep-alive, pipelining, chunked bodies, `Expect: 100-continue`, a 64 KiB
// header cap and Vault's 32 MiB body cap (413).
import { createServer, type Server, type Socket } from 'node:net';
import { errors, parseBool, type Reply, type Request } from './protocol.js';

const MAX_BODY = 32 * 1024 * 1024;
const MAX_HEAD = 64 * 1024;

export interface Http1Server {
  url: string;
  close(): Promise<void>;
}

export async function serveHttp1(
  handle: (request: Request) => Reply,
  onServed: (entry: { method: string; path: string; status: number }) => void,
  listen: { port?: number; host?: string },
): Promise<Http1Server> {
  const REASONS: Record<number, string> = {
    200: 'OK',
    204: 'No Content',
    400: 'Bad Request',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    413: 'Request Entity Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    431: 'Request Header Fields Too Large',
    500: 'Internal Server Error',
    501: 'Not Implemented',
    503: 'Service Unavailable',
  };

  function respond(socket: Socket, reply: Reply, keepAlive: boolean): void {
    const head = [`HTTP/1.1 ${reply.status} ${REASONS[reply.status] ?? 'Status'}`, 'Cache-Control: no-store'];
    let payload = Buffer.alloc(0);
    if (reply.status !== 204) {
      payload = Buffer.from(reply.body === undefined ? '' : `${JSON.stringify(reply.body)}\n`);
      if (reply.body !== undefined) head.push('Content-Type: application/json');
      head.push(`Content-Length: ${payload.length}`);
    }
    head.push(`Connection: ${keepAlive ? 'keep-alive' : 'close'}`);
    socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), payload]));
    if (!keepAlive) socket.end();
  }

  type Parsed = { request: Request; consumed: number; keepAlive: boolean } | { error: Reply } | null;

  function parse(buffer: Buffer): Parsed {
    const headEnd = buffer.indexOf('\r\n\r\n');
    if (headEnd === -1) return buffer.length > MAX_HEAD ? { error: errors(431, 'request header too large') } : null;
    const lines = buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
    const match = /^([A-Za-z-]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0] ?? '');
    if (!match) return { error: errors(400, 'malformed request line') };
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) return { error: errors(400, 'malformed header') };
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    let offset = headEnd + 4;
    let body: Buffer;
    if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const lineEnd = buffer.indexOf('\r\n', offset);
        if (lineEnd === -1) return null;
        const size = parseInt(buffer.subarray(offset, lineEnd).toString('latin1').split(';')[0]!, 16);
        if (Number.isNaN(size)) return { error: errors(400, 'malformed chunk') };
        total += size;
        if (total > MAX_BODY) return { error: errors(413, 'http: request body too large') };
        if (buffer.length < lineEnd + 2 + size + 2) return null;
        chunks.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        offset = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
      body = Buffer.concat(chunks);
    } else {
      const length = Number(headers.get('content-length') ?? '0');
      if (!Number.isInteger(length) || length < 0) return { error: errors(400, 'bad content-length') };
      if (length > MAX_BODY) return { error: errors(413, 'http: request body too large') };
      if (buffer.length < offset + length) return null;
      body = Buffer.from(buffer.subarray(offset, offset + length));
      offset += length;
    }
    const url = new URL(match[2]!, 'http://vault.test');
    let method = match[1]!.toUpperCase();
    if (method === 'PUT') method = 'POST';
    if (method === 'GET' && parseBool(url.searchParams.get('list'))) method = 'LIST';
    const keepAlive = match[3] === '1' && (headers.get('connection') ?? '').toLowerCase() !== 'close';
    return {
      request: {
        method,
        wireMethod: match[1]!.toUpperCase(),
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers,
        body,
      },
      consumed: offset,
      keepAlive,
    };
  }

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = Buffer.alloc(0);
    let continued = false;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const parsed = parse(buffer);
        if (parsed === null) {
          // curl sends `Expect: 100-continue` before larger bodies and waits a second without this.
          const head = buffer.subarray(0, buffer.indexOf('\r\n\r\n') + 1).toString('latin1');
          if (!continued && /\r\nexpect:\s*100-continue/i.test(head)) {
            continued = true;
            socket.write('HTTP/1.1 100 Continue\r\n\r\n');
          }
          return;
        }
        continued = false;
        if ('error' in parsed) {
          onServed({ method: '?', path: '?', status: parsed.error.status });
          respond(socket, parsed.error, false);
          buffer = Buffer.alloc(0);
          return;
        }
        buffer = buffer.subarray(parsed.consumed);
        let reply: Reply;
        try {
          reply = handle(parsed.request);
        } catch (error) {
          reply = errors(500, `internal error: ${(error as Error).message}`);
        }
        onServed({ method: parsed.request.wireMethod, path: parsed.request.path, status: reply.status });
        respond(socket, reply, parsed.keepAlive);
        if (!parsed.keepAlive) return;
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('vault test server: no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
