// One-time console sessions: what `openConsole` hands the browser and the WebSocket endpoint
// redeems. A session names a user, a machine and a kind, expires CONNECT_WINDOW_MS after it was
// made, and is consumed by the first upgrade that presents it. It holds nothing from Proxmox: the
// upstream console (vncproxy/termproxy) is only opened when the browser connects.
import { randomBytes, randomInt } from 'node:crypto';

export const ConsoleKind = { VNC: 'VNC', TERMINAL: 'TERMINAL' } as const;
export type ConsoleKind = (typeof ConsoleKind)[keyof typeof ConsoleKind];

/** How long the browser has to open the socket after openConsole. */
export const CONNECT_WINDOW_MS = 30_000;

export interface ConsoleSession {
  id: string;
  userId: string;
  machineId: string;
  kind: ConsoleKind;
  /** VNC only: the RFB password the browser answers the proxy's VNC challenge with. */
  vncPassword: string | null;
  expiresAt: Date;
}

export type RedeemResult =
  { ok: true; session: ConsoleSession } | { ok: false; reason: 'unknown' | 'expired' | 'other-user' };

/**
 * In memory, per API process: a session is redeemed on the process that made it. (Behind several
 * API replicas the console path needs sticky routing or a shared store; see the module README.)
 */
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  create(userId: string, machineId: string, kind: ConsoleKind): ConsoleSession {
    this.sweep();
    const session: ConsoleSession = {
      id: randomBytes(24).toString('base64url'),
      userId,
      machineId,
      kind,
      vncPassword: kind === ConsoleKind.VNC ? vncPassword() : null,
      expiresAt: new Date(this.now() + CONNECT_WINDOW_MS),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Consumes the session whatever the outcome: a guessed or stolen id is never tried twice. */
  redeem(id: string, userId: string): RedeemResult {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    if (!session) return { ok: false, reason: 'unknown' };
    if (session.expiresAt.getTime() <= this.now()) return { ok: false, reason: 'expired' };
    if (session.userId !== userId) return { ok: false, reason: 'other-user' };
    return { ok: true, session };
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt.getTime() <= now) this.sessions.delete(id);
  }
}

/** 8 printable characters, as Proxmox generates them (VNC uses only the first 8 bytes). */
function vncPassword(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += String.fromCharCode(randomInt(0x21, 0x7f));
  return out;
}
