// An RFB 3.8 server (RFC 6143) on one WebSocket, as QEMU's VNC server looks through pveproxy:
// VNC Authentication only, Raw encoding only, the guest's text console as the framebuffer.
// Versions 3.3 and 3.7 are accepted as the RFC asks (3.3: the server picks the security type;
// 3.7: no failure reason).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import { vncAuthResponse } from './des.js';
import { CELL_HEIGHT, CELL_WIDTH } from './font.js';
import {
  NATIVE_PIXEL_FORMAT,
  decodePixelFormat,
  encodePixelFormat,
  gridSize,
  layoutText,
  palettePixels,
  renderRaw,
  unsupportedPixelFormat,
  type Geometry,
  type Rect,
} from './framebuffer.js';
import type { GuestConsole } from './guest-console.js';

const SECURITY_VNC_AUTH = 2;
const ENCODING_RAW = 0;
/** How often a held incremental update request re-reads the guest screen for outside changes. */
const SCREEN_POLL_MS = 200;
const MAX_CUT_TEXT = 1 << 20;

export interface RfbSessionOptions {
  /** `password ?? ticket` of the vncproxy call; VNC uses its first 8 bytes. */
  password: string;
  geometry: Geometry;
  /** The desktop name in ServerInit. */
  name: string;
  console: GuestConsole;
}

type Phase = 'version' | 'security' | 'auth' | 'client-init' | 'normal' | 'closed';

export const toBuffer = (data: RawData): Buffer =>
  Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);

const u32 = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
};

export class RfbSession {
  private buffer: Buffer = Buffer.alloc(0);
  private phase: Phase = 'version';
  private minor = 8;
  private readonly challenge = randomBytes(16);
  private pixels = palettePixels(NATIVE_PIXEL_FORMAT);
  /** Cell columns and rows including partial last ones (600 px = 37.5 rows): the tracking grid. */
  private readonly cols: number;
  private readonly rows: number;
  /** Per cell row, the characters the viewer currently has; NUL where it has nothing yet. */
  private readonly shown: string[];
  /** The union of update requests not yet answered. */
  private pending: Rect | undefined;
  private poll: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly options: RfbSessionOptions,
  ) {
    this.cols = Math.ceil(options.geometry.width / CELL_WIDTH);
    this.rows = Math.ceil(options.geometry.height / CELL_HEIGHT);
    this.shown = Array.from({ length: this.rows }, () => '\0'.repeat(this.cols));
    ws.on('message', (data) => this.receive(toBuffer(data)));
    ws.on('close', () => this.dispose());
    this.send(Buffer.from('RFB 003.008\n', 'latin1'));
  }

  private receive(data: Buffer): void {
    if (this.phase === 'closed') return;
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    while (this.buffer.length > 0) {
      const used = this.step(this.buffer);
      if (used === 0) break;
      this.buffer = this.buffer.subarray(used);
    }
  }

  /** Handles one complete message at the start of `buf`; returns the bytes it used, 0 if incomplete. */
  private step(buf: Buffer): number {
    switch (this.phase) {
      case 'version':
        if (buf.length < 12) return 0;
        this.clientVersion(buf.toString('latin1', 0, 12));
        return 12;
      case 'security':
        this.securityType(buf.readUInt8(0));
        return 1;
      case 'auth':
        if (buf.length < 16) return 0;
        this.authResponse(buf.subarray(0, 16));
        return 16;
      case 'client-init':
        this.serverInit(); // the shared-flag byte does not matter: every viewer shares the console
        return 1;
      case 'normal':
        return this.clientMessage(buf);
      case 'closed':
        return 0;
    }
  }

  private clientVersion(version: string): void {
    const match = /^RFB (\d{3})\.(\d{3})\n$/.exec(version);
    if (!match || Number(match[1]) !== 3) return this.fail(`unsupported protocol version ${JSON.stringify(version)}`);
    const minor = Number(match[2]);
    this.minor = minor >= 8 ? 8 : minor === 7 ? 7 : 3;
    if (this.minor === 3) {
      this.send(Buffer.concat([u32(SECURITY_VNC_AUTH), this.challenge]));
      this.phase = 'auth';
    } else {
      this.send(Buffer.from([1, SECURITY_VNC_AUTH]));
      this.phase = 'security';
    }
  }

  private securityType(type: number): void {
    if (type !== SECURITY_VNC_AUTH) return this.securityFailure(`security type ${type} is not offered`);
    this.send(this.challenge);
    this.phase = 'auth';
  }

  private authResponse(response: Buffer): void {
    const expected = vncAuthResponse(this.options.password, this.challenge);
    if (!timingSafeEqual(expected, response)) return this.securityFailure('Authentication failed');
    this.send(u32(0));
    this.phase = 'client-init';
  }

  /** SecurityResult "failed"; from 3.8 on with a reason string. Then the server closes. */
  private securityFailure(reason: string): void {
    const text = Buffer.from(reason, 'latin1');
    this.send(this.minor >= 8 ? Buffer.concat([u32(1), u32(text.length), text]) : u32(1));
    this.phase = 'closed';
    this.ws.close(1000, reason.slice(0, 120));
  }

  private serverInit(): void {
    const { width, height } = this.options.geometry;
    const name = Buffer.from(this.options.name, 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt16BE(width, 0);
    head.writeUInt16BE(height, 2);
    this.send(Buffer.concat([head, encodePixelFormat(NATIVE_PIXEL_FORMAT), u32(name.length), name]));
    this.phase = 'normal';
    this.unsubscribe = this.options.console.onChange(() => this.flush());
  }

  private clientMessage(buf: Buffer): number {
    const type = buf.readUInt8(0);
    switch (type) {
      case 0: // SetPixelFormat
        if (buf.length < 20) return 0;
        this.setPixelFormat(buf.subarray(4, 20));
        return 20;
      case 2: {
        // SetEncodings: we always answer with Raw, which every client must accept.
        if (buf.length < 4) return 0;
        const size = 4 + 4 * buf.readUInt16BE(2);
        return buf.length < size ? 0 : size;
      }
      case 3: // FramebufferUpdateRequest
        if (buf.length < 10) return 0;
        this.updateRequest(buf.readUInt8(1) !== 0, {
          x: buf.readUInt16BE(2),
          y: buf.readUInt16BE(4),
          width: buf.readUInt16BE(6),
          height: buf.readUInt16BE(8),
        });
        return 10;
      case 4: // KeyEvent
        if (buf.length < 8) return 0;
        this.options.console.keyEvent(buf.readUInt32BE(4), buf.readUInt8(1) !== 0);
        return 8;
      case 5: // PointerEvent: a text console has no pointer.
        return buf.length < 6 ? 0 : 6;
      case 6: {
        // ClientCutText: the guest has no clipboard agent; read and drop.
        if (buf.length < 8) return 0;
        const length = buf.readUInt32BE(4);
        if (length > MAX_CUT_TEXT) {
          this.fail(`cut text of ${length} bytes is too long`);
          return 0;
        }
        return buf.length < 8 + length ? 0 : 8 + length;
      }
      default:
        // Without knowing its length the stream cannot be resynchronised.
        this.fail(`unsupported client message type ${type}`);
        return 0;
    }
  }

  private setPixelFormat(bytes: Buffer): void {
    const format = decodePixelFormat(bytes);
    const problem = unsupportedPixelFormat(format);
    if (problem) return this.fail(`unsupported pixel format: ${problem}`);
    this.pixels = palettePixels(format);
    if (!format.trueColour) {
      // SetColourMapEntries: first colour 0, two colours, 16-bit components.
      const entries = Buffer.from([1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa]);
      this.send(entries);
    }
  }

  private updateRequest(incremental: boolean, rect: Rect): void {
    const { width, height } = this.options.geometry;
    const x = Math.min(rect.x, width);
    const y = Math.min(rect.y, height);
    const clipped = { x, y, width: Math.min(rect.width, width - x), height: Math.min(rect.height, height - y) };
    if (!incremental) this.forget(clipped);
    this.pending = this.pending ? union(this.pending, clipped) : clipped;
    this.flush();
  }

  /** A non-incremental request wants the region even if unchanged: forget the viewer has it. */
  private forget(rect: Rect): void {
    const cells = cellSpan(rect);
    for (let row = cells.row0; row < Math.min(cells.row1, this.rows); row++) {
      const shown = this.shown[row] ?? '';
      this.shown[row] = shown.slice(0, cells.col0) + '\0'.repeat(cells.col1 - cells.col0) + shown.slice(cells.col1);
    }
  }

  /**
   * Answers the pending request with the cells that differ from what the viewer has, or holds it
   * (as QEMU does) until the screen changes. A non-incremental request for an empty rectangle
   * gets an empty update at once.
   */
  private flush(): void {
    const request = this.pending;
    if (!request || this.phase !== 'normal') return;
    const grid = layoutText(this.options.console.lines(), gridSize(this.options.geometry));
    const rects = request.width === 0 || request.height === 0 ? [] : this.changedRects(grid, request);
    if (rects.length === 0 && request.width > 0 && request.height > 0) {
      this.poll ??= setInterval(() => this.flush(), SCREEN_POLL_MS);
      return;
    }
    this.pending = undefined;
    clearInterval(this.poll);
    this.poll = undefined;
    const head = Buffer.alloc(4);
    head.writeUInt16BE(rects.length, 2); // type 0, padding, number of rectangles
    const parts: Buffer[] = [head];
    for (const rect of rects) {
      const header = Buffer.alloc(12);
      header.writeUInt16BE(rect.x, 0);
      header.writeUInt16BE(rect.y, 2);
      header.writeUInt16BE(rect.width, 4);
      header.writeUInt16BE(rect.height, 6);
      header.writeInt32BE(ENCODING_RAW, 8);
      parts.push(header, renderRaw(grid, rect, this.pixels));
    }
    this.send(Buffer.concat(parts));
  }

  /**
   * Rectangles (whole cells, clipped to the framebuffer) covering every cell of `request` whose
   * character differs from what the viewer has; marks them as shown. Rows with the same changed
   * column span are merged.
   */
  private changedRects(grid: readonly string[], request: Rect): Rect[] {
    const { width, height } = this.options.geometry;
    const cells = cellSpan(request);
    const rects: Rect[] = [];
    let open: { col0: number; col1: number; row0: number; row1: number } | undefined;
    const close = () => {
      if (!open) return;
      const y = open.row0 * CELL_HEIGHT;
      rects.push({
        x: open.col0 * CELL_WIDTH,
        y,
        width: Math.min(open.col1 * CELL_WIDTH, width) - open.col0 * CELL_WIDTH,
        height: Math.min(open.row1 * CELL_HEIGHT, height) - y,
      });
      open = undefined;
    };
    for (let row = cells.row0; row < Math.min(cells.row1, this.rows); row++) {
      const want = (grid[row] ?? '').padEnd(this.cols, ' ');
      const have = this.shown[row] ?? '';
      let first = -1;
      let last = -1;
      for (let col = cells.col0; col < Math.min(cells.col1, this.cols); col++) {
        if (want[col] !== have[col]) {
          if (first < 0) first = col;
          last = col;
        }
      }
      if (first < 0) {
        close();
        continue;
      }
      this.shown[row] = have.slice(0, first) + want.slice(first, last + 1) + have.slice(last + 1);
      if (open && open.col0 === first && open.col1 === last + 1 && open.row1 === row) open.row1 = row + 1;
      else {
        close();
        open = { col0: first, col1: last + 1, row0: row, row1: row + 1 };
      }
    }
    close();
    return rects;
  }

  private fail(reason: string): void {
    this.phase = 'closed';
    this.ws.close(1002, `RFB protocol error: ${reason}`.slice(0, 120));
  }

  private send(data: Buffer): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(data, { binary: true });
  }

  private dispose(): void {
    this.phase = 'closed';
    clearInterval(this.poll);
    this.poll = undefined;
    this.unsubscribe?.();
  }
}

const union = (a: Rect, b: Rect): Rect => {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
};

/** The character cells a pixel rectangle touches (end exclusive). */
const cellSpan = (rect: Rect) => ({
  col0: Math.floor(rect.x / CELL_WIDTH),
  col1: Math.ceil((rect.x + rect.width) / CELL_WIDTH),
  row0: Math.floor(rect.y / CELL_HEIGHT),
  row1: Math.ceil((rect.y + rect.height) / CELL_HEIGHT),
});
