import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretStore, parseSecretsConfig } from './create-secret-store.js';
import { LocalSecretStore } from './local-secret-store.js';
import { isSecretError, SecretError } from './secret-store.js';
import { createPgliteDatabase, type TestDatabase } from './test/databases.js';
import { VaultSecretStore } from './vault-secret-store.js';
import { startVaultTestServer, type VaultTestServer } from './vault-test-server.js';

const invalid = (fn: () => unknown, pattern: RegExp) => {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(isSecretError(error, 'INVALID'), String(error)).toBe(true);
  expect((error as Error).message).toMatch(pattern);
};

describe('parseSecretsConfig', () => {
  it('defaults to the local store with a key file under .data/', () => {
    expect(parseSecretsConfig({})).toEqual({
      driver: 'local',
      local: { envKey: undefined, keyFile: '.data/secrets.key' },
    });
    expect(parseSecretsConfig({ SECRETS_KEY: 'abc', SECRETS_KEY_FILE: '/etc/pvepaas/key', VAULT_ADDR: '' })).toEqual({
      driver: 'local',
      local: { envKey: 'abc', keyFile: '/etc/pvepaas/key' },
    });
  });

  it('passes SECRETS_PREVIOUS_KEYS (comma-separated) to the local store', () => {
    expect(parseSecretsConfig({ SECRETS_PREVIOUS_KEYS: ' a , b,' })).toMatchObject({
      driver: 'local',
      local: { previousKeys: ['a', 'b'] },
    });
  });

  it('chooses Vault with a token or AppRole, with mount and prefix defaults', () => {
    expect(parseSecretsConfig({ VAULT_ADDR: 'https://vault:8200', VAULT_TOKEN: 'hvs.t' })).toEqual({
      driver: 'vault',
      vault: {
        address: 'https://vault:8200',
        auth: { method: 'token', token: 'hvs.t' },
        mount: 'secret',
        prefix: 'pvepaas/',
        namespace: undefined,
        caCertFile: undefined,
      },
    });
    const approle = parseSecretsConfig({
      VAULT_ADDR: 'http://127.0.0.1:8200',
      VAULT_ROLE_ID: 'r',
      VAULT_SECRET_ID: 's',
      VAULT_KV_MOUNT: 'kv',
      VAULT_PATH_PREFIX: 'prod/paas/',
    });
    expect(approle).toMatchObject({
      driver: 'vault',
      vault: { auth: { method: 'approle', roleId: 'r', secretId: 's' }, mount: 'kv', prefix: 'prod/paas/' },
    });
  });

  it('fails fast instead of falling back once Vault is (partly) configured', () => {
    invalid(() => parseSecretsConfig({ VAULT_ADDR: 'https://vault:8200' }), /no credentials/);
    invalid(() => parseSecretsConfig({ VAULT_ADDR: 'ftp://vault' }), /VAULT_ADDR/);
    invalid(() => parseSecretsConfig({ VAULT_ADDR: 'not a url', VAULT_TOKEN: 't' }), /VAULT_ADDR/);
    invalid(() => parseSecretsConfig({ VAULT_ROLE_ID: 'r', VAULT_SECRET_ID: 's' }), /VAULT_ADDR is not/);
    invalid(() => parseSecretsConfig({ VAULT_TOKEN: 'hvs.t' }), /VAULT_ADDR is not/);
    invalid(() => parseSecretsConfig({ VAULT_ADDR: 'http://v:8200', VAULT_ROLE_ID: 'r' }), /VAULT_SECRET_ID/);
    invalid(
      () =>
        parseSecretsConfig({ VAULT_ADDR: 'http://v:8200', VAULT_ROLE_ID: 'r', VAULT_SECRET_ID: 's', VAULT_TOKEN: 't' }),
      /not both/,
    );
  });

  it('never echoes credentials in its errors', () => {
    for (const env of [
      { VAULT_ADDR: 'not a url', VAULT_TOKEN: 'hvs.super-secret-token' },
      { VAULT_TOKEN: 'hvs.super-secret-token' },
      { VAULT_ADDR: 'http://v', VAULT_TOKEN: 'hvs.super-secret-token', VAULT_ROLE_ID: 'r' },
    ]) {
      expect(() => parseSecretsConfig(env)).toThrow(SecretError);
      expect(() => parseSecretsConfig(env)).not.toThrow(/super-secret/);
    }
  });
});

describe('createSecretStore', () => {
  let server: VaultTestServer;
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    server = await startVaultTestServer({ port: 0 });
    db = await createPgliteDatabase();
    dir = await mkdtemp(join(tmpdir(), 'pvepaas-create-store-'));
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds the Vault driver when VAULT_ADDR is set, even when a database is available', async () => {
    const config = parseSecretsConfig({ VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken });
    const store = await createSecretStore(config, { sql: db.sql });
    expect(store).toBeInstanceOf(VaultSecretStore);
    expect(store.driver).toBe('vault');
    await store.write('factory/x', { v: '1' });
    expect((await store.read('factory/x'))?.data).toEqual({ v: '1' });
    await store.close();
  });

  it('does not fall back to the local store when the configured Vault is down', async () => {
    const down = await startVaultTestServer({ port: 0 });
    await down.close();
    const store = await createSecretStore(parseSecretsConfig({ VAULT_ADDR: down.url, VAULT_TOKEN: 't' }), {
      sql: db.sql,
    });
    expect(store.driver).toBe('vault');
    const error = await store.write('x/y', { v: '1' }).catch((e: unknown) => e);
    expect(isSecretError(error, 'UNAVAILABLE')).toBe(true);
    await store.close();
  });

  it('builds the local driver otherwise, with SECRETS_KEY or a generated key file', async () => {
    const withKey = await createSecretStore(parseSecretsConfig({ SECRETS_KEY: randomBytes(32).toString('base64') }), {
      sql: db.sql,
    });
    expect(withKey).toBeInstanceOf(LocalSecretStore);
    await withKey.write('factory/local', { v: '1' });
    const withFile = await createSecretStore(parseSecretsConfig({ SECRETS_KEY_FILE: join(dir, 'k') }), { sql: db.sql });
    expect(withFile.driver).toBe('local');
    expect(await withFile.health()).toMatchObject({ ok: true });
  });

  it('rejects a local store without a database and an unreadable VAULT_CACERT', async () => {
    const noDb = await createSecretStore(parseSecretsConfig({}), {}).catch((e: unknown) => e);
    expect(isSecretError(noDb, 'INVALID')).toBe(true);
    const config = parseSecretsConfig({
      VAULT_ADDR: server.url,
      VAULT_TOKEN: 't',
      VAULT_CACERT: join(dir, 'missing.pem'),
    });
    const badCa = await createSecretStore(config).catch((e: unknown) => e);
    expect(isSecretError(badCa, 'INVALID')).toBe(true);
    expect((badCa as Error).message).toContain('VAULT_CACERT');
  });
});

describe('the secrets module', () => {
  it('imports nothing from graphql (errors are mapped at the API edge)', async () => {
    const dir = import.meta.dirname;
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const source = await readFile(join(dir, file), 'utf8');
      expect(source, file).not.toMatch(/from ['"](graphql|type-graphql|@apollo\/)/);
    }
  });
});
