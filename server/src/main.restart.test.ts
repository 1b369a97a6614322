// The API process as `npm start` runs it (the build in server/dist), embedded mode: what was
// created before a stop is there after the next start.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const main = path.resolve(import.meta.dirname, '../dist/main.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'pvepaas-restart-'));
const password = 'restart-test-password';

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

async function start(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      ADMIN_PASSWORD: password,
      LOG_LEVEL: 'warn',
      PVE_SIMULATOR: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the API did not become ready within 60 s');
}

async function stop(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  return new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));
}

async function gql(port: number, query: string, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
}

describe('the API process in embedded mode', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps its data across a stop and a start', { timeout: 180_000 }, async () => {
    expect(existsSync(main), `${main} is missing: run \`npm run build\` first (npm test does)`).toBe(true);
    const port = await freePort();
    let api = await start(port);
    const signIn = `mutation { signIn(input: { email: "admin@example.com", password: "${password}" }) { accessToken } }`;
    let token = (await gql(port, signIn)).data.signIn.accessToken as string;
    const created = await gql(
      port,
      'mutation { createOrganization(input: { name: "Kept", slug: "kept" }) { id } }',
      token,
    );
    expect(created.errors).toBeUndefined();
    expect(await stop(api)).toBe(0);

    api = await start(port);
    token = (await gql(port, signIn)).data.signIn.accessToken;
    const orgs = await gql(port, '{ organizations { edges { node { slug } } } }', token);
    expect(orgs.data.organizations.edges.map((e: any) => e.node.slug)).toEqual(['demo', 'kept']);
    expect(await stop(api)).toBe(0);
  });
});
