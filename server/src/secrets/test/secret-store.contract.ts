// One behavioural contract for every SecretStore: the local driver on PostgreSQL and on PGlite, the
// Vault driver against the project's Vault-compatible test server, and against a real Vault when
// VAULT_ADDR is set. Each test works under its own random prefix, so a shared Vault is fine.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSecretError, type SecretStore } from '../secret-store.js';

export interface ContractSubject {
  store: SecretStore;
  cleanup?: () => Promise<void>;
}

const PEM = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n`;

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a SecretError ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(isSecretError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}

export function defineSecretStoreContract(name: string, make: () => Promise<ContractSubject>): void {
  describe(`SecretStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: SecretStore;
    // A fresh folder per test: no test sees another's keys.
    const folder = () => `contract-${randomBytes(6).toString('hex')}`;

    beforeAll(async () => {
      subject = await make();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.store.close();
      await subject?.cleanup?.();
    });

    it('writes and reads back the latest version', async () => {
      const path = `${folder()}/proxmox/token`;
      const before = Date.now();
      expect(await store.write(path, { tokenId: 'root@pam!paas', secret: 's3cr3t' })).toEqual({ version: 1 });
      const value = await store.read(path);
      expect(value).toMatchObject({ data: { tokenId: 'root@pam!paas', secret: 's3cr3t' }, version: 1 });
      expect(value?.createdTime).toBeInstanceOf(Date);
      expect(Math.abs(value!.createdTime.getTime() - before)).toBeLessThan(60_000);
    });

    it('keeps multi-line and unicode values byte for byte', async () => {
      const path = `${folder()}/ssh`;
      const data = { privateKey: PEM, comment: 'clé ✓ 鍵', empty: '', 'key with spaces/and.dots': '"quoted"\\' };
      await store.write(path, data);
      expect((await store.read(path))?.data).toEqual(data);
    });

    it('stores values up to the size limit', async () => {
      const path = `${folder()}/large`;
      await store.write(path, { blob: 'y'.repeat(400 * 1024) });
      expect((await store.read(path))?.data.blob).toHaveLength(400 * 1024);
    });

    it('returns null / empty for paths that never existed', async () => {
      const path = `${folder()}/missing`;
      expect(await store.read(path)).toBeNull();
      expect(await store.read(path, { version: 3 })).toBeNull();
      expect(await store.versions(path)).toEqual([]);
      expect(await store.list(folder())).toEqual([]);
    });

    it('numbers versions from 1 and reads any kept version', async () => {
      const path = `${folder()}/guest/root`;
      for (let i = 1; i <= 3; i++) expect(await store.write(path, { password: `pw-${i}` })).toEqual({ version: i });
      expect(await store.read(path)).toMatchObject({ data: { password: 'pw-3' }, version: 3 });
      expect(await store.read(path, { version: 1 })).toMatchObject({ data: { password: 'pw-1' }, version: 1 });
      expect(await store.read(path, { version: 4 })).toBeNull();
      const versions = await store.versions(path);
      expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
      expect(versions.every((v) => v.deletedTime === null && !v.destroyed && v.createdTime instanceof Date)).toBe(true);
    });

    it('check-and-set: cas 0 creates only when absent, cas N only on version N', async () => {
      const path = `${folder()}/oidc`;
      expect(await store.write(path, { clientSecret: 'first' }, { cas: 0 })).toEqual({ version: 1 });
      const error = await expectCode(store.write(path, { clientSecret: 'second-value' }, { cas: 0 }), 'CAS_MISMATCH');
      expect(error.message).not.toContain('second-value');
      expect(error.message).not.toContain('first');
      expect(await store.write(path, { clientSecret: 'second' }, { cas: 1 })).toEqual({ version: 2 });
      await expectCode(store.write(path, { clientSecret: 'third' }, { cas: 1 }), 'CAS_MISMATCH');
      await expectCode(store.write(path, { clientSecret: 'third' }, { cas: 5 }), 'CAS_MISMATCH');
      expect(await store.read(path)).toMatchObject({ data: { clientSecret: 'second' }, version: 2 });
      await expectCode(store.write(`${folder()}/absent`, { a: 'b' }, { cas: 2 }), 'CAS_MISMATCH');
    });

    it('check-and-set lets exactly one of several concurrent creators win', async () => {
      const path = `${folder()}/race`;
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => store.write(path, { who: `writer-${i}` }, { cas: 0 })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(isSecretError(r.reason, 'CAS_MISMATCH')).toBe(true);
      expect((await store.versions(path)).map((v) => v.version)).toEqual([1]);
    });

    it('concurrent unconditional writes get distinct, consecutive versions', async () => {
      const path = `${folder()}/parallel`;
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.write(path, { i: String(i) })));
      expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const latest = await store.read(path);
      expect(latest?.version).toBe(8);
      // The latest version holds what the writer that got version 8 wrote.
      const winner = results.findIndex((r) => r.version === 8);
      expect(latest?.data).toEqual({ i: String(winner) });
    });

    it('delete soft-deletes the latest version only; the counter and older versions remain', async () => {
      const path = `${folder()}/soft`;
      await store.write(path, { v: '1' });
      await store.write(path, { v: '2' });
      await store.delete(path);
      expect(await store.read(path)).toBeNull();
      expect(await store.read(path, { version: 2 })).toBeNull();
      expect(await store.read(path, { version: 1 })).toMatchObject({ data: { v: '1' } });
      const versions = await store.versions(path);
      expect(versions[1]).toMatchObject({ version: 2, destroyed: false });
      expect(versions[1]?.deletedTime).toBeInstanceOf(Date);
      expect(versions[0]?.deletedTime).toBeNull();
      // Deleting again is a no-op (the latest is already deleted), not an error.
      await store.delete(path);
      expect((await store.read(path, { version: 1 }))?.data).toEqual({ v: '1' });
      // The path still exists for list and check-and-set.
      expect(await store.list(path.slice(0, path.lastIndexOf('/')))).toEqual(['soft']);
      await expectCode(store.write(path, { v: '3' }, { cas: 0 }), 'CAS_MISMATCH');
      expect(await store.write(path, { v: '3' }, { cas: 2 })).toEqual({ version: 3 });
      expect(await store.read(path)).toMatchObject({ data: { v: '3' }, version: 3 });
    });

    it('destroy removes every version and the path; a new write starts again at 1', async () => {
      const dir = folder();
      const path = `${dir}/gone`;
      await store.write(path, { v: '1' });
      await store.write(path, { v: '2' });
      await store.destroy(path);
      expect(await store.read(path)).toBeNull();
      expect(await store.read(path, { version: 1 })).toBeNull();
      expect(await store.versions(path)).toEqual([]);
      expect(await store.list(dir)).toEqual([]);
      expect(await store.write(path, { v: 'again' }, { cas: 0 })).toEqual({ version: 1 });
    });

    it('destroy of given versions keeps the others and marks them destroyed', async () => {
      const path = `${folder()}/partial`;
      await store.write(path, { v: '1' });
      await store.write(path, { v: '2' });
      await store.destroy(path, { versions: [1] });
      expect(await store.read(path, { version: 1 })).toBeNull();
      expect(await store.read(path)).toMatchObject({ data: { v: '2' }, version: 2 });
      const versions = await store.versions(path);
      expect(versions.map((v) => [v.version, v.destroyed])).toEqual([
        [1, true],
        [2, false],
      ]);
    });

    it('delete and destroy of a missing path are no-ops', async () => {
      const path = `${folder()}/never`;
      await store.delete(path);
      await store.destroy(path);
      expect(await store.read(path)).toBeNull();
    });

    it('lists direct children, sub-folders ending in /', async () => {
      const dir = folder();
      await store.write(`${dir}/a`, { x: '1' });
      await store.write(`${dir}/b/c`, { x: '1' });
      await store.write(`${dir}/b/d/e`, { x: '1' });
      await store.write(`${dir}/b_x`, { x: '1' });
      expect(await store.list(dir)).toEqual(['a', 'b/', 'b_x']);
      expect(await store.list(`${dir}/`)).toEqual(['a', 'b/', 'b_x']);
      expect(await store.list(`${dir}/b`)).toEqual(['c', 'd/']);
      expect(await store.list(`${dir}/b/d/`)).toEqual(['e']);
      expect(await store.list(`${dir}/a/`)).toEqual([]);
      expect(await store.list('')).toContain(`${dir}/`);
    });

    it('keeps the last 10 versions and purges older ones', async () => {
      const path = `${folder()}/rotated`;
      for (let i = 1; i <= 12; i++) await store.write(path, { n: String(i) });
      const versions = await store.versions(path);
      expect(versions.map((v) => v.version)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(await store.read(path, { version: 1 })).toBeNull();
      expect(await store.read(path, { version: 3 })).toMatchObject({ data: { n: '3' } });
      expect(await store.read(path)).toMatchObject({ data: { n: '12' }, version: 12 });
      expect(await store.write(path, { n: '13' }, { cas: 12 })).toEqual({ version: 13 });
    });

    it('rejects invalid paths, data and versions with INVALID, without echoing values', async () => {
      const dir = folder();
      for (const bad of ['', '/abs', 'trailing/', 'a//b', 'a/../b', 'sp ace', 'a/./b']) {
        await expectCode(store.write(bad, { a: 'b' }), 'INVALID');
        await expectCode(store.read(bad), 'INVALID');
      }
      await expectCode(store.list('../x'), 'INVALID');
      const error = await expectCode(
        store.write(`${dir}/x`, { good: 'fine', bad: 42 as unknown as string, other: 'hunter2-visible?' }),
        'INVALID',
      );
      expect(error.message).toContain('bad');
      expect(error.message).not.toContain('hunter2');
      expect(error.message).not.toContain('fine');
      await expectCode(store.write(`${dir}/x`, {}), 'INVALID');
      await expectCode(store.write(`${dir}/x`, { big: 'x'.repeat(512 * 1024) }), 'INVALID');
      await expectCode(store.write(`${dir}/x`, { a: 'b' }, { cas: -1 }), 'INVALID');
      await expectCode(store.read(`${dir}/x`, { version: 0 }), 'INVALID');
      await expectCode(store.destroy(`${dir}/x`, { versions: [] }), 'INVALID');
      expect(await store.read(`${dir}/x`)).toBeNull();
    });

    it('reports itself healthy', async () => {
      const health = await store.health();
      expect(health).toMatchObject({ driver: store.driver, ok: true, sealed: false });
    });
  });
}
