// The TOTP second factor through the real HTTP surface: enrolment (URI, QR, secret only in the
// secret store), sign-in with a challenge, ±1 step tolerance, replay refused, recovery codes that
// work once, wrong codes refused, audited and rate-limited (Redis counters), turning it off, and the
// organization policy that limits members without a second factor to enrolment (HTTP and graphql-ws).
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../modules/membership/membership.entity.js';
import { RedisRateLimitStore } from '../security/rate-limit.js';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type TestApi } from '../test/api.js';

const SIGN_IN = `mutation($email: String!, $password: String!) {
  signIn(input: { email: $email, password: $password }) {
    accessToken mfaEnrolmentRequired user { id } mfaChallenge { challengeToken expiresAt methods }
  }
}`;
const COMPLETE = `mutation($input: CompleteSignInInput!) {
  completeSignIn(input: $input) { accessToken user { id mfaEnabled } }
}`;
const BEGIN = `mutation { beginTotpEnrolment { otpauthUri qrCodeDataUrl secret } }`;
const CONFIRM = `mutation($code: String!) { confirmTotpEnrolment(code: $code) { recoveryCodes user { mfaEnabled } } }`;
const STATUS = `{ mfaStatus { totpEnabled enrolmentRequired recoveryCodesRemaining } }`;

const PERIOD = 30;
/** The code of the step `offset` steps from now. */
const codeAt = (secret: string, offset = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offset * PERIOD, period: PERIOD });

/** Waits, when needed, so that now and the next second stay in one 30 s step (codes of "now" stay "now"). */
async function awayFromStepEdge(): Promise<void> {
  const into = (Date.now() / 1000) % PERIOD;
  if (into > PERIOD - 3) await new Promise((r) => setTimeout(r, (PERIOD - into + 0.2) * 1000));
}

describe.skipIf(postgresUnavailable())('TOTP second factor over HTTP', () => {
  let api: TestApi;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  let alice: { id: string; email: string; token: string };
  let secret = '';
  let recoveryCodes: string[] = [];

  const auditRows = async (action: string, actorId: string) =>
    api.db.orm.em
      .fork()
      .getConnection()
      .execute<{ result: string; details: unknown }[]>(
        `select result, details from audit_log where action = ? and actor_id = ? order by id`,
        [action, actorId],
      );
  const signIn = async (email = alice.email) => (await api.ok(SIGN_IN, { email, password })).signIn;

  beforeAll(async () => {
    api = await startTestApi({
      env: { RATE_LIMIT_SIGNIN_PER_ACCOUNT: '5' },
      rateLimitStore: new RedisRateLimitStore(
        process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        `test:mfa:${randomBytes(4).toString('hex')}:`,
      ),
    });
    const a = await api.user({ password });
    alice = { id: a.user.id, email: a.user.email, token: a.token };
  });
  afterAll(() => api?.close());

  it('enrols by otpauth URI and QR code, keeping the secret out of the database', async () => {
    expect((await api.ok(STATUS, {}, alice.token)).mfaStatus).toEqual({
      totpEnabled: false,
      enrolmentRequired: false,
      recoveryCodesRemaining: 0,
    });
    const { beginTotpEnrolment } = await api.ok(BEGIN, {}, alice.token);
    secret = beginTotpEnrolment.secret;
    const uri = new URL(beginTotpEnrolment.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/pvepaas:${alice.email}`);
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('pvepaas');
    expect(beginTotpEnrolment.qrCodeDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(beginTotpEnrolment.qrCodeDataUrl.split(',')[1], 'base64').subarray(1, 4).toString()).toBe('PNG');

    // Not active before a code confirms it: sign-in still gives a session at once.
    expect((await signIn()).accessToken).toBeTruthy();

    const wrong = await api.fail(CONFIRM, { code: '000000' === codeAt(secret) ? '111111' : '000000' }, alice.token);
    expect(wrong.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });

    // One step behind (a slow phone clock) is accepted.
    await awayFromStepEdge();
    const { confirmTotpEnrolment } = await api.ok(CONFIRM, { code: codeAt(secret, -1) }, alice.token);
    recoveryCodes = confirmTotpEnrolment.recoveryCodes;
    expect(confirmTotpEnrolment.user.mfaEnabled).toBe(true);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect((await api.ok(STATUS, {}, alice.token)).mfaStatus).toMatchObject({
      totpEnabled: true,
      recoveryCodesRemaining: 10,
    });

    const conn = api.db.orm.em.fork().getConnection();
    const dump = JSON.stringify([
      await conn.execute('select * from users'),
      await conn.execute('select * from mfa_recovery_code'),
      await conn.execute('select * from secret_version'),
      await conn.execute('select * from audit_log'),
    ]);
    expect(dump).not.toContain(secret);
    for (const c of recoveryCodes) expect(dump).not.toContain(c);
    expect(dump).not.toContain(recoveryCodes[0]!.replaceAll('-', ''));
  });

  it('signs in with a challenge, not a session, then a current code issues the session', async () => {
    const first = await signIn();
    expect(first).toMatchObject({ accessToken: null, user: null, mfaEnrolmentRequired: false });
    expect(first.mfaChallenge.methods).toEqual(['TOTP', 'RECOVERY_CODE']);
    const challenge = first.mfaChallenge.challengeToken;
    expect(new Date(first.mfaChallenge.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    // The challenge is no session.
    expect(await api.ok(`{ viewer { id } }`, {}, challenge)).toEqual({ viewer: null });
    expect((await api.fail(`{ organizations { totalCount } }`, {}, challenge)).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );

    // The code confirmation used (one step back) is spent: replaying it is refused.
    const replayOfEnrolment = await api.fail(COMPLETE, {
      input: { challengeToken: challenge, code: codeAt(secret, -1) },
    });
    expect(replayOfEnrolment.extensions?.code).toBe('UNAUTHENTICATED');

    await awayFromStepEdge();
    const code = codeAt(secret);
    const { completeSignIn } = await api.ok(COMPLETE, { input: { challengeToken: challenge, code } });
    expect(completeSignIn.user).toEqual({ id: alice.id, mfaEnabled: true });
    const session = completeSignIn.accessToken;
    expect((await api.ok(`{ viewer { id } }`, {}, session)).viewer.id).toBe(alice.id);

    // The same code again, within its window, on a new challenge: a replay, refused.
    const again = await signIn();
    const replay = await api.fail(COMPLETE, { input: { challengeToken: again.mfaChallenge.challengeToken, code } });
    expect(replay.extensions?.code).toBe('UNAUTHENTICATED');
    const rows = await auditRows('auth.mfa.verify', alice.id);
    expect(rows.map((r) => r.result)).toEqual(['failure', 'success', 'failure']);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('refuses a forged or tampered challenge', async () => {
    const { mfaChallenge } = await signIn();
    const [h, p, s] = mfaChallenge.challengeToken.split('.');
    const tampered = `${h}.${p}.${s!.slice(0, -2)}${s!.endsWith('AA') ? 'BB' : 'AA'}`;
    const err = await api.fail(COMPLETE, { input: { challengeToken: tampered, code: codeAt(secret) } });
    expect(err.extensions?.code).toBe('UNAUTHENTICATED');
    // A session token is no challenge either.
    const err2 = await api.fail(COMPLETE, { input: { challengeToken: alice.token, code: codeAt(secret) } });
    expect(err2.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('accepts each recovery code once', async () => {
    const { mfaChallenge } = await signIn();
    const spoken = recoveryCodes[3]!.toUpperCase().replaceAll('-', ' ');
    const { completeSignIn } = await api.ok(COMPLETE, {
      input: { challengeToken: mfaChallenge.challengeToken, recoveryCode: spoken },
    });
    expect(completeSignIn.user.id).toBe(alice.id);
    const next = await signIn();
    const reused = await api.fail(COMPLETE, {
      input: { challengeToken: next.mfaChallenge.challengeToken, recoveryCode: recoveryCodes[3] },
    });
    expect(reused.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.ok(STATUS, {}, completeSignIn.accessToken)).mfaStatus.recoveryCodesRemaining).toBe(9);
    // The audit plugin's row for the mutation does not carry the recovery code.
    const plugin = await api.db.orm.em
      .fork()
      .getConnection()
      .execute(`select details from audit_log where action = 'mutation.completeSignIn'`);
    expect(JSON.stringify(plugin)).not.toContain(recoveryCodes[3]);
    expect(JSON.stringify(plugin)).toContain('[redacted]');
  });

  it('rate-limits wrong codes per account, even a right code once over, and audits the refusals', async () => {
    const bobPassword = `pw-${randomBytes(8).toString('hex')}`;
    const bob = await api.user({ password: bobPassword });
    const { beginTotpEnrolment } = await api.ok(BEGIN, {}, bob.token);
    await awayFromStepEdge();
    await api.ok(CONFIRM, { code: codeAt(beginTotpEnrolment.secret) }, bob.token);
    const { signIn: s } = await api.ok(SIGN_IN, { email: bob.user.email, password: bobPassword });
    const challengeToken = s.mfaChallenge.challengeToken;
    const wrong = (n: number) =>
      String((Number(codeAt(beginTotpEnrolment.secret)) + 1 + n) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const err = await api.fail(COMPLETE, { input: { challengeToken, code: wrong(i) } });
      expect(err.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const limited = await api.fail(COMPLETE, { input: { challengeToken, code: codeAt(beginTotpEnrolment.secret, 1) } });
    expect(limited.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    const rows = await auditRows('auth.mfa.verify', bob.user.id);
    expect(rows.filter((r) => r.result === 'failure')).toHaveLength(5);
    expect((await auditRows('auth.mfa.rateLimited', bob.user.id)).map((r) => r.result)).toEqual(['denied']);
  });

  it('turns the factor off with the password (not a wrong one), after which sign-in needs no code', async () => {
    const { mfaChallenge } = await signIn();
    await awayFromStepEdge();
    // A code one step ahead (a fast phone clock) is accepted too.
    const { completeSignIn } = await api.ok(COMPLETE, {
      input: { challengeToken: mfaChallenge.challengeToken, code: codeAt(secret, 1) },
    });
    const session = completeSignIn.accessToken;
    const DISABLE = `mutation($input: DisableTotpInput!) { disableTotp(input: $input) { mfaEnabled } }`;
    const bad = await api.fail(DISABLE, { input: { password: 'not-the-password' } }, session);
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password' });
    expect((await api.ok(DISABLE, { input: { password } }, session)).disableTotp.mfaEnabled).toBe(false);
    const plain = await signIn();
    expect(plain.accessToken).toBeTruthy();
    expect(plain.mfaChallenge).toBeNull();
    expect((await api.ok(STATUS, {}, session)).mfaStatus).toMatchObject({
      totpEnabled: false,
      recoveryCodesRemaining: 0,
    });
    expect((await auditRows('auth.mfa.disable', alice.id)).map((r) => r.result)).toEqual(['failure', 'success']);
    // The secret is gone from the store.
    expect(await api.app.services.secrets.read(`users/${alice.id}/totp`)).toBeNull();
  });

  it('refuses to change the second factor with an API token', async () => {
    const { createApiToken } = await api.ok(
      `mutation { createApiToken(input: { name: "ci" }) { token } }`,
      {},
      alice.token,
    );
    const err = await api.fail(BEGIN, {}, createApiToken.token);
    expect(err.extensions?.code).toBe('FORBIDDEN');
  });
});

describe.skipIf(postgresUnavailable())('organization MFA policy over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('is set by organization admins only, and limits members without a second factor to enrolment', async () => {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const owner = await api.user({ password });
    const member = await api.user({ password });
    const outsider = await api.user({ password });
    const { org } = await api.org(owner.user, Role.OWNER);
    const em = api.db.orm.em.fork();
    await em
      .getConnection()
      .execute(
        `insert into membership (id, user_id, organization_id, role) values (gen_random_uuid(), ?, ?, 'VIEWER')`,
        [member.user.id, org.id],
      );
    await api.org(outsider.user, Role.OWNER);
    const SET = `mutation($o: ID!, $r: Boolean!) { setOrganizationRequireMfa(organizationId: $o, required: $r) { id requireMfa } }`;

    expect((await api.fail(SET, { o: org.id, r: true }, member.token)).extensions?.code).toBe('FORBIDDEN');
    expect((await api.fail(SET, { o: org.id, r: true }, outsider.token)).extensions?.code).toBe('NOT_FOUND');
    expect((await api.ok(SET, { o: org.id, r: true }, owner.token)).setOrganizationRequireMfa.requireMfa).toBe(true);

    // The member signs in: a session, told to enrol, that opens nothing else.
    const { signIn } = await api.ok(SIGN_IN, { email: member.user.email, password });
    expect(signIn.mfaEnrolmentRequired).toBe(true);
    const session = signIn.accessToken;
    const refused = await api.fail(`{ organizations { totalCount } }`, {}, session);
    expect(refused.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MFA_ENROLMENT_REQUIRED' });
    const refusedMutation = await api.fail(
      `mutation { createOrganization(input: { name: "x", slug: "x-${randomBytes(3).toString('hex')}" }) { id } }`,
      {},
      session,
    );
    expect(refusedMutation.extensions?.reason).toBe('MFA_ENROLMENT_REQUIRED');
    expect((await api.ok(`{ viewer { id } }`, {}, session)).viewer.id).toBe(member.user.id);
    expect((await api.ok(STATUS, {}, session)).mfaStatus.enrolmentRequired).toBe(true);
    // Over graphql-ws too.
    const ws = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${session}` },
    });
    try {
      const first = await new Promise<unknown>((resolve) => {
        ws.subscribe(
          {
            query: `subscription($id: ID!) { jobProgress(jobId: $id) { __typename } }`,
            variables: { id: randomUUID() },
          },
          { next: (m) => resolve(m.errors), error: (e) => resolve(e), complete: () => resolve('completed') },
        );
      });
      expect(JSON.stringify(first)).toContain('MFA_ENROLMENT_REQUIRED');
    } finally {
      await ws.dispose();
    }
    // The outsider's organization has no such policy: unaffected.
    expect((await api.ok(SIGN_IN, { email: outsider.user.email, password })).signIn.mfaEnrolmentRequired).toBe(false);
    await api.ok(`{ organizations { totalCount } }`, {}, outsider.token);

    // Enrolment lifts the limit on the same session.
    const { beginTotpEnrolment } = await api.ok(BEGIN, {}, session);
    await awayFromStepEdge();
    await api.ok(CONFIRM, { code: codeAt(beginTotpEnrolment.secret) }, session);
    expect((await api.ok(`{ organizations { totalCount } }`, {}, session)).organizations.totalCount).toBe(1);

    // The admin who set it has no second factor either: limited too, until the policy is lifted.
    expect((await api.fail(`{ organizations { totalCount } }`, {}, owner.token)).extensions?.reason).toBe(
      'MFA_ENROLMENT_REQUIRED',
    );
    expect((await api.fail(SET, { o: org.id, r: false }, owner.token)).extensions?.reason).toBe(
      'MFA_ENROLMENT_REQUIRED',
    );
    const audit = await em
      .getConnection()
      .execute<{ result: string; organization_id: string }[]>(
        `select result, organization_id from audit_log where action = 'mutation.setOrganizationRequireMfa' order by id`,
      );
    expect(audit.map((r) => r.result)).toEqual(['denied', 'failure', 'success', 'denied']);
    expect(audit[2]?.organization_id).toBe(org.id);
  });
});
