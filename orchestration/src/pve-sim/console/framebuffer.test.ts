import { describe, expect, it } from 'vitest';
import { GLYPH_ART, glyphCell } from './font.js';
import {
  NATIVE_PIXEL_FORMAT,
  decodePixelFormat,
  encodePixelFormat,
  isForeground,
  layoutText,
  palettePixels,
  renderRaw,
  unsupportedPixelFormat,
} from './framebuffer.js';

const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i));

describe('font', () => {
  it('draws every printable ASCII character on the 5x9 grid, each differently', () => {
    expect(Object.keys(GLYPH_ART).sort()).toEqual([...printable].sort());
    for (const [char, art] of Object.entries(GLYPH_ART)) {
      const rows = art.split(' ').filter((row) => row !== '');
      expect(rows.length, char).toBeLessThanOrEqual(9);
      for (const row of rows) expect(row, char).toMatch(/^[.#]{5}$/);
    }
    const cells = new Set(printable.map((char) => Buffer.from(glyphCell(char)).toString('hex')));
    expect(cells.size).toBe(printable.length);
  });

  it("places 'A' at x=1..5, y=3..9 of its 8x16 cell", () => {
    expect(Buffer.from(glyphCell('A')).toString('hex')).toBe(
      '000000' + '38' + '44' + '44' + '7c' + '44' + '44' + '44' + '00'.repeat(6),
    );
    // 'g' uses both descender rows (y = 10, 11).
    expect([...glyphCell('g')].slice(10, 12)).toEqual([0x04, 0x38]);
  });

  it("draws anything else as '?'", () => {
    expect(glyphCell('é')).toEqual(glyphCell('?'));
    expect(glyphCell('\x01')).toEqual(glyphCell('?'));
  });
});

describe('layoutText', () => {
  const size = { cols: 10, rows: 3 };

  it('pads every row to the grid and fills missing rows with blanks', () => {
    expect(layoutText(['hi'], size)).toEqual(['hi        ', ' '.repeat(10), ' '.repeat(10)]);
  });

  it('wraps long lines, expands tabs and keeps the last rows when the text scrolls', () => {
    expect(layoutText(['0123456789abc', 'a\tb'], size)).toEqual(['0123456789', 'abc       ', 'a       b ']);
    expect(layoutText(['1', '2', '3', '4'], size).map((row) => row.trim())).toEqual(['2', '3', '4']);
  });

  it("shows control and non-ASCII characters as '?'", () => {
    expect(layoutText(['a\x1bb€'], size)[0]).toBe('a?b?      ');
  });
});

describe('pixels', () => {
  it('encodes light grey and black in the server and in other true-colour formats', () => {
    const hex = (pixels: Buffer[]) => pixels.map((pixel) => pixel.toString('hex'));
    expect(hex(palettePixels(NATIVE_PIXEL_FORMAT))).toEqual(['00000000', 'aaaaaa00']);
    expect(hex(palettePixels({ ...NATIVE_PIXEL_FORMAT, bigEndian: true }))).toEqual(['00000000', '00aaaaaa']);
    const bgr233 = { ...NATIVE_PIXEL_FORMAT, bitsPerPixel: 8, depth: 8, redMax: 7, greenMax: 7, blueMax: 3 };
    // r 5/7 << 0 | g 5/7 << 3 | b 2/3 << 6 = 0x05 | 0x28 | 0x80
    expect(hex(palettePixels({ ...bgr233, redShift: 0, greenShift: 3, blueShift: 6 }))).toEqual(['00', 'ad']);
  });

  it('round-trips the PIXEL_FORMAT structure and rejects what it cannot serve', () => {
    expect(decodePixelFormat(encodePixelFormat(NATIVE_PIXEL_FORMAT))).toEqual(NATIVE_PIXEL_FORMAT);
    expect(unsupportedPixelFormat(NATIVE_PIXEL_FORMAT)).toBeUndefined();
    expect(unsupportedPixelFormat({ ...NATIVE_PIXEL_FORMAT, bitsPerPixel: 24 })).toMatch(/24/);
    expect(unsupportedPixelFormat({ ...NATIVE_PIXEL_FORMAT, bitsPerPixel: 16 })).toMatch(/shift/);
  });

  it('renders a rectangle row by row from the glyph bits', () => {
    const grid = ['A '];
    const raw = renderRaw(grid, { x: 0, y: 6, width: 8, height: 1 }, [Buffer.from('0'), Buffer.from('1')]);
    expect(raw.toString()).toBe('01111100'); // the bar of 'A'
    expect(isForeground(grid, 1, 6)).toBe(true);
    expect(isForeground(grid, 9, 6)).toBe(false);
  });
});
