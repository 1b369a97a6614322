// Proxmox reports network and disk traffic as cumulative byte counters since the guest's boot.
// Rates are the difference between two readings over the time between them. A counter that goes
// backwards was reset (the guest rebooted, or was stopped and started, inside the interval): the
// bytes since the reset are then the new value itself, spread over the interval.

export const COUNTERS = ['netin', 'netout', 'diskread', 'diskwrite'] as const;
export type CounterName = (typeof COUNTERS)[number];
export type CounterValues = Record<CounterName, number>;

interface Reading {
  atMs: number;
  values: CounterValues;
}

export class CounterRates {
  private readonly last = new Map<string, Reading>();

  /**
   * Bytes per second of each counter since the previous reading of `key`. For a first reading, the
   * average since boot (`uptimeSeconds`) when known, else 0: a chart starts at a true average, not
   * at a zero that never happened.
   */
  rates(key: string, atMs: number, values: CounterValues, uptimeSeconds = 0): CounterValues {
    const prev = this.last.get(key);
    this.last.set(key, { atMs, values });
    const out = { netin: 0, netout: 0, diskread: 0, diskwrite: 0 };
    if (!prev || atMs <= prev.atMs) {
      if (uptimeSeconds > 0) for (const c of COUNTERS) out[c] = values[c] / uptimeSeconds;
      return out;
    }
    const seconds = (atMs - prev.atMs) / 1000;
    for (const c of COUNTERS) {
      const now = values[c];
      const before = prev.values[c];
      out[c] = (now >= before ? now - before : now) / seconds;
    }
    return out;
  }

  /** Forgets resources not seen in the latest reading (deleted guests), so the map stays bounded. */
  retain(keys: Set<string>): void {
    for (const k of this.last.keys()) if (!keys.has(k)) this.last.delete(k);
  }

  has(key: string): boolean {
    return this.last.has(key);
  }
}
