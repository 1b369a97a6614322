// The audit log end to end: mutations over HTTP are recorded (caller, organization, targets,
// address, user agent, outcome; secrets redacted), the hash chain verifies, stays linear under
// concurrent writers, and names the first row an SQL edit or delete broke; the auditLog query
// filters and answers only platform admins and an organization's admins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../membership/membership.entity.js';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type Json, type TestApi } from '../../test/api.js';
import { AuditLog } from './audit-log.entity.js';
import { appendAudit, GENESIS_HASH, verifyAuditLog } from './audit.service.js';

const ROWS = `edges { node { id action result actorId organizationId targetType targetId ip userAgent details at prevHash hash } }`;

describe.skipIf(postgresUnavailable())('audit log', () => {
  let api: TestApi;
  let admin: { token: string; id: string };
  const sql = (q: string, params: unknown[] = []) => api.db.orm.em.fork().getConnection().execute(q, params);
  const rows = async (where: Partial<Pick<AuditLog, 'action'>> = {}) =>
    api.db.orm.em.fork().find(AuditLog, where, { orderBy: { id: 'ASC' } });
  const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'audit-test/1.0',
        'x-forwarded-for': '192.0.2.44',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Json; errors?: { extensions?: Record<string, unknown> }[] };
  };

  beforeAll(async () => {
    api = await startTestApi();
    const a = await api.user({ admin: true });
    admin = { token: a.token, id: a.user.id };
  });
  afterAll(() => api?.close());

  it('starts empty and valid', async () => {
    expect(await verifyAuditLog(api.db.orm)).toMatchObject({ valid: true, checkedRows: 0, headHash: GENESIS_HASH });
  });

  it('records sign-in success and failure and sign-out, never the password', async () => {
    const { user } = await api.user({ password: 'correct horse battery' });
    const signIn = 'mutation SignIn($input: SignInInput!) { signIn(input: $input) { accessToken } }';
    await post(signIn, { input: { email: user.email, password: 'correct horse battery' } });
    await post(signIn, { input: { email: user.email, password: 'not-the-password' } });
    await post('mutation { signOut }', {});
    const [ok, failed] = (await rows({ action: 'auth.signIn' })).slice(-2);
    expect(ok).toMatchObject({
      result: 'success',
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      ip: '192.0.2.44',
      userAgent: 'audit-test/1.0',
    });
    expect(ok!.details).toMatchObject({
      operationName: 'SignIn',
      field: 'signIn',
      args: { input: { email: user.email, password: '[redacted]' } },
    });
    expect(failed).toMatchObject({ result: 'failure', actorId: null });
    expect(failed!.details).toMatchObject({ errorCodes: ['UNAUTHENTICATED'] });
    expect((await rows({ action: 'auth.signOut' })).at(-1)).toMatchObject({ result: 'success' });
    const all = JSON.stringify(await rows());
    expect(all).not.toContain('correct horse battery');
    expect(all).not.toContain('not-the-password');
  });

  it('records mutations with organization, targets and outcome; denied when refused', async () => {
    const { user, token } = await api.user();
    const { org } = await api.org(user, Role.VIEWER);
    const created = await post(
      'mutation { createProject(input: { organizationId: "' + org.id + '", name: "p1" }) { id } }',
      {},
      admin.token,
    );
    expect(created.errors).toBeUndefined();
    const refused = await post(
      'mutation P($i: CreateProjectInput!) { createProject(input: $i) { id } }',
      { i: { organizationId: org.id, name: 'p2' } },
      token,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [ok, denied] = (await rows({ action: 'mutation.createProject' })).slice(-2);
    expect(ok).toMatchObject({
      result: 'success',
      actorId: admin.id,
      organizationId: org.id,
      targetType: 'project',
      targetId: org.id,
    });
    expect(denied).toMatchObject({ result: 'denied', actorId: user.id, organizationId: org.id });
    expect(denied!.details).toMatchObject({ errorCodes: ['FORBIDDEN'], targetIds: [org.id] });
  });

  it('redacts secrets named in variables at any depth', async () => {
    await post(
      'mutation C($input: CreateClusterInput!) { createCluster(input: $input) { id } }',
      {
        input: {
          name: 'c-secret',
          apiUrl: 'https://127.0.0.1:1',
          tokenId: 'root@pam!t',
          tokenSecret: 'super-secret-value',
        },
      },
      admin.token,
    );
    const row = (await rows({ action: 'mutation.createCluster' })).at(-1)!;
    expect(row.details).toMatchObject({ args: { input: { tokenSecret: '[redacted]', tokenId: '[redacted]' } } });
    expect(JSON.stringify(await rows())).not.toContain('super-secret-value');
    const [direct] = await appendAudit(api.db.orm.em.fork(), [
      {
        action: 'test.direct',
        result: 'success',
        details: { nested: { password: 'p', apiToken: 't', deeper: { secret: 's' } } },
      },
    ]);
    expect(direct!.details).toEqual({
      nested: { password: '[redacted]', apiToken: '[redacted]', deeper: { secret: '[redacted]' } },
    });
  });

  it('keeps the chain linear under concurrent mutations', async () => {
    const before = (await rows()).length;
    const { user, token } = await api.user();
    const { org } = await api.org(user, Role.ADMIN);
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        post(`mutation { createProject(input: { organizationId: "${org.id}", name: "c${i}" }) { id } }`, {}, token),
      ),
    );
    await Promise.all(
      Array.from({ length: 10 }, () =>
        appendAudit(api.db.orm.em.fork(), [
          { action: 'test.burst', result: 'success' },
          { action: 'test.burst', result: 'success' },
        ]),
      ),
    );
    const all = await rows();
    expect(all.length).toBe(before + 25 + 20);
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    const v = await verifyAuditLog(api.db.orm);
    expect(v).toMatchObject({ valid: true, checkedRows: all.length, firstBrokenId: null, headHash: all.at(-1)!.hash });
  });

  it('verifyAuditLog is a query for platform admins', async () => {
    const q = '{ verifyAuditLog { valid checkedRows firstBrokenId reason headHash } }';
    const data = await api.ok(q, {}, admin.token);
    expect(data.verifyAuditLog).toMatchObject({ valid: true, firstBrokenId: null });
    const { token } = await api.user();
    expect((await api.fail(q, {}, token)).extensions?.code).toBe('FORBIDDEN');
  });

  describe('auditLog query', () => {
    let orgA: string;
    let orgB: string;
    let adminA: { token: string; id: string };
    beforeAll(async () => {
      const a = await api.user();
      adminA = { token: a.token, id: a.user.id };
      orgA = (await api.org(a.user, Role.ADMIN)).org.id;
      const b = await api.user();
      orgB = (await api.org(b.user, Role.ADMIN)).org.id;
      await post(`mutation { createProject(input: { organizationId: "${orgA}", name: "qa" }) { id } }`, {}, a.token);
      await post(`mutation { createProject(input: { organizationId: "${orgB}", name: "qb" }) { id } }`, {}, b.token);
    });

    const query = `query A($filter: AuditLogFilter, $first: Int!, $after: String) { auditLog(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } ${ROWS} } }`;

    it('shows an organization admin their organization only', async () => {
      const data = await api.ok(query, { filter: { organizationId: orgA }, first: 50 }, adminA.token);
      expect(data.auditLog.totalCount).toBe(1);
      expect(data.auditLog.edges[0].node).toMatchObject({
        organizationId: orgA,
        actorId: adminA.id,
        action: 'mutation.createProject',
      });
      expect(
        (await api.fail(query, { filter: { organizationId: orgB }, first: 50 }, adminA.token)).extensions?.code,
      ).toBe('FORBIDDEN');
      expect((await api.fail(query, { first: 50 }, adminA.token)).extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('refuses viewers and operators of the organization', async () => {
      const v = await api.user();
      const em = api.db.orm.em.fork();
      const { Membership } = await import('../membership/membership.entity.js');
      em.create(Membership, { organization: orgA, user: v.user.id, role: Role.OPERATOR, project: null });
      await em.flush();
      expect((await api.fail(query, { filter: { organizationId: orgA }, first: 5 }, v.token)).extensions?.code).toBe(
        'FORBIDDEN',
      );
      expect((await api.fail(query, { filter: { organizationId: orgA }, first: 5 })).extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    });

    it('lets platform admins filter by actor, action and time, newest first, in pages', async () => {
      const all = await api.ok(query, { first: 100 }, admin.token);
      const ids = all.auditLog.edges.map((e: Json) => Number(e.node.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      const byActor = await api.ok(query, { filter: { actorId: adminA.id }, first: 10 }, admin.token);
      expect(byActor.auditLog.edges.every((e: Json) => e.node.actorId === adminA.id)).toBe(true);
      const signIns = await api.ok(query, { filter: { action: 'auth.signIn' }, first: 10 }, admin.token);
      expect(signIns.auditLog.totalCount).toBe(2);
      const future = await api.ok(
        query,
        { filter: { from: new Date(Date.now() + 60_000).toISOString() }, first: 10 },
        admin.token,
      );
      expect(future.auditLog.totalCount).toBe(0);
      const past = await api.ok(
        query,
        { filter: { to: new Date(Date.now() + 60_000).toISOString(), from: '2020-01-01T00:00:00Z' }, first: 10 },
        admin.token,
      );
      expect(past.auditLog.totalCount).toBe(all.auditLog.totalCount + 0);
      const page1 = await api.ok(query, { first: 3 }, admin.token);
      const page2 = await api.ok(query, { first: 3, after: page1.auditLog.pageInfo.endCursor }, admin.token);
      expect(page2.auditLog.edges.map((e: Json) => e.node.id)).toEqual(ids.slice(3, 6).map(String));
    });
  });

  // Last: these edit the log behind the service's back.
  it('names the first row an SQL update edited, and verifies again once restored', async () => {
    const all = await rows();
    const victim = all[Math.floor(all.length / 2)]!;
    await sql(`update audit_log set result = 'success', action = 'mutation.nothingToSee' where id = ?`, [victim.id]);
    const v = await verifyAuditLog(api.db.orm);
    expect(v).toMatchObject({ valid: false, firstBrokenId: victim.id });
    expect(v.reason).toMatch(/edited/);
    const viaApi = await api.ok('{ verifyAuditLog { valid firstBrokenId } }', {}, admin.token);
    expect(viaApi.verifyAuditLog).toEqual({ valid: false, firstBrokenId: victim.id });
    await sql(`update audit_log set result = ?, action = ? where id = ?`, [victim.result, victim.action, victim.id]);
    expect((await verifyAuditLog(api.db.orm)).valid).toBe(true);
    // Editing the details (jsonb) or the time is caught too.
    await sql(`update audit_log set details = details || '{"x": 1}'::jsonb where id = ?`, [victim.id]);
    expect(await verifyAuditLog(api.db.orm)).toMatchObject({ valid: false, firstBrokenId: victim.id });
    await sql(`update audit_log set details = details - 'x' where id = ?`, [victim.id]);
    expect((await verifyAuditLog(api.db.orm)).valid).toBe(true);
  });

  it('names the row after a deleted one, and a removed first row', async () => {
    const all = await rows();
    const gone = all[5]!;
    await sql(`delete from audit_log where id = ?`, [gone.id]);
    const v = await verifyAuditLog(api.db.orm, 4);
    expect(v).toMatchObject({ valid: false, firstBrokenId: all[6]!.id, checkedRows: 5 });
    expect(v.reason).toMatch(/removed/);
    await sql(`delete from audit_log where id = ?`, [all[0]!.id]);
    expect(await verifyAuditLog(api.db.orm)).toMatchObject({ valid: false, firstBrokenId: all[1]!.id });
  });
});
