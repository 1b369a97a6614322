// Console tickets and the listeners they open. A real vncproxy/termproxy worker listens on a port
// from 5900-5999 for 10 s and accepts one connection; the ticket (`PVEVNC:<8 hex ts>::<signature>`)
// is signed over `<authid>:/vms/<vmid>:<port>` and valid from 20 s before to 40 s after its
// timestamp. Here the "listener" is a grant record; the signature is an HMAC with a per-broker key.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { targetKey } from './guest-console.js';
import type { ConsoleTarget } from './types.js';

export const CONNECT_WINDOW_MS = 10_000;
export const TICKET_MIN_AGE_S = -20;
export const TICKET_MAX_AGE_S = 40;
const FIRST_PORT = 5900;
const LAST_PORT = 5999;

export type GrantKind = 'vnc' | 'term';
export type GrantState = 'listening' | 'connected' | 'closed' | 'timed-out';

export interface Grant {
  kind: GrantKind;
  target: ConsoleTarget;
  port: number;
  user: string;
  upid: string;
  ticket: string;
  /** The LXC console size asked for with vncproxy `width`/`height`. */
  size?: { width?: number; height?: number };
  /** The VNC password: the generated one, else the ticket (VNC then uses its first 8 bytes). */
  vncPassword: string;
  issuedAt: number;
  state: GrantState;
  timer?: NodeJS.Timeout;
}

/** A refused console upgrade, answered as an HTTP status line by the broker. */
export class ConsoleUpgradeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleUpgradeError';
  }

  static badParameter(name: string, value: string): ConsoleUpgradeError {
    return new ConsoleUpgradeError(400, `Parameter verification failed: ${name} '${value}' is not valid`);
  }

  /** Forged, for another guest or port, or outside the ticket's -20 s … +40 s window. */
  static invalidTicket(): ConsoleUpgradeError {
    return new ConsoleUpgradeError(401, 'permission denied - invalid PVEVNC ticket');
  }

  /** The worker already accepted its one connection; call vncproxy/termproxy again. */
  static alreadyUsed(port: number): ConsoleUpgradeError {
    return new ConsoleUpgradeError(
      502,
      `console on port ${port} already accepted its connection; request a new ticket`,
    );
  }

  /** Nobody connected within 10 s, so the worker stopped; call vncproxy/termproxy again. */
  static connectWindowExpired(port: number): ConsoleUpgradeError {
    return new ConsoleUpgradeError(
      502,
      `console on port ${port} stopped listening: nobody connected within ${CONNECT_WINDOW_MS / 1000} s; request a new ticket`,
    );
  }
}

const hex8 = (seconds: number) => seconds.toString(16).toUpperCase().padStart(8, '0');

/** Printable ASCII '!'..'~', as qemu-server's generated VNC passwords. */
const generatePassword = (): string =>
  Array.from(randomBytes(8), (byte) => String.fromCharCode(0x21 + (byte % 94))).join('');

export class GrantRegistry {
  private readonly secret = randomBytes(32);
  private readonly byTicket = new Map<string, Grant>();

  constructor(
    private readonly now: () => number,
    private readonly onTimeout: (grant: Grant) => void,
  ) {}

  issue(
    kind: GrantKind,
    target: ConsoleTarget,
    opts: { user: string; upid: string; generatePassword?: boolean; width?: number; height?: number },
  ): Grant {
    this.prune();
    const port = this.freePort();
    const issuedAt = this.now();
    const timestamp = hex8(Math.floor(issuedAt / 1000));
    const ticket = `PVEVNC:${timestamp}::${this.sign(timestamp, opts.user, target, port)}`;
    const password = opts.generatePassword ? generatePassword() : undefined;
    const grant: Grant = {
      kind,
      target: { ...target },
      port,
      user: opts.user,
      upid: opts.upid,
      ticket,
      vncPassword: password ?? ticket,
      issuedAt,
      state: 'listening',
      ...(opts.width !== undefined || opts.height !== undefined
        ? { size: { width: opts.width, height: opts.height } }
        : {}),
    };
    grant.timer = setTimeout(() => this.expire(grant), CONNECT_WINDOW_MS);
    grant.timer.unref();
    this.byTicket.set(ticket, grant);
    return grant;
  }

  /** The generated password of a grant, if vncproxy was asked for one. */
  static password(grant: Grant): string | undefined {
    return grant.vncPassword === grant.ticket ? undefined : grant.vncPassword;
  }

  /**
   * The grant a vncwebsocket request may connect to, marked connected; throws the HTTP answer
   * otherwise. Checks in the order a real node fails: ticket, then whether anyone still listens.
   */
  claim(target: ConsoleTarget, portText: string, ticket: string, user?: string): Grant {
    if (!/^\d{1,5}$/.test(portText)) throw ConsoleUpgradeError.badParameter('port', portText);
    const port = Number(portText);
    const grant = this.byTicket.get(ticket);
    if (!grant || !this.verify(grant, target, port) || (user !== undefined && user !== grant.user)) {
      throw ConsoleUpgradeError.invalidTicket();
    }
    if (grant.state === 'connected' || grant.state === 'closed') throw ConsoleUpgradeError.alreadyUsed(port);
    if (grant.state === 'timed-out' || this.now() - grant.issuedAt > CONNECT_WINDOW_MS) {
      this.expire(grant);
      throw ConsoleUpgradeError.connectWindowExpired(port);
    }
    clearTimeout(grant.timer);
    grant.state = 'connected';
    return grant;
  }

  /** The termproxy in-band check of `user:ticket`: the pinned ticket, its owner, its age window. */
  verifyTerminalLogin(grant: Grant, user: string, ticket: string): boolean {
    return user === grant.user && ticket === grant.ticket && this.verify(grant, grant.target, grant.port);
  }

  release(grant: Grant): void {
    clearTimeout(grant.timer);
    grant.state = 'closed';
  }

  /** Stops every listener; returns the grants that were still listening. */
  closeAll(): Grant[] {
    const listening = [...this.byTicket.values()].filter((grant) => grant.state === 'listening');
    for (const grant of this.byTicket.values()) clearTimeout(grant.timer);
    for (const grant of listening) grant.state = 'closed';
    return listening;
  }

  private verify(grant: Grant, target: ConsoleTarget, port: number): boolean {
    const [, timestamp = '', signature = ''] = /^PVEVNC:([0-9A-F]{8})::(.+)$/.exec(grant.ticket) ?? [];
    const expected = Buffer.from(this.sign(timestamp, grant.user, target, port));
    const actual = Buffer.from(signature);
    const age = this.now() / 1000 - parseInt(timestamp, 16);
    return (
      expected.length === actual.length &&
      timingSafeEqual(expected, actual) &&
      targetKey(target) === targetKey(grant.target) &&
      age >= TICKET_MIN_AGE_S &&
      age <= TICKET_MAX_AGE_S
    );
  }

  private sign(timestamp: string, user: string, target: ConsoleTarget, port: number): string {
    return createHmac('sha256', this.secret)
      .update(`PVEVNC:${timestamp}::${user}:/vms/${target.vmid}:${port}`)
      .digest('base64');
  }

  private expire(grant: Grant): void {
    if (grant.state !== 'listening') return;
    clearTimeout(grant.timer);
    grant.state = 'timed-out';
    this.onTimeout(grant);
  }

  private freePort(): number {
    const busy = new Set(
      [...this.byTicket.values()].filter((g) => g.state === 'listening' || g.state === 'connected').map((g) => g.port),
    );
    for (let port = FIRST_PORT; port <= LAST_PORT; port++) if (!busy.has(port)) return port;
    throw new Error(`unable to find free port (${FIRST_PORT}-${LAST_PORT})`);
  }

  /** Forgets finished grants once their tickets are too old to matter. */
  private prune(): void {
    for (const [ticket, grant] of this.byTicket) {
      const finished = grant.state === 'closed' || grant.state === 'timed-out';
      if (finished && this.now() - grant.issuedAt > TICKET_MAX_AGE_S * 1000) this.byTicket.delete(ticket);
    }
  }
}
