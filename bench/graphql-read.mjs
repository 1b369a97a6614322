// Benchmark: the machines page (100 of 10,000 machines, with project and owner) through the GraphQL API,
// against a bare node:http + pg server that runs the same SQL and answers the same JSON.
//
//   npm run bench:graphql-read                      build, then measure both and write bench/results/graphql-read.json
//   node bench/graphql-read.mjs --cpu-prof          also profile the API's measured run (artifacts/bench/*.cpuprofile)
//   node bench/graphql-read.mjs --show-sql          print the SQL of one API request and exit
//
// Each server runs in its own child process, so autocannon (here, in the parent) does not share an
// event loop with the server it measures. A fresh database is created, seeded and dropped per run.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { startBenchApi } from './lib/bench-api.mjs';
import { seedMachines, withOrm } from './lib/bench-seed.mjs';
import {
  reportHeader,
  request,
  requireNode24,
  round,
  startChild,
  withBenchDatabase,
  writeReport,
} from './lib/load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const QUERY = `{ machines(first: 100) { totalCount edges { cursor node { id name status cores memoryMiB project { id name } owner { id email } } } pageInfo { hasNextPage endCursor } } }`;
const PAGE_SIZE = 100;
const TARGET_RATIO = 0.5;
const POOL_SIZE = 10;
const loadAtStart = os.loadavg()[0];

// ---------------------------------------------------------------------------------------------- parent

async function main() {
  const { values: opts } = parseArgs({
    options: {
      machines: { type: 'string', default: '10000' },
      connections: { type: 'string', default: '10' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      'cpu-prof': { type: 'boolean', default: false },
      'show-sql': { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(root, 'bench/results/graphql-read.json') },
    },
  });
  const machines = Number(opts.machines);
  const load = { connections: Number(opts.connections), duration: Number(opts.duration), warmup: Number(opts.warmup) };
  requireNode24('bench:graphql-read');

  await withBenchDatabase(async ({ pg, dbName, dbUrl, children }) => {
    const t0 = performance.now();
    const fixture = await seed(dbUrl.toString(), machines);
    console.error(`seeded ${machines} machines into ${dbName} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // A server child, with where to send requests (and, for the API, the token it signed).
    const serve = async (role, env) => {
      const child = await startChild(fileURLToPath(import.meta.url), role, { dbUrl, fixture, env }, children);
      return { child, url: `http://127.0.0.1:${child.ready.port}`, token: child.ready.token ?? null };
    };

    if (opts['show-sql']) {
      const platform = await serve('serve-platform', { BENCH_SHOW_SQL: '1' });
      await postQuery(platform.url, platform.token);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return;
    }

    const platform = await serve('serve-platform');
    const raw = await serve('serve-raw');

    // The two servers must answer the same thing, and it must be a full, error-free page.
    const [platformBody, rawBody] = await Promise.all([
      postQuery(platform.url, platform.token),
      postQuery(raw.url, null),
    ]);
    const page = platformBody.data?.machines;
    if (platformBody.errors || page?.edges.length !== PAGE_SIZE || page.totalCount !== machines) {
      throw new Error(`the API did not answer a full page: ${JSON.stringify(platformBody).slice(0, 500)}`);
    }
    if (!isDeepStrictEqual(platformBody, rawBody)) {
      throw new Error(`raw baseline and API answers differ:\n${JSON.stringify(rawBody).slice(0, 500)}`);
    }

    // Raw first, then the API: each gets its own warm-up and the same settings.
    const results = {};
    let cpuProfile = null;
    for (const [name, target] of [
      ['raw', raw],
      ['platform', platform],
    ]) {
      // Profiling slows the API down: a profiled run is for finding costs, not for quoting figures.
      const profile = opts['cpu-prof'] && name === 'platform';
      results[name] = await measure(name, target, load, machines, profile);
      cpuProfile ??= results[name].profile;
      delete results[name].profile;
    }
    const ratio = {
      requestsPerSecond: round(results.platform.requestsPerSecond / results.raw.requestsPerSecond, 3),
      latencyP50: round(results.platform.latencyMs.p50 / results.raw.latencyMs.p50, 3),
      serverCpuMsPerRequest: round(results.platform.serverCpuMsPerRequest / results.raw.serverCpuMsPerRequest, 3),
    };
    const report = {
      ...reportHeader('graphql-read', loadAtStart),
      postgres: await serverVersion(pg, dbUrl.toString()),
      workload: {
        query: QUERY,
        machines,
        pageSize: PAGE_SIZE,
        connections: load.connections,
        durationSeconds: load.duration,
        warmupSeconds: load.warmup,
        databasePoolSize: POOL_SIZE,
      },
      results,
      ratio,
      target: { requestsPerSecondRatioAtLeast: TARGET_RATIO, met: ratio.requestsPerSecond >= TARGET_RATIO },
      profiled: cpuProfile ? path.relative(root, cpuProfile) : false,
    };
    printTable(report);
    if (cpuProfile) printProfile(JSON.parse(await readFile(cpuProfile, 'utf8')));
    await writeReport(opts.out, report);
  });
}

/** Migrates through the API's own openOrm, then seeds one owner, project, cluster, template and `count` machines. */
async function seed(url, count) {
  return withOrm(url, async (em) => {
    const owner = em.create('User', { email: 'bench-owner@example.com', displayName: 'Bench Owner' });
    const org = em.create('Organization', { name: 'bench', slug: 'bench' });
    const project = em.create('Project', { organization: org, name: 'default' });
    em.create('Membership', { organization: org, user: owner, role: 'OWNER', project: null });
    await seedMachines(em, { project, owner, count, digits: 5 });
    return { ownerId: owner.id, organizationId: org.id };
  });
}

async function serverVersion(pg, url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query('show server_version')).rows[0].server_version;
  } finally {
    await c.end();
  }
}

/** Where the API spent its CPU while measured: self time by package, then the top functions. */
function printProfile({ nodes, samples, timeDeltas }) {
  const byId = new Map(nodes.map((n) => [n.id, n.callFrame]));
  const owner = (url) =>
    url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ??
    (url.includes('/server/dist/') ? 'server/dist' : url.startsWith('node:') ? 'node (internals)' : url || '(native)');
  const self = new Map();
  const byPackage = new Map();
  let busy = 0;
  samples.forEach((id, i) => {
    const frame = byId.get(id);
    const t = timeDeltas[i] ?? 0;
    // Idle time, and the inspector call that ends the profile, are not the API's work.
    if (frame.functionName === '(idle)' || frame.url === 'node:inspector') return;
    busy += t;
    const where = frame.functionName.startsWith('(') ? frame.functionName : owner(frame.url);
    const fn = `${frame.functionName || '(anonymous)'} ${where === owner(frame.url) ? where : ''} ${frame.url.split('/').at(-1)}:${frame.lineNumber + 1}`;
    self.set(fn, (self.get(fn) ?? 0) + t);
    byPackage.set(where, (byPackage.get(where) ?? 0) + t);
  });
  const top = (m, k) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([n, t]) => `  ${((100 * t) / busy).toFixed(1).padStart(5)}%  ${n}`)
      .join('\n');
  // Samples are wall-clock: on a busy machine, time the OS gives to other processes lands on whatever
  // frame was current (often a socket write), so read the shares as rough.
  console.log(
    `\nAPI CPU profile of the measured run: ${(busy / 1e6).toFixed(1)} s sampled busy. Self time by package:`,
  );
  console.log(top(byPackage, 12));
  console.log('Top functions by self time:');
  console.log(top(self, 15));
}

const headersFor = (token) => ({
  'content-type': 'application/json',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

async function postQuery(url, token) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: headersFor(token),
    body: JSON.stringify({ query: QUERY }),
  });
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

async function measure(name, target, { connections, duration, warmup }, machines, profile) {
  const autocannon = (await import('autocannon')).default;
  const expected = `{"data":{"machines":{"totalCount":${machines},"edges":[`;
  let bad = 0;
  let badSample = null;
  const run = (seconds) =>
    autocannon({
      url: `${target.url}/graphql`,
      method: 'POST',
      headers: headersFor(target.token),
      body: JSON.stringify({ query: QUERY }),
      connections,
      duration: seconds,
      // A page of error responses is fast and worthless: every body must be a full page, no errors.
      verifyBody: (body) => {
        const good = body.startsWith(expected) && !body.includes('"errors":');
        if (!good) {
          bad++;
          badSample ??= body.slice(0, 300);
        }
        return good;
      },
    });
  console.error(`${name}: warm-up ${warmup} s, then ${duration} s with ${connections} connections`);
  if (warmup > 0) await run(warmup);
  bad = 0;
  const loadAverage1m = round(os.loadavg()[0], 2);
  await request(target.child, { cmd: 'window-start', profile });
  const r = await run(duration);
  const window = await request(target.child, { cmd: 'window-stop' });
  const total = r.requests.total;
  const ok = r['2xx'];
  const result = {
    requestsPerSecond: round(r.requests.average, 1),
    latencyMs: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      average: round(r.latency.average, 2),
    },
    requests: total,
    // CPU time of the server process per answered request: steadier than req/s on a shared machine.
    serverCpuMsPerRequest: total ? round(window.cpuMs / total, 2) : null,
    bytesPerResponse: total ? Math.round(r.throughput.total / total) : 0,
    status2xx: ok,
    non2xx: r.non2xx,
    errorBodies: bad,
    connectionErrors: r.errors,
    timeouts: r.timeouts,
    loadAverage1m,
    profile: window.file,
  };
  if (total === 0 || ok !== total || r.non2xx || bad || r.errors || r.timeouts) {
    throw new Error(
      `${name}: not every response was a good page: ${JSON.stringify(result)}; first bad body: ${badSample}`,
    );
  }
  return result;
}

function printTable({ results, ratio, machine, node, workload, target }) {
  const row = (cells) => `| ${cells.map((c, i) => String(c).padStart(i ? 12 : 10)).join(' | ')} |`;
  console.log(
    `\ngraphql-read: machines(first: ${workload.pageSize}) of ${workload.machines}, ${workload.connections} connections, ${workload.durationSeconds} s` +
      ` (node ${node}, ${machine.nproc} cores, load ${machine.loadAverage1mAtStart})\n`,
  );
  console.log(row(['server', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'requests', 'CPU ms/req', 'bytes/resp']));
  console.log(row(['---', '---', '---', '---', '---', '---', '---', '---']));
  for (const [name, r] of Object.entries(results)) {
    const { p50, p90, p99 } = r.latencyMs;
    console.log(
      row([name, r.requestsPerSecond, p50, p90, p99, r.requests, r.serverCpuMsPerRequest, r.bytesPerResponse]),
    );
  }
  console.log(
    `\nplatform/raw: req/s ${ratio.requestsPerSecond}, p50 ${ratio.latencyP50}, CPU per request ${ratio.serverCpuMsPerRequest}` +
      ` (target req/s ratio >= ${target.requestsPerSecondRatioAtLeast}: ${target.met ? 'met' : 'NOT met'})`,
  );
}

// ---------------------------------------------------------------------------------------------- children

function childEnv() {
  return { url: process.env.BENCH_DATABASE_URL, fixture: JSON.parse(process.env.BENCH_FIXTURE) };
}

/**
 * The child's side of the parent's commands: `stop`, and a measured window (`window-start`,
 * `window-stop`) over which it reports its CPU time and, when asked, a CPU profile.
 */
function onStop(close) {
  let window = null;
  process.on('message', async (m) => {
    if (m === 'stop') return void close().finally(() => process.exit(0));
    if (m?.cmd === 'window-start') {
      let session = null;
      if (m.profile) {
        const { Session } = await import('node:inspector/promises');
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
      window = { session, cpu: process.cpuUsage() };
      process.send({ ok: true });
    } else if (m?.cmd === 'window-stop') {
      const cpu = process.cpuUsage(window.cpu);
      let file = null;
      if (window.session) {
        const { profile } = await window.session.post('Profiler.stop');
        window.session.disconnect();
        const dir = path.join(root, 'artifacts/bench');
        await mkdir(dir, { recursive: true });
        file = path.join(
          dir,
          `graphql-read-${process.argv[2]}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
        );
        await writeFile(file, JSON.stringify(profile));
      }
      process.send({ cpuMs: (cpu.user + cpu.system) / 1000, file });
    }
  });
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
}

/**
 * The API as main.ts builds it (createApp from server/dist), wired like server/src/test/api.ts:
 * in-process pub/sub and the pg-boss job queue (idle here), silent logs, `NODE_ENV=production`.
 */
async function servePlatform() {
  const { url, fixture } = childEnv();
  const onQuery = process.env.BENCH_SHOW_SQL ? (line) => console.log(line) : undefined;
  // One caller sends every request: the default per-caller limit (1,200 a minute) would answer
  // RATE_LIMITED within seconds. The limiter still counts each request; it just never refuses one.
  const { app, address, close } = await startBenchApi({
    url,
    poolSize: POOL_SIZE,
    onQuery,
    config: { RATE_LIMIT_API_PER_MINUTE: '10000000' },
  });
  const token = await app.services.sessionKeys.sign(fixture.ownerId);
  onStop(close);
  process.send({ port: address.port, token });
}

// The statements the API runs for this page after authentication, copied from `--show-sql` (MikroORM's
// query log): the page of first + 1 rows and the count, in parallel, then the page's projects and
// owners, one query each. The visibility filter is what a viewer with one organization-wide role gets.
const VISIBLE = `inner join "project" as "p" on "p"."id" = "m"."project_id" where ("p"."organization_id" in ($1))`;
const RAW_SQL = {
  page: `select "m".* from "machine" as "m" ${VISIBLE} order by "m"."created_at" asc, "m"."id" asc limit $2`,
  count: `select count(*) as "count" from "machine" as "m" ${VISIBLE}`,
  projects: `select "e0".* from "project" as "e0" where "e0"."id" in ($1)`,
  users:
    'select "e0"."id", "e0"."created_at", "e0"."updated_at", "e0"."email", "e0"."display_name", "e0"."is_platform_admin", ' +
    '"e0"."disabled_at" from "users" as "e0" where "e0"."id" in ($1)',
};

/** The same page by hand: node:http, a pg.Pool of the same size, JSON.stringify of the same shape. */
async function serveRaw() {
  const { url, fixture } = childEnv();
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  const cursor = (row) =>
    Buffer.from(JSON.stringify([{ d: row.created_at.toISOString() }, row.id])).toString('base64url');
  // Placeholders are expanded per call, as the ORM does for `in (...)` lists.
  const inList = (sql, ids, at = 1) => sql.replace(`in ($${at})`, `in (${ids.map((_, i) => `$${at + i}`).join(', ')})`);

  async function machinesPage(first) {
    const visible = [fixture.organizationId];
    const [page, count] = await Promise.all([
      pool.query(RAW_SQL.page, [...visible, first + 1]),
      pool.query(RAW_SQL.count, visible),
    ]);
    const rows = page.rows.slice(0, first);
    const projectIds = [...new Set(rows.map((r) => r.project_id))];
    const ownerIds = [...new Set(rows.map((r) => r.owner_id))];
    const [projects, users] = await Promise.all([
      pool.query(inList(RAW_SQL.projects, projectIds), projectIds),
      pool.query(inList(RAW_SQL.users, ownerIds), ownerIds),
    ]);
    const projectById = new Map(projects.rows.map((p) => [p.id, { id: p.id, name: p.name }]));
    const userById = new Map(users.rows.map((u) => [u.id, { id: u.id, email: u.email }]));
    const edges = rows.map((r) => ({
      cursor: cursor(r),
      node: {
        id: r.id,
        name: r.name,
        status: r.status,
        cores: r.cores,
        memoryMiB: r.memory_mib,
        project: projectById.get(r.project_id),
        owner: userById.get(r.owner_id),
      },
    }));
    return {
      totalCount: Number(count.rows[0].count),
      edges,
      pageInfo: { hasNextPage: page.rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      machinesPage(PAGE_SIZE).then(
        (machines) => {
          const body = JSON.stringify({ data: { machines } });
          res.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        },
        (err) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: String(err) }] }));
        },
      );
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  onStop(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await pool.end();
  });
  process.send({ port: server.address().port });
}

// Dispatch last: every top-level const above is initialised by now.
const role = process.argv[2];
if (role === 'serve-platform') await servePlatform();
else if (role === 'serve-raw') await serveRaw();
else await main();
