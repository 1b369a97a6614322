import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSecretStore } from './local-secret-store.js';
import { loadSecretKey } from './secret-key.js';
import { isSecretError } from './secret-store.js';
import { createPgliteDatabase, createPostgresDatabase, type TestDatabase } from './test/databases.js';
import { defineSecretStoreContract } from './test/secret-store.contract.js';

const key = () => randomBytes(32);

// One PostgreSQL database for this file (secrets_<random>, dropped afterwards); tests keep to their own paths.
let db: TestDatabase;
beforeAll(async () => {
  db = await createPostgresDatabase();
});
afterAll(async () => {
  await db?.close();
});

defineSecretStoreContract('local driver on PostgreSQL', async () => ({
  store: new LocalSecretStore({ sql: db.sql, key: key() }),
}));

defineSecretStoreContract('local driver on PGlite', async () => {
  const db = await createPgliteDatabase();
  return { store: new LocalSecretStore({ sql: db.sql, key: key() }), cleanup: () => db.close() };
});

describe('local driver: encryption at rest', () => {
  it('stores ciphertext that contains neither the plaintext nor its keys, with a fresh 12-byte IV per value', async () => {
    const store = new LocalSecretStore({ sql: db.sql, key: key() });
    const plaintext = 'correct-horse-battery-staple-0123456789';
    await store.write('enc/one', { rootPassword: plaintext });
    await store.write('enc/one', { rootPassword: plaintext });
    const { rows } = await db.sql.query<{ ciphertext: Buffer; iv: Buffer; auth_tag: Buffer }>(
      `select "ciphertext", "iv", "auth_tag" from "secret_version" where "path" = 'enc/one' order by "version"`,
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const stored = Buffer.concat([row.ciphertext, row.iv, row.auth_tag]);
      expect(stored.includes(Buffer.from(plaintext))).toBe(false);
      expect(stored.includes(Buffer.from('rootPassword'))).toBe(false);
      expect(row.ciphertext.toString('base64')).not.toContain(Buffer.from(plaintext).toString('base64').slice(0, 12));
      expect(row.iv).toHaveLength(12);
      expect(row.auth_tag).toHaveLength(16);
    }
    expect(rows[0]!.iv.equals(rows[1]!.iv)).toBe(false);
    expect(rows[0]!.ciphertext.equals(rows[1]!.ciphertext)).toBe(false);
    const dump = await db.sql.query<{ text: string }>(
      `select string_agg(t::text, '|') as text from "secret_version" t`,
    );
    expect(dump.rows[0]?.text).not.toContain(plaintext);
  });

  it('binds each ciphertext to its path: a row copied to another path does not decrypt', async () => {
    const store = new LocalSecretStore({ sql: db.sql, key: key() });
    await store.write('aad/source', { token: 'abc' });
    await store.write('aad/target', { token: 'xyz' });
    await db.sql.query(
      `update "secret_version" t set "ciphertext" = s."ciphertext", "iv" = s."iv", "auth_tag" = s."auth_tag"
       from "secret_version" s where s."path" = 'aad/source' and t."path" = 'aad/target'`,
    );
    const error = await store.read('aad/target').catch((e: unknown) => e);
    expect(isSecretError(error, 'UNAVAILABLE')).toBe(true);
    expect(String(error)).not.toContain('abc');
  });

  it('refuses to decrypt with another key, naming the key as the likely cause', async () => {
    await new LocalSecretStore({ sql: db.sql, key: key() }).write('wrongkey/x', { v: 'secret-value' });
    const error = await new LocalSecretStore({ sql: db.sql, key: key() }).read('wrongkey/x').catch((e: unknown) => e);
    expect(isSecretError(error, 'UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/key/);
    expect((error as Error).message).not.toContain('secret-value');
  });

  it('missing tables (migration not run) say so', async () => {
    const empty = await createPgliteDatabase({ migrate: false });
    try {
      const store = new LocalSecretStore({ sql: empty.sql, key: key() });
      const error = await store.write('x/y', { v: '1' }).catch((e: unknown) => e);
      expect(isSecretError(error, 'UNAVAILABLE')).toBe(true);
      expect((error as Error).message).toContain('migrations');
      expect(await store.health()).toMatchObject({ ok: false, message: expect.stringContaining('migrations') });
    } finally {
      await empty.close();
    }
  });

  it('a failing database surfaces as UNAVAILABLE and an unhealthy health()', async () => {
    const broken = { query: () => Promise.reject(new Error('connection refused')) };
    const store = new LocalSecretStore({ sql: broken, key: key() });
    expect(isSecretError(await store.read('x/y').catch((e: unknown) => e), 'UNAVAILABLE')).toBe(true);
    expect(await store.health()).toMatchObject({ ok: false, driver: 'local' });
  });
});

describe('local driver: key rotation', () => {
  it('reads rows of previous keys, re-encrypts them with rotate(), then no longer needs the old key', async () => {
    const db = await createPgliteDatabase();
    try {
      const oldKey = key();
      const newKey = key();
      const before = new LocalSecretStore({ sql: db.sql, key: oldKey });
      for (let i = 1; i <= 3; i++) await before.write(`rot/s${i}`, { v: `value-${i}` });
      await before.write('rot/s1', { v: 'value-1b' });
      await before.destroy('rot/s2', { versions: [1] });

      const withoutOld = new LocalSecretStore({ sql: db.sql, key: newKey });
      const error = await withoutOld.read('rot/s1').catch((e: unknown) => e);
      expect(isSecretError(error, 'UNAVAILABLE')).toBe(true);
      expect((error as Error).message).toContain(before.currentKeyId);
      expect((error as Error).message).toContain('SECRETS_PREVIOUS_KEYS');

      const during = new LocalSecretStore({ sql: db.sql, key: newKey, previousKeys: [oldKey] });
      expect((await during.read('rot/s1'))?.data).toEqual({ v: 'value-1b' });
      await during.write('rot/s3', { v: 'value-3b' });
      expect(await during.rotate(2)).toEqual({ reencrypted: 3 }); // s1 v1, s1 v2, s3 v1 (s2 v1 destroyed)
      expect(await during.rotate()).toEqual({ reencrypted: 0 });
      const { rows } = await db.sql.query<{ key_id: string | null }>('select distinct "key_id" from "secret_version"');
      expect(rows.map((r) => r.key_id).sort()).toEqual([during.currentKeyId, null].sort());

      const after = new LocalSecretStore({ sql: db.sql, key: newKey });
      expect((await after.read('rot/s1', { version: 1 }))?.data).toEqual({ v: 'value-1' });
      expect((await after.read('rot/s1'))?.data).toEqual({ v: 'value-1b' });
      expect((await after.read('rot/s3'))?.data).toEqual({ v: 'value-3b' });
      expect(await after.read('rot/s2', { version: 1 })).toBeNull();
    } finally {
      await db.close();
    }
  });
});

describe('local driver: the master key', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pvepaas-secrets-key-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the key file at first start with mode 0600 and reuses it afterwards', async () => {
    const keyFile = join(dir, 'nested', 'secrets.key');
    const first = await loadSecretKey({ keyFile });
    expect(first).toMatchObject({ source: 'file', created: true });
    expect(first.key).toHaveLength(32);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o077).toBe(0);
    expect(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64').equals(first.key)).toBe(true);
    const second = await loadSecretKey({ keyFile });
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('creates exactly one key when several processes start at once', async () => {
    const keyFile = join(dir, 'race.key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadSecretKey({ keyFile })));
    expect(keys.filter((k) => k.created)).toHaveLength(1);
    for (const k of keys) expect(k.key.equals(keys[0]!.key)).toBe(true);
  });

  it.each([0o640, 0o604, 0o644, 0o660])('refuses an existing key file with mode %o', async (mode) => {
    const keyFile = join(dir, `open-${mode.toString(8)}.key`);
    await writeFile(keyFile, `${randomBytes(32).toString('base64')}\n`);
    await chmod(keyFile, mode);
    const error = await loadSecretKey({ keyFile }).catch((e: unknown) => e);
    expect(isSecretError(error, 'INVALID')).toBe(true);
    expect((error as Error).message).toContain('chmod 600');
    const store = await LocalSecretStore.open({ sql: { query: async () => ({ rows: [] }) }, keyFile }).catch(
      (e: unknown) => e,
    );
    expect(isSecretError(store, 'INVALID')).toBe(true);
  });

  it('refuses a key file that is not 32 bytes of base64, without printing it', async () => {
    const keyFile = join(dir, 'short.key');
    await writeFile(keyFile, 'c2hvcnQta2V5\n', { mode: 0o600 });
    const error = await loadSecretKey({ keyFile }).catch((e: unknown) => e);
    expect(isSecretError(error, 'INVALID')).toBe(true);
    expect((error as Error).message).not.toContain('c2hvcnQta2V5');
  });

  it('prefers SECRETS_KEY and validates it', async () => {
    const envKey = randomBytes(32).toString('base64');
    const keyFile = join(dir, 'unused.key');
    const loaded = await loadSecretKey({ envKey, keyFile });
    expect(loaded).toMatchObject({ source: 'env', created: false });
    expect(loaded.key.toString('base64')).toBe(envKey);
    await expect(stat(keyFile)).rejects.toThrow();
    for (const bad of ['not base64 at all!', randomBytes(16).toString('base64'), `${envKey}x`]) {
      const error = await loadSecretKey({ envKey: bad, keyFile }).catch((e: unknown) => e);
      expect(isSecretError(error, 'INVALID')).toBe(true);
      expect((error as Error).message).toContain('SECRETS_KEY');
      expect((error as Error).message).not.toContain(bad);
    }
  });

  it('a store opened from the key file decrypts what an earlier instance wrote', async () => {
    const db = await createPgliteDatabase();
    try {
      const keyFile = join(dir, 'restart.key');
      await (await LocalSecretStore.open({ sql: db.sql, keyFile })).write('restart/x', { v: 'kept' });
      const reopened = await LocalSecretStore.open({ sql: db.sql, keyFile });
      expect((await reopened.read('restart/x'))?.data).toEqual({ v: 'kept' });
    } finally {
      await db.close();
    }
  });
});
