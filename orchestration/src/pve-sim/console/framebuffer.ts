// The simulated guest screen: text lines laid out on a grid of 8x16 character cells, and that grid
// rendered into pixels in whatever RFB pixel format the viewer asked for. Two colours only, light
// grey on black (VGA attribute 0x07), so every pixel is a pure function of the text.
import { CELL_HEIGHT, CELL_WIDTH, glyphCell } from './font.js';
import type { ConsoleTarget } from './types.js';

export interface Geometry {
  width: number;
  height: number;
}

const clampSize = (value: number | undefined, fallback: number) =>
  value === undefined || !Number.isFinite(value) ? fallback : Math.min(2160, Math.max(16, Math.round(value)));

/**
 * QEMU's guests show a 640x480 VGA console. Containers show vncterm's terminal, 800x600 unless
 * vncproxy asked for another size (LXC `width`/`height`, 16–2160 px).
 */
export const geometryFor = (type: ConsoleTarget['type'], size: { width?: number; height?: number } = {}): Geometry =>
  type === 'qemu'
    ? { width: 640, height: 480 }
    : { width: clampSize(size.width, 800), height: clampSize(size.height, 600) };

export const gridSize = ({ width, height }: Geometry) => ({
  cols: Math.floor(width / CELL_WIDTH),
  rows: Math.floor(height / CELL_HEIGHT),
});

export const BACKGROUND: Rgb = [0x00, 0x00, 0x00];
export const FOREGROUND: Rgb = [0xaa, 0xaa, 0xaa];
export type Rgb = readonly [r: number, g: number, b: number];

/**
 * Lays text lines out like a terminal: tabs to 8-column stops, other control characters and
 * non-ASCII as '?', long lines wrapped, and when there are more rows than fit, the last ones
 * (the screen has scrolled). Every row is exactly `cols` characters.
 */
export const layoutText = (lines: readonly string[], { cols, rows }: { cols: number; rows: number }): string[] => {
  const wrapped: string[] = [];
  for (const line of lines) {
    let clean = '';
    for (const char of line) {
      if (char === '\t') clean += ' '.repeat(8 - (clean.length % 8));
      else clean += char >= ' ' && char <= '~' ? char : '?';
    }
    if (clean === '') wrapped.push('');
    for (let start = 0; start < clean.length; start += cols) wrapped.push(clean.slice(start, start + cols));
  }
  const visible = wrapped.slice(-rows);
  while (visible.length < rows) visible.push('');
  return visible.map((row) => row.padEnd(cols, ' '));
};

/** RFB PIXEL_FORMAT (RFC 6143 §7.4). */
export interface PixelFormat {
  bitsPerPixel: number;
  depth: number;
  bigEndian: boolean;
  trueColour: boolean;
  redMax: number;
  greenMax: number;
  blueMax: number;
  redShift: number;
  greenShift: number;
  blueShift: number;
}

/** The server's native format, as QEMU announces it: 32 bpp, depth 24, little-endian xRGB. */
export const NATIVE_PIXEL_FORMAT: PixelFormat = {
  bitsPerPixel: 32,
  depth: 24,
  bigEndian: false,
  trueColour: true,
  redMax: 255,
  greenMax: 255,
  blueMax: 255,
  redShift: 16,
  greenShift: 8,
  blueShift: 0,
};

export const encodePixelFormat = (pf: PixelFormat): Buffer => {
  const out = Buffer.alloc(16);
  out.writeUInt8(pf.bitsPerPixel, 0);
  out.writeUInt8(pf.depth, 1);
  out.writeUInt8(pf.bigEndian ? 1 : 0, 2);
  out.writeUInt8(pf.trueColour ? 1 : 0, 3);
  out.writeUInt16BE(pf.redMax, 4);
  out.writeUInt16BE(pf.greenMax, 6);
  out.writeUInt16BE(pf.blueMax, 8);
  out.writeUInt8(pf.redShift, 10);
  out.writeUInt8(pf.greenShift, 11);
  out.writeUInt8(pf.blueShift, 12);
  return out;
};

export const decodePixelFormat = (bytes: Buffer): PixelFormat => ({
  bitsPerPixel: bytes.readUInt8(0),
  depth: bytes.readUInt8(1),
  bigEndian: bytes.readUInt8(2) !== 0,
  trueColour: bytes.readUInt8(3) !== 0,
  redMax: bytes.readUInt16BE(4),
  greenMax: bytes.readUInt16BE(6),
  blueMax: bytes.readUInt16BE(8),
  redShift: bytes.readUInt8(10),
  greenShift: bytes.readUInt8(11),
  blueShift: bytes.readUInt8(12),
});

/** Why a client's pixel format cannot be served, or undefined when it can. */
export const unsupportedPixelFormat = (pf: PixelFormat): string | undefined => {
  if (![8, 16, 32].includes(pf.bitsPerPixel)) return `bits-per-pixel ${pf.bitsPerPixel} is not 8, 16 or 32`;
  if (pf.trueColour && [pf.redShift, pf.greenShift, pf.blueShift].some((shift) => shift >= pf.bitsPerPixel)) {
    return 'a colour shift lies outside the pixel';
  }
  return undefined;
};

/**
 * The bytes of one pixel of each palette entry (0 background, 1 foreground). In colour-map mode
 * the pixel value is the index itself; the session sends the matching SetColourMapEntries.
 */
export const palettePixels = (pf: PixelFormat): [background: Buffer, foreground: Buffer] => {
  const encode = (rgb: Rgb, index: number): Buffer => {
    const scale = (value: number, max: number) => Math.round((value * max) / 255);
    const value = pf.trueColour
      ? (scale(rgb[0], pf.redMax) << pf.redShift) |
        (scale(rgb[1], pf.greenMax) << pf.greenShift) |
        (scale(rgb[2], pf.blueMax) << pf.blueShift)
      : index;
    const bytes = pf.bitsPerPixel / 8;
    const out = Buffer.alloc(bytes);
    if (pf.bigEndian) out.writeUIntBE(value >>> 0, 0, bytes);
    else out.writeUIntLE(value >>> 0, 0, bytes);
    return out;
  };
  return [encode(BACKGROUND, 0), encode(FOREGROUND, 1)];
};

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether pixel (x, y) of the laid-out grid is foreground. */
export const isForeground = (grid: readonly string[], x: number, y: number): boolean => {
  const char = grid[Math.floor(y / CELL_HEIGHT)]?.[Math.floor(x / CELL_WIDTH)] ?? ' ';
  return ((glyphCell(char)[y % CELL_HEIGHT] ?? 0) & (0x80 >> (x % CELL_WIDTH))) !== 0;
};

/** Raw-encoded pixel data of `rect`, row by row, left to right. */
export const renderRaw = (grid: readonly string[], rect: Rect, pixels: readonly [Buffer, Buffer]): Buffer => {
  const bytesPerPixel = pixels[0].length;
  const out = Buffer.alloc(rect.width * rect.height * bytesPerPixel);
  // One glyph row (8 pixels) in the output format per (character, row), built on first use:
  // a screen repeats few distinct characters, and copying spans beats writing single pixels.
  const spans: Array<Buffer | undefined> = [];
  const span = (char: string, glyphRow: number): Buffer => {
    const key = char.charCodeAt(0) * CELL_HEIGHT + glyphRow;
    let bytes = spans[key];
    if (!bytes) {
      const bits = glyphCell(char)[glyphRow] ?? 0;
      bytes = Buffer.concat(Array.from({ length: CELL_WIDTH }, (_, x) => pixels[bits & (0x80 >> x) ? 1 : 0]));
      spans[key] = bytes;
    }
    return bytes;
  };
  let offset = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const row = grid[Math.floor(y / CELL_HEIGHT)] ?? '';
    const glyphRow = y % CELL_HEIGHT;
    for (let x = rect.x; x < rect.x + rect.width;) {
      const col = Math.floor(x / CELL_WIDTH);
      const from = x - col * CELL_WIDTH;
      const to = Math.min(CELL_WIDTH, rect.x + rect.width - col * CELL_WIDTH);
      offset += span(row[col] ?? ' ', glyphRow).copy(out, offset, from * bytesPerPixel, to * bytesPerPixel);
      x += to - from;
    }
  }
  return out;
};
