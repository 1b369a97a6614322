import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type Json, type TestApi } from '../../test/api.js';
import { Membership, Role } from '../membership/membership.entity.js';

const CREATE = `mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { id name slug quota { cores machines } members { role user { email } } }
}`;
const LIST = `query($first: Int, $after: String) {
  organizations(first: $first, after: $after) { totalCount edges { node { id slug } } pageInfo { hasNextPage endCursor } }
}`;
const UPDATE = `mutation($id: ID!, $input: UpdateOrganizationInput!) {
  updateOrganization(id: $id, input: $input) { name quota { machines cores memoryMiB diskGiB gpus } }
}`;
const DELETE = `mutation($id: ID!) { deleteOrganization(id: $id) }`;

describe.skipIf(postgresUnavailable())('organizations over HTTP', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('creates an organization with the caller as its owner, and reads it back', async () => {
    const alice = await api.user();
    const { createOrganization: org } = await api.ok(
      CREATE,
      { input: { name: 'Acme Corp', slug: 'acme' } },
      alice.token,
    );
    expect(org).toMatchObject({ name: 'Acme Corp', slug: 'acme', quota: { cores: null, machines: null } });
    expect(org.members).toEqual([{ role: 'OWNER', user: { email: alice.user.email } }]);
    const { organization } = await api.ok(
      `query($id: ID!) { organization(id: $id) { slug } }`,
      { id: org.id },
      alice.token,
    );
    expect(organization).toEqual({ slug: 'acme' });
  });

  it('lists only the organizations the caller belongs to, and all of them for a platform admin', async () => {
    const bob = await api.user();
    const carol = await api.user();
    const mine = await api.ok(CREATE, { input: { name: 'Bob', slug: 'bob-org' } }, bob.token);
    await api.ok(CREATE, { input: { name: 'Carol', slug: 'carol-org' } }, carol.token);
    const project = await api.org(carol.user, Role.OWNER);
    // A role in one project of an organization is enough to see the organization.
    const em = api.db.orm.em.fork();
    em.create(Membership, {
      organization: project.org.id,
      project: project.project.id,
      user: bob.user.id,
      role: Role.VIEWER,
    });
    await em.flush();

    const { organizations } = await api.ok(LIST, { first: 10 }, bob.token);
    expect(organizations.totalCount).toBe(2);
    expect(organizations.edges.map((e: Json) => e.node.id).sort()).toEqual(
      [mine.createOrganization.id, project.org.id].sort(),
    );

    const hidden = await api.fail(
      `query($id: ID!) { organization(id: $id) { id } }`,
      { id: mine.createOrganization.id },
      carol.token,
    );
    expect(hidden.extensions?.code).toBe('NOT_FOUND');

    const admin = await api.user({ admin: true });
    const all = await api.ok(LIST, { first: 100 }, admin.token);
    expect(all.organizations.totalCount).toBeGreaterThanOrEqual(3);
  });

  it('pages organizations by name without repeats', async () => {
    const dave = await api.user();
    for (const slug of ['p-e', 'p-a', 'p-d', 'p-c', 'p-b'])
      await api.ok(CREATE, { input: { name: slug, slug } }, dave.token);
    const names: string[] = [];
    let after: string | null = null;
    do {
      const { organizations }: Json = await api.ok(LIST, { first: 2, after }, dave.token);
      names.push(...organizations.edges.map((e: Json) => e.node.slug));
      after = organizations.pageInfo.hasNextPage ? organizations.pageInfo.endCursor : null;
    } while (after);
    expect(names).toEqual(['p-a', 'p-b', 'p-c', 'p-d', 'p-e']);
  });

  it('renames for admins and owners; a viewer gets FORBIDDEN', async () => {
    const owner = await api.user();
    const { org } = await api.org(owner.user, Role.OWNER);
    const { updateOrganization } = await api.ok(UPDATE, { id: org.id, input: { name: 'Renamed' } }, owner.token);
    expect(updateOrganization.name).toBe('Renamed');

    const admin = await api.user();
    const viewer = await api.user();
    const em = api.db.orm.em.fork();
    em.create(Membership, { organization: org.id, user: admin.user.id, role: Role.ADMIN, project: null });
    em.create(Membership, { organization: org.id, user: viewer.user.id, role: Role.VIEWER, project: null });
    await em.flush();
    await api.ok(UPDATE, { id: org.id, input: { name: 'By admin' } }, admin.token);
    const denied = await api.fail(UPDATE, { id: org.id, input: { name: 'By viewer' } }, viewer.token);
    expect(denied.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Organization.Admin' });
    const { organization } = await api.ok(
      `query($id: ID!) { organization(id: $id) { name } }`,
      { id: org.id },
      viewer.token,
    );
    expect(organization.name).toBe('By admin');
  });

  it('sets a quota only for a platform admin', async () => {
    const owner = await api.user();
    const { org } = await api.org(owner.user, Role.OWNER);
    const denied = await api.fail(
      UPDATE,
      { id: org.id, input: { name: 'Sneaky', quota: { cores: 1000 } } },
      owner.token,
    );
    expect(denied.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Platform.Admin' });
    // Nothing of the refused update was written, not even the name.
    const after = await api.ok(
      `query($id: ID!) { organization(id: $id) { name quota { cores } } }`,
      { id: org.id },
      owner.token,
    );
    expect(after.organization).toEqual({ name: org.name, quota: { cores: null } });

    const admin = await api.user({ admin: true });
    const { updateOrganization } = await api.ok(
      UPDATE,
      { id: org.id, input: { quota: { cores: 64, machines: 10 } } },
      admin.token,
    );
    expect(updateOrganization.quota).toEqual({ machines: 10, cores: 64, memoryMiB: null, diskGiB: null, gpus: null });
    // Omitted limits stay as they are; null lifts one.
    const patched = await api.ok(UPDATE, { id: org.id, input: { quota: { gpus: 2, machines: null } } }, admin.token);
    expect(patched.updateOrganization.quota).toEqual({
      machines: null,
      cores: 64,
      memoryMiB: null,
      diskGiB: null,
      gpus: 2,
    });
    const negative = await api.fail(UPDATE, { id: org.id, input: { quota: { cores: -1 } } }, admin.token);
    expect(negative.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.quota.cores' });
  });

  it('names input.slug when the slug is not URL-safe, and input.name when the name is empty', async () => {
    const user = await api.user();
    for (const slug of ['Acme', '-acme', 'acme-', 'ac me', '', 'a'.repeat(64)]) {
      const error = await api.fail(CREATE, { input: { name: 'Acme', slug } }, user.token);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.slug' });
      expect(error.message).toMatch(/^input\.slug: must be 1 to 63 lowercase letters/);
    }
    const name = await api.fail(CREATE, { input: { name: '', slug: 'fine' } }, user.token);
    expect(name.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('maps a duplicate slug to CONFLICT and leaves the caller without a stray membership', async () => {
    const first = await api.user();
    const second = await api.user();
    await api.ok(CREATE, { input: { name: 'One', slug: 'taken' } }, first.token);
    const error = await api.fail(CREATE, { input: { name: 'Two', slug: 'taken' } }, second.token);
    expect(error.extensions?.code).toBe('CONFLICT');
    expect(error.message).toMatch(/slug/);
    const { organizations } = await api.ok(LIST, {}, second.token);
    expect(organizations.totalCount).toBe(0);
  });

  it('deletes only for the owner, with its projects and memberships', async () => {
    const owner = await api.user();
    const admin = await api.user();
    const { org, project } = await api.org(owner.user, Role.OWNER);
    const em = api.db.orm.em.fork();
    em.create(Membership, { organization: org.id, user: admin.user.id, role: Role.ADMIN, project: null });
    await em.flush();

    const denied = await api.fail(DELETE, { id: org.id }, admin.token);
    expect(denied.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Organization.Owner' });
    const stranger = await api.user();
    expect((await api.fail(DELETE, { id: org.id }, stranger.token)).extensions?.code).toBe('NOT_FOUND');

    expect(await api.ok(DELETE, { id: org.id }, owner.token)).toEqual({ deleteOrganization: true });
    const gone = await api.fail(`query($id: ID!) { organization(id: $id) { id } }`, { id: org.id }, owner.token);
    expect(gone.extensions?.code).toBe('NOT_FOUND');
    const rows = await api.db.orm.em
      .fork()
      .getConnection()
      .execute(
        `select (select count(*)::int from project where id = ?) as projects, (select count(*)::int from membership where organization_id = ?) as memberships`,
        [project.id, org.id],
      );
    expect(rows[0]).toEqual({ projects: 0, memberships: 0 });
  });

  it('refuses to delete an organization that still has machines (CONFLICT), and keeps them', async () => {
    const owner = await api.user();
    const { org, project } = await api.org(owner.user, Role.OWNER);
    const template = await api.template();
    const machine = await api.machine(project, owner.user, template);

    const error = await api.fail(DELETE, { id: org.id }, owner.token);
    expect(error.extensions?.code).toBe('CONFLICT');
    const { machine: still } = await api.ok(
      `query($id: ID!) { machine(id: $id) { name } }`,
      { id: machine.id },
      owner.token,
    );
    expect(still.name).toBe(machine.name);

    await api.ok(`mutation($id: ID!) { deleteMachine(id: $id) }`, { id: machine.id }, owner.token);
    await api.ok(DELETE, { id: org.id }, owner.token);
  });

  it('needs a signed-in caller', async () => {
    expect((await api.fail(CREATE, { input: { name: 'Anon', slug: 'anon' } })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await api.fail(LIST, {})).extensions?.code).toBe('UNAUTHENTICATED');
  });
});
