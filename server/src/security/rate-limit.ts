// Fixed-window rate limits with one interface over two stores: Redis (shared by every API process)
// when REDIS_URL is set, in-process memory otherwise. A window starts at a key's first hit.
import { Redis } from 'ioredis';

export interface Hit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends. */
  resetMs: number;
}

export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<Hit>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  async hit(key: string, windowMs: number): Promise<Hit> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      w = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetMs: w.endsAt - now };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.windows.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
  }
}

// INCR and the first PEXPIRE in one step, so a crash between them cannot leave a key that never expires.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;
  constructor(
    url: string,
    private readonly prefix = 'pvepaas:ratelimit:',
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  }

  async hit(key: string, windowMs: number): Promise<Hit> {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.prefix + key, String(windowMs))) as [
      number,
      number,
    ];
    return { count, resetMs: ttl };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export interface RateLimitRule {
  /** Allowed hits per window. */
  max: number;
  windowSeconds: number;
}

export interface RateLimitSettings {
  /** Sign-in attempts for one account (email); a success clears the count. */
  signInPerAccount: RateLimitRule;
  /** Sign-in attempts from one client address. */
  signInPerIp: RateLimitRule;
  /** GraphQL operations per API token, signed-in user or (anonymous) address. */
  api: RateLimitRule;
}

export const defaultRateLimits: RateLimitSettings = {
  signInPerAccount: { max: 10, windowSeconds: 15 * 60 },
  signInPerIp: { max: 100, windowSeconds: 15 * 60 },
  api: { max: 1200, windowSeconds: 60 },
};

/** A refused hit: how long until the window ends, in whole seconds (at least 1). */
export class RateLimited {
  constructor(
    readonly what: string,
    readonly retryAfterSeconds: number,
  ) {}
}

export class RateLimiter {
  constructor(
    readonly store: RateLimitStore,
    readonly settings: RateLimitSettings = defaultRateLimits,
  ) {}

  /** Counts one hit on `key` under `rule`; a RateLimited when over the limit, else null. */
  async consume(key: string, rule: RateLimitRule, what: string): Promise<RateLimited | null> {
    const { count, resetMs } = await this.store.hit(key, rule.windowSeconds * 1000);
    if (count <= rule.max) return null;
    return new RateLimited(what, Math.max(1, Math.ceil(resetMs / 1000)));
  }

  reset(key: string): Promise<void> {
    return this.store.reset(key);
  }
}

export function createRateLimitStore(redisUrl: string | undefined): RateLimitStore {
  return redisUrl ? new RedisRateLimitStore(redisUrl) : new MemoryRateLimitStore();
}
