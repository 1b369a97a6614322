// Refresh tokens: opaque, single-use, grouped into session families (one family per sign-in).
// Only their SHA-256 hashes are stored. Each use rotates the token: the presented one is marked
// rotated and a new one of the same family is returned. Presenting a rotated token again means two
// parties hold the family's tokens (one of them stole it), so the whole family is revoked, which
// also ends the family's access tokens (authenticate checks `isActive`).
//
// One exception, the grace window: a browser that sends two requests at once with the same refresh
// cookie (a page and its prefetches) rotates once and reuses once within milliseconds. A reuse
// within `graceMs` of the rotation gets an access token but no new refresh token, and does not
// revoke; after the window, reuse revokes. 0 turns the window off.
//
// Two engines with one contract (refresh-token-store.test.ts): Redis when REDIS_URL is set (shared
// by every API instance; each rotation is one Lua script, so two instances cannot both rotate the
// same token), in-process otherwise (embedded mode: one API process).
import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REFRESH_TOKEN_PREFIX = 'pvr_';

export interface IssuedRefreshToken {
  familyId: string;
  token: string;
  /** When the family ends, whatever the rotations: the session's absolute lifetime. */
  expiresAt: Date;
}

export type RotateResult =
  | { kind: 'rotated'; familyId: string; userId: string; token: string; expiresAt: Date }
  /** A reuse within the grace window: an access token may be issued, no refresh token. */
  | { kind: 'grace'; familyId: string; userId: string; expiresAt: Date }
  /** A reuse after the grace window: the family is now revoked. */
  | { kind: 'reused'; familyId: string; userId: string }
  /** Unknown, malformed, expired or of a revoked family. */
  | { kind: 'invalid' };

export interface RefreshTokenStore {
  /** Starts a family for `userId` (a sign-in) and returns its first token. */
  create(userId: string, ttlSeconds: number): Promise<IssuedRefreshToken>;
  rotate(token: string): Promise<RotateResult>;
  /** False once the family was revoked or expired. */
  isActive(familyId: string): Promise<boolean>;
  revokeFamily(familyId: string): Promise<void>;
  /** Ends every session of a user (password change, account disabled). */
  revokeUser(userId: string): Promise<void>;
  close(): Promise<void>;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const newFamilyId = (): string => randomBytes(16).toString('base64url');
const FAMILY_ID = /^[A-Za-z0-9_-]{22}$/;

/** `pvr_<family>.<secret>`: the family travels in clear so a request can be checked against it (CSRF). */
function tokenFor(familyId: string): string {
  return `${REFRESH_TOKEN_PREFIX}${familyId}.${randomBytes(32).toString('base64url')}`;
}

/** The family a refresh token claims to belong to, or null when it is not shaped like one. */
export function familyOf(token: string): string | null {
  if (!token.startsWith(REFRESH_TOKEN_PREFIX)) return null;
  const dot = token.indexOf('.');
  const familyId = token.slice(REFRESH_TOKEN_PREFIX.length, dot);
  return dot > 0 && FAMILY_ID.test(familyId) && token.length - dot - 1 === 43 ? familyId : null;
}

interface MemoryToken {
  familyId: string;
  rotatedAt: number | null;
}

interface MemoryFamily {
  userId: string;
  expiresAt: number;
}

export class MemoryRefreshTokenStore implements RefreshTokenStore {
  private readonly tokens = new Map<string, MemoryToken>();
  private readonly families = new Map<string, MemoryFamily>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  constructor(private readonly graceMs = 0) {}

  async create(userId: string, ttlSeconds: number): Promise<IssuedRefreshToken> {
    const familyId = newFamilyId();
    const expiresAt = Date.now() + ttlSeconds * 1000;
    this.families.set(familyId, { userId, expiresAt });
    const token = tokenFor(familyId);
    this.tokens.set(hashToken(token), { familyId, rotatedAt: null });
    return { familyId, token, expiresAt: new Date(expiresAt) };
  }

  async rotate(token: string): Promise<RotateResult> {
    const familyId = familyOf(token);
    const hash = hashToken(token);
    const record = this.tokens.get(hash);
    const family = familyId ? this.liveFamily(familyId) : null;
    if (!record || !family || record.familyId !== familyId) return { kind: 'invalid' };
    const now = Date.now();
    if (record.rotatedAt !== null) {
      if (now - record.rotatedAt < this.graceMs) {
        return { kind: 'grace', familyId, userId: family.userId, expiresAt: new Date(family.expiresAt) };
      }
      await this.revokeFamily(familyId);
      return { kind: 'reused', familyId, userId: family.userId };
    }
    record.rotatedAt = now;
    const next = tokenFor(familyId);
    this.tokens.set(hashToken(next), { familyId, rotatedAt: null });
    return { kind: 'rotated', familyId, userId: family.userId, token: next, expiresAt: new Date(family.expiresAt) };
  }

  async isActive(familyId: string): Promise<boolean> {
    return this.liveFamily(familyId) !== null;
  }

  async revokeFamily(familyId: string): Promise<void> {
    this.families.delete(familyId);
    for (const [hash, t] of this.tokens) if (t.familyId === familyId) this.tokens.delete(hash);
  }

  async revokeUser(userId: string): Promise<void> {
    for (const [id, f] of this.families) if (f.userId === userId) await this.revokeFamily(id);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.tokens.clear();
    this.families.clear();
  }

  private liveFamily(familyId: string): MemoryFamily | null {
    const family = this.families.get(familyId);
    if (!family) return null;
    if (family.expiresAt <= Date.now()) {
      void this.revokeFamily(familyId);
      return null;
    }
    return family;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, f] of this.families) if (f.expiresAt <= now) void this.revokeFamily(id);
  }
}

// KEYS: token, family, next token. ARGV: now (ms), grace (ms).
// A token hash holds its family and, once used, when; the family hash holds the user and the
// expiry, and its key expires with the family. A token is valid only while its family key exists,
// so revoking a family is one DEL (its tokens expire on their own).
const ROTATE_SCRIPT = `
local fam = redis.call('HMGET', KEYS[2], 'user', 'expiresAt')
if not fam[1] then return {'invalid'} end
local tok = redis.call('HMGET', KEYS[1], 'family', 'rotatedAt')
if not tok[1] or tok[1] ~= ARGV[3] then return {'invalid'} end
if tok[2] then
  if tonumber(ARGV[1]) - tonumber(tok[2]) < tonumber(ARGV[2]) then return {'grace', fam[1], fam[2]} end
  redis.call('DEL', KEYS[2])
  redis.call('SREM', ARGV[4] .. fam[1], ARGV[3])
  return {'reused', fam[1], fam[2]}
end
redis.call('HSET', KEYS[1], 'rotatedAt', ARGV[1])
redis.call('HSET', KEYS[3], 'family', ARGV[3])
redis.call('PEXPIREAT', KEYS[3], fam[2])
return {'rotated', fam[1], fam[2]}`;

export class RedisRefreshTokenStore implements RefreshTokenStore {
  private readonly redis: Redis;
  constructor(
    url: string,
    private readonly graceMs = 0,
    private readonly prefix = 'pvepaas:refresh:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2 });
  }

  private tokenKey = (token: string) => `${this.prefix}t:${hashToken(token)}`;
  private familyKey = (familyId: string) => `${this.prefix}f:${familyId}`;
  private userKey = (userId: string) => `${this.prefix}u:${userId}`;

  async create(userId: string, ttlSeconds: number): Promise<IssuedRefreshToken> {
    const familyId = newFamilyId();
    const expiresAt = Date.now() + ttlSeconds * 1000;
    const token = tokenFor(familyId);
    await this.redis
      .multi()
      .hset(this.familyKey(familyId), { user: userId, expiresAt: String(expiresAt) })
      .pexpireat(this.familyKey(familyId), expiresAt)
      .hset(this.tokenKey(token), { family: familyId })
      .pexpireat(this.tokenKey(token), expiresAt)
      .sadd(this.userKey(userId), familyId)
      .pexpire(this.userKey(userId), ttlSeconds * 1000, 'GT')
      .exec();
    // A new user set gets no expiry from 'GT' (no TTL counts as infinite); give it one.
    await this.redis.pexpire(this.userKey(userId), ttlSeconds * 1000, 'NX');
    return { familyId, token, expiresAt: new Date(expiresAt) };
  }

  async rotate(token: string): Promise<RotateResult> {
    const familyId = familyOf(token);
    if (!familyId) return { kind: 'invalid' };
    const next = tokenFor(familyId);
    const [kind, userId, expiresAt] = (await this.redis.eval(
      ROTATE_SCRIPT,
      3,
      this.tokenKey(token),
      this.familyKey(familyId),
      this.tokenKey(next),
      String(Date.now()),
      String(this.graceMs),
      familyId,
      `${this.prefix}u:`,
    )) as [string, string?, string?];
    if (kind === 'rotated') {
      return { kind, familyId, userId: userId!, token: next, expiresAt: new Date(Number(expiresAt)) };
    }
    if (kind === 'grace') return { kind, familyId, userId: userId!, expiresAt: new Date(Number(expiresAt)) };
    if (kind === 'reused') return { kind, familyId, userId: userId! };
    return { kind: 'invalid' };
  }

  async isActive(familyId: string): Promise<boolean> {
    return (await this.redis.exists(this.familyKey(familyId))) === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    const userId = await this.redis.hget(this.familyKey(familyId), 'user');
    const tx = this.redis.multi().del(this.familyKey(familyId));
    if (userId) tx.srem(this.userKey(userId), familyId);
    await tx.exec();
  }

  async revokeUser(userId: string): Promise<void> {
    const families = await this.redis.smembers(this.userKey(userId));
    if (!families.length) return;
    await this.redis
      .multi()
      .del(...families.map((f) => this.familyKey(f)), this.userKey(userId))
      .exec();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Redis when REDIS_URL is configured (never a silent fallback), in-process otherwise. */
export function createRefreshTokenStore(redisUrl: string | undefined, graceMs: number): RefreshTokenStore {
  return redisUrl ? new RedisRefreshTokenStore(redisUrl, graceMs) : new MemoryRefreshTokenStore(graceMs);
}
