import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { Membership, Role } from '../membership/membership.entity.js';

const PRIVILEGES = `query($organizationId: ID, $projectId: ID) {
  myPrivileges(organizationId: $organizationId, projectId: $projectId)
}`;
const USAGE = `query($id: ID!) { project(id: $id) { usage { machines cores memoryMiB diskGiB } organization { usage { machines cores } } } }`;

describe.skipIf(postgresUnavailable())('myPrivileges and usage over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('answers what each role may do, where', async () => {
    const owner = await api.user();
    const { org, project } = await api.org(owner.user, Role.OWNER);
    const viewer = await api.user();
    const operator = await api.user();
    const em = api.db.orm.em.fork();
    em.create(Membership, { organization: org.id, user: viewer.user.id, role: Role.VIEWER, project: null });
    em.create(Membership, { organization: org.id, user: operator.user.id, role: Role.OPERATOR, project: project.id });
    await em.flush();

    const asViewer = await api.ok(PRIVILEGES, { projectId: project.id }, viewer.token);
    expect(asViewer.myPrivileges).toEqual(['Organization.Audit', 'Project.Audit', 'Machine.Audit']);

    const asOperator = await api.ok(PRIVILEGES, { projectId: project.id }, operator.token);
    expect(asOperator.myPrivileges).toContain('Machine.Allocate');
    expect(asOperator.myPrivileges).not.toContain('Project.Admin');
    // A project grant holds in the project only, not organization-wide.
    const operatorOrg = await api.ok(PRIVILEGES, { organizationId: org.id }, operator.token);
    expect(operatorOrg.myPrivileges).toEqual([]);

    const asOwner = await api.ok(PRIVILEGES, { organizationId: org.id }, owner.token);
    expect(asOwner.myPrivileges).toContain('Organization.Owner');
    expect(asOwner.myPrivileges).not.toContain('Platform.Admin');
    expect((await api.ok(PRIVILEGES, {}, owner.token)).myPrivileges).toEqual([]);

    const admin = await api.user({ admin: true });
    expect((await api.ok(PRIVILEGES, {}, admin.token)).myPrivileges).toContain('Platform.Admin');
  });

  it('refuses a project the caller cannot see, as NOT_FOUND', async () => {
    const owner = await api.user();
    const { project } = await api.org(owner.user, Role.OWNER);
    const stranger = await api.user();
    const error = await api.fail(PRIVILEGES, { projectId: project.id }, stranger.token);
    expect(error.extensions?.code).toBe('NOT_FOUND');
  });

  it('sums what the machines hold in the project and the organization', async () => {
    const owner = await api.user();
    const { project } = await api.org(owner.user, Role.OWNER);
    const template = await api.template();
    await api.machine(project, owner.user, template, 'one');
    await api.machine(project, owner.user, template, 'two');
    const { project: read } = await api.ok(USAGE, { id: project.id }, owner.token);
    expect(read.usage.machines).toBe(2);
    expect(read.usage.cores).toBeGreaterThan(0);
    expect(read.usage.memoryMiB).toBeGreaterThan(0);
    expect(read.organization.usage).toEqual({ machines: 2, cores: read.usage.cores });
  });
});
