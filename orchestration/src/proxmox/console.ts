// Console websockets (README §5, §6): after vncproxy/termproxy, the platform's console proxy opens
// `GET .../vncwebsocket?port&vncticket` on the *same* API host, authenticated like any API call (token
// header or ticket cookie) and with the client's TLS trust (CA or pinned fingerprint). It must do so
// within 10 s. For termproxy the first frame is `<user>:<ticket>\n`, answered with `OK`; then input
// frames `0:<byte length>:<data>`, resize `1:<cols>:<rows>:` and ping `2`.
import { WebSocket } from 'ws';
import { ProxmoxError } from './errors.js';
import type { GuestKind } from './guest-types.js';
import { apiPath, type ProxmoxHttp } from './http.js';

export interface ConsoleTicket {
  port: number;
  ticket: string;
}

/** Opens the vncwebsocket for a console; resolves once the upgrade succeeded. */
export async function openConsoleSocket(
  http: ProxmoxHttp,
  kind: GuestKind,
  node: string,
  vmid: number,
  t: ConsoleTicket,
  o: { timeoutMs?: number } = {},
): Promise<WebSocket> {
  const q = new URLSearchParams({ port: String(t.port), vncticket: t.ticket });
  const url = `${http.baseUrl.replace(/^http/, 'ws')}${apiPath`/nodes/${node}`}/${kind}/${vmid}/vncwebsocket?${q.toString()}`;
  const ws = new WebSocket(url, ['binary'], {
    headers: await http.authHeaders(),
    handshakeTimeout: o.timeoutMs ?? 10_000,
    // The client's TLS trust (CA or pinned fingerprint) is for https only: its https agent cannot
    // carry a plain-http request (the simulator without TLS), which `ws` would refuse outright.
    ...(http.baseUrl.startsWith('https:') ? http.tlsOptions() : {}),
  });
  ws.binaryType = 'nodebuffer';
  return new Promise((resolve, reject) => {
    const request = { method: 'GET', path: `/nodes/${node}/${kind}/${vmid}/vncwebsocket` };
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      const msg = res.statusMessage ?? '';
      ws.terminate();
      reject(
        status === 401
          ? ProxmoxError.auth(msg, { status, request })
          : status === 403
            ? ProxmoxError.permission(msg, { status, request })
            : ProxmoxError.unavailable(`console websocket refused: ${status} ${msg}`, { status, request }),
      );
    });
    ws.once('error', (err) =>
      reject(
        err instanceof ProxmoxError
          ? err
          : ProxmoxError.unavailable(`console websocket: ${err.message}`, { request, cause: err }),
      ),
    );
  });
}

/** termproxy framing, client → server. */
export const termFrame = {
  login: (user: string, ticket: string) => `${user}:${ticket}\n`,
  input: (data: string) => `0:${Buffer.byteLength(data, 'utf8')}:${data}`,
  resize: (cols: number, rows: number) => `1:${cols}:${rows}:`,
  ping: () => '2',
};

/**
 * Performs the termproxy in-band login on an open socket. Resolves with any terminal bytes that
 * followed `OK` in the same frame.
 */
export function termproxyLogin(ws: WebSocket, user: string, ticket: string, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(ProxmoxError.auth('termproxy did not answer the login within the timeout')),
      timeoutMs,
    );
    const cleanup = () => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
    };
    const fail = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onMessage = (data: Buffer) => {
      cleanup();
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (buf.subarray(0, 2).toString() === 'OK') resolve(buf.subarray(2));
      else reject(ProxmoxError.auth(`termproxy refused the login: ${buf.toString().slice(0, 100)}`));
    };
    const onClose = (code: number, reason: Buffer) =>
      fail(ProxmoxError.auth(`termproxy closed the socket (${code} ${reason.toString()})`));
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.send(termFrame.login(user, ticket));
  });
}
