import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type Json, type TestApi } from '../../test/api.js';
import { Role } from './membership.entity.js';

const ADD = `mutation($input: AddMemberInput!) {
  addMember(input: $input) { id role user { email } organization { id } project { id name } }
}`;
const UPDATE_ROLE = `mutation($id: ID!, $role: Role!) { updateMemberRole(id: $id, role: $role) { id role } }`;
const REMOVE = `mutation($id: ID!) { removeMember(id: $id) }`;
const MEMBERS = `query($id: ID!) { organization(id: $id) { members { id role user { email } project { name } } } }`;

describe.skipIf(postgresUnavailable())('memberships over HTTP', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  /** An organization with its owner, and the id of the owner's membership. */
  async function tenant() {
    const owner = await api.user();
    const { org, project } = await api.org(owner.user, Role.OWNER);
    const { organization } = await api.ok(MEMBERS, { id: org.id }, owner.token);
    return { owner, org, project, ownerMembershipId: organization.members[0].id as string };
  }

  it('adds an existing user by email, changes the role and removes the member', async () => {
    const { owner, org } = await tenant();
    const bob = await api.user({ email: 'bob@example.com' });
    // Emails match whatever the case the caller typed.
    const { addMember } = await api.ok(
      ADD,
      { input: { organizationId: org.id, email: 'Bob@Example.com', role: 'VIEWER' } },
      owner.token,
    );
    expect(addMember).toMatchObject({
      role: 'VIEWER',
      user: { email: 'bob@example.com' },
      organization: { id: org.id },
      project: null,
    });

    const { organization } = await api.ok(MEMBERS, { id: org.id }, bob.token);
    expect(organization.members.map((m: Json) => [m.user.email, m.role])).toEqual([
      [owner.user.email, 'OWNER'],
      ['bob@example.com', 'VIEWER'],
    ]);
    const { updateMemberRole } = await api.ok(UPDATE_ROLE, { id: addMember.id, role: 'OPERATOR' }, owner.token);
    expect(updateMemberRole).toEqual({ id: addMember.id, role: 'OPERATOR' });

    expect(await api.ok(REMOVE, { id: addMember.id }, owner.token)).toEqual({ removeMember: true });
    expect((await api.fail(MEMBERS, { id: org.id }, bob.token)).extensions?.code).toBe('NOT_FOUND');
  });

  it('names input.email for an unknown or malformed email', async () => {
    const { owner, org } = await tenant();
    const unknown = await api.fail(
      ADD,
      { input: { organizationId: org.id, email: 'nobody@example.com', role: 'VIEWER' } },
      owner.token,
    );
    expect(unknown.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    expect(unknown.message).toMatch(/^input\.email: no user has this email/);
    const malformed = await api.fail(
      ADD,
      { input: { organizationId: org.id, email: 'not-an-email', role: 'VIEWER' } },
      owner.token,
    );
    expect(malformed.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
  });

  it('maps adding the same user twice in one scope to CONFLICT', async () => {
    const { owner, org } = await tenant();
    const carol = await api.user();
    const input = { organizationId: org.id, email: carol.user.email, role: 'VIEWER' };
    await api.ok(ADD, { input }, owner.token);
    expect((await api.fail(ADD, { input: { ...input, role: 'ADMIN' } }, owner.token)).extensions?.code).toBe(
      'CONFLICT',
    );
  });

  it('never leaves an organization without an owner (CONFLICT)', async () => {
    const { owner, org, ownerMembershipId } = await tenant();
    const demote = await api.fail(UPDATE_ROLE, { id: ownerMembershipId, role: 'ADMIN' }, owner.token);
    expect(demote.extensions?.code).toBe('CONFLICT');
    expect(demote.message).toMatch(/last owner/);
    expect((await api.fail(REMOVE, { id: ownerMembershipId }, owner.token)).extensions?.code).toBe('CONFLICT');
    // Re-affirming the last owner's role is not a demotion.
    await api.ok(UPDATE_ROLE, { id: ownerMembershipId, role: 'OWNER' }, owner.token);

    // With a second owner, the first may step down.
    const dana = await api.user();
    await api.ok(ADD, { input: { organizationId: org.id, email: dana.user.email, role: 'OWNER' } }, owner.token);
    await api.ok(UPDATE_ROLE, { id: ownerMembershipId, role: 'ADMIN' }, owner.token);
    const { organization } = await api.ok(MEMBERS, { id: org.id }, dana.token);
    expect(organization.members.map((m: Json) => m.role).sort()).toEqual(['ADMIN', 'OWNER']);
  });

  it('keeps an owner when the last two step down at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const { owner, org, ownerMembershipId } = await tenant();
      const second = await api.user();
      const { addMember } = await api.ok(
        ADD,
        { input: { organizationId: org.id, email: second.user.email, role: 'OWNER' } },
        owner.token,
      );
      const results = await Promise.all([
        api.gql(UPDATE_ROLE, { id: ownerMembershipId, role: 'ADMIN' }, owner.token),
        api.gql(REMOVE, { id: addMember.id }, second.token),
      ]);
      expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(1);
      const rows = await api.db.orm.em
        .fork()
        .getConnection()
        .execute(
          `select count(*)::int as n from membership where organization_id = ? and project_id is null and role = 'OWNER'`,
          [org.id],
        );
      expect(rows[0]?.n, `round ${round}`).toBe(1);
    }
  });

  it('does not count a project-scoped owner as an owner of the organization', async () => {
    const { owner, org, project, ownerMembershipId } = await tenant();
    const erin = await api.user();
    await api.ok(
      ADD,
      { input: { organizationId: org.id, projectId: project.id, email: erin.user.email, role: 'OWNER' } },
      owner.token,
    );
    expect((await api.fail(REMOVE, { id: ownerMembershipId }, owner.token)).extensions?.code).toBe('CONFLICT');
  });

  it('keeps OWNER in the hands of owners: an admin cannot grant, change or remove it (FORBIDDEN)', async () => {
    const { owner, org, ownerMembershipId } = await tenant();
    const admin = await api.user();
    const frank = await api.user();
    await api.ok(ADD, { input: { organizationId: org.id, email: admin.user.email, role: 'ADMIN' } }, owner.token);

    const grant = await api.fail(
      ADD,
      { input: { organizationId: org.id, email: frank.user.email, role: 'OWNER' } },
      admin.token,
    );
    expect(grant.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Organization.Owner' });
    const { addMember } = await api.ok(
      ADD,
      { input: { organizationId: org.id, email: frank.user.email, role: 'OPERATOR' } },
      admin.token,
    );
    const promote = await api.fail(UPDATE_ROLE, { id: addMember.id, role: 'OWNER' }, admin.token);
    expect(promote.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Organization.Owner' });
    expect((await api.fail(UPDATE_ROLE, { id: ownerMembershipId, role: 'VIEWER' }, admin.token)).extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await api.fail(REMOVE, { id: ownerMembershipId }, admin.token)).extensions?.code).toBe('FORBIDDEN');
    // Other roles are the admin's to manage.
    await api.ok(UPDATE_ROLE, { id: addMember.id, role: 'VIEWER' }, admin.token);
    await api.ok(REMOVE, { id: addMember.id }, admin.token);

    // Below admin, no role management at all.
    const viewer = await api.user();
    await api.ok(ADD, { input: { organizationId: org.id, email: viewer.user.email, role: 'VIEWER' } }, owner.token);
    const byViewer = await api.fail(
      ADD,
      { input: { organizationId: org.id, email: frank.user.email, role: 'VIEWER' } },
      viewer.token,
    );
    expect(byViewer.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Organization.Admin' });
  });

  it('hides memberships from other organizations (NOT_FOUND)', async () => {
    const { ownerMembershipId } = await tenant();
    const outsider = await api.user();
    await api.org(outsider.user, Role.OWNER);
    expect(
      (await api.fail(UPDATE_ROLE, { id: ownerMembershipId, role: 'VIEWER' }, outsider.token)).extensions?.code,
    ).toBe('NOT_FOUND');
    expect((await api.fail(REMOVE, { id: ownerMembershipId }, outsider.token)).extensions?.code).toBe('NOT_FOUND');
  });

  it('gives a project-scoped member that project only', async () => {
    const { owner, org, project } = await tenant();
    const { createProject: other } = await api.ok(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`,
      { input: { organizationId: org.id, name: 'other' } },
      owner.token,
    );
    const gina = await api.user();
    const { addMember } = await api.ok(
      ADD,
      { input: { organizationId: org.id, projectId: project.id, email: gina.user.email, role: 'ADMIN' } },
      owner.token,
    );
    expect(addMember.project).toEqual({ id: project.id, name: 'default' });

    const { projects } = await api.ok(`{ projects(first: 50) { totalCount edges { node { id } } } }`, {}, gina.token);
    expect(projects.edges.map((e: Json) => e.node.id)).toEqual([project.id]);
    const nested = await api.ok(
      `query($id: ID!) { organization(id: $id) { projects { totalCount } } }`,
      { id: org.id },
      gina.token,
    );
    expect(nested.organization.projects.totalCount).toBe(1);
    expect(
      (await api.fail(`query($id: ID!) { project(id: $id) { id } }`, { id: other.id }, gina.token)).extensions?.code,
    ).toBe('NOT_FOUND');
    const template = await api.template();
    const inside = await api.machine(project, owner.user, template);
    const outside = await api.machine(other, owner.user, template);
    const { machines } = await api.ok(`{ machines(first: 50) { edges { node { id } } } }`, {}, gina.token);
    expect(machines.edges.map((e: Json) => e.node.id)).toEqual([inside.id]);
    expect(
      (await api.fail(`query($id: ID!) { machine(id: $id) { id } }`, { id: outside.id }, gina.token)).extensions?.code,
    ).toBe('NOT_FOUND');
    // Admin of the project, not of the organization: the member list and org-wide changes are refused.
    expect((await api.fail(MEMBERS, { id: org.id }, gina.token)).extensions?.code).toBe('FORBIDDEN');
    const orgWide = await api.fail(
      ADD,
      { input: { organizationId: org.id, email: owner.user.email, role: 'VIEWER' } },
      gina.token,
    );
    expect(orgWide.extensions?.code).toBe('FORBIDDEN');

    // A project of another organization (even one the caller owns) is not a scope of this one.
    const elsewhere = await api.org(owner.user, Role.OWNER);
    const bad = await api.fail(
      ADD,
      { input: { organizationId: org.id, projectId: elsewhere.project.id, email: gina.user.email, role: 'VIEWER' } },
      owner.token,
    );
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.projectId' });
  });
});
