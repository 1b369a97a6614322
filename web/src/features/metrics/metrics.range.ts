// Time windows of the metric charts and how live samples join a fetched series. Pure, so it is unit-tested.

export type RangeKey = '1h' | '24h' | '7d' | '30d' | 'custom';

export const RANGES: readonly { value: RangeKey; label: string }[] = [
  { value: '1h', label: '1 h' },
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
  { value: '30d', label: '30 d' },
  { value: 'custom', label: 'Custom' },
];

const HOUR = 3_600_000;
const SPAN_MS: Record<Exclude<RangeKey, 'custom'>, number> = {
  '1h': HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
};

/** The API answers at most 1,000 points per series; asking for that many keeps a month readable. */
export const MAX_POINTS = 1000;

export interface TimeWindow {
  from: string;
  to: string;
  /** Ranges ending now, short enough that each collection matters, take live samples. */
  live: boolean;
}

/**
 * The window a range key stands for at `now`. A custom range takes its two datetime-local values and
 * answers null (with the reason) while they are missing or reversed.
 */
export function windowOf(
  key: RangeKey,
  now: number,
  custom?: { from: string; to: string },
): { window: TimeWindow; problem: null } | { window: null; problem: string } {
  if (key !== 'custom') {
    return {
      window: {
        from: new Date(now - SPAN_MS[key]).toISOString(),
        to: new Date(now).toISOString(),
        live: SPAN_MS[key] <= 24 * HOUR,
      },
      problem: null,
    };
  }
  const from = Date.parse(custom?.from ?? '');
  const to = Date.parse(custom?.to ?? '');
  if (Number.isNaN(from) || Number.isNaN(to))
    return { window: null, problem: 'Choose when the range starts and ends.' };
  if (from >= to) return { window: null, problem: 'The range must end after it starts.' };
  return { window: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), live: false }, problem: null };
}

export interface Sample {
  at: string;
}

/** A series as the API answers it column-wise: index i of every array is point i. */
export interface SeriesColumns {
  atMs: readonly number[];
  cpu: readonly number[];
  memoryBytes: readonly number[];
  memoryTotalBytes: readonly number[];
  netIn: readonly number[];
  netOut: readonly number[];
  diskRead: readonly number[];
  diskWrite: readonly number[];
}

/** The points of a column-wise series as samples, the shape live samples arrive in. */
export function samplesOf(columns: SeriesColumns | undefined) {
  if (!columns) return [];
  return columns.atMs.map((atMs, i) => ({
    at: new Date(atMs).toISOString(),
    cpu: columns.cpu[i]!,
    memoryBytes: columns.memoryBytes[i]!,
    memoryTotalBytes: columns.memoryTotalBytes[i]!,
    netIn: columns.netIn[i]!,
    netOut: columns.netOut[i]!,
    diskRead: columns.diskRead[i]!,
    diskWrite: columns.diskWrite[i]!,
  }));
}

/**
 * Live samples after the fetched series' last point, appended in time order; duplicates (a sample
 * already in the fetched series, or delivered twice) are dropped, and the window slides so it keeps
 * its span.
 */
export function appendLive<T extends Sample>(fetched: readonly T[], live: readonly T[], spanMs: number): T[] {
  const last = fetched.length ? Date.parse(fetched[fetched.length - 1]!.at) : -Infinity;
  const seen = new Set<number>();
  const extra: T[] = [];
  for (const sample of live) {
    const at = Date.parse(sample.at);
    if (at <= last || seen.has(at)) continue;
    seen.add(at);
    extra.push(sample);
  }
  extra.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const all = [...fetched, ...extra];
  if (!all.length) return all;
  const newest = Date.parse(all[all.length - 1]!.at);
  return all.filter((p) => Date.parse(p.at) > newest - spanMs);
}

/** A datetime-local input's value (local time, minutes) for an instant. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB". */
export function formatBinary(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

export type MetricUnit = 'percent' | 'bytes' | 'rate' | 'cores';

export function formatValue(unit: MetricUnit, value: number): string {
  switch (unit) {
    case 'percent':
      return `${value.toFixed(value < 10 ? 1 : 0)} %`;
    case 'bytes':
      return formatBinary(value);
    case 'rate':
      return `${formatBinary(value)}/s`;
    case 'cores':
      return value.toFixed(2);
  }
}
