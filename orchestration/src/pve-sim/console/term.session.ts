// termproxy on one WebSocket (pve-xtermjs termproxy/src/main.rs): the client's first line is
// `<authid>:<ticket>\n` (within 10 s), answered with `OK`; then client frames
//   0:<byte length>:<data>   terminal input
//   1:<cols>:<rows>:         resize
//   2                        keep-alive ping
// and raw terminal bytes from the server. Anything else ends the session, as termproxy does.
import { StringDecoder } from 'node:string_decoder';
import type { WebSocket } from 'ws';
import type { GuestConsole } from './guest-console.js';
import { toBuffer } from './rfb.session.js';
import { SimShell } from './shell.js';
import type { ConsoleTarget } from './types.js';

export const LOGIN_TIMEOUT_MS = 10_000;
/** Longest `user:ticket` line and longest input frame accepted. */
const MAX_LOGIN_LINE = 4096;
const MAX_INPUT_FRAME = 1 << 20;

export interface TerminalSessionOptions {
  target: ConsoleTarget;
  hostname: string;
  console: GuestConsole;
  now: () => number;
  /** The in-band check that termproxy asks pvedaemon for (`/access/vncticket`). */
  verifyLogin: (user: string, ticket: string) => boolean;
}

const COLON = 0x3a;

export class TerminalSession {
  private buffer: Buffer = Buffer.alloc(0);
  private phase: 'login' | 'open' | 'closed' = 'login';
  private readonly decoder = new StringDecoder('utf8');
  private readonly shell: SimShell;
  private readonly loginTimer: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    private readonly options: TerminalSessionOptions,
  ) {
    this.shell = new SimShell({
      hostname: options.hostname,
      type: options.target.type,
      now: options.now,
      write: (text) => this.send(text),
      logout: () => this.end(1000, 'logout'),
    });
    this.loginTimer = setTimeout(() => this.end(1008, 'timed out waiting for user:ticket'), LOGIN_TIMEOUT_MS);
    this.loginTimer.unref();
    ws.on('message', (data) => this.receive(toBuffer(data)));
    ws.on('close', () => this.dispose());
  }

  private receive(data: Buffer): void {
    if (this.phase === 'closed') return;
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    if (this.phase === 'login') this.login();
    if (this.phase === 'open') this.frames();
  }

  private login(): void {
    const newline = this.buffer.indexOf(0x0a);
    if (newline < 0) {
      if (this.buffer.length > MAX_LOGIN_LINE) this.end(1008, 'login line too long');
      return;
    }
    const line = this.buffer.toString('utf8', 0, newline);
    this.buffer = this.buffer.subarray(newline + 1);
    // The authid contains no ':' (user@realm!token), the ticket does: split at the first one.
    const colon = line.indexOf(':');
    clearTimeout(this.loginTimer);
    if (colon < 0 || !this.options.verifyLogin(line.slice(0, colon), line.slice(colon + 1))) {
      return this.end(1008, 'authentication failed');
    }
    this.phase = 'open';
    this.send('OK');
    this.send(this.shell.prompt);
  }

  private frames(): void {
    while (this.phase === 'open' && this.buffer.length > 0) {
      const used = this.frame(this.buffer);
      if (used === 0) break;
      this.buffer = this.buffer.subarray(used);
    }
  }

  /** Handles one frame at the start of `buf`; returns its length, or 0 while incomplete. */
  private frame(buf: Buffer): number {
    const type = String.fromCharCode(buf[0] ?? 0);
    if (type === '2') return 1;
    if (type !== '0' && type !== '1') {
      this.end(1002, `unknown frame type ${JSON.stringify(type)}`);
      return 0;
    }
    const fields = type === '0' ? 1 : 2;
    const colons: number[] = [];
    for (let i = 1; i < buf.length && colons.length <= fields; i++) if (buf[i] === COLON) colons.push(i);
    if (colons[0] !== 1) {
      if (buf.length > 1) this.end(1002, `malformed frame ${JSON.stringify(buf.toString('latin1', 0, 16))}`);
      return 0;
    }
    if (colons.length <= fields) {
      if (buf.length > 32) this.end(1002, 'malformed frame header');
      return 0;
    }
    const numbers = colons.slice(0, fields).map((at, i) => buf.toString('latin1', at + 1, colons[i + 1]));
    if (!numbers.every((n) => /^\d{1,9}$/.test(n))) {
      this.end(1002, `malformed frame header ${JSON.stringify(buf.toString('latin1', 0, colons[fields]))}`);
      return 0;
    }
    const dataStart = (colons[fields] as number) + 1;
    if (type === '1') {
      this.shell.resize(Number(numbers[0]), Number(numbers[1]));
      return dataStart;
    }
    const length = Number(numbers[0]);
    if (length > MAX_INPUT_FRAME) {
      this.end(1009, 'input frame too large');
      return 0;
    }
    if (buf.length < dataStart + length) return 0;
    const text = this.decoder.write(buf.subarray(dataStart, dataStart + length));
    this.options.console.terminalInput(text);
    this.shell.input(text);
    return dataStart + length;
  }

  private send(text: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(Buffer.from(text, 'utf8'), { binary: true });
  }

  private end(code: number, reason: string): void {
    this.phase = 'closed';
    clearTimeout(this.loginTimer);
    this.ws.close(code, reason);
  }

  private dispose(): void {
    this.phase = 'closed';
    clearTimeout(this.loginTimer);
  }
}
