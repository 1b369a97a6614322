// One contract, both engines: the in-process store of embedded mode and the Redis store of
// production (a real Redis, a key prefix per run so parallel files do not cross).
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  familyOf,
  MemoryRefreshTokenStore,
  RedisRefreshTokenStore,
  type RefreshTokenStore,
} from './refresh-token-store.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisStore(graceMs: number): Promise<RefreshTokenStore> {
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    throw new Error(`Redis is not reachable at ${redisUrl}: start it (npm test does) or set TEST_REDIS_URL`);
  } finally {
    probe.disconnect();
  }
  return new RedisRefreshTokenStore(redisUrl, graceMs, `test:refresh:${randomBytes(4).toString('hex')}:`);
}

function defineRefreshStoreContract(name: string, make: (graceMs: number) => Promise<RefreshTokenStore>) {
  describe(`refresh-token store contract: ${name}`, () => {
    const open: RefreshTokenStore[] = [];
    const store = async (graceMs = 0) => {
      const s = await make(graceMs);
      open.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    it('rotates: each token works once and names its family and user', async () => {
      const s = await store();
      const first = await s.create('user-1', 3600);
      expect(familyOf(first.token)).toBe(first.familyId);
      const r1 = await s.rotate(first.token);
      expect(r1).toMatchObject({ kind: 'rotated', familyId: first.familyId, userId: 'user-1' });
      if (r1.kind !== 'rotated') throw new Error('not rotated');
      expect(r1.token).not.toBe(first.token);
      expect(familyOf(r1.token)).toBe(first.familyId);
      expect(Math.abs(r1.expiresAt.getTime() - first.expiresAt.getTime())).toBeLessThan(5);
      const r2 = await s.rotate(r1.token);
      expect(r2.kind).toBe('rotated');
      expect(await s.isActive(first.familyId)).toBe(true);
    });

    it('revokes the whole family when a rotated token comes back', async () => {
      const s = await store();
      const first = await s.create('user-1', 3600);
      const r1 = await s.rotate(first.token);
      if (r1.kind !== 'rotated') throw new Error('not rotated');
      expect(await s.rotate(first.token)).toEqual({ kind: 'reused', familyId: first.familyId, userId: 'user-1' });
      expect(await s.isActive(first.familyId)).toBe(false);
      // The newest token of the family, held by the legitimate party or the thief, is dead too.
      expect(await s.rotate(r1.token)).toEqual({ kind: 'invalid' });
    });

    it('within the grace window a reuse neither rotates nor revokes; after it, it revokes', async () => {
      const s = await store(300);
      const first = await s.create('user-2', 3600);
      const r1 = await s.rotate(first.token);
      expect(r1.kind).toBe('rotated');
      expect(await s.rotate(first.token)).toMatchObject({ kind: 'grace', familyId: first.familyId, userId: 'user-2' });
      expect(await s.isActive(first.familyId)).toBe(true);
      await sleep(400);
      expect((await s.rotate(first.token)).kind).toBe('reused');
      expect(await s.isActive(first.familyId)).toBe(false);
    });

    it('refuses unknown, malformed and forged tokens without touching real families', async () => {
      const s = await store();
      const real = await s.create('user-3', 3600);
      expect(await s.rotate('nonsense')).toEqual({ kind: 'invalid' });
      expect(await s.rotate(`pvr_${real.familyId}.${'A'.repeat(43)}`)).toEqual({ kind: 'invalid' });
      expect(await s.rotate(`${real.token}x`)).toEqual({ kind: 'invalid' });
      // A real token whose family part was swapped for another family's.
      const other = await s.create('user-4', 3600);
      const swapped = real.token.replace(real.familyId, other.familyId);
      expect(await s.rotate(swapped)).toEqual({ kind: 'invalid' });
      expect(await s.isActive(real.familyId)).toBe(true);
      expect(await s.isActive(other.familyId)).toBe(true);
      expect((await s.rotate(real.token)).kind).toBe('rotated');
    });

    it('revokes one family (sign-out) and every family of a user', async () => {
      const s = await store();
      const a = await s.create('user-5', 3600);
      const b = await s.create('user-5', 3600);
      const c = await s.create('user-6', 3600);
      await s.revokeFamily(a.familyId);
      expect(await s.rotate(a.token)).toEqual({ kind: 'invalid' });
      expect((await s.rotate(b.token)).kind).toBe('rotated');
      await s.revokeUser('user-5');
      expect(await s.isActive(b.familyId)).toBe(false);
      expect(await s.isActive(c.familyId)).toBe(true);
    });

    it('ends a family at its absolute lifetime', async () => {
      const s = await store();
      const short = await s.create('user-7', 1);
      expect(await s.isActive(short.familyId)).toBe(true);
      await sleep(1100);
      expect(await s.isActive(short.familyId)).toBe(false);
      expect(await s.rotate(short.token)).toEqual({ kind: 'invalid' });
    });

    it('lets only one of many concurrent uses of a token rotate it', async () => {
      const s = await store(5_000);
      const first = await s.create('user-8', 3600);
      const results = await Promise.all(Array.from({ length: 8 }, () => s.rotate(first.token)));
      expect(results.filter((r) => r.kind === 'rotated')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'grace')).toHaveLength(7);
    });
  });
}

defineRefreshStoreContract('in-process', async (graceMs) => new MemoryRefreshTokenStore(graceMs));
defineRefreshStoreContract('Redis', redisStore);
