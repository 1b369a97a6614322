// Seeded, time-varying metrics. Every rate is a closed-form function of wall-clock time
// (a daily and an hourly wave around a per-guest base), so cumulative counters are its exact
// integral: monotonic while a guest runs, reset at boot, and consistent with the RRD averages.
import { hash32, noise } from './rng.js';

const DAY = 86400;
const WAVE2 = 3671;
const TAU = 2 * Math.PI;

export type RateKind = 'netin' | 'netout' | 'diskread' | 'diskwrite';

export interface Wave {
  base: number;
  phase1: number;
  phase2: number;
  /** Integer salt for cheap per-bucket jitter. */
  salt: number;
}

/** A deterministic value in [0, 1) from two integers (no string building on hot paths). */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const waves = new Map<string, Wave>();

/** Per-key wave parameters, memoised: /cluster/resources evaluates them for every guest. */
function wave(seed: number, key: string, min: number, max: number): Wave {
  const cacheKey = `${seed}|${key}|${min}`;
  let w = waves.get(cacheKey);
  if (!w) {
    // log-uniform base between min and max
    w = {
      base: min * Math.pow(max / min, noise(seed, `${key}:base`)),
      phase1: TAU * noise(seed, `${key}:p1`),
      phase2: TAU * noise(seed, `${key}:p2`),
      salt: hash32(`${seed}:${key}`),
    };
    if (waves.size > 200_000) waves.clear();
    waves.set(cacheKey, w);
  }
  return w;
}

const A = 0.5;
const B = 0.3;

/** ∫ rate dt from 0 to t (seconds). */
function integral(w: Wave, t: number): number {
  return (
    w.base *
    (t -
      ((A * DAY) / TAU) * Math.cos((TAU * t) / DAY + w.phase1) -
      ((B * WAVE2) / TAU) * Math.cos((TAU * t) / WAVE2 + w.phase2))
  );
}

function level(w: Wave, t: number): number {
  return w.base * (1 + A * Math.sin((TAU * t) / DAY + w.phase1) + B * Math.sin((TAU * t) / WAVE2 + w.phase2));
}

const RATE_RANGE: Record<RateKind, [number, number]> = {
  netin: [2_000, 2_000_000],
  netout: [1_000, 1_500_000],
  diskread: [5_000, 8_000_000],
  diskwrite: [10_000, 4_000_000],
};

export function rateWave(seed: number, id: string, kind: RateKind): Wave {
  const [min, max] = RATE_RANGE[kind];
  return wave(seed, `${id}:${kind}`, min, max);
}

/** Bytes transferred between two instants (seconds); 0 when t1 <= t0. */
export function bytesIn(w: Wave, t0: number, t1: number): number {
  if (t1 <= t0) return 0;
  return Math.max(0, Math.round(integral(w, t1) - integral(w, t0)));
}

export function bytesBetween(seed: number, id: string, kind: RateKind, t0: number, t1: number): number {
  return t1 <= t0 ? 0 : bytesIn(rateWave(seed, id, kind), t0, t1);
}

/** CPU use as a fraction (0..1) of the guest's vCPUs, at second t, averaged over a bucket. */
export function cpuAt(w: Wave, t: number, bucket = 60): number {
  const jitter = (mix(w.salt, Math.floor(t / bucket)) - 0.5) * 0.1 * w.base;
  return clamp(level(w, t) / (1 + A + B) + jitter, 0.001, 1);
}

export function cpuWave(seed: number, id: string): Wave {
  return wave(seed, `${id}:cpu`, 0.01, 0.6);
}

export function cpuFraction(seed: number, id: string, t: number, bucket = 60): number {
  return cpuAt(cpuWave(seed, id), t, bucket);
}

export interface MemShape {
  base: number;
  phase: number;
}

export const memShape = (seed: number, id: string): MemShape => ({
  base: 0.25 + 0.5 * noise(seed, `${id}:mem`),
  phase: TAU * noise(seed, `${id}:memp`),
});

export function memAt(m: MemShape, t: number): number {
  return clamp(m.base + 0.05 * Math.sin((TAU * t) / DAY + m.phase), 0.05, 0.98);
}

export function memFraction(seed: number, id: string, t: number): number {
  return memAt(memShape(seed, id), t);
}

export interface GuestWaves {
  netin: Wave;
  netout: Wave;
  diskread: Wave;
  diskwrite: Wave;
  cpu: Wave;
  mem: MemShape;
}

export function guestWaves(seed: number, id: string): GuestWaves {
  return {
    netin: rateWave(seed, id, 'netin'),
    netout: rateWave(seed, id, 'netout'),
    diskread: rateWave(seed, id, 'diskread'),
    diskwrite: rateWave(seed, id, 'diskwrite'),
    cpu: cpuWave(seed, id),
    mem: memShape(seed, id),
  };
}

export function pressure(seed: number, id: string, what: string, t: number): number {
  return Math.round(noise(seed, `${id}:${what}:${Math.floor(t / 60)}`) * 300) / 100;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export type Timeframe = 'hour' | 'day' | 'week' | 'month' | 'year' | 'decade';

/** PVE 9 RRA layout (pve-cluster 9.0.7+): step seconds × points per timeframe. */
export const RRD_LAYOUT: Record<Timeframe, { step: number; count: number }> = {
  hour: { step: 60, count: 60 },
  day: { step: 60, count: 1440 },
  week: { step: 1800, count: 336 },
  month: { step: 1800, count: 1440 },
  year: { step: 21600, count: 1440 },
  decade: { step: 604800, count: 570 },
};

/** PVE ≤ 8 (`pve2-*` RRD files): 70 rows per timeframe at coarser steps. */
export const RRD_LAYOUT_PVE8: Record<Timeframe, { step: number; count: number }> = {
  hour: { step: 60, count: 70 },
  day: { step: 1800, count: 70 },
  week: { step: 10800, count: 70 },
  month: { step: 43200, count: 70 },
  year: { step: 604800, count: 70 },
  decade: { step: 604800, count: 70 },
};

export type RrdLayout = Record<Timeframe, { step: number; count: number }>;

/** Bucket start times (seconds), oldest first, ending with the current (partial) bucket. */
export function rrdTimes(nowSec: number, timeframe: Timeframe, layout: RrdLayout = RRD_LAYOUT): number[] {
  const { step, count } = layout[timeframe];
  const last = Math.floor(nowSec / step) * step;
  return Array.from({ length: count }, (_, i) => last - (count - 1 - i) * step);
}

export interface GuestShape {
  id: string;
  maxcpu: number;
  maxmem: number;
  maxdisk: number;
  /** Run intervals in seconds; end undefined while running. */
  runs: [number, number | undefined][];
  lxc: boolean;
  /** Creation time (seconds): before it the RRD has no rows, so points carry only `time`. */
  createdAt: number;
  /** Root filesystem usage in bytes (what pvestatd writes as `disk`, also while stopped). */
  disk: number;
}

function runningFraction(runs: GuestShape['runs'], t0: number, t1: number, now: number): number {
  let covered = 0;
  for (const [s, e] of runs) {
    const a = Math.max(s, t0);
    const b = Math.min(e ?? now, t1);
    if (b > a) covered += b - a;
  }
  const span = Math.min(t1, now) - t0;
  return span > 0 ? covered / span : 0;
}

export function guestRrd(
  seed: number,
  g: GuestShape,
  nowSec: number,
  timeframe: Timeframe,
  cf: 'AVERAGE' | 'MAX',
  layout: RrdLayout = RRD_LAYOUT,
) {
  const { step } = layout[timeframe];
  const points: Record<string, number>[] = [];
  for (const time of rrdTimes(nowSec, timeframe, layout)) {
    if (time + step <= g.createdAt) {
      points.push({ time });
      continue;
    }
    const up = runningFraction(g.runs, time, time + step, nowSec);
    if (up <= 0) {
      // pvestatd writes only maxcpu/maxmem/maxdisk/disk for a stopped guest; the rest is unknown.
      points.push({ time, maxcpu: g.maxcpu, maxmem: g.maxmem, maxdisk: g.maxdisk, disk: g.disk });
      continue;
    }
    const peak = cf === 'MAX' ? 1.15 + 0.5 * noise(seed, `${g.id}:max:${time}`) : 1;
    const end = Math.min(time + step, nowSec);
    const rate = (k: RateKind) => (end > time ? bytesBetween(seed, g.id, k, time, end) / (end - time) : 0) * up * peak;
    const cpu = Math.min(1, cpuFraction(seed, g.id, time, step) * up * peak);
    const mem = g.maxmem * memFraction(seed, g.id, time) * Math.min(peak, 1.05);
    points.push({
      time,
      maxcpu: g.maxcpu,
      cpu,
      maxmem: g.maxmem,
      mem,
      memhost: g.lxc ? mem : Math.min(g.maxmem, mem * 1.08),
      maxdisk: g.maxdisk,
      disk: g.disk,
      netin: rate('netin'),
      netout: rate('netout'),
      diskread: rate('diskread'),
      diskwrite: rate('diskwrite'),
      pressurecpusome: pressure(seed, g.id, 'pcs', time),
      ...(g.lxc ? {} : { pressurecpufull: pressure(seed, g.id, 'pcf', time) / 2 }),
      pressureiosome: pressure(seed, g.id, 'pis', time),
      pressureiofull: pressure(seed, g.id, 'pif', time) / 2,
      pressurememorysome: pressure(seed, g.id, 'pms', time) / 3,
      pressurememoryfull: pressure(seed, g.id, 'pmf', time) / 4,
    });
  }
  while (points.length && Object.keys(points[points.length - 1] as object).length === 1) points.pop();
  return points;
}

export interface NodeShape {
  id: string;
  maxcpu: number;
  memtotal: number;
  roottotal: number;
  /** Guest load multiplier (1 + running guests / 10). */
  load: number;
  bootedAt: number;
  online: boolean;
}

export function nodeSample(seed: number, n: NodeShape, time: number, step = 60) {
  const cpu = Math.min(1, (0.02 + cpuFraction(seed, n.id, time, step) * 0.3) * n.load);
  const memused = Math.min(n.memtotal * 0.95, n.memtotal * (0.08 + 0.04 * memFraction(seed, n.id, time)) * n.load);
  return {
    cpu,
    memused,
    loadavg: cpu * n.maxcpu * 1.1,
    iowait: cpu * 0.05,
    netin: (bytesBetween(seed, n.id, 'netin', time, time + step) / step) * n.load,
    netout: (bytesBetween(seed, n.id, 'netout', time, time + step) / step) * n.load,
  };
}

export function nodeRrd(
  seed: number,
  n: NodeShape,
  nowSec: number,
  timeframe: Timeframe,
  cf: 'AVERAGE' | 'MAX',
  layout: RrdLayout = RRD_LAYOUT,
) {
  const { step } = layout[timeframe];
  const points: Record<string, number>[] = [];
  for (const time of rrdTimes(nowSec, timeframe, layout)) {
    // The node's RRD file outlives reboots; it starts at installation, a year before this boot.
    if (time + step <= n.bootedAt / 1000 - 365 * 86400 || (!n.online && time > nowSec - 300)) {
      points.push({ time });
      continue;
    }
    const s = nodeSample(seed, n, time, step);
    const peak = cf === 'MAX' ? 1.1 + 0.4 * noise(seed, `${n.id}:max:${time}`) : 1;
    points.push({
      time,
      maxcpu: n.maxcpu,
      cpu: Math.min(1, s.cpu * peak),
      iowait: s.iowait * peak,
      loadavg: s.loadavg * peak,
      memtotal: n.memtotal,
      memused: s.memused,
      memavailable: n.memtotal - s.memused,
      arcsize: 0,
      swaptotal: 8 * 1024 ** 3,
      swapused: 0,
      roottotal: n.roottotal,
      rootused: n.roottotal * (0.1 + 0.1 * noise(seed, `${n.id}:root`)),
      netin: s.netin * peak,
      netout: s.netout * peak,
      pressurecpusome: pressure(seed, n.id, 'pcs', time),
      pressureiosome: pressure(seed, n.id, 'pis', time),
      pressureiofull: pressure(seed, n.id, 'pif', time) / 2,
      pressurememorysome: pressure(seed, n.id, 'pms', time) / 3,
      pressurememoryfull: pressure(seed, n.id, 'pmf', time) / 4,
    });
  }
  while (points.length && Object.keys(points[points.length - 1] as object).length === 1) points.pop();
  return points;
}

export function storageRrd(
  nowSec: number,
  timeframe: Timeframe,
  total: number,
  used: number,
  layout: RrdLayout = RRD_LAYOUT,
) {
  return rrdTimes(nowSec, timeframe, layout).map((time) => ({ time, total, used }));
}
