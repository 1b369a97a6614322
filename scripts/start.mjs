// `npm start`: runs the platform from the build (`npm run build` runs first): the API and the web
// app, on embedded parts unless DATABASE_URL and friends are set. Prints where to go, stops both on
// SIGINT/SIGTERM, and stops everything if either dies.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const apiPort = process.env.PORT ?? '4000';
const webPort = process.env.WEB_PORT ?? '3000';
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = process.env.DATA_DIR ?? path.join(root, '.data');
const apiUrl = `http://${host}:${apiPort}`;

const children = [];
function run(name, args, env, cwd = root) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the platform.`);
      stop(code || 1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  const deadline = setTimeout(() => process.exit(code), 10_000);
  deadline.unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() =>
    process.exit(code),
  );
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(url, what, timeoutMs = 120_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (stopping) return;
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000}s`);
}

for (const built of ['server/dist/main.js', 'web/.next/BUILD_ID']) {
  if (!existsSync(path.join(root, built))) {
    console.error(`Missing ${built}: run \`npm run build\` first (\`npm start\` does).`);
    process.exit(1);
  }
}

run('API', ['server/dist/main.js'], {
  PORT: apiPort,
  HOST: host,
  DATA_DIR: dataDir,
  NODE_ENV: process.env.NODE_ENV ?? 'production',
  GRAPHQL_INTROSPECTION: process.env.GRAPHQL_INTROSPECTION ?? 'true',
});
await waitFor(`${apiUrl}/readyz`, 'The API');
run(
  'web',
  [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', webPort, '-H', host],
  { API_URL: apiUrl },
  path.join(root, 'web'),
);
await waitFor(`http://${host}:${webPort}/sign-in`, 'The web app');
if (!stopping) {
  const passwordFile = path.join(dataDir, 'initial-admin-password');
  console.log(`
  Platform ready.
    Web app:     http://${host}:${webPort}
    GraphQL API: ${apiUrl}/graphql   (health: ${apiUrl}/healthz, ${apiUrl}/readyz)
    Sign in as:  ${process.env.ADMIN_EMAIL ?? 'admin@example.com'}${existsSync(passwordFile) ? `, password in ${passwordFile}` : ''}
    Data:        ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${dataDir}`}
  Stop with Ctrl+C.
`);
}
