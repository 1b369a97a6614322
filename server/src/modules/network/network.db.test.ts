import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type Json, type TestApi } from '../../test/api.js';
import { Membership, Role } from '../membership/membership.entity.js';
import type { Organization } from '../organization/organization.entity.js';
import type { Project } from '../project/project.entity.js';
import type { User } from '../user/user.entity.js';

const FIELDS = `id name bridge vlanTag cidr gateway firewall`;
const CREATE = `mutation($input: CreateNetworkConfigurationInput!) { createNetworkConfiguration(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateNetworkConfigurationInput!) { updateNetworkConfiguration(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteNetworkConfiguration(id: $id) }`;
const LIST = `query($projectId: ID!) { networkConfigurations(projectId: $projectId) { id name } }`;

describe.skipIf(postgresUnavailable())('network configurations over HTTP', () => {
  let api: TestApi;
  let owner: { user: User; token: string };
  let org: Organization;
  let project: Project;
  let seq = 0;

  const input = (extra: Record<string, unknown> = {}) => ({
    projectId: project.id,
    name: `net-${++seq}`,
    bridge: 'vmbr0',
    ...extra,
  });

  /** A new user with `role` in the organization, or in `projectId` only. */
  async function member(role: Role, projectId: string | null = null) {
    const m = await api.user();
    const em = api.db.orm.em.fork();
    em.create(Membership, { organization: org.id, user: m.user.id, role, project: projectId });
    await em.flush();
    return m;
  }

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user();
    ({ org, project } = await api.org(owner.user, Role.OWNER));
  });
  afterAll(() => api?.close());

  it('creates, lists, updates and deletes a network', async () => {
    const { createNetworkConfiguration: n } = await api.ok(
      CREATE,
      { input: input({ name: 'lan', vlanTag: 20, cidr: '10.20.0.0/24', gateway: '10.20.0.1' }) },
      owner.token,
    );
    expect(n).toMatchObject({
      name: 'lan',
      bridge: 'vmbr0',
      vlanTag: 20,
      cidr: '10.20.0.0/24',
      gateway: '10.20.0.1',
      firewall: true,
    });
    const { createNetworkConfiguration: dhcp } = await api.ok(
      CREATE,
      { input: input({ name: 'dhcp', firewall: false }) },
      owner.token,
    );
    expect(dhcp).toMatchObject({ vlanTag: null, cidr: null, gateway: null, firewall: false });
    expect(
      (await api.ok(LIST, { projectId: project.id }, owner.token)).networkConfigurations.map((x: Json) => x.name),
    ).toEqual(expect.arrayContaining(['dhcp', 'lan']));

    // Back to DHCP: clearing both at once is fine, and omitted fields stay.
    const { updateNetworkConfiguration } = await api.ok(
      UPDATE,
      { id: n.id, input: { cidr: null, gateway: null, vlanTag: null } },
      owner.token,
    );
    expect(updateNetworkConfiguration).toMatchObject({
      name: 'lan',
      bridge: 'vmbr0',
      vlanTag: null,
      cidr: null,
      gateway: null,
      firewall: true,
    });
    const renamed = await api.ok(UPDATE, { id: n.id, input: { name: 'lan-2', bridge: 'vnet1' } }, owner.token);
    expect(renamed.updateNetworkConfiguration).toMatchObject({ name: 'lan-2', bridge: 'vnet1' });

    expect(await api.ok(DELETE, { id: n.id }, owner.token)).toEqual({ deleteNetworkConfiguration: true });
    expect(
      (await api.ok(LIST, { projectId: project.id }, owner.token)).networkConfigurations.map((x: Json) => x.id),
    ).not.toContain(n.id);
    expect((await api.fail(DELETE, { id: n.id }, owner.token)).extensions).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'NetworkConfiguration',
    });
  });

  it('refuses a gateway without a CIDR, naming input.gateway, on create and update', async () => {
    const create = await api.fail(CREATE, { input: input({ gateway: '10.0.0.1' }) }, owner.token);
    expect(create.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.gateway' });
    expect(create.message).toMatch(/^input\.gateway: needs input\.cidr/);

    const { createNetworkConfiguration: dhcp } = await api.ok(CREATE, { input: input() }, owner.token);
    const update = await api.fail(UPDATE, { id: dhcp.id, input: { gateway: '10.0.0.1' } }, owner.token);
    expect(update.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.gateway' });

    const { createNetworkConfiguration: fixed } = await api.ok(
      CREATE,
      { input: input({ cidr: '10.1.0.0/24', gateway: '10.1.0.1' }) },
      owner.token,
    );
    const clear = await api.fail(UPDATE, { id: fixed.id, input: { cidr: null } }, owner.token);
    expect(clear.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cidr' });
    const unchanged = await api.ok(
      `query($id: ID!) { networkConfigurations(projectId: $id) { id cidr gateway } }`,
      { id: project.id },
      owner.token,
    );
    expect(unchanged.networkConfigurations.find((x: Json) => x.id === fixed.id)).toEqual({
      id: fixed.id,
      cidr: '10.1.0.0/24',
      gateway: '10.1.0.1',
    });
  });

  it('names the invalid field: VLAN 5000, CIDR, gateway, bridge', async () => {
    const vlan = await api.fail(CREATE, { input: input({ vlanTag: 5000 }) }, owner.token);
    expect(vlan.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.vlanTag' });
    expect(vlan.message).toBe('input.vlanTag: must be a VLAN id from 1 to 4094');
    const cases: [Record<string, unknown>, string][] = [
      [{ vlanTag: 0 }, 'input.vlanTag'],
      [{ cidr: '10.0.0.0/33' }, 'input.cidr'],
      [{ cidr: '10.0.0.0' }, 'input.cidr'],
      [{ cidr: '10.0.0.0/24', gateway: '10.0.0.256' }, 'input.gateway'],
      [{ bridge: 'a-bridge-name-too-long' }, 'input.bridge'],
      [{ bridge: undefined }, 'input.bridge'],
      [{ name: 'LAN' }, 'input.name'],
      [{ firewall: null }, 'input.firewall'],
    ];
    for (const [extra, field] of cases) {
      expect((await api.fail(CREATE, { input: input(extra) }, owner.token)).extensions, field).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    const { createNetworkConfiguration: n } = await api.ok(CREATE, { input: input() }, owner.token);
    for (const field of ['name', 'bridge', 'firewall']) {
      const error = await api.fail(UPDATE, { id: n.id, input: { [field]: null } }, owner.token);
      expect(error.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field: `input.${field}` });
    }
    expect((await api.fail(UPDATE, { id: n.id, input: { vlanTag: 5000 } }, owner.token)).extensions).toMatchObject({
      field: 'input.vlanTag',
    });
  });

  it('maps a duplicate name in the project to CONFLICT', async () => {
    const given = input();
    await api.ok(CREATE, { input: given }, owner.token);
    expect((await api.fail(CREATE, { input: given }, owner.token)).extensions?.code).toBe('CONFLICT');
  });

  it('lets project admins write; operators and viewers read; other tenants see nothing', async () => {
    const { createNetworkConfiguration: n } = await api.ok(CREATE, { input: input() }, owner.token);
    const projectAdmin = await member(Role.ADMIN, project.id);
    const { createNetworkConfiguration: byAdmin } = await api.ok(CREATE, { input: input() }, projectAdmin.token);
    await api.ok(UPDATE, { id: n.id, input: { vlanTag: 30 } }, projectAdmin.token);
    await api.ok(DELETE, { id: byAdmin.id }, projectAdmin.token);

    const operator = await member(Role.OPERATOR);
    expect(
      (await api.ok(LIST, { projectId: project.id }, operator.token)).networkConfigurations.map((x: Json) => x.id),
    ).toContain(n.id);
    for (const [query, variables] of [
      [CREATE, { input: input() }],
      [UPDATE, { id: n.id, input: { vlanTag: 40 } }],
      [DELETE, { id: n.id }],
    ] as const) {
      expect((await api.fail(query, variables, operator.token)).extensions).toMatchObject({
        code: 'FORBIDDEN',
        privilege: 'Project.Admin',
      });
    }

    const outsider = await api.user();
    await api.org(outsider.user, Role.OWNER);
    expect((await api.fail(LIST, { projectId: project.id }, outsider.token)).extensions).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'Project',
    });
    expect((await api.fail(CREATE, { input: input() }, outsider.token)).extensions).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'Project',
    });
    expect((await api.fail(UPDATE, { id: n.id, input: { vlanTag: 40 } }, outsider.token)).extensions).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'NetworkConfiguration',
    });
    expect((await api.fail(DELETE, { id: n.id }, outsider.token)).extensions?.code).toBe('NOT_FOUND');
  });
});
