// The seam between the simulator's HTTP API (routes, auth, tasks) and its console servers
// (RFB 3.8 for vncproxy, the xterm.js framing for termproxy). The API side authenticates the
// caller and owns tasks/UPIDs; the broker owns console tickets, the connect window and the sockets.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export interface ConsoleTarget {
  node: string;
  vmid: number;
  type: 'qemu' | 'lxc';
}

/** The `data` of POST /nodes/{node}/{qemu|lxc}/{vmid}/vncproxy, as Proxmox VE 9.1 returns it. */
export interface VncProxyResult {
  cert: string;
  port: string;
  ticket: string;
  upid: string;
  user: string;
  /** Only with `generate-password=1`: then RFB authenticates with it instead of the ticket. */
  password?: string;
}

/** The `data` of POST /nodes/{node}/{qemu|lxc}/{vmid}/termproxy. */
export interface TermProxyResult {
  port: string;
  ticket: string;
  upid: string;
  user: string;
}

export interface ConsoleInput {
  /** X11 keysyms received over RFB KeyEvent messages with down-flag set, in order. */
  keys: number[];
  /** Bytes received as terminal input (`0:len:data` frames), decoded as UTF-8, concatenated. */
  text: string;
}

export interface ConsoleBroker {
  /**
   * `width`/`height` (pixels, 16–2160 in the schema) exist for LXC only, where vncterm sizes its
   * terminal to the viewer; QEMU's screen size is the guest's.
   */
  vncproxy(
    target: ConsoleTarget,
    opts: { user: string; upid: string; generatePassword: boolean; width?: number; height?: number },
  ): VncProxyResult;
  termproxy(target: ConsoleTarget, opts: { user: string; upid: string }): TermProxyResult;
  /**
   * GET .../vncwebsocket?port=&vncticket= after the API side has authenticated the request.
   * Completes the WebSocket upgrade, or answers the HTTP error itself (wrong ticket or port,
   * connect window expired) and destroys the socket. `user`, when given, is the authid that
   * authenticated the request; like Proxmox VE, the ticket is then only valid for that authid.
   */
  handleUpgrade(
    target: ConsoleTarget,
    query: { port: string; vncticket: string; user?: string },
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): void;
  /** What the guest has received so far, for tests and the control endpoint. */
  received(target: ConsoleTarget): ConsoleInput;
  close(): Promise<void>;
}

export interface ConsoleBrokerOptions {
  /** The text lines the guest's console shows right now (the framebuffer renders them). */
  screen: (target: ConsoleTarget) => string[];
  /** Milliseconds clock, injectable for the connect-window tests. */
  now?: () => number;
  /** The guest's hostname for the terminal prompt; default `vm<vmid>` / `ct<vmid>`. */
  hostname?: (target: ConsoleTarget) => string;
  /** The `cert` PEM vncproxy returns; default a fixed self-signed CA certificate. */
  cert?: string;
  /**
   * The console's worker ended, so the API side can finish its `vncproxy` task: `'OK'` when the
   * WebSocket closed, `'connection timed out'` when nobody connected within 10 s, otherwise the
   * error text (the task's exitstatus).
   */
  onSessionEnd?: (upid: string, exitstatus: string) => void;
}
