// Idle keep-alive connections outlast a page's polling. The web server's /graphql rewrite pools its
// connections to the API without an idle timeout of its own; a connection the API dropped after 5 s
// was reused at that instant often enough that the request failed with ECONNRESET (a 500 in the browser).
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEP_ALIVE_TIMEOUT_MS } from './app.js';
import { postgresUnavailable } from './test/database.js';
import { startTestApi, type TestApi } from './test/api.js';

function post(url: string, agent: Agent) {
  return new Promise<{ status: number; keepAlive: string | string[] | undefined; reusedSocket: boolean }>(
    (resolve, reject) => {
      const req = request(
        `${url}/graphql`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              keepAlive: res.headers['keep-alive'],
              reusedSocket: req.reusedSocket,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ query: '{ __typename }' }));
    },
  );
}

describe.skipIf(postgresUnavailable())('idle keep-alive connections', () => {
  let api: TestApi;
  // Pooled like Next's proxy: keep-alive, and no idle timeout on the client side.
  const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    agent.destroy();
    await api?.close();
  });

  it('announces how long an idle connection stays open', async () => {
    const res = await post(api.url, agent);
    expect(res.status).toBe(200);
    expect(res.keepAlive).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
  });

  it('keeps a pooled connection open past the 5 s poll of a page, so the next request reuses it', async () => {
    await post(api.url, agent);
    // Node's default closed it at 5 s + 1 s; a page polling every 5 s landed on that instant.
    await new Promise((r) => setTimeout(r, 6_500));
    const again = await post(api.url, agent);
    expect(again).toMatchObject({ status: 200, reusedSocket: true });
  });
});
