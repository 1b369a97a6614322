// Rate limits, written once and run against both stores: the store's contract directly, then the
// limits as a client meets them over HTTP (sign-in per account and per address, operations per
// user and per API token), with X-Forwarded-For believed for one hop.
import { randomBytes } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApiToken } from '../auth/session.js';
import { ApiToken } from '../modules/api-token/api-token.entity.js';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type GqlError, type TestApi } from '../test/api.js';
import { MemoryRateLimitStore, RedisRateLimitStore, type RateLimitStore } from './rate-limit.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisStore(): Promise<RateLimitStore> {
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    throw new Error(`Redis is not reachable at ${redisUrl}: start it (npm test does) or set TEST_REDIS_URL`);
  } finally {
    probe.disconnect();
  }
  // A prefix per run, so parallel test files and the two database projects do not share counters.
  return new RedisRateLimitStore(redisUrl, `test:ratelimit:${randomBytes(4).toString('hex')}:`);
}

const stores: [string, () => Promise<RateLimitStore>][] = [
  ['in-process', async () => new MemoryRateLimitStore()],
  ['Redis', redisStore],
];

interface Reply {
  status: number;
  retryAfter: string | null;
  data?: Record<string, unknown> | null;
  errors?: GqlError[];
}

const SIGN_IN =
  'mutation SignIn($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { accessToken } }';

describe.skipIf(postgresUnavailable()).each(stores)('rate limits (%s store)', (_name, makeStore) => {
  let store: RateLimitStore;
  let api: TestApi;
  const post = async (
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Omit<Reply, 'status' | 'retryAfter'>;
    return { status: res.status, retryAfter: res.headers.get('retry-after'), ...body };
  };
  /** A fresh client address per call (as the web app's proxy appends it): counters never cross tests. */
  let clients = 0;
  const address = () => `198.18.${++clients >> 8}.${clients & 255}`;
  const from = (xff: string) => ({ 'x-forwarded-for': xff });

  beforeAll(async () => {
    store = await makeStore();
    api = await startTestApi({
      env: { RATE_LIMIT_API_PER_MINUTE: '20', RATE_LIMIT_SIGNIN_PER_ACCOUNT: '3', RATE_LIMIT_SIGNIN_PER_IP: '8' },
      rateLimitStore: store,
    });
  });
  afterAll(() => api?.close());

  describe('store contract', () => {
    it('counts hits in a window and reports when it ends', async () => {
      const key = `k-${randomBytes(4).toString('hex')}`;
      const first = await store.hit(key, 10_000);
      const second = await store.hit(key, 10_000);
      expect(first.count).toBe(1);
      expect(second.count).toBe(2);
      expect(second.resetMs).toBeGreaterThan(8_000);
      expect(second.resetMs).toBeLessThanOrEqual(10_000);
    });

    it('starts a new window once the old one ends', async () => {
      const key = `k-${randomBytes(4).toString('hex')}`;
      await store.hit(key, 50);
      await store.hit(key, 50);
      await new Promise((r) => setTimeout(r, 80));
      expect((await store.hit(key, 50)).count).toBe(1);
    });

    it('keeps keys apart and resets one', async () => {
      const a = `a-${randomBytes(4).toString('hex')}`;
      const b = `b-${randomBytes(4).toString('hex')}`;
      await store.hit(a, 10_000);
      await store.hit(a, 10_000);
      expect((await store.hit(b, 10_000)).count).toBe(1);
      await store.reset(a);
      expect((await store.hit(a, 10_000)).count).toBe(1);
    });

    it('counts concurrent hits exactly', async () => {
      const key = `c-${randomBytes(4).toString('hex')}`;
      const hits = await Promise.all(Array.from({ length: 50 }, () => store.hit(key, 10_000)));
      expect(hits.map((h) => h.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });
  });

  it('limits sign-in attempts per account, with the time to wait', async () => {
    const { user } = await api.user({ password: 'correct horse battery' });
    const xff = address();
    for (let i = 0; i < 3; i++) {
      const r = await post(SIGN_IN, { email: user.email, password: 'wrong' }, from(xff));
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    // Even the right password waits: the limit is on the account, whatever is guessed.
    const refused = await post(SIGN_IN, { email: user.email, password: 'correct horse battery' }, from(address()));
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    const wait = refused.errors![0]!.extensions!.retryAfterSeconds as number;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(refused.retryAfter).toBe(String(wait));
    expect(refused.errors?.[0]?.message).toMatch(/try again in \d+ s/);
    // Another account is not affected.
    const other = await api.user({ password: 'another good password' });
    const ok = await post(SIGN_IN, { email: other.user.email, password: 'another good password' }, from(address()));
    expect(ok.errors).toBeUndefined();
  });

  it('clears an account’s count on a successful sign-in', async () => {
    const { user } = await api.user({ password: 'correct horse battery' });
    const xff = address();
    for (let i = 0; i < 2; i++) await post(SIGN_IN, { email: user.email, password: 'wrong' }, from(xff));
    expect(
      (await post(SIGN_IN, { email: user.email, password: 'correct horse battery' }, from(xff))).errors,
    ).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      const r = await post(SIGN_IN, { email: user.email, password: 'wrong' }, from(xff));
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('counts every aliased signIn of one request', async () => {
    const { user } = await api.user({ password: 'correct horse battery' });
    const fields = Array.from(
      { length: 5 },
      (_, i) => `s${i}: signIn(input: { email: $email, password: "guess${i}" }) { accessToken }`,
    );
    const r = await post(
      `mutation Batch($email: String!) { ${fields.join(' ')} }`,
      { email: user.email },
      from(address()),
    );
    expect(r.status).toBe(429);
    expect(r.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('limits sign-in attempts per client address, as the first proxy hop reports it', async () => {
    const xff = address();
    for (let i = 0; i < 8; i++) {
      const r = await post(SIGN_IN, { email: `nobody${i}@example.com`, password: 'x' }, from(xff));
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const refused = await post(SIGN_IN, { email: 'nobody-else@example.com', password: 'x' }, from(xff));
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 'sign-in attempts from this address',
    });
    // trust proxy = 1: the address is the last hop's (the web app's view of the client), so a
    // client cannot reset its count by prepending addresses of its own.
    const spoofed = await post(
      SIGN_IN,
      { email: 'nobody-else@example.com', password: 'x' },
      from(`198.51.100.9, ${xff}`),
    );
    expect(spoofed.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const elsewhere = await post(SIGN_IN, { email: 'nobody-else@example.com', password: 'x' }, from(address()));
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('limits operations per user', async () => {
    const a = await api.user();
    const b = await api.user();
    const auth = (t: string) => ({ authorization: `Bearer ${t}`, ...from(address()) });
    for (let i = 0; i < 20; i++) expect((await post('{ viewer { id } }', {}, auth(a.token))).errors).toBeUndefined();
    const refused = await post('{ viewer { id } }', {}, auth(a.token));
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'requests' });
    expect((await post('{ viewer { id } }', {}, auth(b.token))).errors).toBeUndefined();
  });

  it('limits operations per API token, apart from the same user’s session', async () => {
    const { user, token: session } = await api.user();
    const em = api.db.orm.em.fork();
    const t = newApiToken();
    em.create(ApiToken, { user: user.id, name: 'ci', prefix: t.prefix, tokenHash: t.hash, scopes: [] });
    await em.flush();
    for (let i = 0; i < 20; i++) {
      expect((await post('{ viewer { id } }', {}, { authorization: `Bearer ${t.token}` })).errors).toBeUndefined();
    }
    const refused = await post('{ viewer { id } }', {}, { authorization: `Bearer ${t.token}` });
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect((await post('{ viewer { id } }', {}, { authorization: `Bearer ${session}` })).errors).toBeUndefined();
  });

  it('limits operations on the WebSocket too', async () => {
    const { token } = await api.user();
    const client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const once = () =>
      new Promise<{ errors?: GqlError[] }>((resolve) => {
        client.subscribe(
          { query: '{ viewer { id } }' },
          {
            next: (v) => resolve(v as { errors?: GqlError[] }),
            error: (e) => resolve({ errors: e as GqlError[] }),
            complete: () => undefined,
          },
        );
      });
    try {
      for (let i = 0; i < 20; i++) expect((await once()).errors).toBeUndefined();
      const refused = await once();
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: expect.any(Number),
      });
    } finally {
      await client.dispose();
    }
  });
});
