// What the load benchmarks share around their measurements: the Node check, a throwaway database that
// is dropped at the end (also on Ctrl-C), API and baseline servers in child processes forked from the
// benchmark's own file, and the parts every report has (machine, commit) and its file.
import { execFileSync, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDatabase } from './bench-database.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Benchmarks measure the project's Node: `npm run <script>` puts the pinned Node 24 first on PATH. */
export function requireNode24(script) {
  if (Number(process.versions.node.split('.')[0]) < 24) {
    throw new Error(`Node ${process.version}: run through npm run ${script} (the pinned Node 24)`);
  }
}

/**
 * Creates a throwaway database and runs `body(db)`: `db` is benchDatabase()'s answer plus `children`,
 * the child processes to stop at the end. Then, whether `body` succeeded, failed or a signal came
 * first, stops those children and drops the database (once; whoever comes second waits for it).
 */
export async function withBenchDatabase(body) {
  const db = { ...(await benchDatabase()), children: [] };
  let cleaning = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await Promise.allSettled(db.children.map(stopChild));
      await db.admin(`drop database if exists "${db.dbName}" with (force)`);
      console.error(`dropped database ${db.dbName}`);
    })());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
  await db.admin(`create database "${db.dbName}"`);
  try {
    return await body(db);
  } finally {
    await cleanup();
  }
}

/**
 * Forks `script` (the benchmark's own file) with `role` as its argument, the database and the fixture
 * in its environment (BENCH_DATABASE_URL, BENCH_FIXTURE, NODE_ENV=production) and `env`. Resolves
 * with the child once it has sent its first message (where it listens), kept as `child.ready`; the
 * child joins `children`, to be stopped at the end.
 */
export function startChild(script, role, { dbUrl, fixture, env = {} }, children) {
  const child = fork(script, [role], {
    env: {
      ...process.env,
      ...env,
      NODE_ENV: 'production',
      BENCH_DATABASE_URL: dbUrl.toString(),
      BENCH_FIXTURE: JSON.stringify(fixture),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code} before listening`)));
    child.once('message', (m) => resolve(Object.assign(child, { ready: m })));
  });
}

/** Asks a child to close (so --cpu-prof can write its profile), killing it after 10 s. */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // A child still starting has no handler for 'stop' yet.
    if (child.connected && child.ready) child.send('stop');
    else child.kill('SIGTERM');
  });
}

/** One command to a child and its answer (children answer commands in order). */
export function request(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

/**
 * What every report starts with: the benchmark, when, on what machine (the 1-minute load average at
 * the start and, when given, at the end), which Node and which commit.
 */
export function reportHeader(benchmark, loadAtStart, loadAtEnd) {
  return {
    benchmark,
    date: new Date().toISOString(),
    machine: {
      nproc: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      loadAverage1mAtStart: round(loadAtStart, 2),
      ...(loadAtEnd === undefined ? {} : { loadAverage1mAtEnd: round(loadAtEnd, 2) }),
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    },
    node: process.version,
    source: sourceVersion(),
  };
}

/** The commit measured, and whether server/ had uncommitted changes (then the figures are not that commit's). */
function sourceVersion() {
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      serverUncommittedChanges: git('status', '--porcelain', '--', 'server') !== '',
    };
  } catch {
    return { commit: 'unknown', serverUncommittedChanges: null };
  }
}

/** Writes the report as JSON to `out` and says where. */
export async function writeReport(out, report) {
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}
