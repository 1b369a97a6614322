// `npm run bench:web`: the web app's production build, measured two ways.
//
// 1. First-load JavaScript per route, gzip: the chunks Next lists per route in the build's
//    diagnostics/route-bundle-stats.json, each gzipped (level 9) and summed. Target: < 250 KB.
// 2. Largest Contentful Paint of the dashboard and the machines list with 1,000 machines, in the
//    Debian Chromium (playwright-core), read with PerformanceObserver('largest-contentful-paint'),
//    cold (a new browser context per load), median of --runs. Beside it, in the same run, the
//    baseline: the same first page of machines as a static HTML table served by node:http. Target:
//    LCP < 1.0 s.
//
// The run is self-contained: a throwaway PostgreSQL database, the API (createApp from server/dist) on
// a free port, 1,000 machines created through the API (createMachine), a build of the web app into
// web/.data/bench with API_URL pointing at that API, and `next start` on another free port.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { startBenchApi } from './lib/bench-api.mjs';
import { benchDatabase } from './lib/bench-database.mjs';
import { seedClusterTemplate } from './lib/bench-seed.mjs';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'web');
const dist = (p) => new URL(`../server/dist/${p}`, import.meta.url).href;
// Under web/.data (ignored by git, lint and format), not inside .next: a `next build` of the default
// build (the e2e suite's, another helper's) empties .next, and took a bench build under it along
// mid-run.
const DIST_DIR = '.data/bench';
const TARGET_FIRST_LOAD_KB = 250;
const TARGET_LCP_MS = 1000;

const { values: opts } = parseArgs({
  options: {
    machines: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    'skip-build': { type: 'boolean', default: false },
    // `--only first-load`: build and size the routes, no database, API, seeding or LCP (for iterating
    // on bundle size); prints the table and writes nothing.
    only: { type: 'string' },
    out: { type: 'string', default: path.join(root, 'bench/results/web.json') },
    // `--screenshots <dir>`: also save the dashboard and the machines list at desktop and phone width
    // (a look at the pages measured; the e2e suite's screenshots are the reference).
    screenshots: { type: 'string' },
  },
});
const MACHINES = Number(opts.machines);
const RUNS = Number(opts.runs);

const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Owner, organization, project, cluster and template, through the API's ORM (clusters need the secret store otherwise). */
async function seedFixture(url) {
  const { openOrm } = await import(dist('db/orm.js'));
  const orm = await openOrm({ url, poolSize: 2 });
  try {
    const em = orm.em.fork();
    const owner = em.create('User', { email: 'bench-web@example.com', displayName: 'Bench Web' });
    const org = em.create('Organization', { name: 'Bench', slug: 'bench' });
    const project = em.create('Project', { organization: org, name: 'default' });
    em.create('Membership', { organization: org, user: owner, role: 'OWNER', project: null });
    const { template } = await seedClusterTemplate(em);
    return { ownerId: owner.id, projectId: project.id, templateId: template.id };
  } finally {
    await orm.close();
  }
}

async function gql(apiUrl, token, query, variables) {
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** `count` machines through createMachine, 8 at a time; sizes vary so the table is not uniform. */
async function seedMachines(apiUrl, token, fixture, count) {
  const create = `mutation ($input: CreateMachineInput!) { createMachine(input: $input) { id } }`;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      await gql(apiUrl, token, create, {
        input: {
          projectId: fixture.projectId,
          templateId: fixture.templateId,
          name: `vm-${String(n).padStart(4, '0')}`,
          cores: 1 + (n % 8),
          memoryMiB: 1024 * (1 + (n % 4)),
          diskGiB: 10 + (n % 50),
        },
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function run(cmd, args, env) {
  execFileSync(cmd, args, { cwd: web, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** First-load JS per route from the build's diagnostics: each chunk gzipped and summed. */
function firstLoadJs() {
  const stats = JSON.parse(readFileSync(path.join(web, DIST_DIR, 'diagnostics/route-bundle-stats.json'), 'utf8'));
  const gz = new Map();
  const sizeOf = (chunk) => {
    // Paths are relative to web/, under the distDir (older Next versions wrote `.next/` whatever it was).
    const file = chunk.startsWith(`${DIST_DIR}/`)
      ? path.join(web, chunk)
      : path.join(web, chunk.replace(/^\.next\//, `${DIST_DIR}/`));
    if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(file), { level: 9 }).length);
    return gz.get(file);
  };
  return stats
    .map((r) => ({
      route: r.route,
      chunks: r.firstLoadChunkPaths.length,
      rawKB: round(r.firstLoadUncompressedJsBytes / 1024),
      gzipKB: round(r.firstLoadChunkPaths.reduce((s, c) => s + sizeOf(c), 0) / 1024),
    }))
    .sort((a, b) => b.gzipKB - a.gzipKB);
}

function startNext(port, env) {
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: web,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return child;
}

async function waitFor(url, timeoutMs = 60_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      if ((await fetch(url, { redirect: 'manual' })).status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

/** The baseline: the list's first page as plain HTML, no script, served by node:http. */
function serveBaseline(rows) {
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Machines</title>
<style>body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse;width:100%}td,th{padding:8px;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body><h1>Machines</h1><table><thead><tr><th>Name</th><th>Status</th><th>Kind</th><th>Size</th><th>Project</th><th>Created</th></tr></thead><tbody>
${rows.map((m) => `<tr><td>${esc(m.name)}</td><td>${esc(m.status)}</td><td>${esc(m.kind)}</td><td>${m.cores} cores · ${m.memoryMiB} MiB · ${m.diskGiB} GiB</td><td>${esc(m.project.name)}</td><td>${esc(m.createdAt)}</td></tr>`).join('\n')}
</tbody></table></body></html>`;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** LCP (ms) of one cold load: a new context, the page, its content, then the last LCP entry. */
async function lcpOnce(browser, url, cookie, ready) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  try {
    if (cookie) await context.addCookies([cookie]);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url, { waitUntil: 'load' });
    await page.locator(ready).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(300);
    const lcp = await page.evaluate(
      () =>
        new Promise((resolve) => {
          new PerformanceObserver((list) => resolve(list.getEntries().at(-1)?.startTime ?? null)).observe({
            type: 'largest-contentful-paint',
            buffered: true,
          });
          setTimeout(() => resolve(null), 2000);
        }),
    );
    if (errors.length) throw new Error(`browser errors on ${url}: ${errors.join('; ')}`);
    if (lcp === null) throw new Error(`no largest-contentful-paint entry on ${url}`);
    return lcp;
  } finally {
    await context.close();
  }
}

/** The measured pages at 1280×800 and 390×844, light theme, after their content is there. */
async function screenshots(browser, cookie, pages, dir) {
  await mkdir(dir, { recursive: true });
  for (const [name, p] of Object.entries(pages)) {
    if (!p.cookie) continue;
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ]) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: 'light' });
      try {
        await context.addCookies([cookie]);
        const page = await context.newPage();
        await page.goto(p.url, { waitUntil: 'load' });
        await page.locator(p.ready).first().waitFor({ timeout: 30_000 });
        await page.waitForTimeout(500);
        await page.screenshot({ path: path.join(dir, `${name}-${width}.png`) });
      } finally {
        await context.close();
      }
    }
  }
}

/** `--only first-load`: the build (API_URL is only compiled into rewrites) and the size table. */
function firstLoadOnly() {
  if (!opts['skip-build']) buildWeb({ NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1' });
  const routes = firstLoadJs();
  console.log('\nfirst-load JS per route (gzip)');
  for (const r of routes)
    console.log(`  ${r.route.padEnd(26)} ${String(r.gzipKB).padStart(7)} KB  (${r.rawKB} KB raw)`);
  const over = routes.filter((r) => r.gzipKB >= TARGET_FIRST_LOAD_KB).length;
  console.log(`${over} of ${routes.length} routes at or over ${TARGET_FIRST_LOAD_KB} KB`);
}

function buildWeb(env) {
  // next build adds its distDir's type folders to web/tsconfig.json (and reformats it); keep the
  // committed file as it was.
  const tsconfig = path.join(web, 'tsconfig.json');
  const before = readFileSync(tsconfig, 'utf8');
  try {
    run(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], env);
  } finally {
    writeFileSync(tsconfig, before);
  }
}

async function main() {
  if (opts.only !== undefined) {
    if (opts.only !== 'first-load') throw new Error(`--only ${opts.only}: only 'first-load' is known`);
    return firstLoadOnly();
  }
  const loadAtStart = os.loadavg()[0];
  const { dbName, dbUrl, admin } = await benchDatabase();
  const cleanups = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((e) => console.error('cleanup:', e.message));
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    await admin(`create database "${dbName}"`);
    cleanups.push(() => admin(`drop database if exists "${dbName}" with (force)`));
    const { app, address, close } = await startBenchApi({
      url: dbUrl.toString(),
      config: { RATE_LIMIT_API_PER_MINUTE: '10000000' },
    });
    cleanups.push(close);
    const apiUrl = `http://127.0.0.1:${address.port}`;
    const fixture = await seedFixture(dbUrl.toString());
    const token = await app.services.sessionKeys.sign(fixture.ownerId);
    const seedStart = performance.now();
    await seedMachines(apiUrl, token, fixture, MACHINES);
    console.log(
      `seeded ${MACHINES} machines through createMachine in ${round((performance.now() - seedStart) / 1000)} s`,
    );

    const env = {
      NEXT_DIST_DIR: DIST_DIR,
      API_URL: apiUrl,
      NEXT_PUBLIC_WS_URL: `ws://127.0.0.1:${address.port}/graphql`,
      NEXT_TELEMETRY_DISABLED: '1',
    };
    if (!opts['skip-build']) buildWeb(env);
    const routes = firstLoadJs();

    const webPort = await freePort();
    const next = startNext(webPort, env);
    cleanups.push(async () => {
      next.kill('SIGTERM');
      await new Promise((r) => (next.exitCode !== null ? r() : next.once('exit', r)));
    });
    const webUrl = `http://127.0.0.1:${webPort}`;
    await waitFor(`${webUrl}/sign-in`);

    const { machines } = await gql(
      apiUrl,
      token,
      `{ machines(first: 20, orderBy: { field: CREATED_AT, direction: DESC }) { totalCount edges { node { name status kind cores memoryMiB diskGiB createdAt project { name } } } } }`,
    );
    if (machines.totalCount !== MACHINES)
      throw new Error(`expected ${MACHINES} machines, the API has ${machines.totalCount}`);
    const baseline = await serveBaseline(machines.edges.map((e) => e.node));
    cleanups.push(() => new Promise((r) => baseline.close(r)));
    const baselineUrl = `http://127.0.0.1:${baseline.address().port}/`;

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    cleanups.push(() => browser.close());
    const { SESSION_COOKIE } = await import(dist('auth/session.js'));
    const cookie = { name: SESSION_COOKIE, value: token, url: webUrl, httpOnly: true, sameSite: 'Lax' };

    const pages = {
      baseline: { url: baselineUrl, cookie: null, ready: 'table tbody tr' },
      dashboard: { url: `${webUrl}/`, cookie, ready: 'text=Machines by status' },
      machines: { url: `${webUrl}/machines`, cookie, ready: 'main table tbody tr' },
    };
    // One warm-up load each (Next compiles nothing at run time, but its server caches modules).
    for (const p of Object.values(pages)) await lcpOnce(browser, p.url, p.cookie, p.ready);
    const lcp = {};
    for (const [name, p] of Object.entries(pages)) {
      const samples = [];
      for (let i = 0; i < RUNS; i++) samples.push(await lcpOnce(browser, p.url, p.cookie, p.ready));
      lcp[name] = { medianMs: round(median(samples)), samplesMs: samples.map((s) => round(s)) };
    }

    if (opts.screenshots) await screenshots(browser, cookie, pages, opts.screenshots);

    const worstRoute = routes[0];
    const report = {
      benchmark: 'web',
      date: new Date().toISOString(),
      machine: {
        nproc: os.availableParallelism(),
        cpu: os.cpus()[0]?.model ?? 'unknown',
        loadAverage1mAtStart: round(loadAtStart, 2),
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      },
      node: process.version,
      source: sourceVersion(),
      workload: { machines: MACHINES, runs: RUNS, viewport: '1280x800', chromium: browser.version() },
      firstLoadJs: routes,
      lcp,
      ratio: {
        dashboardLcpToBaseline: round(lcp.dashboard.medianMs / lcp.baseline.medianMs, 2),
        machinesLcpToBaseline: round(lcp.machines.medianMs / lcp.baseline.medianMs, 2),
      },
      target: {
        firstLoadGzipKBBelow: TARGET_FIRST_LOAD_KB,
        firstLoadMet: worstRoute.gzipKB < TARGET_FIRST_LOAD_KB,
        lcpMsBelow: TARGET_LCP_MS,
        lcpMet: lcp.dashboard.medianMs < TARGET_LCP_MS && lcp.machines.medianMs < TARGET_LCP_MS,
      },
    };
    console.log('\nfirst-load JS per route (gzip)');
    for (const r of routes)
      console.log(`  ${r.route.padEnd(26)} ${String(r.gzipKB).padStart(7)} KB  (${r.rawKB} KB raw)`);
    console.log('\nLCP, median of', RUNS, 'cold loads');
    for (const [name, v] of Object.entries(lcp))
      console.log(`  ${name.padEnd(10)} ${String(v.medianMs).padStart(7)} ms  [${v.samplesMs.join(', ')}]`);
    console.log(
      `\nratio to baseline: dashboard ${report.ratio.dashboardLcpToBaseline}, machines ${report.ratio.machinesLcpToBaseline}`,
    );
    console.log(
      `targets: first load < ${TARGET_FIRST_LOAD_KB} KB ${report.target.firstLoadMet ? 'met' : 'NOT met'}; LCP < ${TARGET_LCP_MS} ms ${report.target.lcpMet ? 'met' : 'NOT met'}`,
    );
    await mkdir(path.dirname(opts.out), { recursive: true });
    await writeFile(opts.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), opts.out)}`);
  } finally {
    await cleanup();
  }
}

/** The commit measured, and whether web/ had uncommitted changes (then the figures are not that commit's). */
function sourceVersion() {
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      webUncommittedChanges: git('status', '--porcelain', '--', 'web') !== '',
    };
  } catch {
    return { commit: 'unknown', webUncommittedChanges: null };
  }
}

await main();
