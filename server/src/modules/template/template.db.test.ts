import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type Json, type TestApi } from '../../test/api.js';
import { Role } from '../membership/membership.entity.js';
import type { User } from '../user/user.entity.js';

const FIELDS = `id name kind os sourceVmid osTemplate defaultCores defaultMemoryMiB defaultDiskGiB cloudInit description`;
const CREATE = `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateTemplateInput!) { updateTemplate(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteTemplate(id: $id) }`;
const LIST = `query($kind: MachineKind) { templates(kind: $kind) { id name kind } }`;
const LXC_VOLUME = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

describe.skipIf(postgresUnavailable())('templates over HTTP', () => {
  let api: TestApi;
  let admin: { user: User; token: string };
  let clusterId: string;
  let seq = 0;

  const vm = (extra: Record<string, unknown> = {}) => ({
    clusterId,
    name: `vm-${++seq}`,
    kind: 'VM',
    os: 'debian-12',
    sourceVmid: 9000,
    ...extra,
  });
  const lxc = (extra: Record<string, unknown> = {}) => ({
    clusterId,
    name: `ct-${++seq}`,
    kind: 'LXC',
    os: 'debian-12',
    osTemplate: LXC_VOLUME,
    ...extra,
  });

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.user({ admin: true });
    clusterId = (await api.template()).cluster.id;
  });
  afterAll(() => api?.close());

  it('creates VM and LXC templates with defaults, updates and deletes them', async () => {
    const { createTemplate: v } = await api.ok(
      CREATE,
      { input: vm({ name: 'ubuntu-24', os: 'ubuntu-24.04', defaultCores: 4 }) },
      admin.token,
    );
    expect(v).toMatchObject({
      name: 'ubuntu-24',
      kind: 'VM',
      os: 'ubuntu-24.04',
      sourceVmid: 9000,
      osTemplate: null,
      defaultCores: 4,
      defaultMemoryMiB: 1024,
      defaultDiskGiB: 8,
      cloudInit: true,
      description: '',
    });
    const { createTemplate: c } = await api.ok(CREATE, { input: lxc({ cloudInit: false }) }, admin.token);
    expect(c).toMatchObject({ kind: 'LXC', osTemplate: LXC_VOLUME, sourceVmid: null, cloudInit: false });

    const { updateTemplate } = await api.ok(
      UPDATE,
      { id: v.id, input: { name: 'ubuntu-24-lts', defaultMemoryMiB: 4096, description: 'LTS' } },
      admin.token,
    );
    expect(updateTemplate).toMatchObject({
      name: 'ubuntu-24-lts',
      defaultCores: 4,
      defaultMemoryMiB: 4096,
      description: 'LTS',
    });

    expect(await api.ok(DELETE, { id: c.id }, admin.token)).toEqual({ deleteTemplate: true });
    const names = (await api.ok(LIST, {}, admin.token)).templates.map((t: Json) => t.id);
    expect(names).toContain(v.id);
    expect(names).not.toContain(c.id);
    expect((await api.fail(DELETE, { id: c.id }, admin.token)).extensions).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'Template',
    });
  });

  it('needs sourceVmid for a VM and osTemplate for an LXC, naming the field', async () => {
    const noVmid = await api.fail(CREATE, { input: vm({ sourceVmid: undefined }) }, admin.token);
    expect(noVmid.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.sourceVmid' });
    expect(noVmid.message).toBe('input.sourceVmid: is required for VM templates');
    const noVolume = await api.fail(CREATE, { input: lxc({ osTemplate: undefined }) }, admin.token);
    expect(noVolume.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.osTemplate' });
    expect(noVolume.message).toBe('input.osTemplate: is required for LXC templates');

    const cases: [Record<string, unknown>, string][] = [
      [lxc({ osTemplate: 'debian.tar.zst' }), 'input.osTemplate'],
      [vm({ sourceVmid: 99 }), 'input.sourceVmid'],
      [vm({ os: 'Debian 12' }), 'input.os'],
      [vm({ name: '' }), 'input.name'],
      [vm({ defaultCores: 0 }), 'input.defaultCores'],
      [vm({ defaultMemoryMiB: 32 }), 'input.defaultMemoryMiB'],
      [vm({ clusterId: 'not-a-uuid' }), 'input.clusterId'],
      [vm({ clusterId: '00000000-0000-4000-8000-000000000000' }), 'input.clusterId'],
      [vm({ defaultCores: null }), 'input.defaultCores'],
    ];
    for (const [input, field] of cases) {
      expect((await api.fail(CREATE, { input }, admin.token)).extensions, field).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
  });

  it('refuses null for a required field on update, naming it', async () => {
    const { createTemplate } = await api.ok(CREATE, { input: vm() }, admin.token);
    for (const field of ['name', 'defaultCores', 'defaultDiskGiB', 'description']) {
      const error = await api.fail(UPDATE, { id: createTemplate.id, input: { [field]: null } }, admin.token);
      expect(error.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field: `input.${field}` });
    }
  });

  it('maps a duplicate name on the cluster to CONFLICT', async () => {
    const input = vm();
    await api.ok(CREATE, { input }, admin.token);
    expect((await api.fail(CREATE, { input }, admin.token)).extensions?.code).toBe('CONFLICT');
  });

  it('refuses to delete a template a machine uses (CONFLICT)', async () => {
    const owner = await api.user();
    const { project } = await api.org(owner.user, Role.OWNER);
    const template = await api.template();
    await api.machine(project, owner.user, template);
    const error = await api.fail(DELETE, { id: template.id }, admin.token);
    expect(error.extensions?.code).toBe('CONFLICT');
    expect(error.message).toMatch(/remove what uses it first/);
    expect((await api.ok(LIST, {}, admin.token)).templates.map((t: Json) => t.id)).toContain(template.id);
  });

  it('lists templates for any signed-in user, filtered by kind; only platform admins write', async () => {
    const { createTemplate } = await api.ok(CREATE, { input: lxc() }, admin.token);
    const plain = await api.user();
    const all = (await api.ok(LIST, {}, plain.token)).templates;
    expect(all.map((t: Json) => t.id)).toContain(createTemplate.id);
    const lxcOnly = (await api.ok(LIST, { kind: 'LXC' }, plain.token)).templates;
    expect(lxcOnly.length).toBeGreaterThan(0);
    expect(lxcOnly.every((t: Json) => t.kind === 'LXC')).toBe(true);
    expect((await api.fail(LIST, {})).extensions?.code).toBe('UNAUTHENTICATED');

    for (const [query, variables] of [
      [CREATE, { input: vm() }],
      [UPDATE, { id: createTemplate.id, input: { name: 'mine' } }],
      [DELETE, { id: createTemplate.id }],
    ] as const) {
      expect((await api.fail(query, variables, plain.token)).extensions).toMatchObject({
        code: 'FORBIDDEN',
        privilege: 'Platform.Admin',
      });
    }
  });
});
