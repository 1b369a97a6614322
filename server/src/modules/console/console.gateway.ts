// The browser's console socket: `GET /console/<sessionId>` upgraded on the API's own HTTP server.
// It authenticates the caller again (cookie or bearer), redeems the one-time session, checks
// Machine.Console and that the guest runs, then opens the console on Proxmox (vncproxy or
// termproxy on the guest's node, then vncwebsocket within its 10 s window, TLS checked as the
// cluster's client does) and relays frames both ways with backpressure. The proxy itself answers
// Proxmox's in-band authentication (RFB password, termproxy `user:ticket` line), so the browser
// sees neither tickets nor tokens.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
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
import { originAllowed } from './console.origin.js';
import { reasonText, relay } from './console.relay.js';
import { authenticateBrowser, authenticateUpstream, RfbError } from './console.rfb.js';
import { ConsoleKind, ConsoleSessions, type ConsoleSession } from './console.session.js';
import { HandshakeError, type ConsoleSocket } from './console.socket.js';
import { guestOf, requireRunning, type Guest } from './console.target.js';
import { acceptBrowser, checkHandshake, connectUpstream, UpstreamRefused } from './console.upgrade.js';

export const CONSOLE_PATH = '/console/';

export interface ConsoleGatewayDeps {
  orm: MikroORM;
  secrets: SecretStore;
  sessionKeys: SessionKeys;
  log: Logger;
  /**
   * Browser origins besides the API's own that may open a console (WEB_ORIGINS). Unset: pages
   * served from the API's host name on any port (the web app's default: same host, port 3000).
   */
  webOrigins?: readonly string[];
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
  const live = new Set<ConsoleSocket>();

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
    browser: ConsoleSocket,
    viewer: Viewer,
    session: ConsoleSession,
    machine: Machine,
  ): Promise<void> {
    const started = Date.now();
    const fields = { userId: viewer.id, machineId: machine.id, kind: session.kind, vmid: machine.vmid };
    const auditBase = { actorId: viewer.id, organizationId: machine.project.organization.id, targetId: machine.id };
    let upstream: ConsoleSocket | undefined;
    try {
      const client = await clusters.get(machine.cluster!.id);
      const guest = guestOf(machine);
      await requireRunning(client, guest, machine.name);
      if (session.kind === ConsoleKind.VNC) {
        // The viewer proves it holds this session's password before anything opens on Proxmox.
        await authenticateBrowser(browser, session.vncPassword!);
        const vnc = await client[guest.type].vncproxy(guest.node, guest.vmid);
        upstream = await openUpstream(client, guest, vnc);
        await authenticateUpstream(upstream, vnc.vncPassword);
      } else {
        const term = await client[guest.type].termproxy(guest.node, guest.vmid);
        upstream = await openUpstream(client, guest, term);
        upstream.send(`${term.user}:${term.ticket}\n`);
        const ok = (await upstream.read(2, 10_000)).toString('latin1');
        if (ok !== 'OK') throw new RfbError('Proxmox refused the terminal login');
      }
      const relayed = relay(browser, upstream);
      log.info({ ...fields, action: 'console.open', result: 'success' }, 'console opened');
      audit(req, {
        ...auditBase,
        action: 'console.open',
        result: 'success',
        details: { kind: session.kind, vmid: machine.vmid },
      });
      await relayed;
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
      browser.close(err instanceof RfbError && err.authFailed ? 1008 : 1011, reasonText(message));
    }
  }

  return {
    sessions,
    clusters,
    handleUpgrade(req, socket, head) {
      // A client that resets the connection while it is being admitted must not crash the API.
      socket.on('error', () => socket.destroy());
      const bad = checkHandshake(req);
      if (bad) return refuse(socket, new Refusal(bad.status, bad.message), bad.headers);
      // A page on another site may not open a console with the visitor's cookie (cross-site
      // WebSocket hijacking); refused before the session is looked at, so it stays usable.
      if (!originAllowed(req, deps.webOrigins)) {
        log.warn(
          { origin: req.headers.origin, action: 'console.connect' },
          'console upgrade from a foreign origin refused',
        );
        return refuse(socket, new Refusal(403, 'This page may not open consoles of this platform.'));
      }
      admit(req).then(
        ({ viewer, session, machine }) => {
          if (!socket.writable) return void socket.destroy();
          const browser = acceptBrowser(req, socket, head);
          live.add(browser);
          void browser.closed.then(() => live.delete(browser));
          void run(req, browser, viewer, session, machine);
        },
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
      for (const browser of live) browser.close(1001, 'the API is shutting down');
      const deadline = Date.now() + 1000;
      while (live.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const browser of live) browser.terminate();
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
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  405: 'Method Not Allowed',
  410: 'Gone',
  426: 'Upgrade Required',
  500: 'Internal Server Error',
};

function refuse(socket: Duplex, r: Refusal, headers: Record<string, string> = {}): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: r.message });
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${r.status} ${STATUS_TEXT[r.status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
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
): Promise<ConsoleSocket> {
  const http = client.http;
  const path = client[guest.type].vncWebsocketPath(guest.node, guest.vmid, t.port, t.ticket);
  try {
    return await connectUpstream(`${http.baseUrl}${path}`, {
      headers: await http.authHeaders(),
      timeoutMs: 10_000,
      // The cluster's TLS trust (CA or pinned fingerprint); a plain-http URL (the simulator) has none.
      tls: http.baseUrl.startsWith('https:') ? http.tlsOptions() : undefined,
    });
  } catch (err) {
    if (err instanceof UpstreamRefused) throw new RfbError(`Proxmox refused the console socket: ${err.message}`);
    // Transport errors name hosts and addresses: logged, never shown (userMessage makes them generic).
    throw new Error(`the console socket to Proxmox failed: ${(err as Error).message}`, { cause: err });
  }
}

/** What the browser may read about a failure: domain messages as they are, the rest generic. */
function userMessage(err: unknown): string {
  if (err instanceof DomainError || err instanceof RfbError || err instanceof HandshakeError) return err.message;
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
