// The two WebSocket opening handshakes of the console proxy (RFC 6455 §4), done here rather than by
// `ws` so that each leg is a bare socket the relay can forward frames on (console.socket.ts). No
// extensions are negotiated on either leg (permessage-deflate would make frames differ per leg).
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Agent, RequestOptions } from 'node:https';
import { connect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConsoleSocket, readPool } from './console.socket.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const accept = (key: string) =>
  createHash('sha1')
    .update(key + GUID)
    .digest('base64');

/** Largest frame a browser may send: its input is keys, pointer events and pastes. */
export const BROWSER_MAX_PAYLOAD = 1 << 20;
/** Largest frame taken from Proxmox (what `ws` allowed before): relayed frames are never held whole. */
export const UPSTREAM_MAX_PAYLOAD = 100 << 20;

/** Why an upgrade request is not a WebSocket handshake this proxy accepts, as an HTTP answer. */
export interface BadHandshake {
  status: 400 | 405 | 426;
  message: string;
  headers?: Record<string, string>;
}

/** Checks the browser's opening handshake; null when it is one. */
export function checkHandshake(req: IncomingMessage): BadHandshake | null {
  if (req.method !== 'GET') return { status: 405, message: 'A console socket is opened with GET.' };
  if (req.headers.upgrade?.toLowerCase() !== 'websocket')
    return { status: 400, message: 'Expected a WebSocket upgrade.' };
  if (req.headers['sec-websocket-version'] !== '13')
    return {
      status: 426,
      message: 'Only WebSocket version 13 is supported.',
      headers: { 'Sec-WebSocket-Version': '13' },
    };
  if (!/^[+/0-9A-Za-z]{22}==$/.test(req.headers['sec-websocket-key'] ?? ''))
    return { status: 400, message: 'Missing or invalid Sec-WebSocket-Key.' };
  return null;
}

/**
 * Completes a handshake that passed checkHandshake: 101, `binary` as the subprotocol when offered
 * (noVNC and xterm.js ask for it, as pveproxy expects), else the first one offered.
 */
export function acceptBrowser(req: IncomingMessage, socket: Duplex, head: Buffer): ConsoleSocket {
  const offered = (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const protocol = offered.includes('binary') ? 'binary' : offered[0];
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept(req.headers['sec-websocket-key']!)}\r\n` +
      (protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : '') +
      '\r\n',
  );
  return new ConsoleSocket(socket, 'server', head, BROWSER_MAX_PAYLOAD);
}

/** The opening handshake failed with an HTTP answer (Proxmox refused), not a transport error. */
export class UpstreamRefused extends Error {
  constructor(
    readonly status: number,
    readonly statusMessage: string,
  ) {
    super(`${status} ${statusMessage}`.trim());
  }
}

/** TLS settings of the cluster's client: its agent (CA or pinned fingerprint) and CA. */
export interface UpstreamTls {
  agent: Agent;
  rejectUnauthorized: boolean;
  ca?: string;
}

/** The longest response head a server may send before the 101's blank line. */
const MAX_RESPONSE_HEAD = 16 << 10;

/**
 * Opens `ws(s)://...` (given as its http(s) URL) with subprotocol `binary` and the given headers;
 * https through the cluster client's agent, so its certificate check (CA or pinned fingerprint)
 * applies. The request is written on a socket this code opens itself, reading into readPool
 * buffers (`onread`), which `http.request` cannot do. Resolves once the 101 arrived and checked out.
 */
export function connectUpstream(
  url: string,
  o: { headers: Record<string, string>; tls?: UpstreamTls; timeoutMs: number },
): Promise<ConsoleSocket> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  if (secure && !o.tls) throw new Error('an https console URL needs the cluster TLS settings');
  const key = randomBytes(16).toString('base64');
  const headers: Record<string, string> = {
    Host: target.host,
    ...o.headers,
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': key,
    'Sec-WebSocket-Protocol': 'binary',
  };
  for (const [k, v] of Object.entries(headers)) {
    if (/[\r\n]/.test(k + v)) throw new Error(`the ${k} header holds a line break`);
  }
  const head =
    `GET ${target.pathname}${target.search} HTTP/1.1\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    '\r\n';

  return new Promise((resolve, reject) => {
    let upstream: ConsoleSocket | null = null;
    let response: Buffer = Buffer.alloc(0);
    const onread = {
      buffer: () => readPool.take(),
      callback: (n: number, buffer: Buffer) => {
        try {
          if (upstream) upstream.receive(buffer.subarray(0, n), buffer);
          else handshake(buffer.subarray(0, n));
        } finally {
          readPool.release(buffer);
        }
        return true;
      },
    };
    const port = Number(target.port) || (secure ? 443 : 80);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const socket: Socket = secure
      ? (o.tls!.agent.createConnection({
          host,
          port,
          ...(isIP(host) ? {} : { servername: host }),
          rejectUnauthorized: o.tls!.rejectUnauthorized,
          ...(o.tls!.ca ? { ca: o.tls!.ca } : {}),
          onread,
        } as RequestOptions) as Socket)
      : connect({ host, port, onread });
    const timer = setTimeout(() => fail(new Error('the opening handshake timed out')), o.timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const closedEarly = () => fail(new Error('the connection closed during the opening handshake'));
    socket.once('error', fail);
    socket.once('close', closedEarly);
    socket.write(head);

    function handshake(chunk: Buffer): void {
      response = Buffer.concat([response, chunk]);
      const end = response.indexOf('\r\n\r\n');
      if (end < 0) {
        if (response.length > MAX_RESPONSE_HEAD) fail(new Error('the opening handshake answer is too long'));
        return;
      }
      const [statusLine, ...lines] = response.subarray(0, end).toString('latin1').split('\r\n');
      const status = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine ?? '');
      if (!status) return fail(new Error('the server did not answer the opening handshake with HTTP'));
      if (status[1] !== '101') return fail(new UpstreamRefused(Number(status[1]), status[2] ?? ''));
      const h = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) h.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const protocol = h.get('sec-websocket-protocol');
      const problem =
        h.get('upgrade')?.toLowerCase() !== 'websocket'
          ? 'no Upgrade: websocket'
          : h.get('sec-websocket-accept') !== accept(key)
            ? 'an invalid Sec-WebSocket-Accept'
            : protocol !== undefined && protocol !== 'binary'
              ? `subprotocol ${protocol}`
              : h.get('sec-websocket-extensions')
                ? 'extensions that were not offered'
                : null;
      if (problem) return fail(new Error(`the server answered the WebSocket handshake with ${problem}`));
      clearTimeout(timer);
      socket.off('error', fail);
      socket.off('close', closedEarly);
      upstream = new ConsoleSocket(
        socket,
        'client',
        Buffer.from(response.subarray(end + 4)),
        UPSTREAM_MAX_PAYLOAD,
        true,
      );
      resolve(upstream);
    }
  });
}
