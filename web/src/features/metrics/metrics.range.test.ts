import { describe, expect, test } from 'vitest';
import { appendLive, formatValue, samplesOf, windowOf } from './metrics.range';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

describe('windowOf', () => {
  const now = Date.UTC(2026, 0, 10, 12);
  test('preset ranges end now; only 1 h and 24 h take live samples', () => {
    const hour = windowOf('1h', now);
    expect(hour.window).toEqual({ from: '2026-01-10T11:00:00.000Z', to: '2026-01-10T12:00:00.000Z', live: true });
    expect(windowOf('24h', now).window?.live).toBe(true);
    expect(windowOf('7d', now).window).toMatchObject({ from: '2026-01-03T12:00:00.000Z', live: false });
    expect(windowOf('30d', now).window?.live).toBe(false);
  });
  test('a custom range needs both ends, in order', () => {
    expect(windowOf('custom', now, { from: '', to: '' }).problem).toBe('Choose when the range starts and ends.');
    expect(windowOf('custom', now, { from: '2026-01-02T10:00', to: '2026-01-01T10:00' }).problem).toBe(
      'The range must end after it starts.',
    );
    const ok = windowOf('custom', now, { from: '2026-01-01T10:00', to: '2026-01-02T10:00' });
    expect(ok.problem).toBeNull();
    expect(ok.window?.live).toBe(false);
  });
});

describe('appendLive', () => {
  test('appends samples newer than the fetched series, once each, in order', () => {
    const fetched = [{ at: at(0) }, { at: at(10) }];
    const live = [{ at: at(30) }, { at: at(10) }, { at: at(20) }, { at: at(30) }];
    expect(appendLive(fetched, live, 3_600_000).map((p) => p.at)).toEqual([at(0), at(10), at(20), at(30)]);
  });
  test('the window slides: points older than the span before the newest are dropped', () => {
    expect(appendLive([{ at: at(0) }, { at: at(10) }], [{ at: at(25) }], 20_000).map((p) => p.at)).toEqual([
      at(10),
      at(25),
    ]);
  });
});

test('values are shown in their unit', () => {
  expect(formatValue('percent', 42.123)).toBe('42 %');
  expect(formatValue('percent', 4.2)).toBe('4.2 %');
  expect(formatValue('rate', 1536)).toBe('1.5 KiB/s');
  expect(formatValue('bytes', 2 * 1024 ** 3)).toBe('2.0 GiB');
});

describe('samplesOf', () => {
  test('turns a column-wise series into one sample per point, in order', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const columns = {
      atMs: [t0, t0 + 300_000],
      cpu: [0.25, 0.5],
      memoryBytes: [1024, 2048],
      memoryTotalBytes: [4096, 4096],
      netIn: [1, 2],
      netOut: [3, 4],
      diskRead: [5, 6],
      diskWrite: [7, 8],
    };
    expect(samplesOf(columns)).toEqual([
      {
        at: '2026-01-01T00:00:00.000Z',
        cpu: 0.25,
        memoryBytes: 1024,
        memoryTotalBytes: 4096,
        netIn: 1,
        netOut: 3,
        diskRead: 5,
        diskWrite: 7,
      },
      {
        at: '2026-01-01T00:05:00.000Z',
        cpu: 0.5,
        memoryBytes: 2048,
        memoryTotalBytes: 4096,
        netIn: 2,
        netOut: 4,
        diskRead: 6,
        diskWrite: 8,
      },
    ]);
  });
  test('no answer yet is no samples', () => {
    expect(samplesOf(undefined)).toEqual([]);
  });
});
