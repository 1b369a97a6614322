// The browser's console socket: `GET /console/<sessionId>` upgraded on the API's own HTTP server.
// It authenticates the caller again (cookie or bearer), redeems the one-time session, checks
// Machine.Console and that the guest runs, then opens the console on Proxmox (vncproxy or
// termproxy on the guest's node, then vncwebsocket within its 10 s window, TLS checked as the
// cluster's client does) and relays bytes both ways with backpressure. The proxy itself answers
// Proxmox's in-band authentication (RFB password, termproxy `user:ticket` line), so the browser
// sees neither tickets nor tokens.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import { WebSocket, WebSocketServer } from 'ws';
import { authenticate } from '../../auth/authenticate.js';
import { Privilege } from '../../auth/privileges.js';
import { SESSION_COOKIE, type SessionKeys } from '../../auth/session.js';
import type { Viewer } from '../../auth/viewer.js';
import { DomainError } from '../../errors/domain-error.js';
import type { Logger } from '../../logger.js';
import { appendAudit, type AuditEntry } from '../audit/audit.service.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { Machine } from '../machine/machine.entity.js';
import { projectScope } from '../project/project.access.js';
import { createClusterClients, type ClusterClients } from '../provision/cluster-clients.js';
import { reasonText, relay } from './console.relay.js';
import { authenticateBrowser, authenticateUpstream, RfbError, WsBytes } from './console.rfb.js';
import { ConsoleKind, ConsoleSessions, type ConsoleSession } from './console.session.js';
import { guestOf, requireRunning, type Guest } from './console.target.js';

export const CONSOLE_PATH = '/console/';

export interface ConsoleGatewayDeps {
  orm: MikroORM;
  secrets: SecretStore;
  sessionKeys: SessionKeys;
  log: Logger;
}

export interface ConsoleGateway {
  sessions: ConsoleSessions;
  clusters: ClusterClients;
  /** For the HTTP server's `upgrade` event on paths under CONSOLE_PATH. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every console socket (1001) and the cluster clients. */
  close(): Promise<void>;
}

export function createConsoleGateway(deps: ConsoleGatewayDeps): ConsoleGateway {
  const log = deps.log.child({ module: 'console' });
  const sessions = new ConsoleSessions();
  const clusters = createClusterClients(deps.orm, deps.secrets, log);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const live = new Set<WebSocket>();

  async function admit(req: IncomingMessage): Promise<{ viewer: Viewer; session: ConsoleSession; machine: Machine }> {
    const em = deps.orm.em.fork();
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE] ?? null;
    const viewer = await authenticate(em, deps.sessionKeys, { bearer, cookie });
    if (!viewer) throw new Refusal(401, 'Sign in first: a console socket needs a session cookie or a bearer token.');
    const id = new URL(req.url ?? '/', 'http://x').pathname.slice(CONSOLE_PATH.length);
    const redeemed = sessions.redeem(id, viewer.id);
    if (!redeemed.ok) {
      throw redeemed.reason === 'expired'
        ? new Refusal(410, 'This console session expired before it was used; open the console again.', viewer.id)
        : new Refusal(
            403,
            'This console session is unknown, already used or not yours; open the console again.',
            viewer.id,
          );
    }
    const { session } = redeemed;
    const machine = await em.findOne(Machine, { id: session.machineId }, { populate: ['project', 'node'] });
    if (!machine || !viewer.can(Privilege.MachineConsole, projectScope(machine.project))) {
      throw new Refusal(403, `You no longer hold ${Privilege.MachineConsole} on this machine.`, viewer.id);
    }
    return { viewer, session, machine };
  }

  /** Audit log entries are written without holding up the console; a failed write is logged. */
  function audit(req: IncomingMessage, entry: Omit<AuditEntry, 'ip' | 'userAgent' | 'targetType'>): void {
    const full: AuditEntry = {
      ...entry,
      targetType: entry.targetId ? 'Machine' : null,
      ip: req.socket.remoteAddress ?? null,
      userAgent: req.headers['user-agent'] ?? null,
    };
    appendAudit(deps.orm.em, [full]).catch((err: unknown) =>
      log.error({ err, entry: full }, 'could not write the audit entry'),
    );
  }

  async function run(
    req: IncomingMessage,
    browser: WebSocket,
    viewer: Viewer,
    session: ConsoleSession,
    machine: Machine,
  ): Promise<void> {
    const started = Date.now();
    const down = new WsBytes(browser);
    const fields = { userId: viewer.id, machineId: machine.id, kind: session.kind, vmid: machine.vmid };
    const auditBase = { actorId: viewer.id, organizationId: machine.project.organization.id, targetId: machine.id };
    let upstream: WebSocket | undefined;
    try {
      const client = await clusters.get(machine.cluster!.id);
      const guest = guestOf(machine);
      await requireRunning(client, guest, machine.name);
      if (session.kind === ConsoleKind.VNC) {
        // The viewer proves it holds this session's password before anything opens on Proxmox.
        await authenticateBrowser(down, session.vncPassword!);
        const vnc = await client[guest.type].vncproxy(guest.node, guest.vmid);
        const up = await openUpstream(client, guest, vnc);
        upstream = up.ws;
        await authenticateUpstream(up.io, vnc.vncPassword);
        relay(browser, down.detach(), up.ws, up.io.detach());
      } else {
        const term = await client[guest.type].termproxy(guest.node, guest.vmid);
        const up = await openUpstream(client, guest, term);
        upstream = up.ws;
        up.io.send(`${term.user}:${term.ticket}\n`);
        const ok = (await up.io.read(2, 10_000)).toString('latin1');
        if (ok !== 'OK') throw new RfbError('Proxmox refused the terminal login');
        relay(browser, down.detach(), up.ws, up.io.detach());
      }
      log.info({ ...fields, action: 'console.open', result: 'success' }, 'console opened');
      audit(req, {
        ...auditBase,
        action: 'console.open',
        result: 'success',
        details: { kind: session.kind, vmid: machine.vmid },
      });
      if (browser.readyState !== WebSocket.CLOSED)
        await new Promise<void>((resolve) => browser.once('close', () => resolve()));
      log.info(
        { ...fields, action: 'console.close', seconds: Math.round((Date.now() - started) / 1000) },
        'console closed',
      );
      audit(req, {
        ...auditBase,
        action: 'console.close',
        result: 'success',
        details: { kind: session.kind, vmid: machine.vmid, seconds: Math.round((Date.now() - started) / 1000) },
      });
    } catch (err) {
      const message = userMessage(err);
      log[err instanceof RfbError && err.authFailed ? 'info' : 'warn'](
        { ...fields, action: 'console.open', result: 'failure', err },
        `console failed: ${message}`,
      );
      audit(req, {
        ...auditBase,
        action: 'console.open',
        result: err instanceof RfbError && err.authFailed ? 'denied' : 'failure',
        details: { kind: session.kind, vmid: machine.vmid, reason: message },
      });
      upstream?.terminate();
      if (browser.readyState === WebSocket.OPEN)
        browser.close(err instanceof RfbError && err.authFailed ? 1008 : 1011, reasonText(message));
    }
  }

  return {
    sessions,
    clusters,
    handleUpgrade(req, socket, head) {
      admit(req).then(
        ({ viewer, session, machine }) =>
          wss.handleUpgrade(req, socket, head, (ws) => {
            live.add(ws);
            ws.once('close', () => live.delete(ws));
            void run(req, ws, viewer, session, machine);
          }),
        (err: unknown) => {
          if (!(err instanceof Refusal)) log.error({ err }, 'console upgrade failed');
          else if (err.actorId) {
            audit(req, {
              actorId: err.actorId,
              action: 'console.connect',
              result: 'denied',
              details: { status: err.status, reason: err.message },
            });
          }
          refuse(
            socket,
            err instanceof Refusal ? err : new Refusal(500, 'The console could not be opened; try again.'),
          );
        },
      );
    },
    async close() {
      for (const ws of live) ws.close(1001, 'the API is shutting down');
      const deadline = Date.now() + 1000;
      while (live.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const ws of live) ws.terminate();
      wss.close();
      clusters.close();
    },
  };
}

/** An upgrade refused before it happened: an HTTP status and a JSON message. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The authenticated caller, when there was one: the refusal is then audited. */
    readonly actorId?: string,
  ) {
    super(message);
  }
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  410: 'Gone',
  500: 'Internal Server Error',
};

function refuse(socket: Duplex, r: Refusal): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: r.message });
  socket.end(
    `HTTP/1.1 ${r.status} ${STATUS_TEXT[r.status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Opens vncwebsocket on the same API host that answered vncproxy/termproxy, authenticated and TLS
 * checked like the cluster's client. Bytes are buffered from the first one (RFB speaks first).
 */
async function openUpstream(
  client: ProxmoxClient,
  guest: Guest,
  t: { port: number; ticket: string },
): Promise<{ ws: WebSocket; io: WsBytes }> {
  const http = client.http;
  const path = client[guest.type].vncWebsocketPath(guest.node, guest.vmid, t.port, t.ticket);
  const ws = new WebSocket(`${http.baseUrl.replace(/^http/, 'ws')}${path}`, ['binary'], {
    headers: await http.authHeaders(),
    handshakeTimeout: 10_000,
    // The cluster's TLS trust (CA or pinned fingerprint); a plain-http URL (the simulator) has none.
    ...(http.baseUrl.startsWith('https:') ? http.tlsOptions() : {}),
  });
  const io = new WsBytes(ws);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) =>
        reject(new RfbError(`Proxmox refused the console socket: ${res.statusCode} ${res.statusMessage ?? ''}`.trim())),
      );
      // Transport errors name hosts and addresses: logged, never shown (userMessage makes them generic).
      ws.once('error', (e) => reject(new Error(`the console socket to Proxmox failed: ${e.message}`, { cause: e })));
    });
  } catch (err) {
    ws.terminate();
    throw err;
  }
  return { ws, io };
}

/** What the browser may read about a failure: domain messages as they are, the rest generic. */
function userMessage(err: unknown): string {
  if (err instanceof DomainError || err instanceof RfbError) return err.message;
  return 'Proxmox did not open the console; try again, and tell an administrator if it keeps failing.';
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      try {
        out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        // a malformed cookie is ignored, like cookie-parser does
      }
    }
  }
  return out;
}
