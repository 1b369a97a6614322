// OpenID Connect sign-in against a real oidc-provider on loopback, driven over HTTP like a browser:
// redirects followed with a cookie jar per origin, the provider's login and consent answered through
// its interaction endpoint. The platform's PUBLIC_URL is a made-up origin that this "browser" maps
// to the API, as the web app's proxy does in production.
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../modules/audit/audit-log.entity.js';
import { User } from '../../modules/user/user.entity.js';
import { UserIdentity } from '../../modules/user/user-identity.entity.js';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE } from '../session-cookies.js';
import { startOidcTestProvider, type OidcTestProvider } from '../../test/oidc-test-provider.js';

const PUBLIC_URL = 'http://platform.test';
const PROVIDERS = ['open', 'closed', 'broken'];

class Browser {
  readonly jars = new Map<string, Map<string, string>>();
  constructor(private readonly apiUrl: string) {}

  jar(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  async request(url: URL, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
    const target = url.origin === PUBLIC_URL ? new URL(url.pathname + url.search, this.apiUrl) : url;
    const jar = this.jar(url.origin);
    const res = await fetch(target, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      body: init.body,
      headers: { ...init.headers, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /**
   * Follows redirects from `start`, answering the provider's login (as `account`) and consent, until
   * the browser lands on a page of the platform (or, with `stopAtCallback`, reaches the callback).
   */
  async signIn(start: URL, account: string, opts: { stopAtCallback?: boolean } = {}): Promise<URL> {
    let url = start;
    for (let hops = 0; hops < 20; hops++) {
      if (opts.stopAtCallback && url.origin === PUBLIC_URL && url.pathname.endsWith('/callback')) return url;
      let res = await this.request(url);
      if (res.status === 200 && /^\/interaction\//.test(url.pathname)) {
        const { prompt } = (await res.json()) as { prompt: string };
        res = await this.request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: prompt === 'login' ? new URLSearchParams({ account }).toString() : '',
        });
      }
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) {
        if (url.origin === PUBLIC_URL) return url;
        throw new Error(`stuck at ${url.href}: ${res.status} ${await res.text()}`);
      }
      url = new URL(location, url);
      if (url.origin === PUBLIC_URL && !url.pathname.startsWith('/auth/')) return url;
    }
    throw new Error('too many redirects');
  }

  async viewer(): Promise<{ id: string; email: string } | null> {
    const res = await this.request(new URL('/graphql', PUBLIC_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { id email } }' }),
    });
    return ((await res.json()) as { data: { viewer: { id: string; email: string } | null } }).data.viewer;
  }

  async mutate(query: string, variables: Record<string, unknown> = {}) {
    const jar = this.jar(PUBLIC_URL);
    const res = await this.request(new URL('/graphql', PUBLIC_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: jar.get(CSRF_COOKIE) ?? '' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as {
      data?: Record<string, unknown>;
      errors?: { extensions?: Record<string, unknown> }[];
    };
  }
}

const start = (provider: string, returnTo?: string) => {
  const url = new URL(`/auth/oidc/${provider}/start`, PUBLIC_URL);
  if (returnTo) url.searchParams.set('returnTo', returnTo);
  return url;
};

describe.skipIf(postgresUnavailable())('OpenID Connect sign-in against oidc-provider', () => {
  let idp: OidcTestProvider;
  let api: TestApi;

  beforeAll(async () => {
    idp = await startOidcTestProvider(PROVIDERS.map((p) => `${PUBLIC_URL}/auth/oidc/${p}/callback`));
    const common = { issuer: idp.issuer, clientId: idp.clientId };
    api = await startTestApi({
      env: {
        PUBLIC_URL,
        REFRESH_REUSE_GRACE_SECONDS: '0',
        OIDC_PROVIDERS: JSON.stringify([
          { id: 'open', displayName: 'Open IdP', ...common, clientSecretRef: 'oidc/test', allowSignUp: true },
          { id: 'closed', displayName: 'Closed IdP', ...common, clientSecretRef: 'oidc/test' },
          { id: 'broken', displayName: 'Broken IdP', ...common, clientSecretRef: 'oidc/not-written' },
        ]),
      },
    });
    // The client secret lives in the secret store only, written as an operator would.
    await api.app.services.secrets.write('oidc/test', { clientSecret: idp.clientSecret });
    idp.accounts.set('alice', { email: 'Alice@Example.com', email_verified: true, name: 'Alice Liddell' });
    idp.accounts.set('bob', { email: 'bob@example.com', email_verified: true, name: 'Bob' });
    idp.accounts.set('carol', { email: 'carol@example.com', email_verified: false, name: 'Carol' });
    idp.accounts.set('dave', { email: 'dave@example.com', email_verified: true, name: 'Dave' });
    idp.accounts.set('erin', { email: 'erin@example.com', email_verified: true, name: 'Erin' });
  });
  afterAll(async () => {
    await api?.close();
    await idp?.close();
  });

  const auditRows = async (reasonOrVia: string) =>
    (await api.db.orm.em.fork().find(AuditLog, { action: 'auth.oidc.signIn' })).filter(
      (r) => r.details.reason === reasonOrVia || r.details.via === reasonOrVia,
    );

  it('lists the configured providers for the sign-in page, anonymously', async () => {
    const res = await api.ok('{ authProviders { id displayName startPath } }');
    expect(res.authProviders).toEqual([
      { id: 'open', displayName: 'Open IdP', startPath: '/auth/oidc/open/start' },
      { id: 'closed', displayName: 'Closed IdP', startPath: '/auth/oidc/closed/start' },
      { id: 'broken', displayName: 'Broken IdP', startPath: '/auth/oidc/broken/start' },
    ]);
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const b = new Browser(api.url);
    const res = await b.request(start('open'));
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(idp.issuer);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(to.searchParams.get('state')).toBeTruthy();
    expect(to.searchParams.get('nonce')).toBeTruthy();
    expect(to.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/oidc/open/callback`);
    // The verifier is not in the URL; it waits in an encrypted httpOnly cookie.
    expect(res.headers.getSetCookie()[0]).toMatch(/^pvepaas_oidc=.+HttpOnly/);
  });

  it('creates an account on first sign-in where the provider allows sign-up, then signs in through the link', async () => {
    const b = new Browser(api.url);
    const landed = await b.signIn(start('open', '/machines'), 'alice');
    expect(landed.href).toBe(`${PUBLIC_URL}/machines`);
    const jar = b.jar(PUBLIC_URL);
    expect([...jar.keys()].sort()).toEqual([ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE].sort());
    const viewer = await b.viewer();
    expect(viewer?.email).toBe('alice@example.com');
    const user = await api.db.orm.em.fork().findOneOrFail(User, { email: 'alice@example.com' });
    expect(user.displayName).toBe('Alice Liddell');
    expect(user.id).toBe(viewer?.id);
    const created = await auditRows('created');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ result: 'success', actorId: user.id });

    // Again, from a new browser: the same account, found by (provider, subject).
    const again = new Browser(api.url);
    await again.signIn(start('open'), 'alice');
    expect((await again.viewer())?.id).toBe(user.id);
    expect(await auditRows('identity')).toHaveLength(1);
    expect(await api.db.orm.em.fork().count(UserIdentity, { user: user.id })).toBe(1);
  });

  it('links an existing account by verified email, even where sign-up is closed', async () => {
    const { user } = await api.user({ email: 'bob@example.com', password: 'a local password 123' });
    const b = new Browser(api.url);
    await b.signIn(start('closed'), 'bob');
    expect((await b.viewer())?.id).toBe(user.id);
    const link = await api.db.orm.em.fork().findOneOrFail(UserIdentity, { provider: 'closed', subject: 'bob' });
    expect(link.user.id).toBe(user.id);
    expect(await auditRows('linked')).toHaveLength(1);
  });

  it('refuses to link or create by an unverified email, and says why', async () => {
    const { user } = await api.user({ email: 'carol@example.com' });
    const b = new Browser(api.url);
    const landed = await b.signIn(start('open'), 'carol');
    expect(landed.href).toBe(`${PUBLIC_URL}/sign-in?error=EMAIL_UNVERIFIED`);
    expect(b.jar(PUBLIC_URL).has(ACCESS_COOKIE)).toBe(false);
    expect(await b.viewer()).toBeNull();
    expect(await api.db.orm.em.fork().count(UserIdentity, { user: user.id })).toBe(0);
    const refused = await auditRows('EMAIL_UNVERIFIED');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.result).toBe('failure');
    expect(String(refused[0]!.details.message)).toMatch(/not verified/);
  });

  it('does not create accounts where the provider does not allow sign-up', async () => {
    const b = new Browser(api.url);
    const landed = await b.signIn(start('closed'), 'dave');
    expect(landed.href).toBe(`${PUBLIC_URL}/sign-in?error=SIGN_UP_DISABLED`);
    expect(await api.db.orm.em.fork().count(User, { email: 'dave@example.com' })).toBe(0);
  });

  it('refuses a callback whose state does not match the browser’s, and one with no sign-in started', async () => {
    const victim = new Browser(api.url);
    const callback = await victim.signIn(start('open'), 'alice', { stopAtCallback: true });
    // An attacker's own callback (its code, its state) delivered to the victim's browser.
    const attacker = new Browser(api.url);
    const forged = await attacker.signIn(start('open'), 'dave', { stopAtCallback: true });
    const res = await victim.request(forged);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${PUBLIC_URL}/sign-in?error=STATE_MISMATCH`);
    expect(await victim.viewer()).toBeNull();
    // The victim's own callback cannot be replayed after that: its state cookie was spent.
    const replay = await victim.request(callback);
    expect(replay.headers.get('location')).toBe(`${PUBLIC_URL}/sign-in?error=SIGN_IN_EXPIRED`);
    expect(await auditRows('STATE_MISMATCH')).toHaveLength(1);
  });

  it('keeps the client secret in the secret store: a missing one is a clear configuration error', async () => {
    const b = new Browser(api.url);
    const res = await b.request(start('broken'));
    expect(res.headers.get('location')).toBe(`${PUBLIC_URL}/sign-in?error=MISCONFIGURED`);
    const res2 = await b.request(start('nope'));
    expect(res2.headers.get('location')).toBe(`${PUBLIC_URL}/sign-in?error=UNKNOWN_PROVIDER`);
  });

  it('still asks an account with TOTP for its second factor, then completeSignIn issues the session', async () => {
    const { user, token } = await api.user({ email: 'erin@example.com' });
    const { beginTotpEnrolment } = await api.ok('mutation { beginTotpEnrolment { secret } }', {}, token);
    // The previous 30 s step's code is accepted too, so a step boundary between here and the check is harmless.
    const code = generateSync({ secret: beginTotpEnrolment.secret, epoch: Math.floor(Date.now() / 1000) - 30 });
    const { confirmTotpEnrolment } = await api.ok(
      'mutation($code: String!) { confirmTotpEnrolment(code: $code) { recoveryCodes } }',
      { code },
      token,
    );

    const b = new Browser(api.url);
    const landed = await b.signIn(start('closed', '/profile'), 'erin');
    expect(landed.pathname).toBe('/sign-in');
    expect(landed.search).toBe('');
    const handover = new URLSearchParams(landed.hash.slice(1));
    expect(handover.get('returnTo')).toBe('/profile');
    expect(b.jar(PUBLIC_URL).has(ACCESS_COOKIE)).toBe(false);
    expect(await b.viewer()).toBeNull();

    const complete = `mutation($input: CompleteSignInInput!) { completeSignIn(input: $input) { accessToken user { id } } }`;
    const wrong = await api.gql(complete, {
      input: { challengeToken: handover.get('mfa'), recoveryCode: 'not-a-code' },
    });
    expect(wrong.errors?.[0]).toBeTruthy();
    const done = await api.ok(complete, {
      input: { challengeToken: handover.get('mfa'), recoveryCode: confirmTotpEnrolment.recoveryCodes[0] },
    });
    expect(done.completeSignIn.user.id).toBe(user.id);
    expect((await api.ok('{ viewer { id } }', {}, done.completeSignIn.accessToken)).viewer.id).toBe(user.id);
  });

  it('an OIDC session refreshes with rotation, detects reuse, and ends at sign-out', async () => {
    const b = new Browser(api.url);
    await b.signIn(start('open'), 'alice');
    const jar = b.jar(PUBLIC_URL);
    const first = jar.get(REFRESH_COOKIE)!;
    const refreshed = await b.mutate('mutation { refreshSession { user { email } } }');
    expect(refreshed.errors).toBeUndefined();
    expect(jar.get(REFRESH_COOKIE)).not.toBe(first);
    // Reusing the rotated token revokes the family: the browser is signed out.
    const reuse = await api.gql('mutation($t: String) { refreshSession(refreshToken: $t) { accessToken } }', {
      t: first,
    });
    expect(reuse.errors?.[0]?.extensions?.reason).toBe('REFRESH_REUSED');
    expect(await b.viewer()).toBeNull();

    // A new sign-in, then sign-out: its tokens are revoked.
    const c = new Browser(api.url);
    await c.signIn(start('open'), 'alice');
    const cJar = c.jar(PUBLIC_URL);
    const [access, refresh] = [cJar.get(ACCESS_COOKIE)!, cJar.get(REFRESH_COOKIE)!];
    expect((await c.mutate('mutation { signOut }')).data?.signOut).toBe(true);
    expect((await api.gql('{ viewer { id } }', {}, access)).data?.viewer).toBeNull();
    const after = await api.gql('mutation($t: String) { refreshSession(refreshToken: $t) { accessToken } }', {
      t: refresh,
    });
    expect(after.errors?.[0]?.extensions?.reason).toBe('REFRESH_INVALID');
  });
});
