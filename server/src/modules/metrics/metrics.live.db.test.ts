// Live metric subscriptions as subscribers see them over graphql-ws, with the event execution
// prepared once per subscription (realtime/prepared-subscribe.ts): several callers on one event get
// their own selections (aliases, __typename, a directive taking graphql-js's path), and a caller who
// loses the right stops receiving while the others go on.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_RECHECK_MS } from '../../auth/live-permission.js';
import { Membership, Role } from '../membership/membership.entity.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import type { Topics } from '../../realtime/pubsub.js';

interface Received {
  data: unknown[];
  errors: unknown[];
  completed: boolean;
}

describe('live metric subscriptions over graphql-ws', () => {
  let api: TestApi;
  const clients: Client[] = [];

  beforeAll(async () => {
    api = await startTestApi();
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await api?.close();
  });

  const listen = (token: string, query: string, variables: Record<string, unknown>): Received => {
    const client = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    clients.push(client);
    const got: Received = { data: [], errors: [], completed: false };
    client.subscribe(
      { query, variables },
      {
        next: (m) => (m.errors ? got.errors.push(...m.errors) : got.data.push(m.data)),
        error: (e) => got.errors.push(e),
        complete: () => (got.completed = true),
      },
    );
    return got;
  };

  const until = async (what: () => boolean, tick: () => Promise<void>, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!what()) {
      if (Date.now() > end) throw new Error('timed out');
      await tick();
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('gives each subscriber of one event its own selection, and stops one who lost the right', async () => {
    const owner = await api.user();
    const viewer = await api.user();
    const { org, project } = await api.org(owner.user, Role.OWNER);
    const em = api.db.orm.em.fork();
    em.create(Membership, { organization: org.id, user: viewer.user.id, role: Role.VIEWER, project: null });
    await em.flush();

    const plain = listen(
      owner.token,
      `subscription($p: ID!) { projectMetricsLive(projectId: $p) { projectId machines cpu memoryBytes } }`,
      { p: project.id },
    );
    const aliased = listen(
      viewer.token,
      `subscription S($p: ID!) { live: projectMetricsLive(projectId: $p) { __typename id: projectId cores: cpu at } }`,
      { p: project.id },
    );
    // A directive is outside the prepared path: graphql-js executes this one per event.
    const directed = listen(
      owner.token,
      `subscription($p: ID!, $net: Boolean!) { projectMetricsLive(projectId: $p) { machines netIn @include(if: $net) netOut @skip(if: $net) } }`,
      { p: project.id, net: true },
    );

    let n = 0;
    const sample = (): Topics['projectMetrics'] => ({
      projectId: project.id,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, ++n)).toISOString(),
      machines: 3,
      cpu: 1.5,
      memoryBytes: 3 * 2 ** 30,
      netIn: 100,
      netOut: 200,
      diskRead: 0,
      diskWrite: 0,
    });
    // Subscriptions become active asynchronously: publish until each has had an event.
    let last = sample();
    await until(
      () => plain.data.length > 0 && aliased.data.length > 0 && directed.data.length > 0,
      () => api.pubsub.publish('projectMetrics', project.id, (last = sample())),
    );
    expect(plain.errors).toEqual([]);
    expect(aliased.errors).toEqual([]);
    expect(directed.errors).toEqual([]);
    expect(plain.data.at(-1)).toEqual({
      projectMetricsLive: { projectId: project.id, machines: 3, cpu: 1.5, memoryBytes: 3 * 2 ** 30 },
    });
    expect(aliased.data.at(-1)).toEqual({
      live: { __typename: 'ProjectMetricSample', id: project.id, cores: 1.5, at: last.at },
    });
    expect(directed.data.at(-1)).toEqual({ projectMetricsLive: { machines: 3, netIn: 100 } });

    // The viewer leaves the organisation (in the database, not through the API): once the shared
    // permission answers expire (this stream's, 1 s, over the API's, LIVE_RECHECK_MS), the viewer's
    // stream ends on the next event, without it; the owner's subscriptions go on.
    await em.nativeDelete(Membership, { user: viewer.user.id });
    await new Promise((r) => setTimeout(r, LIVE_RECHECK_MS + 1100));
    const before = { plain: plain.data.length, aliased: aliased.data.length };
    const next = sample();
    await api.pubsub.publish('projectMetrics', project.id, next);
    await until(
      () => plain.data.length > before.plain && aliased.completed,
      async () => undefined,
    );
    expect(aliased.data.length).toBe(before.aliased);
    expect(plain.data.at(-1)).toMatchObject({ projectMetricsLive: { projectId: project.id } });
    expect(plain.completed).toBe(false);
  });
});
