// A small seeded PRNG (mulberry32) and a stable string hash, so every run with the same seed builds
// the same cluster, MAC addresses, metrics and latencies.

export type Rng = () => number;

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, 32 bit. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A deterministic value in [0, 1) for a key, independent of call order. */
export function noise(seed: number, key: string): number {
  return createRng(hash32(`${seed}:${key}`))();
}

export function between(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng();
}

export function hex(rng: Rng, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += Math.floor(rng() * 16).toString(16);
  return s;
}
