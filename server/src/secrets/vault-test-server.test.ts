// The test server against the facts in reference/vault.md, over real HTTP (fetch and raw sockets),
// so the Vault driver's tests rest on a double that behaves like Vault.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultTestServer, type VaultTestServer } from './vault-test-server.js';

interface Answer {
  status: number;
  body: Record<string, unknown> | null;
}

const ENVELOPE_KEYS = [
  'auth',
  'data',
  'lease_duration',
  'lease_id',
  'mount_type',
  'renewable',
  'request_id',
  'warnings',
  'wrap_info',
];
const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z$/;

describe('Vault test server', () => {
  let server: VaultTestServer;
  let n = 0;
  const unique = () => `t${++n}-${Date.now().toString(36)}`;

  async function call(
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? server.rootToken : options.token;
    if (token !== null) headers['X-Vault-Token'] = token;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${server.url}/v1/${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
  }

  function rawExchange(payload: string, expectResponses: number): Promise<string> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        if ((received.match(/HTTP\/1\.1 /g) ?? []).length >= expectResponses && /\r\n\r\n[^]*$/.test(received)) {
          setTimeout(() => {
            socket.destroy();
            resolve(received);
          }, 50);
        }
      });
      socket.on('error', reject);
      socket.write(payload);
    });
  }

  beforeAll(async () => {
    server = await startVaultTestServer({ port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('sys/health', () => {
    it('answers 200 when active, 503 when sealed, with the documented body and overrides', async () => {
      const active = await call('GET', 'sys/health', { token: null });
      expect(active.status).toBe(200);
      expect(active.body).toMatchObject({
        initialized: true,
        sealed: false,
        standby: false,
        performance_standby: false,
      });
      for (const key of ['server_time_utc', 'version', 'cluster_name', 'cluster_id'])
        expect(active.body).toHaveProperty(key);
      server.seal();
      try {
        expect(await call('GET', 'sys/health', { token: null })).toMatchObject({ status: 503, body: { sealed: true } });
        expect((await call('GET', 'sys/health?sealedcode=200', { token: null })).status).toBe(200);
      } finally {
        server.unseal();
      }
      expect((await call('GET', 'sys/health?activecode=204', { token: null })).status).toBe(204);
      expect((await fetch(`${server.url}/v1/sys/health`, { method: 'HEAD' })).status).toBe(200);
    });

    it('answers 429 on a standby (200 with standbyok) and 501 when not initialized', async () => {
      const standby = await startVaultTestServer({ port: 0, standby: true });
      const uninit = await startVaultTestServer({ port: 0, initialized: false });
      try {
        expect((await fetch(`${standby.url}/v1/sys/health`)).status).toBe(429);
        expect((await fetch(`${standby.url}/v1/sys/health?standbyok=true`)).status).toBe(200);
        expect((await fetch(`${uninit.url}/v1/sys/health`)).status).toBe(501);
      } finally {
        await standby.close();
        await uninit.close();
      }
    });
  });

  describe('KV v2', () => {
    it('writes with the full envelope and the new version metadata (not nested)', async () => {
      const path = `secret/data/${unique()}`;
      const written = await call('POST', path, { body: { data: { a: '1' } } });
      expect(written.status).toBe(200);
      expect(Object.keys(written.body!).sort()).toEqual(ENVELOPE_KEYS);
      expect(written.body).toMatchObject({
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        wrap_info: null,
        auth: null,
      });
      const data = written.body!.data as Record<string, unknown>;
      expect(Object.keys(data).sort()).toEqual([
        'created_time',
        'custom_metadata',
        'deletion_time',
        'destroyed',
        'version',
      ]);
      expect(data).toMatchObject({ version: 1, deletion_time: '', destroyed: false, custom_metadata: null });
      expect(data.created_time).toMatch(RFC3339_NANO);
      // PUT is POST.
      expect((await call('PUT', path, { body: { data: { a: '2' } } })).body).toMatchObject({ data: { version: 2 } });
      const read = await call('GET', path);
      expect(read.body).toMatchObject({
        data: { data: { a: '2' }, metadata: { version: 2, deletion_time: '', destroyed: false } },
      });
      expect((await call('GET', `${path}?version=1`)).body).toMatchObject({ data: { data: { a: '1' } } });
    });

    it('404 with {"errors":[]} for a missing key or version; 404 with the envelope for deleted and destroyed versions', async () => {
      const path = unique();
      expect(await call('GET', `secret/data/${path}`)).toEqual({ status: 404, body: { errors: [] } });
      await call('POST', `secret/data/${path}`, { body: { data: { a: '1' } } });
      await call('POST', `secret/data/${path}`, { body: { data: { a: '2' } } });
      expect(await call('GET', `secret/data/${path}?version=7`)).toEqual({ status: 404, body: { errors: [] } });
      expect((await call('DELETE', `secret/data/${path}`)).status).toBe(204);
      const deleted = await call('GET', `secret/data/${path}`);
      expect(deleted.status).toBe(404);
      expect(Object.keys(deleted.body!).sort()).toEqual(ENVELOPE_KEYS);
      expect(deleted.body).toMatchObject({ data: { data: null, metadata: { version: 2, destroyed: false } } });
      expect((deleted.body!.data as { metadata: { deletion_time: string } }).metadata.deletion_time).toMatch(
        RFC3339_NANO,
      );
      expect((await call('POST', `secret/undelete/${path}`, { body: { versions: [2] } })).status).toBe(204);
      expect((await call('GET', `secret/data/${path}`)).status).toBe(200);
      expect((await call('POST', `secret/destroy/${path}`, { body: { versions: [1] } })).status).toBe(204);
      expect(await call('GET', `secret/data/${path}?version=1`)).toMatchObject({
        status: 404,
        body: { data: { data: null, metadata: { destroyed: true } } },
      });
      expect((await call('POST', `secret/delete/${path}`, { body: { versions: [2] } })).status).toBe(204);
      expect((await call('GET', `secret/data/${path}`)).status).toBe(404);
      expect(await call('POST', `secret/delete/${path}`, { body: {} })).toEqual({
        status: 400,
        body: { errors: ['No version number provided'] },
      });
      expect(await call('POST', `secret/destroy/${path}`, { body: { versions: [] } })).toEqual({
        status: 400,
        body: { errors: ['no version number provided'] },
      });
      // versions may also be a comma-separated string.
      expect((await call('POST', `secret/undelete/${path}`, { body: { versions: '2,3' } })).status).toBe(204);
      expect((await call('GET', `secret/data/${path}`)).status).toBe(200);
    });

    it('check-and-set errors carry Vault texts', async () => {
      const path = `secret/data/${unique()}`;
      const cas = (value: unknown) => call('POST', path, { body: { options: { cas: value }, data: { a: 'x' } } });
      expect((await cas(0)).status).toBe(200);
      expect(await cas(0)).toEqual({
        status: 400,
        body: { errors: ['check-and-set parameter did not match the current version'] },
      });
      expect(await cas(5)).toEqual({
        status: 400,
        body: { errors: ['check-and-set parameter did not match the current version'] },
      });
      expect(await cas('abc')).toEqual({ status: 400, body: { errors: ['error parsing check-and-set parameter'] } });
      expect((await cas(1)).body).toMatchObject({ data: { version: 2 } });
      expect(await call('POST', path, { body: { options: {} } })).toEqual({
        status: 400,
        body: { errors: ['no data provided'] },
      });
      const meta = path.replace('/data/', '/metadata/');
      expect((await call('POST', meta, { body: { cas_required: true } })).status).toBe(204);
      expect(await call('POST', path, { body: { data: { a: 'y' } } })).toEqual({
        status: 400,
        body: { errors: ['check-and-set parameter required for this call'] },
      });
    });

    it('lists with the LIST verb and with GET ?list=true; folders end in /; empty is 404 {"errors":[]}', async () => {
      const dir = unique();
      for (const key of ['a', 'b/c', 'b/d/e'])
        await call('POST', `secret/data/${dir}/${key}`, { body: { data: { x: '1' } } });
      const expected = {
        status: 200,
        body: expect.objectContaining({ data: { keys: ['a', 'b/'] }, mount_type: 'kv' }),
      };
      expect(await call('LIST', `secret/metadata/${dir}`)).toEqual(expected);
      expect(await call('GET', `secret/metadata/${dir}/?list=true`)).toEqual(expected);
      expect(await call('GET', `secret/metadata/${dir}?list=1`)).toEqual(expected);
      expect((await call('LIST', `secret/metadata/${dir}/b`)).body).toMatchObject({ data: { keys: ['c', 'd/'] } });
      expect(await call('LIST', `secret/metadata/${dir}/zzz`)).toEqual({ status: 404, body: { errors: [] } });
    });

    it('keeps 10 versions by default: oldest_version advances; metadata DELETE removes everything', async () => {
      const path = unique();
      for (let i = 0; i < 12; i++) await call('POST', `secret/data/${path}`, { body: { data: { i: String(i) } } });
      const meta = await call('GET', `secret/metadata/${path}`);
      expect(meta.body).toMatchObject({
        data: { current_version: 12, oldest_version: 3, max_versions: 0, cas_required: false },
      });
      const versions = (meta.body!.data as { versions: Record<string, unknown> }).versions;
      expect(Object.keys(versions)).toEqual(['3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
      expect(versions['3']).toEqual({
        created_time: expect.stringMatching(RFC3339_NANO),
        deletion_time: '',
        destroyed: false,
      });
      expect((await call('DELETE', `secret/metadata/${path}`)).status).toBe(204);
      expect(await call('GET', `secret/metadata/${path}`)).toEqual({ status: 404, body: { errors: [] } });
    });

    it('PATCH needs merge-patch+json, merges (null removes) and 404s on a missing key', async () => {
      const path = `secret/data/${unique()}`;
      await call('POST', path, { body: { data: { a: '1', b: '2' } } });
      expect(
        (await call('PATCH', path, { body: { data: { a: '9' } }, headers: { 'Content-Type': 'application/json' } }))
          .status,
      ).toBe(415);
      const patched = await call('PATCH', path, {
        body: { data: { a: '9', b: null, c: '3' } },
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      expect(patched.body).toMatchObject({ data: { version: 2 } });
      expect((await call('GET', path)).body).toMatchObject({ data: { data: { a: '9', c: '3' } } });
      expect(
        await call('PATCH', `secret/data/${unique()}`, {
          body: { data: { a: '1' } },
          headers: { 'Content-Type': 'application/merge-patch+json' },
        }),
      ).toEqual({ status: 404, body: { errors: [] } });
      // A deleted latest version: 404 with the version's metadata in the envelope.
      await call('DELETE', path);
      const deleted = await call('PATCH', path, {
        body: { data: { a: '1' } },
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      expect(deleted).toMatchObject({ status: 404, body: { data: { version: 2, destroyed: false } } });
    });

    it('oldest_version stays 0 until the first purge; max_versions is the larger of key and engine', async () => {
      const path = unique();
      for (let i = 0; i < 3; i++) await call('POST', `secret/data/${path}`, { body: { data: { i: String(i) } } });
      expect((await call('GET', `secret/metadata/${path}`)).body).toMatchObject({ data: { oldest_version: 0 } });
      await call('POST', `secret/metadata/${path}`, { body: { max_versions: 2 } });
      await call('POST', `secret/data/${path}`, { body: { data: { i: '3' } } });
      // max(2, engine 0) = 2: versions 3 and 4 remain.
      const meta = await call('GET', `secret/metadata/${path}`);
      expect(meta.body).toMatchObject({ data: { current_version: 4, oldest_version: 3 } });
      expect(Object.keys((meta.body!.data as { versions: object }).versions)).toEqual(['3', '4']);
      expect((await call('GET', `secret/data/${path}?version=abc`)).status).toBe(400);
    });
  });

  describe('auth, policies and sealing', () => {
    it('403 {"errors":["permission denied"]} without a token, with a bad token and outside the policy', async () => {
      const denied = { status: 403, body: { errors: ['permission denied'] } };
      expect(await call('GET', 'secret/data/x', { token: null })).toEqual(denied);
      expect(await call('GET', 'secret/data/x', { token: 'hvs.bogus' })).toEqual(denied);
      server.setPolicy('only-a', [{ path: 'secret/data/a/*', capabilities: ['read', 'create'] }]);
      const token = server.createToken({ policies: ['only-a'], ttl: 60 });
      expect((await call('POST', 'secret/data/a/x', { token, body: { data: { v: '1' } } })).status).toBe(200);
      // A valid token without the capability: Vault wraps the message in a multierror.
      const policyDenied = { status: 403, body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } };
      expect(await call('POST', 'secret/data/a/x', { token, body: { data: { v: '2' } } })).toEqual(policyDenied); // update
      expect(await call('GET', 'secret/data/b/x', { token })).toEqual(policyDenied);
      expect(await call('LIST', 'secret/metadata/a', { token })).toEqual(policyDenied);
      // Authorization: Bearer works like X-Vault-Token.
      const bearer = await call('GET', 'secret/data/a/x', {
        token: null,
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(bearer.status).toBe(200);
    });

    it('sealed: 503 {"errors":["Vault is sealed"]} for everything but health', async () => {
      server.seal();
      try {
        const sealed = { status: 503, body: { errors: ['Vault is sealed'] } };
        expect(await call('GET', 'secret/data/x')).toEqual(sealed);
        expect(
          await call('POST', 'auth/approle/login', { token: null, body: { role_id: 'x', secret_id: 'y' } }),
        ).toEqual(sealed);
        expect(await call('GET', 'auth/token/lookup-self')).toEqual(sealed);
        expect((await call('GET', 'sys/seal-status', { token: null })).body).toMatchObject({ sealed: true });
      } finally {
        server.unseal();
      }
    });

    it('AppRole: login envelope, bad credentials 400, missing role_id 500, admin role-id/secret-id, secret-id use limits', async () => {
      const { roleId, secretId } = server.createAppRole('web', ['p1'], { tokenTtl: 120, secretIdNumUses: 2 });
      const login = await call('POST', 'auth/approle/login', {
        token: null,
        body: { role_id: roleId, secret_id: secretId },
      });
      expect(login.status).toBe(200);
      expect(Object.keys(login.body!).sort()).toEqual(ENVELOPE_KEYS);
      expect(login.body!.data).toBeNull();
      expect(login.body!.auth).toMatchObject({
        policies: ['default', 'p1'],
        token_policies: ['default', 'p1'],
        metadata: { role_name: 'web' },
        lease_duration: 120,
        renewable: true,
        token_type: 'service',
        orphan: true,
        num_uses: 0,
      });
      const bad = { status: 400, body: { errors: ['invalid role or secret ID'] } };
      expect(
        await call('POST', 'auth/approle/login', { token: null, body: { role_id: roleId, secret_id: 'nope' } }),
      ).toEqual(bad);
      expect(
        await call('POST', 'auth/approle/login', { token: null, body: { role_id: 'nope', secret_id: secretId } }),
      ).toEqual(bad);
      // Recorded against a real server (OpenBao 2.7): a missing role_id is a 500, not a 400.
      expect(await call('POST', 'auth/approle/login', { token: null, body: { secret_id: secretId } })).toEqual({
        status: 500,
        body: { errors: ['missing role_id'] },
      });
      // Second (last) use, then the secret-id is gone.
      expect(
        (await call('POST', 'auth/approle/login', { token: null, body: { role_id: roleId, secret_id: secretId } }))
          .status,
      ).toBe(200);
      expect(
        await call('POST', 'auth/approle/login', { token: null, body: { role_id: roleId, secret_id: secretId } }),
      ).toEqual(bad);
      expect((await call('GET', 'auth/approle/role/web/role-id')).body).toMatchObject({ data: { role_id: roleId } });
      const issued = await call('POST', 'auth/approle/role/web/secret-id');
      expect(issued.body).toMatchObject({ data: { secret_id_num_uses: 2, secret_id_ttl: 0 } });
      const fresh = (issued.body!.data as { secret_id: string }).secret_id;
      expect(
        (await call('POST', 'auth/approle/login', { token: null, body: { role_id: roleId, secret_id: fresh } })).status,
      ).toBe(200);
      const appToken = (login.body!.auth as { client_token: string }).client_token;
      expect((await call('GET', 'auth/approle/role/web/role-id', { token: appToken })).status).toBe(403);
    });

    it('tokens: lookup-self TTL, renew-self, capping at the max TTL with a warning, expiry, non-renewable root', async () => {
      const token = server.createToken({ policies: ['p1'], ttl: 10, explicitMaxTtl: 15 });
      const lookup = await call('GET', 'auth/token/lookup-self', { token });
      expect(lookup.body).toMatchObject({
        data: { ttl: 10, creation_ttl: 10, renewable: true, policies: ['default', 'p1'] },
      });
      const renewed = await call('POST', 'auth/token/renew-self', { token, body: { increment: '12s' } });
      expect(renewed.body).toMatchObject({
        auth: { client_token: token, lease_duration: 12, renewable: true },
        warnings: null,
      });
      const capped = await call('POST', 'auth/token/renew-self', { token, body: { increment: 3600 } });
      expect((capped.body!.auth as { lease_duration: number }).lease_duration).toBeLessThanOrEqual(15);
      expect((capped.body!.warnings as string[])[0]).toMatch(/exceeded the effective max_ttl/);
      expect(await call('POST', 'auth/token/renew-self', { body: {} })).toEqual({
        status: 400,
        body: { errors: ['lease is not renewable'] },
      });
      const shortLived = server.createToken({ policies: ['p1'], ttl: 1 });
      expect((await call('GET', 'auth/token/lookup-self', { token: shortLived })).status).toBe(200);
      await sleep(1100);
      expect(await call('GET', 'auth/token/lookup-self', { token: shortLived })).toEqual({
        status: 403,
        body: { errors: ['permission denied'] },
      });
    });

    it('unknown namespaces: 404 "namespace not found"', async () => {
      expect(await call('GET', 'secret/data/x', { headers: { 'X-Vault-Namespace': 'team' } })).toEqual({
        status: 404,
        body: { errors: ['namespace not found'] },
      });
    });

    it('unknown mounts: 404 "no handler for route" for root', async () => {
      const answer = await call('GET', 'nomount/data/x');
      expect(answer.status).toBe(404);
      expect((answer.body!.errors as string[])[0]).toMatch(/no handler for route/);
    });
  });

  describe('HTTP', () => {
    it('serves pipelined keep-alive requests and chunked bodies on one connection', async () => {
      const body = JSON.stringify({ data: { a: '1' } });
      const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
      const answer = await rawExchange(
        `GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n` +
          `POST /v1/secret/data/chunked HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${server.rootToken}\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}` +
          `LIST /v1/secret/metadata/ HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${server.rootToken}\r\nConnection: close\r\n\r\n`,
        3,
      );
      const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
      expect(statuses).toEqual(['200', '200', '200']);
      expect(answer).toContain('"chunked"');
    });

    it('answers Expect: 100-continue before the body arrives', async () => {
      const { port } = new URL(server.url);
      const body = JSON.stringify({ data: { big: 'x'.repeat(2000) } });
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1');
        let received = '';
        socket.on('data', (chunk) => {
          received += chunk.toString('latin1');
          if (received === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write(body);
          else if (received.includes('"version"')) {
            socket.destroy();
            resolve(received);
          }
        });
        socket.on('error', reject);
        socket.write(
          `POST /v1/secret/data/continue HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${server.rootToken}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
        );
      });
      expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
    });

    it('refuses bodies over 32 MB with 413 before reading them', async () => {
      const answer = await rawExchange(
        `POST /v1/secret/data/big HTTP/1.1\r\nHost: x\r\nContent-Length: ${33 * 1024 * 1024}\r\n\r\n`,
        1,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      expect(answer).toContain('{"errors":[');
    });

    it('answers a malformed request line with 400 and closes the connection', async () => {
      const answer = await rawExchange('NOT AN HTTP REQUEST\r\n\r\n', 1);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('Connection: close');
    });

    it('takes a body with a "status" field for data, not for a reply', async () => {
      const written = await call('POST', 'secret/data/status-field', { body: { data: { status: 'ok' }, status: 418 } });
      expect(written).toMatchObject({ status: 200, body: { data: { version: 1 } } });
    });

    it('answers malformed JSON with 400 and the error envelope', async () => {
      const answer = await call('POST', 'secret/data/bad-json', { raw: '{not json' });
      expect(answer.status).toBe(400);
      expect((answer.body!.errors as string[])[0]).toMatch(/failed to parse JSON input/);
    });
  });
});
