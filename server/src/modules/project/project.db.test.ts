import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type Json, type TestApi } from '../../test/api.js';
import { Membership, Role } from '../membership/membership.entity.js';
import type { Organization } from '../organization/organization.entity.js';
import type { User } from '../user/user.entity.js';

const CREATE = `mutation($input: CreateProjectInput!) {
  createProject(input: $input) { id name description quota { cores } organization { id } }
}`;
const UPDATE = `mutation($id: ID!, $input: UpdateProjectInput!) { updateProject(id: $id, input: $input) { name description quota { cores } } }`;
const DELETE = `mutation($id: ID!) { deleteProject(id: $id) }`;
const GET = `query($id: ID!) { project(id: $id) { id name } }`;
const PAGE = `query($organizationId: ID, $first: Int, $after: String) {
  projects(organizationId: $organizationId, first: $first, after: $after) {
    totalCount edges { node { name } } pageInfo { hasNextPage endCursor }
  }
}`;

describe.skipIf(postgresUnavailable())('projects over HTTP', () => {
  let api: TestApi;
  let owner: { user: User; token: string };
  let org: Organization;

  /** A new user with `role` in `org` (organization-wide, or in one project). */
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
    ({ org } = await api.org(owner.user, Role.OWNER));
  });
  afterAll(() => api?.close());

  it('creates, reads, updates and deletes a project', async () => {
    const { createProject } = await api.ok(
      CREATE,
      { input: { organizationId: org.id, name: 'web', description: 'Front end' } },
      owner.token,
    );
    expect(createProject).toMatchObject({
      name: 'web',
      description: 'Front end',
      quota: { cores: null },
      organization: { id: org.id },
    });
    expect((await api.ok(GET, { id: createProject.id }, owner.token)).project).toEqual({
      id: createProject.id,
      name: 'web',
    });

    const renamed = await api.ok(UPDATE, { id: createProject.id, input: { name: 'frontend' } }, owner.token);
    expect(renamed.updateProject).toEqual({ name: 'frontend', description: 'Front end', quota: { cores: null } });
    const described = await api.ok(UPDATE, { id: createProject.id, input: { description: '' } }, owner.token);
    expect(described.updateProject).toMatchObject({ name: 'frontend', description: '' });

    expect(await api.ok(DELETE, { id: createProject.id }, owner.token)).toEqual({ deleteProject: true });
    expect((await api.fail(GET, { id: createProject.id }, owner.token)).extensions?.code).toBe('NOT_FOUND');
  });

  it('needs Organization.Admin to create: a viewer gets FORBIDDEN, an admin may', async () => {
    const viewer = await member(Role.VIEWER);
    const error = await api.fail(CREATE, { input: { organizationId: org.id, name: 'by-viewer' } }, viewer.token);
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Organization.Admin' });
    const operator = await member(Role.OPERATOR);
    expect(
      (await api.fail(CREATE, { input: { organizationId: org.id, name: 'by-operator' } }, operator.token)).extensions
        ?.code,
    ).toBe('FORBIDDEN');
    const admin = await member(Role.ADMIN);
    await api.ok(CREATE, { input: { organizationId: org.id, name: 'by-admin' } }, admin.token);
  });

  it('answers NOT_FOUND to a user of another organization, never FORBIDDEN', async () => {
    const { project } = await api.org(owner.user, Role.OWNER);
    const outsider = await api.user();
    await api.org(outsider.user, Role.OWNER);
    const create = await api.fail(CREATE, { input: { organizationId: org.id, name: 'intruder' } }, outsider.token);
    expect(create.extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Organization', id: org.id });
    for (const [query, variables] of [
      [GET, { id: project.id }],
      [UPDATE, { id: project.id, input: { name: 'mine' } }],
      [DELETE, { id: project.id }],
    ] as const) {
      expect((await api.fail(query, variables, outsider.token)).extensions).toMatchObject({
        code: 'NOT_FOUND',
        entity: 'Project',
      });
    }
    const { projects } = await api.ok(PAGE, { organizationId: org.id }, outsider.token);
    expect(projects.totalCount).toBe(0);
  });

  it('maps a duplicate name in the organization to CONFLICT; another organization may reuse it', async () => {
    await api.ok(CREATE, { input: { organizationId: org.id, name: 'dup' } }, owner.token);
    const error = await api.fail(CREATE, { input: { organizationId: org.id, name: 'dup' } }, owner.token);
    expect(error.extensions?.code).toBe('CONFLICT');
    expect(error.message).toMatch(/organization id name/);
    const other = await api.org(owner.user, Role.OWNER);
    await api.ok(CREATE, { input: { organizationId: other.org.id, name: 'dup' } }, owner.token);
    const renamed = await api.ok(CREATE, { input: { organizationId: org.id, name: 'dup-2' } }, owner.token);
    const clash = await api.fail(UPDATE, { id: renamed.createProject.id, input: { name: 'dup' } }, owner.token);
    expect(clash.extensions?.code).toBe('CONFLICT');
  });

  it('names the invalid field', async () => {
    const name = await api.fail(CREATE, { input: { organizationId: org.id, name: 'Not A Slug' } }, owner.token);
    expect(name.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const orgId = await api.fail(CREATE, { input: { organizationId: 'nope', name: 'fine' } }, owner.token);
    expect(orgId.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.organizationId' });
    const { createProject } = await api.ok(CREATE, { input: { organizationId: org.id, name: 'valid' } }, owner.token);
    const nullName = await api.fail(UPDATE, { id: createProject.id, input: { name: null } }, owner.token);
    expect(nullName.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('takes a quota only from a platform admin', async () => {
    const denied = await api.fail(
      CREATE,
      { input: { organizationId: org.id, name: 'big', quota: { cores: 512 } } },
      owner.token,
    );
    expect(denied.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Platform.Admin' });
    const admin = await api.user({ admin: true });
    const { createProject } = await api.ok(
      CREATE,
      { input: { organizationId: org.id, name: 'big', quota: { cores: 512 } } },
      admin.token,
    );
    expect(createProject.quota).toEqual({ cores: 512 });
    const raise = await api.fail(UPDATE, { id: createProject.id, input: { quota: { cores: 1024 } } }, owner.token);
    expect(raise.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await api.ok(UPDATE, { id: createProject.id, input: { quota: { cores: 8 } } }, admin.token)).updateProject.quota,
    ).toEqual({ cores: 8 });
  });

  it('lets a project admin update but not delete; deleting needs Organization.Admin', async () => {
    const { createProject: p } = await api.ok(
      CREATE,
      { input: { organizationId: org.id, name: 'scoped' } },
      owner.token,
    );
    const projectAdmin = await member(Role.ADMIN, p.id);
    await api.ok(UPDATE, { id: p.id, input: { description: 'by project admin' } }, projectAdmin.token);
    const error = await api.fail(DELETE, { id: p.id }, projectAdmin.token);
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Organization.Admin' });
    const viewer = await member(Role.VIEWER);
    expect((await api.fail(UPDATE, { id: p.id, input: { description: 'x' } }, viewer.token)).extensions).toMatchObject({
      code: 'FORBIDDEN',
      privilege: 'Project.Admin',
    });
  });

  it('refuses to delete a project that still has machines (CONFLICT)', async () => {
    const { createProject: p } = await api.ok(CREATE, { input: { organizationId: org.id, name: 'busy' } }, owner.token);
    const template = await api.template();
    const machine = await api.machine(p, owner.user, template);
    expect((await api.fail(DELETE, { id: p.id }, owner.token)).extensions?.code).toBe('CONFLICT');
    expect(
      (await api.ok(`query($id: ID!) { machine(id: $id) { id } }`, { id: machine.id }, owner.token)).machine.id,
    ).toBe(machine.id);
  });

  it('pages projects(organizationId) in creation order without repeats or gaps', async () => {
    const pager = await api.user();
    const { org: paged } = await api.org(pager.user, Role.OWNER); // comes with a project named default
    const names = ['default'];
    for (let i = 0; i < 11; i++) {
      const name = `p${String(i).padStart(2, '0')}`;
      await api.ok(CREATE, { input: { organizationId: paged.id, name } }, pager.token);
      names.push(name);
    }
    await api.org(pager.user, Role.OWNER); // another organization's projects stay out
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const { projects }: Json = await api.ok(PAGE, { organizationId: paged.id, first: 5, after }, pager.token);
      expect(projects.totalCount).toBe(12);
      seen.push(...projects.edges.map((e: Json) => e.node.name));
      after = projects.pageInfo.hasNextPage ? projects.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
    const all = await api.ok(PAGE, { first: 100 }, pager.token);
    expect(all.projects.totalCount).toBe(13);
    const bad = await api.fail(PAGE, { organizationId: paged.id, after: 'garbage' }, pager.token);
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
