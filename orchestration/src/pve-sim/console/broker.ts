// The console broker: issues vncproxy/termproxy tickets, accepts the vncwebsocket upgrade that
// redeems one, and runs the RFB or terminal session on it. See README.md in this folder.
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SIMULATOR_CA_PEM } from './cert.js';
import { geometryFor } from './framebuffer.js';
import { GuestConsole, targetKey } from './guest-console.js';
import { RfbSession } from './rfb.session.js';
import { TerminalSession } from './term.session.js';
import { ConsoleUpgradeError, GrantRegistry, type Grant } from './tickets.js';
import type { ConsoleBroker, ConsoleBrokerOptions, ConsoleTarget } from './types.js';

/** pveproxy's limit for client frames. */
const MAX_PAYLOAD = 128 * 1024;
/** How long close() waits for closing handshakes before cutting the sockets. */
const CLOSE_GRACE_MS = 1_000;

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * Answers a refused upgrade on the raw socket the way pveproxy does: the message as the reason
 * phrase, a JSON error body, then the connection closed.
 */
const refuse = (socket: Duplex, status: number, message: string): void => {
  // A client that resets the connection meanwhile must not crash the simulator.
  socket.on('error', () => socket.destroy());
  if (socket.writable) {
    const body = JSON.stringify({ data: null, message: `${message}\n` });
    const reason = message.replace(/[\r\n]/g, ' ') || STATUS_TEXT[status] || 'Error';
    socket.once('finish', () => socket.destroy());
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\n` +
        'Connection: close\r\n' +
        'Content-Type: application/json;charset=UTF-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        '\r\n' +
        body,
    );
  } else {
    socket.destroy();
  }
};

export function createConsoleBroker(options: ConsoleBrokerOptions): ConsoleBroker {
  const now = options.now ?? Date.now;
  const cert = options.cert ?? SIMULATOR_CA_PEM;
  const hostname =
    options.hostname ?? ((target: ConsoleTarget) => `${target.type === 'lxc' ? 'ct' : 'vm'}${target.vmid}`);
  const consoles = new Map<string, GuestConsole>();
  const sockets = new Set<WebSocket>();
  let closing: Promise<void> | undefined;
  const grants = new GrantRegistry(now, (grant) => options.onSessionEnd?.(grant.upid, 'connection timed out'));
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD,
    perMessageDeflate: false,
    // noVNC and xterm.js ask for `binary`; pveproxy echoes it.
    handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
  });

  const guestConsole = (target: ConsoleTarget): GuestConsole => {
    const key = targetKey(target);
    let guest = consoles.get(key);
    if (!guest) {
      const copy = { ...target };
      // The screen callback runs from timers too; a guest that vanished shows an empty screen.
      guest = new GuestConsole(() => {
        try {
          return options.screen(copy);
        } catch {
          return [];
        }
      });
      consoles.set(key, guest);
    }
    return guest;
  };

  const startSession = (grant: Grant, ws: WebSocket): void => {
    sockets.add(ws);
    ws.on('close', () => {
      sockets.delete(ws);
      grants.release(grant);
      options.onSessionEnd?.(grant.upid, 'OK');
    });
    // A peer that vanishes mid-frame must not crash the simulator; the close event follows.
    ws.on('error', () => undefined);
    const guest = guestConsole(grant.target);
    if (grant.kind === 'vnc') {
      new RfbSession(ws, {
        password: grant.vncPassword,
        geometry: geometryFor(grant.target.type, grant.size),
        name: `VM ${grant.target.vmid}`,
        console: guest,
      });
    } else {
      new TerminalSession(ws, {
        target: grant.target,
        hostname: hostname(grant.target),
        console: guest,
        now,
        verifyLogin: (user, ticket) => grants.verifyTerminalLogin(grant, user, ticket),
      });
    }
  };

  return {
    vncproxy(target, opts) {
      if (closing) throw new Error('console broker is closed');
      const grant = grants.issue('vnc', target, opts);
      const password = GrantRegistry.password(grant);
      return {
        cert,
        port: String(grant.port),
        ticket: grant.ticket,
        upid: grant.upid,
        user: grant.user,
        ...(password === undefined ? {} : { password }),
      };
    },

    termproxy(target, opts) {
      if (closing) throw new Error('console broker is closed');
      const grant = grants.issue('term', target, opts);
      return { port: String(grant.port), ticket: grant.ticket, upid: grant.upid, user: grant.user };
    },

    handleUpgrade(target, query, req, socket, head) {
      if (closing) return refuse(socket, 503, 'console broker is shutting down');
      let grant: Grant;
      try {
        grant = grants.claim(target, query.port, query.vncticket, query.user);
      } catch (error) {
        if (!(error instanceof ConsoleUpgradeError)) throw error;
        return refuse(socket, error.status, error.message);
      }
      // ws completes a valid handshake synchronously (no verifyClient) and answers a malformed
      // one (version, key) itself with a 400; that was the worker's one connection, so end it.
      let upgraded = false;
      wss.handleUpgrade(req, socket, head, (ws) => {
        upgraded = true;
        startSession(grant, ws);
      });
      if (!upgraded) {
        grants.release(grant);
        options.onSessionEnd?.(grant.upid, 'invalid WebSocket handshake');
      }
    },

    received(target) {
      return guestConsole(target).received();
    },

    close() {
      closing ??= shutdown();
      return closing;
    },
  };

  async function shutdown(): Promise<void> {
    for (const grant of grants.closeAll()) options.onSessionEnd?.(grant.upid, 'interrupted by signal');
    const sessions = [...sockets].map(
      (ws) =>
        new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close(1001, 'console broker shutting down');
          setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
        }),
    );
    await Promise.all(sessions);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
}
