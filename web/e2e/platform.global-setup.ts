// Starts the platform the way the README does (`scripts/start.mjs` over the build that `npm test`
// makes first), with a throwaway data directory and a known admin password, unless E2E_BASE_URL
// points at one that is already running. Stops it after the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startE2eOidcProvider } from './oidc.provider';

const root = path.resolve(import.meta.dirname, '../..');

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`the platform exited (code ${child.exitCode}) before ${url} answered`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.E2E_BASE_URL) return async () => undefined;
  for (const built of ['server/dist/main.js', 'server/dist/secrets/put-secret.js', 'web/.next/BUILD_ID']) {
    if (!existsSync(path.join(root, built)))
      throw new Error(`${built} is missing: run \`npm run build\` first (npm test does).`);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pvepaas-e2e-'));
  const password = randomBytes(12).toString('base64url');
  // The OpenID Connect provider first: the platform reads its issuer and client secret at start.
  const oidc = await startE2eOidcProvider('http://127.0.0.1:3000', dataDir);
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, ...oidc.env, DATA_DIR: dataDir, ADMIN_PASSWORD: password, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitFor('http://127.0.0.1:3000/sign-in', child, 180_000);
  } catch (err) {
    child.kill('SIGKILL');
    await oidc.provider.close();
    throw err;
  }
  process.env.E2E_BASE_URL = 'http://127.0.0.1:3000';
  process.env.E2E_PASSWORD = password;
  process.env.DATA_DIR = dataDir;
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    await oidc.provider.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
