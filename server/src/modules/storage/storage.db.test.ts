import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type Json, type TestApi } from '../../test/api.js';
import type { User } from '../user/user.entity.js';

const FIELDS = `id name storageId type shared`;
const CREATE = `mutation($input: CreateStorageConfigurationInput!) { createStorageConfiguration(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateStorageConfigurationInput!) { updateStorageConfiguration(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteStorageConfiguration(id: $id) }`;
const LIST = `query($clusterId: ID) { storageConfigurations(clusterId: $clusterId) { id name } }`;

describe.skipIf(postgresUnavailable())('storage configurations over HTTP', () => {
  let api: TestApi;
  let admin: { user: User; token: string };
  let clusterId: string;
  let seq = 0;

  const input = (extra: Record<string, unknown> = {}) => ({
    clusterId,
    name: `fast-${++seq}`,
    storageId: 'local-lvm',
    type: 'lvmthin',
    ...extra,
  });

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.user({ admin: true });
    clusterId = (await api.template()).cluster.id;
  });
  afterAll(() => api?.close());

  it('creates, lists, updates and deletes a storage configuration', async () => {
    const { createStorageConfiguration: s } = await api.ok(
      CREATE,
      { input: input({ name: 'ceph', storageId: 'ceph-vm', type: 'rbd', shared: true }) },
      admin.token,
    );
    expect(s).toMatchObject({ name: 'ceph', storageId: 'ceph-vm', type: 'rbd', shared: true });

    const plain = await api.user();
    const listed = (await api.ok(LIST, { clusterId }, plain.token)).storageConfigurations;
    expect(listed.map((x: Json) => x.id)).toContain(s.id);
    const otherCluster = (await api.template()).cluster.id;
    expect((await api.ok(LIST, { clusterId: otherCluster }, plain.token)).storageConfigurations).toEqual([]);

    const { updateStorageConfiguration } = await api.ok(
      UPDATE,
      { id: s.id, input: { name: 'ceph-shared', shared: false } },
      admin.token,
    );
    expect(updateStorageConfiguration).toMatchObject({
      name: 'ceph-shared',
      storageId: 'ceph-vm',
      type: 'rbd',
      shared: false,
    });

    expect(await api.ok(DELETE, { id: s.id }, admin.token)).toEqual({ deleteStorageConfiguration: true });
    expect((await api.ok(LIST, { clusterId }, admin.token)).storageConfigurations.map((x: Json) => x.id)).not.toContain(
      s.id,
    );
    expect((await api.fail(DELETE, { id: s.id }, admin.token)).extensions).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'StorageConfiguration',
    });
  });

  it('names input.type for a storage type Proxmox does not have, and the other invalid fields', async () => {
    const type = await api.fail(CREATE, { input: input({ type: 'ext4' }) }, admin.token);
    expect(type.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.type' });
    expect(type.message).toMatch(/^input\.type: must be a Proxmox storage type/);
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'LVMTHIN' }, 'input.type'],
      [{ storageId: '1bad' }, 'input.storageId'],
      [{ name: 'Fast Disks' }, 'input.name'],
      [{ clusterId: 'nope' }, 'input.clusterId'],
      [{ clusterId: '00000000-0000-4000-8000-000000000000' }, 'input.clusterId'],
    ];
    for (const [extra, field] of cases) {
      expect((await api.fail(CREATE, { input: input(extra) }, admin.token)).extensions, field).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    const { createStorageConfiguration } = await api.ok(CREATE, { input: input() }, admin.token);
    for (const field of ['name', 'shared']) {
      const error = await api.fail(
        UPDATE,
        { id: createStorageConfiguration.id, input: { [field]: null } },
        admin.token,
      );
      expect(error.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field: `input.${field}` });
    }
  });

  it('maps a duplicate name on the cluster to CONFLICT', async () => {
    const given = input();
    await api.ok(CREATE, { input: given }, admin.token);
    expect((await api.fail(CREATE, { input: given }, admin.token)).extensions?.code).toBe('CONFLICT');
  });

  it('is written by platform admins only; anyone signed in reads', async () => {
    const { createStorageConfiguration } = await api.ok(CREATE, { input: input() }, admin.token);
    const plain = await api.user();
    for (const [query, variables] of [
      [CREATE, { input: input() }],
      [UPDATE, { id: createStorageConfiguration.id, input: { shared: true } }],
      [DELETE, { id: createStorageConfiguration.id }],
    ] as const) {
      expect((await api.fail(query, variables, plain.token)).extensions).toMatchObject({
        code: 'FORBIDDEN',
        privilege: 'Platform.Admin',
      });
      expect((await api.fail(query, variables)).extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect((await api.fail(LIST, {})).extensions?.code).toBe('UNAUTHENTICATED');
  });
});
