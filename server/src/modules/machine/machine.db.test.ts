import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { Cluster } from '../cluster/cluster.entity.js';
import { Role } from '../membership/membership.entity.js';
import { MachineKind, Template } from '../template/template.entity.js';
import type { User } from '../user/user.entity.js';
import type { Project } from '../project/project.entity.js';

const PAGE = `query Page($first: Int!, $after: String, $filter: MachineFilter, $orderBy: MachineOrder) {
  machines(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { cursor node { id name status cores tags project { id name } owner { id email } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CREATE = `mutation Create($input: CreateMachineInput!) { createMachine(input: $input) { id name kind cores memoryMiB diskGiB status tags } }`;

describe.skipIf(postgresUnavailable())('machines over HTTP', () => {
  let api: TestApi;
  let owner: { user: User; token: string };
  let project: Project;
  let template: Template;

  /** Inserts machines straight into the database (fast fixtures for paging). */
  async function insertMachines(
    count: number,
    prefix: string,
    extra: { status?: string; tags?: string[]; cores?: number } = {},
  ) {
    const em = api.db.orm.em.fork();
    for (let i = 0; i < count; i++) {
      em.create('Machine', {
        name: `${prefix}-${String(i).padStart(5, '0')}`,
        kind: MachineKind.VM,
        project: project.id,
        owner: owner.user.id,
        template: template.id,
        cores: extra.cores ?? 1 + (i % 8),
        memoryMiB: 1024,
        diskGiB: 10,
        status: extra.status ?? 'RUNNING',
        tags: extra.tags ?? [],
      } as never);
    }
    await em.flush();
  }

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user();
    ({ project } = await api.org(owner.user, Role.OWNER));
    const em = api.db.orm.em.fork();
    const cluster = em.create(Cluster, {
      name: 'c1',
      apiUrl: 'https://pve:8006',
      tokenId: 'a@pve!t',
      tokenSecretRef: 'x',
    });
    template = em.create(Template, {
      cluster,
      name: 'debian-12',
      kind: MachineKind.VM,
      os: 'debian-12',
      sourceVmid: 9000,
      defaultCores: 2,
      defaultMemoryMiB: 2048,
      defaultDiskGiB: 10,
    });
    await em.flush();
  });
  afterAll(() => api?.close());

  it('creates, reads, updates and deletes a machine record', async () => {
    const { createMachine } = await api.ok(
      CREATE,
      { input: { projectId: project.id, name: 'web-1', templateId: template.id, tags: ['web'] } },
      owner.token,
    );
    expect(createMachine).toMatchObject({
      name: 'web-1',
      kind: 'VM',
      cores: 2,
      memoryMiB: 2048,
      diskGiB: 10,
      status: 'PENDING',
      tags: ['web'],
    });
    const { machine } = await api.ok(
      `query($id: ID!) { machine(id: $id) { name template { name } project { name } } }`,
      { id: createMachine.id },
      owner.token,
    );
    expect(machine).toEqual({ name: 'web-1', template: { name: 'debian-12' }, project: { name: 'default' } });
    const { updateMachine } = await api.ok(
      `mutation($id: ID!) { updateMachine(id: $id, input: { tags: ["web", "prod"] }) { tags } }`,
      { id: createMachine.id },
      owner.token,
    );
    expect(updateMachine.tags).toEqual(['web', 'prod']);
    await api.ok(`mutation($id: ID!) { deleteMachine(id: $id) }`, { id: createMachine.id }, owner.token);
    const gone = await api.gql(`query($id: ID!) { machine(id: $id) { id } }`, { id: createMachine.id }, owner.token);
    expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('names the invalid field and its problem', async () => {
    const res = await api.gql(
      CREATE,
      { input: { projectId: project.id, name: 'Bad_Name!', templateId: template.id } },
      owner.token,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(res.errors?.[0]?.message).toMatch(/^input\.name: must be a hostname/);
    const cores = await api.gql(
      CREATE,
      { input: { projectId: project.id, name: 'ok', templateId: template.id, cores: 0 } },
      owner.token,
    );
    expect(cores.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cores' });
    const page = await api.gql(PAGE, { first: 1000 }, owner.token);
    expect(page.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('maps a duplicate name in the project to CONFLICT', async () => {
    const input = { projectId: project.id, name: 'dup', templateId: template.id };
    await api.ok(CREATE, { input }, owner.token);
    const res = await api.gql(CREATE, { input }, owner.token);
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(res.errors?.[0]?.message).toMatch(/project id name/);
  });

  it('refuses a machine over the project quota, naming the limit and use', async () => {
    const em = api.db.orm.em.fork();
    const other = await api.org(owner.user, Role.OWNER);
    await em.nativeUpdate('Project', { id: other.project.id }, { quota: { cores: 3 } } as never);
    await api.ok(CREATE, { input: { projectId: other.project.id, name: 'a', templateId: template.id } }, owner.token);
    const res = await api.gql(
      CREATE,
      { input: { projectId: other.project.id, name: 'b', templateId: template.id } },
      owner.token,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      limit: 'project.cores',
      max: 3,
      used: 2,
      requested: 2,
    });
  });

  it('counts memory and disk already in use against their quotas too', async () => {
    const em = api.db.orm.em.fork();
    const other = await api.org(owner.user, Role.OWNER);
    await em.nativeUpdate('Project', { id: other.project.id }, { quota: { memoryMiB: 3072, diskGiB: 1000 } } as never);
    await api.ok(
      CREATE,
      { input: { projectId: other.project.id, name: 'm1', templateId: template.id, memoryMiB: 2048 } },
      owner.token,
    );
    const res = await api.gql(
      CREATE,
      { input: { projectId: other.project.id, name: 'm2', templateId: template.id, memoryMiB: 2048 } },
      owner.token,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      limit: 'project.memoryMiB',
      max: 3072,
      used: 2048,
      requested: 2048,
    });
  });

  it('applies an organization limit when its project sets none, and reads no use where nothing limits', async () => {
    const em = api.db.orm.em.fork();
    const limited = await api.org(owner.user, Role.OWNER);
    await em.nativeUpdate('Organization', { id: limited.org.id }, { quota: { machines: 1 } } as never);
    const create = (projectId: string, name: string) =>
      api.gql(CREATE, { input: { projectId, name, templateId: template.id } }, owner.token);
    expect((await create(limited.project.id, 'o1')).errors).toBeUndefined();
    expect((await create(limited.project.id, 'o2')).errors?.[0]?.extensions).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      limit: 'organization.machines',
      max: 1,
      used: 1,
    });

    const free = await api.org(owner.user, Role.OWNER);
    api.db.resetQueries();
    expect((await create(free.project.id, 'f1')).errors).toBeUndefined();
    expect(api.db.queries.filter((q) => /sum\(/.test(q))).toEqual([]);
  });

  it('pages without duplicates or gaps while rows are inserted', async () => {
    await insertMachines(45, 'page');
    const filter = { nameContains: 'page-' };
    const seen: string[] = [];
    let after: string | null = null;
    let round = 0;
    do {
      const data: any = await api.ok(
        PAGE,
        { first: 10, after, filter, orderBy: { field: 'NAME', direction: 'ASC' } },
        owner.token,
      );
      seen.push(...data.machines.edges.map((e: any) => e.node.name));
      after = data.machines.pageInfo.hasNextPage ? data.machines.pageInfo.endCursor : null;
      // Rows inserted before the cursor position must not shift later pages.
      if (round++ === 1) await insertMachines(5, 'page-a');
    } while (after);
    const original = Array.from({ length: 45 }, (_, i) => `page-${String(i).padStart(5, '0')}`);
    expect(new Set(seen).size).toBe(seen.length);
    for (const name of original) expect(seen).toContain(name);
  });

  // Regression: cursors carry milliseconds; rows stamped by the database's now() (microseconds)
  // once came back twice when paging by creation time.
  it('pages rows inserted by plain SQL by creation time without repeats', async () => {
    const conn = api.db.orm.em.fork().getConnection();
    for (let batch = 0; batch < 3; batch++) {
      await conn.execute(
        `insert into machine (id, kind, name, project_id, owner_id, template_id, cores, memory_mib, disk_gib)
         select gen_random_uuid(), 'VM', 'sql-' || ? || '-' || g, ?, ?, ?, 1, 512, 10 from generate_series(1, 10) g`,
        [batch, project.id, owner.user.id, template.id],
      );
    }
    for (const direction of ['ASC', 'DESC']) {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const data: any = await api.ok(
          PAGE,
          { first: 7, after, filter: { nameContains: 'sql-' }, orderBy: { field: 'CREATED_AT', direction } },
          owner.token,
        );
        seen.push(...data.machines.edges.map((e: any) => e.node.name));
        after = data.machines.pageInfo.hasNextPage ? data.machines.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toHaveLength(30);
      expect(new Set(seen).size).toBe(30);
    }
  });

  it('filters by status, tag and kind and sorts descending', async () => {
    await insertMachines(3, 'stopped', { status: 'STOPPED', tags: ['db'], cores: 7 });
    const byStatus: any = await api.ok(PAGE, { first: 50, filter: { status: ['STOPPED'] } }, owner.token);
    expect(byStatus.machines.totalCount).toBe(3);
    expect(byStatus.machines.edges.every((e: any) => e.node.status === 'STOPPED')).toBe(true);
    const byTag: any = await api.ok(PAGE, { first: 50, filter: { tag: 'db' } }, owner.token);
    expect(byTag.machines.edges.map((e: any) => e.node.name).sort()).toEqual([
      'stopped-00000',
      'stopped-00001',
      'stopped-00002',
    ]);
    const lxc: any = await api.ok(PAGE, { first: 50, filter: { kind: 'LXC' } }, owner.token);
    expect(lxc.machines.totalCount).toBe(0);
    const desc: any = await api.ok(PAGE, { first: 5, orderBy: { field: 'CORES', direction: 'DESC' } }, owner.token);
    const cores = desc.machines.edges.map((e: any) => e.node.cores);
    expect(cores).toEqual([...cores].sort((a: number, b: number) => b - a));
  });

  it('serves a page of 100 machines with project and owner in a constant number of queries', async () => {
    await insertMachines(120, 'bulk');
    // Each count follows a request with the same token, so both find the caller in the credential
    // cache (auth/viewer-cache.ts) or both authenticate with queries: only the page differs.
    const count = async (first: number) => {
      await api.ok(PAGE, { first }, owner.token);
      api.db.resetQueries();
      const data: any = await api.ok(PAGE, { first }, owner.token);
      expect(data.machines.edges).toHaveLength(first);
      return api.db.queries.length;
    };
    const ten = await count(10);
    const hundred = await count(100);
    expect(hundred).toBe(ten);
    // page + count + projects + owners, and authentication (user, memberships) when not cached
    expect(hundred).toBeGreaterThanOrEqual(4);
    expect(hundred).toBeLessThanOrEqual(6);
    // The same relations asked for through a fragment are loaded the same way.
    await api.ok(PAGE, { first: 1 }, owner.token);
    api.db.resetQueries();
    const viaFragment: any = await api.ok(
      `query { machines(first: 100) { edges { node { ...M } } } }
       fragment M on Machine { id ... on Machine { project { id name } } owner { id email } }`,
      {},
      owner.token,
    );
    expect(viaFragment.machines.edges).toHaveLength(100);
    expect(viaFragment.machines.edges[0].node.project.name).toBe('default');
    expect(api.db.queries.length).toBe(hundred);
  });

  it('pages by status and by cores in both directions, in enum order, without repeats or gaps', async () => {
    await insertMachines(4, 'sort-r', { status: 'RUNNING' });
    await insertMachines(4, 'sort-s', { status: 'STOPPED' });
    await insertMachines(4, 'sort-f', { status: 'FAILED' });
    const all = async (field: string, direction: string) => {
      const nodes: any[] = [];
      let after: string | null = null;
      do {
        const data: any = await api.ok(
          PAGE,
          { first: 5, after, filter: { nameContains: 'sort-' }, orderBy: { field, direction } },
          owner.token,
        );
        expect(data.machines.totalCount).toBe(12);
        nodes.push(...data.machines.edges.map((e: any) => e.node));
        after = data.machines.pageInfo.hasNextPage ? data.machines.pageInfo.endCursor : null;
      } while (after);
      expect(new Set(nodes.map((n) => n.id)).size).toBe(12);
      expect(nodes).toHaveLength(12);
      return nodes;
    };
    // The order of the enum's declaration (PENDING, PROVISIONING, RUNNING, STOPPED, ..., FAILED), not the alphabet.
    const byStatus = (await all('STATUS', 'ASC')).map((n) => n.status);
    expect(byStatus).toEqual([...Array(4).fill('RUNNING'), ...Array(4).fill('STOPPED'), ...Array(4).fill('FAILED')]);
    expect((await all('STATUS', 'DESC')).map((n) => n.status)).toEqual([...byStatus].reverse());
    const cores = (await all('CORES', 'DESC')).map((n) => n.cores);
    expect(cores).toEqual([...cores].sort((a, b) => b - a));
  });

  it('answers every field of a machine in the list as the single read does', async () => {
    await insertMachines(2, 'fields', { tags: ['x', 'y'] });
    const FIELDS = `id name kind status vmid cores memoryMiB diskGiB tags ipAddresses createdAt updatedAt
      project { id name } owner { id email } template { id name } node { id } network { id } storage { id } snapshots { name }`;
    const list: any = await api.ok(
      `query($f: MachineFilter) { machines(first: 10, filter: $f) { edges { node { ${FIELDS} } } } }`,
      { f: { nameContains: 'fields-' } },
      owner.token,
    );
    expect(list.machines.edges).toHaveLength(2);
    for (const { node } of list.machines.edges) {
      const { machine } = await api.ok(
        `query($id: ID!) { machine(id: $id) { ${FIELDS} } }`,
        { id: node.id },
        owner.token,
      );
      expect(node).toEqual(machine);
      expect(node.tags).toEqual(['x', 'y']);
      expect(node.template.name).toBe('debian-12');
    }
  });

  it("scopes the list to the caller's grants: a project member sees that project, a platform admin all", async () => {
    // Fresh callers whose grants all exist before their first request.
    const boss = await api.user();
    const a = await api.org(boss.user, Role.OWNER);
    const b = await api.org(boss.user, Role.OWNER);
    await api.machine(a.project, boss.user, template, 'scoped-a1');
    await api.machine(a.project, boss.user, template, 'scoped-a2');
    await api.machine(b.project, boss.user, template, 'scoped-b1');
    const member = await api.user();
    const em = api.db.orm.em.fork();
    em.create('Membership', {
      organization: a.org.id,
      user: member.user.id,
      role: Role.VIEWER,
      project: a.project.id,
    } as never);
    await em.flush();
    const admin = await api.user({ admin: true });
    const names = async (token: string, filter: object = {}) => {
      const data: any = await api.ok(PAGE, { first: 100, filter: { nameContains: 'scoped-', ...filter } }, token);
      expect(data.machines.totalCount).toBe(data.machines.edges.length);
      return data.machines.edges.map((e: any) => e.node.name).sort();
    };

    expect(await names(boss.token)).toEqual(['scoped-a1', 'scoped-a2', 'scoped-b1']);
    expect(await names(boss.token, { projectId: b.project.id })).toEqual(['scoped-b1']);
    expect(await names(member.token)).toEqual(['scoped-a1', 'scoped-a2']);
    expect(await names(member.token, { projectId: b.project.id })).toEqual([]);
    expect(await names(admin.token)).toEqual(['scoped-a1', 'scoped-a2', 'scoped-b1']);
    expect(await names(owner.token)).toEqual([]);
  });

  it('hides machines of other organizations', async () => {
    const stranger = await api.user();
    await api.org(stranger.user, Role.OWNER);
    const data: any = await api.ok(PAGE, { first: 10 }, stranger.token);
    expect(data.machines.totalCount).toBe(0);
    const anon = await api.gql(PAGE, { first: 10 });
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
