// Invitations and account management over HTTP: an organization admin invites by email with a role;
// the token works once, not after it expires or is revoked, and only for the invited email; the
// account it creates signs in with its password; admins of other organizations and mere viewers
// cannot invite; platform admins create users directly; users change their password.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { Membership, Role } from '../membership/membership.entity.js';
import type { Organization } from '../organization/organization.entity.js';
import type { User } from '../user/user.entity.js';

const INVITE = `mutation($input: CreateInvitationInput!) {
  createInvitation(input: $input) { token invitation { id email role expiresAt acceptedAt organization { id } } }
}`;
const ACCEPT = `mutation($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { accountCreated role user { id email displayName } organization { id } }
}`;
const SIGN_IN = `mutation($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { accessToken } }`;
const CHANGE = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken user { id } } }`;

const newEmail = () => `invitee-${randomBytes(4).toString('hex')}@example.com`;
const strongPassword = () => `Correct-Horse-${randomBytes(6).toString('hex')}`;

describe.skipIf(postgresUnavailable())('invitations over HTTP', () => {
  let api: TestApi;
  let owner: { user: User; token: string };
  let admin: { user: User; token: string };
  let viewer: { user: User; token: string };
  let otherAdmin: { user: User; token: string };
  let org: Organization;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user();
    admin = await api.user();
    viewer = await api.user();
    otherAdmin = await api.user();
    ({ org } = await api.org(owner.user, Role.OWNER));
    const em = api.db.orm.em.fork();
    em.create(Membership, { organization: org.id, user: admin.user.id, role: Role.ADMIN, project: null });
    em.create(Membership, { organization: org.id, user: viewer.user.id, role: Role.VIEWER, project: null });
    await em.flush();
    await api.org(otherAdmin.user, Role.ADMIN);
  });
  afterAll(() => api?.close());

  const invite = async (email: string, role = Role.OPERATOR, token = admin.token, extra = {}) =>
    (await api.ok(INVITE, { input: { organizationId: org.id, email, role, ...extra } }, token)).createInvitation;

  it('creates the account from a single-use token stored only hashed; the account signs in', async () => {
    const email = newEmail();
    const created = await invite(email.toUpperCase());
    expect(created.token).toMatch(/^pvi_/);
    expect(created.invitation).toMatchObject({
      email,
      role: 'OPERATOR',
      acceptedAt: null,
      organization: { id: org.id },
    });
    const hours = (new Date(created.invitation.expiresAt).getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(167);
    expect(hours).toBeLessThanOrEqual(168);
    const conn = api.db.orm.em.fork().getConnection();
    expect(JSON.stringify(await conn.execute('select * from invitation'))).not.toContain(created.token);
    expect(JSON.stringify(await conn.execute('select * from audit_log'))).not.toContain(created.token);

    const weak = await api.fail(ACCEPT, { input: { token: created.token, name: 'Ivy', password: 'short' } });
    expect(weak.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password' });
    const noName = await api.fail(ACCEPT, { input: { token: created.token, name: ' ', password: strongPassword() } });
    expect(noName.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });

    const password = strongPassword();
    const { acceptInvitation } = await api.ok(ACCEPT, { input: { token: created.token, name: 'Ivy', password } });
    expect(acceptInvitation).toMatchObject({
      accountCreated: true,
      role: 'OPERATOR',
      user: { email, displayName: 'Ivy' },
      organization: { id: org.id },
    });
    const session = (await api.ok(SIGN_IN, { email, password })).signIn.accessToken;
    const { organizations } = await api.ok(`{ organizations { edges { node { id } } } }`, {}, session);
    expect(organizations.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([org.id]);

    // Used once: a second use is refused, and creates nothing.
    const reused = await api.fail(ACCEPT, { input: { token: created.token, name: 'Eve', password: strongPassword() } });
    expect(reused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.token' });
    expect(reused.message).toMatch(/already used/);
    const { invitations } = await api.ok(
      `query($o: ID!) { invitations(organizationId: $o) { id acceptedAt } }`,
      { o: org.id },
      admin.token,
    );
    expect(invitations.find((i: { id: string }) => i.id === created.invitation.id).acceptedAt).toBeTruthy();
    const rows = await conn.execute<{ result: string }[]>(
      `select result, details from audit_log where action = 'auth.invitation.accept' order by id`,
    );
    expect(rows.map((r) => r.result)).toEqual(['success', 'failure']);
  });

  it('refuses an expired, a revoked and an unknown token', async () => {
    const expired = await invite(newEmail(), Role.VIEWER, admin.token, { expiresInHours: 1 });
    await api.db.orm.em
      .fork()
      .getConnection()
      .execute(`update invitation set expires_at = now() - interval '1 minute' where id = ?`, [expired.invitation.id]);
    const e = await api.fail(ACCEPT, { input: { token: expired.token, name: 'Late', password: strongPassword() } });
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.token' });
    expect(e.message).toMatch(/expired/);

    const revoked = await invite(newEmail());
    await api.ok(
      `mutation($id: ID!) { revokeInvitation(id: $id) { revokedAt } }`,
      { id: revoked.invitation.id },
      admin.token,
    );
    const r = await api.fail(ACCEPT, { input: { token: revoked.token, name: 'Rev', password: strongPassword() } });
    expect(r.message).toMatch(/revoked/);

    const u = await api.fail(ACCEPT, { input: { token: `pvi_${randomBytes(24).toString('base64url')}` } });
    expect(u.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.token' });
  });

  it('is refused to viewers, to admins of another organization, and (for owners) to admins', async () => {
    const input = { organizationId: org.id, email: newEmail(), role: Role.VIEWER };
    expect((await api.fail(INVITE, { input }, viewer.token)).extensions?.code).toBe('FORBIDDEN');
    expect((await api.fail(INVITE, { input }, otherAdmin.token)).extensions?.code).toBe('NOT_FOUND');
    expect((await api.fail(INVITE, { input })).extensions?.code).toBe('UNAUTHENTICATED');
    const asOwner = await api.fail(INVITE, { input: { ...input, role: Role.OWNER } }, admin.token);
    expect(asOwner.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Organization.Owner' });
    await invite(newEmail(), Role.OWNER, owner.token);
    const list = await api.fail(
      `query($o: ID!) { invitations(organizationId: $o) { id } }`,
      { o: org.id },
      otherAdmin.token,
    );
    expect(list.extensions?.code).toBe('NOT_FOUND');
    const rev = await invite(newEmail());
    const r = await api.fail(
      `mutation($id: ID!) { revokeInvitation(id: $id) { id } }`,
      { id: rev.invitation.id },
      otherAdmin.token,
    );
    expect(r.extensions?.code).toBe('NOT_FOUND');
  });

  it('adds the membership to the signed-in account of the invited email, and to no other', async () => {
    const existing = await api.user();
    const created = await invite(existing.user.email, Role.VIEWER);
    // Anonymous: the account exists, so sign in first.
    const anon = await api.fail(ACCEPT, { input: { token: created.token, name: 'X', password: strongPassword() } });
    expect(anon.extensions?.code).toBe('CONFLICT');
    // Someone else's session: refused, and the token still works for the right person.
    const wrong = await api.fail(ACCEPT, { input: { token: created.token } }, viewer.token);
    expect(wrong.extensions?.code).toBe('FORBIDDEN');
    const { acceptInvitation } = await api.ok(ACCEPT, { input: { token: created.token } }, existing.token);
    expect(acceptInvitation).toMatchObject({ accountCreated: false, role: 'VIEWER', user: { id: existing.user.id } });
    const { organization } = await api.ok(
      `query($id: ID!) { organization(id: $id) { id } }`,
      { id: org.id },
      existing.token,
    );
    expect(organization.id).toBe(org.id);
  });
});

describe.skipIf(postgresUnavailable())('account management over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('lets platform admins create users directly, and nobody else', async () => {
    const platformAdmin = await api.user({ admin: true });
    const plain = await api.user();
    const CREATE = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }`;
    const email = newEmail();
    const password = strongPassword();
    const input = { email, displayName: 'Made', password };
    expect((await api.fail(CREATE, { input }, plain.token)).extensions?.code).toBe('FORBIDDEN');
    expect((await api.ok(CREATE, { input }, platformAdmin.token)).createUser.email).toBe(email);
    expect((await api.ok(SIGN_IN, { email, password })).signIn.accessToken).toBeTruthy();
  });

  it('changes the password with the current one, validating the new one by field', async () => {
    const password = strongPassword();
    const me = await api.user({ password });
    const email = me.user.email;
    const wrong = await api.fail(
      CHANGE,
      { input: { currentPassword: 'nope', newPassword: strongPassword() } },
      me.token,
    );
    expect(wrong.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.currentPassword' });
    for (const [newPassword, problem] of [
      ['short', /at least 12/],
      ['aaaaaaaaaaaaaaaa', /5 different/],
      [`${email.split('@')[0]}-Extra-Long-1`, /email/],
      [password, /differ/],
    ] as const) {
      const err = await api.fail(CHANGE, { input: { currentPassword: password, newPassword } }, me.token);
      expect(err.extensions, newPassword).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.newPassword' });
      expect(err.message).toMatch(problem);
    }
    // Two signed-in sessions (say, a laptop and a stolen copy): changing the password on one ends both,
    // and the answer is a new session for the caller.
    const laptop = (await api.ok(SIGN_IN, { email, password })).signIn.accessToken;
    const other = (await api.ok(SIGN_IN, { email, password })).signIn.accessToken;
    expect((await api.ok(`{ viewer { id } }`, {}, other)).viewer.id).toBe(me.user.id);
    const next = strongPassword();
    const { changePassword } = await api.ok(
      CHANGE,
      { input: { currentPassword: password, newPassword: next } },
      laptop,
    );
    expect(changePassword.user.id).toBe(me.user.id);
    expect(await api.ok(`{ viewer { id } }`, {}, other)).toEqual({ viewer: null });
    expect(await api.ok(`{ viewer { id } }`, {}, laptop)).toEqual({ viewer: null });
    expect((await api.ok(`{ viewer { id } }`, {}, changePassword.accessToken)).viewer.id).toBe(me.user.id);
    expect((await api.fail(SIGN_IN, { email, password })).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.ok(SIGN_IN, { email, password: next })).signIn.accessToken).toBeTruthy();
    const rows = await api.db.orm.em
      .fork()
      .getConnection()
      .execute<{ result: string }[]>(
        `select result from audit_log where action = 'auth.password.change' and actor_id = ? order by id`,
        [me.user.id],
      );
    expect(rows.map((r) => r.result)).toEqual(['failure', 'success']);
    const dump = JSON.stringify(await api.db.orm.em.fork().getConnection().execute('select * from audit_log'));
    expect(dump).not.toContain(next);
    expect(dump).not.toContain(password);
  });
});
