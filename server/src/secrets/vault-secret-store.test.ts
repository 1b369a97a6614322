import { createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSecretStore, parseSecretsConfig } from './create-secret-store.js';
import { isSecretError, type SecretErrorCode } from './secret-store.js';
import { VaultSecretStore, type SecretsLogger, type VaultSecretStoreOptions } from './vault-secret-store.js';
import { startVaultTestServer, type VaultTestServer } from './vault-test-server.js';
import { defineSecretStoreContract } from './test/secret-store.contract.js';

const KV_POLICY = [
  { path: 'secret/data/pvepaas/*', capabilities: ['create', 'read', 'update', 'delete'] as const },
  { path: 'secret/metadata/pvepaas/*', capabilities: ['read', 'list', 'delete'] as const },
  { path: 'secret/destroy/pvepaas/*', capabilities: ['update'] as const },
].map((rule) => ({ ...rule, capabilities: [...rule.capabilities] }));

async function expectCode(promise: Promise<unknown>, code: SecretErrorCode): Promise<Error> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e as Error,
  );
  expect(isSecretError(error), String(error)).toBe(true);
  expect((error as { code?: string }).code).toBe(code);
  return error;
}

const count = (server: VaultTestServer, path: string) => server.requests.filter((r) => r.path === path).length;

/** Polls until `condition` holds (or fails after `timeoutMs`); resolves with the ms waited. */
async function waitUntil(condition: () => boolean, timeoutMs = 8000): Promise<number> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
  return Date.now() - start;
}

defineSecretStoreContract('Vault driver (AppRole) against the Vault test server', async () => {
  const server = await startVaultTestServer({ port: 0 });
  server.setPolicy('pvepaas', KV_POLICY);
  const { roleId, secretId } = server.createAppRole('pvepaas', ['pvepaas']);
  const store = new VaultSecretStore({ address: server.url, auth: { method: 'approle', roleId, secretId } });
  return { store, cleanup: () => server.close() };
});

defineSecretStoreContract('Vault driver (token, custom mount and prefix) against the Vault test server', async () => {
  const server = await startVaultTestServer({ port: 0, kvMounts: ['kv-paas'] });
  const store = new VaultSecretStore({
    address: server.url,
    auth: { method: 'token', token: server.rootToken },
    mount: 'kv-paas',
    prefix: 'tenant-a/platform',
  });
  return { store, cleanup: () => server.close() };
});

const realVault = process.env.VAULT_ADDR;
if (realVault) {
  defineSecretStoreContract(`Vault driver against the real Vault at ${realVault}`, async () => {
    const config = parseSecretsConfig(process.env);
    if (config.driver !== 'vault') throw new Error('VAULT_ADDR is set but the Vault configuration did not parse');
    // Run under a throwaway prefix and destroy everything written there afterwards.
    const prefix = `${config.vault.prefix}contract-tests/`;
    const store = await createSecretStore({ driver: 'vault', vault: { ...config.vault, prefix } });
    const purge = async (folder: string): Promise<void> => {
      for (const key of await store.list(folder)) {
        if (key.endsWith('/')) await purge(`${folder}${key}`);
        else await store.destroy(`${folder}${key}`);
      }
    };
    return { store, cleanup: () => purge('') };
  });
} else {
  // Skipped, and said so: this machine has no Vault and no way to install one (no internet beyond
  // npm and Debian). The same contract runs above against the Vault-compatible test server, by
  // AppRole and by token; this run is for an operator's CI that has a real Vault.
  console.warn(
    'secrets: the SecretStore contract did NOT run against a real Vault, because VAULT_ADDR is not set ' +
      '(set VAULT_ADDR plus VAULT_TOKEN or VAULT_ROLE_ID/VAULT_SECRET_ID to run it).',
  );
  it.skip('SecretStore contract against a real Vault: not run, VAULT_ADDR is not set', () => {});
}

describe('Vault driver: authentication and renewal', () => {
  let server: VaultTestServer;
  const stores: VaultSecretStore[] = [];
  const open = (options: Omit<VaultSecretStoreOptions, 'address'>) => {
    const store = new VaultSecretStore({ address: server.url, retryDelayMs: 200, ...options });
    stores.push(store);
    return store;
  };
  beforeAll(async () => {
    server = await startVaultTestServer({ port: 0 });
    server.setPolicy('pvepaas', KV_POLICY);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    server.unseal();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('logs in with AppRole once, lazily, and shares the login between concurrent calls', async () => {
    const { roleId, secretId } = server.createAppRole('lazy', ['pvepaas']);
    const logins = count(server, '/v1/auth/approle/login');
    const store = open({ auth: { method: 'approle', roleId, secretId } });
    expect(count(server, '/v1/auth/approle/login')).toBe(logins);
    await Promise.all([store.write('lazy/a', { v: '1' }), store.write('lazy/b', { v: '2' }), store.list('lazy')]);
    expect(count(server, '/v1/auth/approle/login')).toBe(logins + 1);
  });

  it('renews the token at about 2/3 of its lease and keeps working past the original TTL', async () => {
    const { roleId, secretId } = server.createAppRole('renewing', ['pvepaas'], { tokenTtl: 3, tokenMaxTtl: 60 });
    const store = open({ auth: { method: 'approle', roleId, secretId } });
    const logins = count(server, '/v1/auth/approle/login');
    const renewals = count(server, '/v1/auth/token/renew-self');
    await store.write('renew/x', { v: '1' });
    const loggedInAt = Date.now();
    const renewedAfter = await waitUntil(() => count(server, '/v1/auth/token/renew-self') > renewals);
    // Scheduled at 2/3 of 3 s; a timer never fires early, a loaded machine may fire it late.
    expect(renewedAfter).toBeGreaterThanOrEqual(1900);
    expect(renewedAfter).toBeLessThan(3000); // before the lease runs out
    await waitUntil(() => Date.now() - loggedInAt > 3500); // the first lease (3 s) is over
    expect((await store.read('renew/x'))?.data).toEqual({ v: '1' });
    expect(count(server, '/v1/auth/approle/login')).toBe(logins + 1);
  });

  it('logs in again when renewal is capped by the max TTL', async () => {
    const { roleId, secretId } = server.createAppRole('capped', ['pvepaas'], { tokenTtl: 3, tokenMaxTtl: 4 });
    const store = open({ auth: { method: 'approle', roleId, secretId } });
    const logins = count(server, '/v1/auth/approle/login');
    await store.write('capped/x', { v: '1' });
    const loggedInAt = Date.now();
    // Renewal at 2 s returns a lease of 1-2 s (capped by the 4 s max), so the driver logs in again at
    // 2/3 of that, before the first token dies at 4 s.
    const reloggedAfter = await waitUntil(() => count(server, '/v1/auth/approle/login') === logins + 2);
    expect(reloggedAfter).toBeGreaterThanOrEqual(2600);
    expect(reloggedAfter).toBeLessThan(4000);
    await waitUntil(() => Date.now() - loggedInAt > 4300); // past the first token's max TTL
    expect((await store.read('capped/x'))?.data).toEqual({ v: '1' });
    expect(count(server, '/v1/auth/approle/login')).toBe(logins + 2);
  });

  it('logs in again when renewal fails (token revoked)', async () => {
    const { roleId, secretId } = server.createAppRole('revoked', ['pvepaas'], { tokenTtl: 2, tokenMaxTtl: 60 });
    const store = open({ auth: { method: 'approle', roleId, secretId } });
    const logins = count(server, '/v1/auth/approle/login');
    await store.write('revoked/x', { v: '1' });
    server.revokeAllTokens();
    // Renewal at ~1.33 s gets 403; the driver logs in again at once.
    await waitUntil(() => count(server, '/v1/auth/approle/login') === logins + 2);
    expect(server.requests.some((r) => r.path === '/v1/auth/token/renew-self' && r.status === 403)).toBe(true);
    const requestsBefore = server.requests.length;
    expect((await store.read('revoked/x'))?.data).toEqual({ v: '1' });
    // The read went straight through with the new token: no 403 and no extra login.
    expect(server.requests.slice(requestsBefore).map((r) => r.status)).toEqual([200]);
  });

  it('logs renewals and failures without tokens, secret_ids or values', async () => {
    const records: unknown[][] = [];
    const capture = (...args: unknown[]) => void records.push(args);
    const logger = { info: capture, warn: capture, error: capture } as unknown as SecretsLogger;
    const { roleId, secretId } = server.createAppRole('logged', ['pvepaas'], { tokenTtl: 2, tokenMaxTtl: 60 });
    const store = open({ auth: { method: 'approle', roleId, secretId }, logger });
    await store.write('logged/x', { password: 'value-that-must-not-be-logged' });
    server.revokeAllTokens();
    await waitUntil(() => records.some((r) => JSON.stringify(r).includes('renewal failed')));
    await waitUntil(() => records.filter((r) => JSON.stringify(r).includes('logged in')).length >= 2);
    expect((await store.read('logged/x'))?.data).toEqual({ password: 'value-that-must-not-be-logged' });
    const text = JSON.stringify(records, (_key, value: unknown) =>
      value instanceof Error ? { ...value, message: value.message, name: value.name } : value,
    );
    expect(text).not.toContain(secretId);
    expect(text).not.toContain('hvs.');
    expect(text).not.toContain('value-that-must-not-be-logged');
  });

  it('a request denied because the token expired logs in again and succeeds', async () => {
    const { roleId, secretId } = server.createAppRole('expired', ['pvepaas']);
    const store = open({ auth: { method: 'approle', roleId, secretId } });
    await store.write('expired/x', { v: '1' });
    const logins = count(server, '/v1/auth/approle/login');
    server.revokeAllTokens();
    expect((await store.read('expired/x'))?.data).toEqual({ v: '1' });
    expect(count(server, '/v1/auth/approle/login')).toBe(logins + 1);
  });

  it('wrong AppRole credentials and a used-up secret_id give DENIED with what to do', async () => {
    const { roleId } = server.createAppRole('wrong', ['pvepaas']);
    const bad = open({ auth: { method: 'approle', roleId, secretId: 'not-the-secret-id' } });
    const error = await expectCode(bad.read('wrong/x'), 'DENIED');
    expect(error.message).toContain('secret_id');
    expect(error.message).not.toContain('not-the-secret-id');

    const once = server.createAppRole('once', ['pvepaas'], { secretIdNumUses: 1 });
    const store = open({ auth: { method: 'approle', ...once } });
    await store.write('once/x', { v: '1' });
    server.revokeAllTokens();
    await expectCode(store.read('once/x'), 'DENIED');
  });

  it('renews a renewable token given directly (lookup-self, then renew-self)', async () => {
    const token = server.createToken({ policies: ['pvepaas'], ttl: 2, explicitMaxTtl: 60 });
    const store = open({ auth: { method: 'token', token } });
    const renewals = count(server, '/v1/auth/token/renew-self');
    await store.write('token/x', { v: '1' });
    const loggedInAt = Date.now();
    expect(server.requests.at(-2)).toMatchObject({ path: '/v1/auth/token/lookup-self', status: 200 });
    const renewedAfter = await waitUntil(() => count(server, '/v1/auth/token/renew-self') > renewals);
    expect(renewedAfter).toBeGreaterThanOrEqual(1200);
    await waitUntil(() => Date.now() - loggedInAt > 2300); // past the token's first TTL
    expect((await store.read('token/x'))?.data).toEqual({ v: '1' });
  });

  it('an invalid token gives DENIED, without retrying a login it cannot do', async () => {
    const store = open({ auth: { method: 'token', token: 'hvs.not-a-token' } });
    const error = await expectCode(store.read('x/y'), 'DENIED');
    expect(error.message).toMatch(/token/);
    expect(error.message).not.toContain('hvs.not-a-token');
  });

  it('a policy without the needed capability gives DENIED naming the capability and path', async () => {
    server.setPolicy('read-only', [{ path: 'secret/data/pvepaas/*', capabilities: ['read'] }]);
    const { roleId, secretId } = server.createAppRole('reader', ['read-only']);
    const store = open({ auth: { method: 'approle', roleId, secretId } });
    const error = await expectCode(store.write('denied/x', { password: 'do-not-print-me' }), 'DENIED');
    expect(error.message).toContain('create/update');
    expect(error.message).toContain('secret/data/pvepaas/denied/x');
    expect(error.message).not.toContain('do-not-print-me');
    expect(await store.read('denied/x')).toBeNull();
  });

  it('a sealed Vault gives SEALED for every operation and an unhealthy health(); unsealing recovers', async () => {
    const store = open({ auth: { method: 'token', token: server.rootToken } });
    await store.write('sealed/x', { v: '1' });
    server.seal();
    for (const call of [
      store.read('sealed/x'),
      store.write('sealed/x', { v: '2' }),
      store.list('sealed'),
      store.versions('sealed/x'),
      store.delete('sealed/x'),
      store.destroy('sealed/x'),
    ]) {
      const error = await expectCode(call, 'SEALED');
      expect(error.message).toContain('unseal');
    }
    expect(await store.health()).toMatchObject({ driver: 'vault', ok: false, sealed: true });
    server.unseal();
    expect((await store.read('sealed/x'))?.data).toEqual({ v: '1' });
    expect(await store.health()).toMatchObject({ ok: true, sealed: false });
  });

  it('a Vault sealed at start fails the AppRole login with SEALED', async () => {
    const sealed = await startVaultTestServer({ port: 0, sealed: true });
    try {
      const { roleId, secretId } = sealed.createAppRole('r', ['pvepaas']);
      const store = new VaultSecretStore({ address: sealed.url, auth: { method: 'approle', roleId, secretId } });
      await expectCode(store.read('a/b'), 'SEALED');
      await store.close();
    } finally {
      await sealed.close();
    }
  });

  it('an unreachable Vault gives UNAVAILABLE (no fallback), and health() says so', async () => {
    const gone = await startVaultTestServer({ port: 0 });
    const url = gone.url;
    await gone.close();
    const unreachable = new VaultSecretStore({ address: url, auth: { method: 'token', token: 'hvs.x' } });
    stores.push(unreachable);
    const error = await expectCode(unreachable.read('a/b'), 'UNAVAILABLE');
    expect(error.message).toContain(url);
    expect(await unreachable.health()).toMatchObject({ ok: false, sealed: false });
  });

  it('lists with GET ?list=1 when told to (proxies that reject LIST)', async () => {
    const store = open({ auth: { method: 'token', token: server.rootToken }, listWithGet: true });
    await store.write('getlist/a', { v: '1' });
    expect(await store.list('getlist')).toEqual(['a']);
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/secret/metadata/pvepaas/getlist/' });
    const byVerb = open({ auth: { method: 'token', token: server.rootToken } });
    expect(await byVerb.list('getlist')).toEqual(['a']);
    expect(server.requests.at(-1)).toMatchObject({ method: 'LIST', path: '/v1/secret/metadata/pvepaas/getlist/' });
  });

  it('a Vault that accepts connections but never answers gives UNAVAILABLE after the request timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const store = new VaultSecretStore({
        address: `http://127.0.0.1:${port}`,
        auth: { method: 'token', token: 'hvs.x' },
        requestTimeoutMs: 300,
      });
      stores.push(store);
      const started = Date.now();
      const error = await expectCode(store.read('a/b'), 'UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error.message).toMatch(/unreachable/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a missing KV mount gives NOT_FOUND that says how to enable it', async () => {
    const store = open({ auth: { method: 'token', token: server.rootToken }, mount: 'nope' });
    const error = await expectCode(store.read('a/b'), 'NOT_FOUND');
    expect(error.message).toContain('kv-v2');
  });

  it('an unknown namespace gives NOT_FOUND naming VAULT_NAMESPACE', async () => {
    const store = open({ auth: { method: 'token', token: server.rootToken }, namespace: 'nope' });
    const error = await expectCode(store.read('a/b'), 'NOT_FOUND');
    expect(error.message).toContain('VAULT_NAMESPACE');
  });

  it('reads a deleted version as null although Vault answers 404 with a full envelope', async () => {
    const store = open({ auth: { method: 'token', token: server.rootToken } });
    await store.write('deleted/x', { v: '1' });
    await store.delete('deleted/x');
    const raw = await fetch(`${server.url}/v1/secret/data/pvepaas/deleted/x`, {
      headers: { 'X-Vault-Token': server.rootToken },
    });
    expect(raw.status).toBe(404);
    expect(
      ((await raw.json()) as { data: { metadata: { deletion_time: string } } }).data.metadata.deletion_time,
    ).not.toBe('');
    expect(await store.read('deleted/x')).toBeNull();
  });

  it("ignores node-vault's environment fallbacks (VAULT_TOKEN, VAULT_PREFIX, VAULT_NAMESPACE)", async () => {
    vi.stubEnv('VAULT_TOKEN', server.rootToken);
    vi.stubEnv('VAULT_PREFIX', '/bogus');
    vi.stubEnv('VAULT_NAMESPACE', 'bogus');
    try {
      server.setPolicy('nothing', []);
      const { roleId, secretId } = server.createAppRole('env', ['pvepaas']);
      const store = open({ auth: { method: 'approle', roleId, secretId } });
      await store.write('env/x', { v: '1' });
      expect(server.requests.at(-1)).toMatchObject({ path: '/v1/secret/data/pvepaas/env/x', status: 200 });
      // Without credentials of its own the store does not pick up the root token from VAULT_TOKEN.
      const anonymous = open({ auth: { method: 'token', token: 'hvs.mine' } });
      await expectCode(anonymous.read('env/x'), 'DENIED');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('rejects bad configuration up front', () => {
    expect(() => new VaultSecretStore({ address: 'not a url', auth: { method: 'token', token: 't' } })).toThrow(
      /VAULT_ADDR/,
    );
    expect(() => new VaultSecretStore({ address: server.url, auth: { method: 'token', token: '' } })).toThrow(
      /VAULT_TOKEN/,
    );
    expect(
      () => new VaultSecretStore({ address: server.url, auth: { method: 'approle', roleId: 'r', secretId: '' } }),
    ).toThrow(/VAULT_SECRET_ID/);
  });
});
