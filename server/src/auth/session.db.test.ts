// Sessions through the real HTTP surface: the cookies a browser gets, CSRF on cookie-authenticated
// mutations and /auth/refresh, rotation, reuse detection revoking the whole family, sign-out
// revoking, and the API-client flow with Bearer and refresh tokens in the body. The Redis engine
// of the refresh-token store runs the reuse scenario too (real Redis).
import { randomBytes } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AuditLog } from '../modules/audit/audit-log.entity.js';
import { MemoryRateLimitStore } from '../security/rate-limit.js';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type GqlResult, type Json, type TestApi } from '../test/api.js';
import { RedisRefreshTokenStore } from './refresh-token-store.js';
import { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE } from './session-cookies.js';

const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id } } }`;
const REFRESH = `mutation($t: String) { refreshSession(refreshToken: $t) { accessToken refreshToken accessTokenExpiresAt sessionExpiresAt user { id } } }`;
const VIEWER = `{ viewer { id } }`;
const CREATE_ORG = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`;
const password = 'correct horse battery staple';

type Jar = Map<string, string>;

async function post(api: TestApi, query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlResult<Json>, setCookies: res.headers.getSetCookie() };
}

/** Applies Set-Cookie headers to a jar as a browser would (an empty value with a past expiry deletes). */
function absorb(jar: Jar, setCookies: string[]): void {
  for (const line of setCookies) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = decodeURIComponent(pair!.slice(eq + 1));
    if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}

const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');

/** A browser: cookies kept between requests, the CSRF header copied from its cookie as the web app does. */
function browser(api: TestApi) {
  const jar: Jar = new Map();
  return {
    jar,
    async gql(query: string, variables: Record<string, unknown> = {}, opts: { csrf?: boolean } = {}) {
      const headers: Record<string, string> = { cookie: cookieHeader(jar) };
      if (opts.csrf !== false && jar.has(CSRF_COOKIE)) headers[CSRF_HEADER] = jar.get(CSRF_COOKIE)!;
      const res = await post(api, query, variables, headers);
      absorb(jar, res.setCookies);
      return res;
    },
  };
}

/** `{ viewer { id } }` over graphql-ws, as a browser page of `origin` holding `cookie` would send it. */
async function viewerOverSocket(api: TestApi, cookie: string, origin: string): Promise<string | null> {
  class BrowserSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie, origin } });
    }
  }
  const client = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: BrowserSocket });
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe(
        { query: '{ viewer { id } }' },
        {
          next: (m) =>
            m.errors
              ? reject(new Error(JSON.stringify(m.errors)))
              : resolve((m.data?.viewer as { id: string } | null)?.id ?? null),
          error: reject,
          complete: () => undefined,
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

function defineSessionSuite(name: string, start: () => Promise<TestApi>) {
  describe.skipIf(postgresUnavailable())(`sessions over HTTP (${name})`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await start();
    });
    afterAll(() => api?.close());

    async function signedInBrowser() {
      const { user } = await api.user({ password });
      const b = browser(api);
      const res = await b.gql(SIGN_IN, { input: { email: user.email, password } });
      expect(res.body.errors).toBeUndefined();
      return { b, user, res };
    }

    it('sign-in sets an httpOnly access cookie, an httpOnly refresh cookie and a readable CSRF cookie, all SameSite=Lax', async () => {
      const { b, res } = await signedInBrowser();
      const byName = new Map(res.setCookies.map((c) => [c.slice(0, c.indexOf('=')), c]));
      for (const name of [ACCESS_COOKIE, REFRESH_COOKIE]) expect(byName.get(name)).toMatch(/HttpOnly/);
      expect(byName.get(CSRF_COOKIE)).not.toMatch(/HttpOnly/);
      for (const c of byName.values()) {
        expect(c).toMatch(/SameSite=Lax/);
        expect(c).toMatch(/Path=\//);
        expect(c).not.toMatch(/Secure/); // plain HTTP here
      }
      // The access cookie lives as long as the access token (10 minutes by default), not the session.
      expect(byName.get(ACCESS_COOKIE)).toMatch(/Max-Age=(59\d|600);/);
      expect(b.jar.get(REFRESH_COOKIE)).toMatch(/^pvr_/);
      expect(res.body.data.signIn.refreshToken).toBe(b.jar.get(REFRESH_COOKIE));
      const expires = new Date(res.body.data.signIn.accessTokenExpiresAt).getTime() - Date.now();
      expect(expires).toBeGreaterThan(590_000);
      expect(expires).toBeLessThanOrEqual(600_000);
    });

    it('marks the cookies Secure when the request came over HTTPS (through the proxy)', async () => {
      const { user } = await api.user({ password });
      const res = await post(
        api,
        SIGN_IN,
        { input: { email: user.email, password } },
        { 'x-forwarded-proto': 'https' },
      );
      expect(res.setCookies).toHaveLength(3);
      for (const c of res.setCookies) expect(c).toMatch(/; Secure/);
    });

    it('refuses a cookie-authenticated mutation without the CSRF header, or with another session’s', async () => {
      const { b } = await signedInBrowser();
      const slug = `org-${randomBytes(3).toString('hex')}`;
      const input = { name: slug, slug };
      const bare = await b.gql(CREATE_ORG, { input }, { csrf: false });
      expect(bare.status).toBe(403);
      expect(bare.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CSRF' });
      const other = await signedInBrowser();
      const crossed = await post(
        api,
        CREATE_ORG,
        { input },
        { cookie: cookieHeader(b.jar), [CSRF_HEADER]: other.b.jar.get(CSRF_COOKIE)! },
      );
      expect(crossed.body.errors?.[0]?.extensions?.reason).toBe('CSRF');
      // Nothing was created by the refused attempts; with the header it goes through.
      const ok = await b.gql(CREATE_ORG, { input });
      expect(ok.body.errors).toBeUndefined();
      // Queries need no header; Bearer requests need none either.
      expect((await b.gql(VIEWER, {}, { csrf: false })).body.data.viewer).not.toBeNull();
      const { token } = await api.user();
      const slug2 = `org-${randomBytes(3).toString('hex')}`;
      const viaBearer = await api.gql(CREATE_ORG, { input: { name: slug2, slug: slug2 } }, token);
      expect(viaBearer.errors).toBeUndefined();
    });

    it('rotates the refresh cookie; reusing a rotated one revokes the whole session and is audited', async () => {
      const { b, user } = await signedInBrowser();
      const first = b.jar.get(REFRESH_COOKIE)!;
      const r1 = await b.gql(REFRESH);
      expect(r1.body.errors).toBeUndefined();
      expect(r1.body.data.refreshSession.user.id).toBe(user.id);
      // A browser's refresh token stays in its cookie, never in the body.
      expect(r1.body.data.refreshSession.refreshToken).toBeNull();
      const second = b.jar.get(REFRESH_COOKIE)!;
      expect(second).not.toBe(first);
      expect((await b.gql(VIEWER)).body.data.viewer.id).toBe(user.id);

      // Someone replays the first refresh token (copied before the rotation).
      const thief = await post(api, REFRESH, { t: first }, {});
      expect(thief.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REFRESH_REUSED' });
      // Every token of the family is dead: the browser's access cookie and its newest refresh token.
      expect((await b.gql(VIEWER)).body.data.viewer).toBeNull();
      const after = await b.gql(REFRESH);
      expect(after.body.errors?.[0]?.extensions?.reason).toBe('REFRESH_INVALID');
      const rows = await api.db.orm.em.fork().find(AuditLog, { action: 'auth.refreshReuse', actorId: user.id });
      expect(rows).toHaveLength(1);
      expect(rows[0]!.result).toBe('denied');
    });

    it('refreshing by cookie needs the CSRF header (mutation and /auth/refresh)', async () => {
      const { b } = await signedInBrowser();
      const bare = await b.gql(REFRESH, {}, { csrf: false });
      expect(bare.body.errors?.[0]?.extensions?.reason).toBe('CSRF');
      const route = await fetch(`${api.url}/auth/refresh`, {
        method: 'POST',
        headers: { cookie: cookieHeader(b.jar) },
      });
      expect(route.status).toBe(403);
      // The refused attempts did not spend the token.
      const good = await fetch(`${api.url}/auth/refresh`, {
        method: 'POST',
        headers: { cookie: cookieHeader(b.jar), [CSRF_HEADER]: b.jar.get(CSRF_COOKIE)! },
      });
      expect(good.status).toBe(200);
      const body = (await good.json()) as { accessToken: string; refreshToken: string | null };
      expect(body.refreshToken).toBeNull();
      const before = b.jar.get(REFRESH_COOKIE);
      absorb(b.jar, good.headers.getSetCookie());
      expect(b.jar.get(REFRESH_COOKIE)).not.toBe(before);
      expect(b.jar.get(ACCESS_COOKIE)).toBe(body.accessToken);
      expect((await b.gql(VIEWER)).body.data.viewer).not.toBeNull();
    });

    it('sign-out revokes the session: access and refresh tokens stop working, cookies are cleared', async () => {
      const { b, res } = await signedInBrowser();
      const { accessToken, refreshToken } = res.body.data.signIn;
      const out = await b.gql(`mutation { signOut }`);
      expect(out.body.data.signOut).toBe(true);
      expect(b.jar.size).toBe(0);
      expect((await api.gql(VIEWER, {}, accessToken)).data?.viewer).toBeNull();
      const again = await post(api, REFRESH, { t: refreshToken }, {});
      expect(again.body.errors?.[0]?.extensions?.reason).toBe('REFRESH_INVALID');
    });

    it('API clients: Bearer access token, refresh token in the body, each one used once', async () => {
      const { user } = await api.user({ password });
      const signIn = await api.ok(SIGN_IN, { input: { email: user.email, password } });
      let { accessToken, refreshToken } = signIn.signIn;
      expect((await api.ok(VIEWER, {}, accessToken)).viewer.id).toBe(user.id);
      const seen = new Set([refreshToken]);
      for (let i = 0; i < 3; i++) {
        const next = (await api.ok(REFRESH, { t: refreshToken })).refreshSession;
        expect(next.user.id).toBe(user.id);
        expect(seen.has(next.refreshToken)).toBe(false);
        seen.add(next.refreshToken);
        ({ accessToken, refreshToken } = next);
        expect((await api.ok(VIEWER, {}, accessToken)).viewer.id).toBe(user.id);
      }
      // Body mode of /auth/refresh answers the next token in the body.
      const viaRoute = await fetch(`${api.url}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      expect(viaRoute.status).toBe(200);
      expect(((await viaRoute.json()) as { refreshToken: string }).refreshToken).toMatch(/^pvr_/);
      // Sign-out with the Bearer token ends this session too.
      expect((await api.ok(`mutation { signOut }`, {}, accessToken)).signOut).toBe(true);
      expect((await api.gql(VIEWER, {}, accessToken)).data?.viewer).toBeNull();
    });

    it('graphql-ws takes the session cookie only from pages of the platform’s own origin', async () => {
      const { b, user } = await signedInBrowser();
      const host = new URL(api.url).host;
      expect(await viewerOverSocket(api, cookieHeader(b.jar), `http://${host}`)).toBe(user.id);
      // Another site the user visits opens the socket: the browser sends the cookie, the API ignores it.
      expect(await viewerOverSocket(api, cookieHeader(b.jar), 'https://evil.example')).toBeNull();
    });

    it('a disabled account cannot refresh', async () => {
      const { user } = await api.user({ password });
      const { refreshToken } = (await api.ok(SIGN_IN, { input: { email: user.email, password } })).signIn;
      const { token: admin } = await api.user({ admin: true });
      await api.ok(`mutation($id: ID!) { setUserDisabled(id: $id, disabled: true) { id } }`, { id: user.id }, admin);
      const res = await post(api, REFRESH, { t: refreshToken }, {});
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
}

defineSessionSuite('in-process refresh store', () => startTestApi({ env: { REFRESH_REUSE_GRACE_SECONDS: '0' } }));

defineSessionSuite('Redis refresh store', () =>
  startTestApi({
    env: { REFRESH_REUSE_GRACE_SECONDS: '0' },
    rateLimitStore: new MemoryRateLimitStore(),
    refreshTokenStore: new RedisRefreshTokenStore(
      process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      0,
      `test:refresh:${randomBytes(4).toString('hex')}:`,
    ),
  }),
);
