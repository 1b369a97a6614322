// A subscription's permission is asked of the database again after any mutation through the API and
// at most LIVE_RECHECK_MS after its last answer (auth/live-permission.ts): a disabled account's
// subscription ends at its next event, as do one made with an API token that was revoked and one of
// a session that signed out, and so does a member removed behind the API's back (in the database),
// once that time has passed.
// Meanwhile a permitted subscriber gets every event.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Membership, Role } from '../modules/membership/membership.entity.js';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type TestApi } from '../test/api.js';
import { LIVE_RECHECK_MS } from './live-permission.js';

describe.skipIf(postgresUnavailable())('permission of a live subscription', () => {
  let api: TestApi;
  let owner: Awaited<ReturnType<TestApi['user']>>;
  let admin: Awaited<ReturnType<TestApi['user']>>;
  let org: Awaited<ReturnType<TestApi['org']>>;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.user({ admin: true });
    owner = await api.user();
    org = await api.org(owner.user, Role.OWNER);
  });

  afterAll(async () => {
    await api?.close();
  });

  /**
   * A viewer of the organisation following its project's machine events; `statuses` collects them.
   * The subscription uses a token minted by the test, or `with` a read-only API token of the member,
   * or the access token of a sign-in with their password.
   */
  async function follower({
    with: credential,
    again,
  }: {
    with?: 'apiToken' | 'signIn';
    again?: { member: Awaited<ReturnType<TestApi['user']>>; membership: Membership };
  } = {}) {
    const password = 'correct horse battery staple';
    // `again`: the same member and membership as that follower, with a credential of its own.
    const member = again?.member ?? (await api.user({ password }));
    let membership = again?.membership;
    if (!membership) {
      const em = api.db.orm.em.fork();
      membership = em.create(Membership, {
        organization: org.org.id,
        user: member.user.id,
        role: Role.VIEWER,
        project: null,
      });
      await em.flush();
    }
    let apiToken: { id: string; token: string } | null = null;
    let accessToken: string | null = null;
    if (credential === 'signIn') {
      const signedIn = await api.ok<{ signIn: { accessToken: string } }>(
        `mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }`,
        { input: { email: member.user.email, password } },
      );
      accessToken = signedIn.signIn.accessToken;
    }
    if (credential === 'apiToken') {
      const created = await api.ok<{ createApiToken: { apiToken: { id: string }; token: string } }>(
        `mutation { createApiToken(input: { name: "follower" }) { apiToken { id } token } }`,
        {},
        member.token,
      );
      apiToken = { id: created.createApiToken.apiToken.id, token: created.createApiToken.token };
    }
    const client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${apiToken?.token ?? accessToken ?? member.token}` },
    });
    const statuses: string[] = [];
    let first!: () => void;
    const firstArrived = new Promise<void>((resolve) => (first = resolve));
    const ended = new Promise<void>((resolve, reject) => {
      client.subscribe(
        {
          query: `subscription($p: ID!) { machineEvents(projectId: $p) { status } }`,
          variables: { p: org.project.id },
        },
        {
          next: (m) => {
            statuses.push((m.data?.machineEvents as { status: string } | undefined)?.status ?? JSON.stringify(m));
            first();
          },
          error: reject,
          complete: resolve,
        },
      );
    });
    // Live once an event arrives: keep publishing until one does.
    const tick = setInterval(() => void publish('RUNNING'), 50);
    await firstArrived.finally(() => clearInterval(tick));
    return { member, membership, apiToken, accessToken, client, statuses, ended };
  }

  const publish = (status: string) =>
    api.pubsub.publish('machineEvents', org.project.id, {
      machineId: '00000000-0000-4000-8000-000000000000',
      projectId: org.project.id,
      status,
      node: 'pve1',
      ipAddresses: [],
      at: new Date().toISOString(),
    });

  it('delivers every event while the member keeps their access', async () => {
    const f = await follower();
    try {
      const before = f.statuses.length;
      for (const status of ['STOPPED', 'RUNNING', 'SUSPENDED']) await publish(status);
      await expect.poll(() => f.statuses.slice(before)).toEqual(['STOPPED', 'RUNNING', 'SUSPENDED']);
    } finally {
      await f.client.dispose();
    }
  });

  /** After `act`, the next event (`status`) does not reach `f`, and its subscription ends. */
  async function endsAtNextEvent(
    f: Awaited<ReturnType<typeof follower>>,
    act: () => Promise<unknown>,
    status = 'STOPPED',
  ) {
    await act();
    await publish(status);
    await f.ended;
    expect(f.statuses).not.toContain(status);
  }

  it("ends a disabled account's subscription at its next event", async () => {
    const f = await follower();
    try {
      await endsAtNextEvent(f, () =>
        api.ok(
          `mutation($id: ID!) { setUserDisabled(id: $id, disabled: true) { id } }`,
          { id: f.member.user.id },
          admin.token,
        ),
      );
    } finally {
      await f.client.dispose();
    }
  });

  it('ends a subscription made with an API token at its next event once the token is revoked', async () => {
    const f = await follower({ with: 'apiToken' });
    try {
      await endsAtNextEvent(f, () =>
        api.ok(`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: f.apiToken!.id }, f.member.token),
      );
    } finally {
      await f.client.dispose();
    }
  });

  it('ends a subscription made with a sign-in at its next event once that session signs out', async () => {
    const f = await follower({ with: 'signIn' });
    const other = await follower({ with: 'signIn', again: f });
    try {
      // The same member's other session signing out ends that session's subscription, not this one.
      const before = f.statuses.length;
      await endsAtNextEvent(other, () => api.ok(`mutation { signOut }`, {}, other.accessToken));
      await expect.poll(() => f.statuses.slice(before)).toEqual(['STOPPED']);
      await endsAtNextEvent(f, () => api.ok(`mutation { signOut }`, {}, f.accessToken), 'SUSPENDED');
    } finally {
      await Promise.all([f.client.dispose(), other.client.dispose()]);
    }
  });

  it('ends the subscription of a member removed in the database within LIVE_RECHECK_MS', async () => {
    const f = await follower();
    try {
      // Not through the API (as another API instance or an operator would): no mutation here tells it.
      await api.db.orm.em.fork().nativeDelete(Membership, { id: f.membership.id });
      const removedAt = Date.now();
      const tick = setInterval(() => void publish('STOPPED'), 100);
      await f.ended.finally(() => clearInterval(tick));
      expect(Date.now() - removedAt).toBeLessThan(LIVE_RECHECK_MS + 2_000);
    } finally {
      await f.client.dispose();
    }
  });
});
