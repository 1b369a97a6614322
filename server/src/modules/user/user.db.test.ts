import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../auth/session.js';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type GqlResult, type Json, type TestApi } from '../../test/api.js';

const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { accessToken user { id email } } }`;
const VIEWER = `{ viewer { id email isPlatformAdmin } }`;
const CREATE = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email displayName isPlatformAdmin disabledAt } }`;
const DISABLE = `mutation($id: ID!, $disabled: Boolean!) { setUserDisabled(id: $id, disabled: $disabled) { disabledAt } }`;

/** One POST to /graphql with raw headers in and out, for what `api.gql` hides: cookies. */
async function post(
  api: TestApi,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { body: (await res.json()) as GqlResult<Json>, cookies: res.headers.getSetCookie() };
}

describe.skipIf(postgresUnavailable())('users and sessions over HTTP', () => {
  let api: TestApi;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('signs in: an httpOnly session cookie and a token that works as Bearer', async () => {
    const { user } = await api.user({ email: 'ada@example.com', password });
    const { body, cookies } = await post(api, SIGN_IN, { input: { email: 'ADA@example.com', password } });
    expect(body.errors).toBeUndefined();
    expect(body.data.signIn.user).toEqual({ id: user.id, email: 'ada@example.com' });
    const token: string = body.data.signIn.accessToken;

    const cookie = cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie).toBeDefined();
    expect(cookie).toContain(`${SESSION_COOKIE}=${token};`);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=\d+/);

    expect((await api.ok(VIEWER, {}, token)).viewer).toEqual({
      id: user.id,
      email: 'ada@example.com',
      isPlatformAdmin: false,
    });
    const viaCookie = await post(api, VIEWER, {}, { cookie: `${SESSION_COOKIE}=${token}` });
    expect(viaCookie.body.data.viewer.id).toBe(user.id);
  });

  it('refuses a cookie-carrying request a cross-site page could forge (no JSON body, no preflight header)', async () => {
    const { token } = await api.user({ password });
    const cookie = `${SESSION_COOKIE}=${token}`;
    const get = await fetch(`${api.url}/graphql?query=${encodeURIComponent('{ viewer { id } }')}`, {
      headers: { cookie },
    });
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/Cross-Site Request Forgery/);
    const form = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { signOut }' }),
    });
    expect(form.status).toBe(400);
  });

  it('answers viewer null without credentials or with a forged one', async () => {
    expect((await api.ok(VIEWER)).viewer).toBeNull();
    expect((await api.ok(VIEWER, {}, 'not-a-token')).viewer).toBeNull();
    const forged = await post(
      api,
      VIEWER,
      {},
      { cookie: `${SESSION_COOKIE}=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA` },
    );
    expect(forged.body.data.viewer).toBeNull();
  });

  it('refuses a wrong password or an unknown email with the same UNAUTHENTICATED answer, and sets no cookie', async () => {
    await api.user({ email: 'grace@example.com', password });
    const wrong = await post(api, SIGN_IN, { input: { email: 'grace@example.com', password: 'wrong password!' } });
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(wrong.cookies).toEqual([]);
    const unknown = await post(api, SIGN_IN, { input: { email: 'nobody@example.com', password } });
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: wrong.body.errors?.[0]?.message,
      extensions: { code: 'UNAUTHENTICATED' },
    });
    // An account without a password (OIDC only) cannot sign in with one.
    await api.user({ email: 'oidc@example.com' });
    expect((await api.fail(SIGN_IN, { input: { email: 'oidc@example.com', password } })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('signs out by clearing the cookie', async () => {
    const { token } = await api.user({ password });
    const { body, cookies } = await post(api, `mutation { signOut }`, {}, { cookie: `${SESSION_COOKIE}=${token}` });
    expect(body.data).toEqual({ signOut: true });
    const cleared = cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(cleared).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(cleared).toMatch(/; HttpOnly/i);
  });

  it('refuses text with an unpaired surrogate as bad input naming the field, not an internal error', async () => {
    const admin = await api.user({ admin: true });
    // JSON's "\ud800" escape: a string JavaScript holds but UTF-8 (and the database) cannot.
    const lone = '\ud800';
    const input = { email: `x${lone}@example.com`, displayName: 'Lone', password: 'long enough password 1' };
    const refused = await api.fail(CREATE, { input }, admin.token);
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    expect(refused.message).toMatch(/valid Unicode/);
    const nested = await api.fail(
      CREATE,
      { input: { ...input, email: 'ok@example.com', password: `p${lone}assword long` } },
      admin.token,
    );
    expect(nested.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password' });
    // A whole pair (an emoji) is fine.
    const { createUser } = await api.ok(
      CREATE,
      { input: { ...input, email: 'pair@example.com', displayName: 'Pair \ud83d\ude00' } },
      admin.token,
    );
    expect(createUser.displayName).toBe('Pair \u{1F600}');
  });

  it('creates users only for platform admins; the new user can sign in', async () => {
    const admin = await api.user({ admin: true });
    const plain = await api.user();
    const input = { email: 'New.User@Example.com', displayName: 'New User', password };
    const denied = await api.fail(CREATE, { input }, plain.token);
    expect(denied.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Platform.Admin' });
    expect((await api.fail(CREATE, { input })).extensions?.code).toBe('UNAUTHENTICATED');

    const { createUser } = await api.ok(CREATE, { input }, admin.token);
    expect(createUser).toMatchObject({
      email: 'new.user@example.com',
      displayName: 'New User',
      isPlatformAdmin: false,
      disabledAt: null,
    });
    const signedIn = await api.ok(SIGN_IN, { input: { email: 'new.user@example.com', password } });
    expect(signedIn.signIn.user.id).toBe(createUser.id);

    expect((await api.fail(CREATE, { input }, admin.token)).extensions?.code).toBe('CONFLICT');
    const short = await api.fail(
      CREATE,
      { input: { ...input, email: 'short@example.com', password: 'short' } },
      admin.token,
    );
    expect(short.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password' });
    const email = await api.fail(CREATE, { input: { ...input, email: 'no-at-sign' } }, admin.token);
    expect(email.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    // The password hash is not part of the API.
    expect((await api.gql(`{ viewer { passwordHash } }`, {}, admin.token)).errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
  });

  it('lists users for platform admins only', async () => {
    const admin = await api.user({ admin: true });
    const plain = await api.user();
    const { users } = await api.ok(`{ users(first: 100) { totalCount edges { node { email } } } }`, {}, admin.token);
    expect(users.edges.map((e: Json) => e.node.email)).toContain(plain.user.email);
    expect((await api.fail(`{ users { totalCount } }`, {}, plain.token)).extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps a disabled user out: no sign-in, and the session they had stops working', async () => {
    const admin = await api.user({ admin: true });
    const { user, token } = await api.user({ email: 'mallory@example.com', password });
    const disabled = await api.ok(DISABLE, { id: user.id, disabled: true }, admin.token);
    expect(disabled.setUserDisabled.disabledAt).toEqual(expect.any(String));

    expect((await api.fail(SIGN_IN, { input: { email: 'mallory@example.com', password } })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await api.ok(VIEWER, {}, token)).viewer).toBeNull();
    expect((await api.fail(`{ organizations { totalCount } }`, {}, token)).extensions?.code).toBe('UNAUTHENTICATED');

    expect((await api.fail(DISABLE, { id: user.id, disabled: false }, token)).extensions?.code).toBe('UNAUTHENTICATED');
    await api.ok(DISABLE, { id: user.id, disabled: false }, admin.token);
    await api.ok(SIGN_IN, { input: { email: 'mallory@example.com', password } });
  });
});
