// One end of a console connection as WebSocket frames on a raw TCP (or TLS) socket (RFC 6455,
// no extensions). During the handshake it reads the data frames' payloads as one byte stream (RFB
// and termproxy are byte streams); once relaying, it forwards the peer's frames *verbatim*, without
// reassembling messages or unmasking them. Proxmox → browser frames are unmasked on both legs and
// browser → Proxmox frames masked on both, so a frame read on one leg is a valid frame on the other
// and the proxy only writes the socket chunks it read. bench/console measured ~6 ms of CPU per
// 1.2 MB RFB update when `ws` reassembled and re-sent each message; this copies nothing.
import { randomFillSync } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * Relay flow control: stop reading a side while more than this is queued towards the other. A full
 * 640x480 RFB update is 1.2 MB: the mark leaves room for a few in flight so the three processes on
 * the path (Proxmox, the proxy, the browser) overlap instead of taking turns.
 */
export const HIGH_WATER = 8 << 20;
export const LOW_WATER = 2 << 20;
/** How long a closing side waits for the peer's close frame or TCP close before cutting the socket. */
const CLOSE_GRACE_MS = 2_000;

/**
 * `server`: this end accepted the socket (the browser's leg): frames arrive masked and go out
 * unmasked. `client`: this end opened it (the Proxmox leg): the reverse.
 */
export type Role = 'server' | 'client';

export interface CloseInfo {
  code: number;
  reason: string;
}

/** What the RFB and termproxy handshakes need: bytes in order, and sending some. */
export interface ByteStream {
  read(n: number, timeoutMs: number): Promise<Buffer>;
  send(bytes: Buffer | string): void;
}

export class HandshakeError extends Error {}

/**
 * Read buffers for sockets that read with `onread` (the Proxmox leg, where the screen comes from),
 * reused once every write that forwarded part of one has completed. Without it each 64 KiB read
 * is a fresh buffer, and at 100 MB/s that external memory made V8 run a full mark-compact of the
 * API's heap every half second (bench/console with --trace-gc: 100-300 ms of CPU each).
 */
export const readPool = {
  size: 64 << 10,
  /** At most this many idle buffers are kept (8 MiB). */
  maxIdle: 128,
  idle: [] as Buffer[],
  holds: new Map<Buffer, number>(),
  take(): Buffer {
    const b = this.idle.pop() ?? Buffer.allocUnsafeSlow(this.size);
    this.holds.set(b, 1);
    return b;
  },
  hold(b: Buffer): void {
    this.holds.set(b, (this.holds.get(b) ?? 0) + 1);
  },
  release(b: Buffer): void {
    const n = (this.holds.get(b) ?? 1) - 1;
    if (n > 0) return void this.holds.set(b, n);
    this.holds.delete(b);
    if (this.idle.length < this.maxIdle) this.idle.push(b);
  },
};

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** A close code a peer may put in a close frame (RFC 6455 §7.4). */
const receivableCode = (code: number) =>
  (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);

/** A frame to send, masked with a fresh key when this end is the client. */
export function encodeFrame(opcode: number, payload: Buffer, mask: boolean): Buffer {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = 2 + ext + (mask ? 4 : 0);
  const out = Buffer.allocUnsafe(head + len);
  out[0] = 0x80 | opcode;
  out[1] = (mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) out.writeUInt16BE(len, 2);
  else if (ext === 8) out.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) {
    payload.copy(out, head);
    return out;
  }
  const key = out.subarray(head - 4, head);
  randomFillSync(key);
  for (let i = 0; i < len; i++) out[head + i] = payload[i]! ^ key[i & 3]!;
  return out;
}

export class ConsoleSocket implements ByteStream {
  /** Resolves once the TCP socket closed, with the close frame the peer sent (1006: none). */
  readonly closed: Promise<CloseInfo>;
  private resolveClosed!: (info: CloseInfo) => void;
  /** The peer's close frame, or the reason the connection ended without one. */
  private received: CloseInfo | null = null;
  private closeSent = false;
  private ended = false;

  // Handshake byte stream.
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private waiter: (() => void) | undefined;

  // Frame parser. A header is gathered in `header` when it straddles two reads.
  private readonly header = Buffer.allocUnsafe(14);
  private headerLength = 0;
  private headerNeed = 2;
  /** Payload bytes left in the current frame (0 between frames). */
  private remaining = 0;
  private inPayload = false;
  private opcode = 0;
  private fin = true;
  private mask: Buffer | null = null;
  /** Offset into the mask for the next payload byte of a frame read (not forwarded). */
  private maskOffset = 0;
  /** The current frame goes to the peer as it came. */
  private passthrough = false;
  private control: Buffer[] = [];
  /** A fragmented message is open on the incoming side, and on what the peer was sent. */
  private fragmentIn = false;
  private fragmentOut = false;

  // Relay.
  private peer: ConsoleSocket | null = null;
  private onPeerClose: ((info: CloseInfo) => void) | null = null;
  private paused = false;
  /** The pooled buffer the chunk being parsed lives in (null: a buffer of its own). */
  private owner: Buffer | null = null;

  constructor(
    readonly socket: Duplex,
    readonly role: Role,
    head: Buffer,
    private readonly maxPayload: number,
    /** The socket reads into readPool buffers (`onread`) and hands each read to receive(). */
    pooledReads = false,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    const tcp = socket as Partial<Socket>;
    tcp.setNoDelay?.(true);
    tcp.setTimeout?.(0);
    if (!pooledReads) socket.on('data', this.onData);
    socket.on('error', () => socket.destroy());
    socket.on('end', () => {
      // The peer half-closed: nothing more will come. Finish our side too.
      if (!this.ended) this.end();
    });
    socket.on('close', () => {
      this.peerGone({ code: 1006, reason: '' });
      this.waiter?.();
      this.resolveClosed(this.received!);
    });
    if (head.length) this.onData(head);
  }

  /** A read of a socket that reads into pooled buffers: `chunk` is part of `buffer`. */
  receive(chunk: Buffer, buffer: Buffer): void {
    this.owner = buffer;
    try {
      this.onData(chunk);
    } finally {
      this.owner = null;
    }
  }

  get isOpen(): boolean {
    return !this.closeSent && !this.received && !this.socket.destroyed;
  }

  /** Reading is paused because the peer has too much queued. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Bytes queued in this socket, not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  /** Exactly `n` bytes of the data frames' payloads, or a rejection on close or after `timeoutMs`. */
  async read(n: number, timeoutMs: number): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.pendingBytes < n) {
      if (this.received) {
        const { code, reason } = this.received;
        throw new HandshakeError(`the connection closed (${code}${reason ? ` ${reason}` : ''}) during the handshake`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new HandshakeError('the handshake timed out');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const rest = all.subarray(n);
    this.pending = rest.length ? [rest] : [];
    this.pendingBytes = rest.length;
    return all.subarray(0, n);
  }

  /** One binary frame. */
  send(bytes: Buffer | string): void {
    if (this.closeSent || this.socket.destroyed) return;
    const payload = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    this.socket.write(encodeFrame(OP_BINARY, payload, this.role === 'client'));
  }

  /** Sends a close frame (once) and ends the socket; cut after a grace period if the peer lingers. */
  close(code: number, reason = ''): void {
    if (this.closeSent || this.socket.destroyed) return;
    this.closeSent = true;
    const text = Buffer.from(reason);
    const payload = code === 1005 ? Buffer.alloc(0) : Buffer.allocUnsafe(2 + text.length);
    if (code !== 1005) {
      payload.writeUInt16BE(code, 0);
      text.copy(payload, 2);
    }
    this.socket.write(encodeFrame(OP_CLOSE, payload, this.role === 'client'));
    // RFC 6455 §7.1.1: the server closes TCP first; a client waits for the server to.
    if (this.role === 'server' || this.received) this.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  terminate(): void {
    this.socket.destroy();
  }

  /**
   * From now on, frames read here go to `peer` as they came (text made binary, as the relay always
   * sent binary), with backpressure. `onClose` hears this side's close frame, protocol error or
   * dropped connection, once. Returns the handshake bytes read ahead, which the caller sends on.
   */
  relayTo(peer: ConsoleSocket, onClose: (info: CloseInfo) => void): Buffer {
    this.peer = peer;
    this.onPeerClose = onClose;
    const rest = this.pendingBytes ? Buffer.concat(this.pending) : Buffer.alloc(0);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.received) this.peerGone(this.received);
    return rest;
  }

  private end(): void {
    this.ended = true;
    this.socket.end();
  }

  /** This side is done (close frame, protocol error or TCP close): tell the relay once. */
  private peerGone(info: CloseInfo): void {
    this.received ??= info;
    const notify = this.onPeerClose;
    if (notify) {
      this.onPeerClose = null;
      notify(this.received);
    }
  }

  /** A protocol violation by the peer: close with `code`, and the relay hears it as a failure. */
  private fail(code: number, reason: string): void {
    this.socket.off('data', this.onData);
    this.close(code, reason);
    this.peerGone({ code: 1011, reason: `the other side broke the WebSocket protocol: ${reason}` });
  }

  /** Writes to the peer with backpressure: this side pauses while the peer's queue is over the mark. */
  private forward(bytes: Buffer): void {
    const peer = this.peer!;
    if (peer.closeSent || peer.socket.destroyed) return;
    const owner = this.owner;
    if (owner && bytes.buffer === owner.buffer) {
      readPool.hold(owner);
      peer.socket.write(bytes, () => {
        readPool.release(owner);
        this.afterWrite();
      });
    } else peer.socket.write(bytes, this.afterWrite);
    if (!this.paused && peer.socket.writableLength > HIGH_WATER) {
      this.paused = true;
      this.socket.pause();
    }
  }

  /** Each forwarded write's callback: read again once the peer's queue is under the low mark. */
  private readonly afterWrite = () => {
    if (this.paused && this.peer!.socket.writableLength < LOW_WATER) {
      this.paused = false;
      this.socket.resume();
    }
  };

  private readonly onData = (chunk: Buffer) => {
    if (this.received) return;
    const len = chunk.length;
    let off = 0;
    /** Start of the run of this chunk that goes to the peer verbatim; -1: none open. */
    let run = this.inPayload && this.passthrough ? 0 : -1;
    /** Where the header being gathered started in this chunk; -1: in an earlier one. */
    let headerStart = -1;
    const flush = (end: number) => {
      if (run >= 0 && end > run) this.forward(chunk.subarray(run, end));
      run = -1;
    };
    while (off < len) {
      if (!this.inPayload) {
        if (this.headerLength === 0) headerStart = off;
        const take = Math.min(this.headerNeed - this.headerLength, len - off);
        chunk.copy(this.header, this.headerLength, off, off + take);
        this.headerLength += take;
        off += take;
        if (this.headerLength < this.headerNeed) break;
        if (this.headerLength === 2) {
          const n = this.header[1]! & 0x7f;
          this.headerNeed = 2 + (n === 126 ? 2 : n === 127 ? 8 : 0) + (this.header[1]! & 0x80 ? 4 : 0);
          if (this.headerNeed > 2) continue;
        }
        // A header that began in an earlier read starts this chunk, so no run is open before it.
        const problem = this.beginFrame();
        if (problem) {
          flush(headerStart);
          return this.fail(problem[0], problem[1]);
        }
        if (this.passthrough) {
          const b0 = (this.header[0]! & 0xf0) | this.opcode;
          if (headerStart >= 0) {
            chunk[headerStart] = b0;
            if (run < 0) run = headerStart;
          } else {
            this.header[0] = b0;
            this.forward(Buffer.from(this.header.subarray(0, this.headerNeed)));
            run = off;
          }
        } else flush(headerStart);
        this.headerLength = 0;
        this.headerNeed = 2;
        headerStart = -1;
        if (this.remaining === 0) {
          this.endFrame();
          if (this.received) return;
        }
        continue;
      }
      const take = Math.min(this.remaining, len - off);
      if (!this.passthrough) this.consume(chunk.subarray(off, off + take));
      off += take;
      this.remaining -= take;
      if (this.remaining === 0) {
        this.endFrame();
        if (this.received) return;
      }
    }
    // A header still incomplete waits for the next read; what came before it goes now.
    flush(!this.inPayload && this.headerLength > 0 && headerStart >= 0 ? headerStart : len);
  };

  /** Checks a complete header; decides whether the frame is forwarded as it came. */
  private beginFrame(): [number, string] | null {
    const h = this.header;
    const masked = (h[1]! & 0x80) !== 0;
    const n = h[1]! & 0x7f;
    let length = n;
    if (n === 126) length = h.readUInt16BE(2);
    else if (n === 127) {
      const big = h.readBigUInt64BE(2);
      if (big > BigInt(this.maxPayload)) return [1009, 'frame too large'];
      length = Number(big);
    }
    this.fin = (h[0]! & 0x80) !== 0;
    this.opcode = h[0]! & 0x0f;
    if (h[0]! & 0x70) return [1002, 'reserved bits set'];
    if (masked !== (this.role === 'server')) return [1002, masked ? 'masked frame from the server' : 'unmasked frame'];
    if (length > this.maxPayload) return [1009, 'frame too large'];
    this.mask = masked ? Buffer.from(h.subarray(this.headerNeed - 4, this.headerNeed)) : null;
    this.maskOffset = 0;
    this.remaining = length;
    this.inPayload = true;
    const op = this.opcode;
    if (op >= OP_CLOSE) {
      if (op > OP_PONG) return [1002, `unknown opcode ${op}`];
      if (!this.fin || length > 125) return [1002, 'bad control frame'];
      this.passthrough = this.peer !== null && op !== OP_CLOSE;
      this.control = [];
      return null;
    }
    if (op > OP_BINARY) return [1002, `unknown opcode ${op}`];
    if ((op === OP_CONTINUATION) !== this.fragmentIn) return [1002, 'bad fragmentation'];
    this.fragmentIn = !this.fin;
    this.passthrough = this.peer !== null;
    if (this.passthrough) {
      // Text becomes binary; so does a continuation whose start went out re-framed at the switch.
      if (op === OP_TEXT || (op === OP_CONTINUATION && !this.fragmentOut)) this.opcode = OP_BINARY;
      this.fragmentOut = !this.fin;
    }
    return null;
  }

  /** Payload of a frame handled here: unmasked, then kept (control) or delivered (data). */
  private consume(bytes: Buffer): void {
    if (this.mask) {
      const out = Buffer.allocUnsafe(bytes.length);
      for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! ^ this.mask[(this.maskOffset + i) & 3]!;
      this.maskOffset = (this.maskOffset + bytes.length) & 3;
      bytes = out;
    } else if (this.owner) bytes = Buffer.from(bytes); // the pooled buffer is reused after this read
    if (this.opcode >= OP_CLOSE) this.control.push(bytes);
    else if (this.peer) {
      // A frame that began before the relay started: its rest goes on as a frame of its own.
      if (bytes.length) this.forward(encodeFrame(OP_BINARY, bytes, this.peer.role === 'client'));
    } else {
      this.pending.push(bytes);
      this.pendingBytes += bytes.length;
      this.waiter?.();
    }
  }

  private endFrame(): void {
    this.inPayload = false;
    if (this.passthrough || this.opcode < OP_CLOSE) return;
    const payload = Buffer.concat(this.control);
    this.control = [];
    if (this.opcode === OP_PING) {
      if (!this.closeSent) this.socket.write(encodeFrame(OP_PONG, payload, this.role === 'client'));
    } else if (this.opcode === OP_CLOSE) {
      this.socket.off('data', this.onData);
      let info: CloseInfo;
      if (payload.length === 0) info = { code: 1005, reason: '' };
      else if (payload.length === 1 || !receivableCode(payload.readUInt16BE(0))) {
        this.close(1002, 'invalid close frame');
        return this.peerGone({ code: 1011, reason: 'the other side sent an invalid close frame' });
      } else info = { code: payload.readUInt16BE(0), reason: payload.toString('utf8', 2) };
      this.received = info;
      // Echo it (RFC 6455 §5.5.1), then the server ends TCP; the client waits for the server to.
      if (!this.closeSent) this.close(info.code);
      else if (this.role === 'server') this.end();
      this.waiter?.();
      this.peerGone(info);
    }
  }
}
