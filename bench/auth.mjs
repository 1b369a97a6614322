// Benchmark: what authentication adds to a request. The same queries, doing the same resolver work as
// the same user, sent three ways within one run against one database:
// - `fixed` (the baseline, no authentication): an API built with `fixedViewerForBenchmark`
//   (server/src/app.ts), a Viewer of the user built once at start; no credential is sent or read, no
//   token is verified and no user or membership is looked up per request;
// - `session`: a session bearer token (the access JWT a sign-in issues, bound to its session family);
// - `apiToken`: a personal API token.
// The two APIs run in one child process (bench/lib/bench-api.mjs `startApp`), on one database pool,
// with the same settings (rate limits included: every operation still counts against its caller).
// Queries: `viewer { id email }` (the user entity itself), `organizations(first: 10)` and a
// `machines(first: 20)` page. Every answer is checked, and must be the same for the three variants.
// Target (issue #5): added p50 under 0.10 of the baseline's, for every query and credential.
//
//   npm run bench:auth                         build, then measure and write bench/results/auth.json
//   node bench/auth.mjs --rounds 8 --seconds 3 --warmup 2 --concurrency 1 --only viewer/fixed,viewer/session
//
// Each query is measured in windows, one per round (in a rotated order), in which its three variants
// take turns request by request: drift in the machine's load falls on all of them alike. Latency is
// timed per request in microseconds over keep-alive connections; the API process's CPU time is read
// per request (from its arrival to its response) and summed by credential.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
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
const dist = (p) => path.join(root, 'server/dist', p);

const QUERIES = {
  viewer: '{ viewer { id email } }',
  organizations: '{ organizations(first: 10) { edges { node { id name } } } }',
  machines: '{ machines(first: 20) { edges { node { id name status cores } } pageInfo { hasNextPage endCursor } } }',
};
const CREDENTIALS = ['fixed', 'session', 'apiToken'];
const TARGET_ADDED_P50 = 0.1;
const ORGANIZATION_COUNT = 5;
const MACHINE_COUNT = 50;
const loadAtStart = os.loadavg()[0];

// ---------------------------------------------------------------------------------------------- parent

async function main() {
  const { values: opts } = parseArgs({
    options: {
      rounds: { type: 'string', default: '8' },
      seconds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '1' },
      // For profiling one variant (NODE_OPTIONS=--cpu-prof): measure only these, comma-separated.
      only: { type: 'string' },
      out: { type: 'string', default: path.join(root, 'bench/results/auth.json') },
    },
  });
  const load = {
    rounds: Number(opts.rounds),
    seconds: Number(opts.seconds),
    warmup: Number(opts.warmup),
    concurrency: Number(opts.concurrency),
  };
  requireNode24('bench:auth');

  await withBenchDatabase(async ({ dbUrl, children }) => {
    const fixture = await seed(dbUrl.toString());
    const child = await startChild(fileURLToPath(import.meta.url), 'serve', { dbUrl, fixture }, children);
    const agent = new http.Agent({ keepAlive: true, maxSockets: load.concurrency * 2 });
    const targets = {
      fixed: { host: '127.0.0.1', port: child.ready.basePort, agent, token: null },
      session: { host: '127.0.0.1', port: child.ready.port, agent, token: child.ready.token },
      apiToken: { host: '127.0.0.1', port: child.ready.port, agent, token: fixture.apiToken },
    };

    // The baseline's answers, checked for content; every credential must then answer exactly the same.
    const expected = {};
    for (const [query, text] of Object.entries(QUERIES)) {
      const body = await post(targets.fixed, text);
      checkBaseline(query, body, fixture);
      expected[query] = body;
    }
    const everything = {};
    for (const query of Object.keys(QUERIES)) {
      for (const credential of CREDENTIALS) {
        everything[`${query}/${credential}`] = {
          query: QUERIES[query],
          target: targets[credential],
          expect: expected[query],
        };
      }
    }
    const all = opts.only ? Object.fromEntries(opts.only.split(',').map((n) => [n, everything[n]])) : everything;
    for (const [name, v] of Object.entries(all)) {
      const body = await post(v.target, v.query);
      if (body !== v.expect) throw new Error(`${name}: answer differs from the baseline's: ${body.slice(0, 300)}`);
    }

    // One window per query: its credentials take turns request by request, so that the machine's
    // load at any moment falls on all of them alike.
    const groups = Object.keys(QUERIES)
      .map((query) => Object.keys(all).filter((n) => n.startsWith(`${query}/`)))
      .filter((g) => g.length);
    console.error(`warm-up: ${load.warmup} s per query`);
    for (const group of groups) await run(group, all, load.warmup, load.concurrency);

    const samples = Object.fromEntries(Object.keys(all).map((n) => [n, { latencies: [], cpuUs: 0, cpuRequests: 0 }]));
    for (let round = 0; round < load.rounds; round++) {
      // Rotate the order each round: no query always runs first (or right after the heaviest one).
      const order = groups.map((_, i) => groups[(i + round) % groups.length]);
      for (const group of order) {
        await request(child, { cmd: 'window-start' });
        const latencies = await run(group, all, load.seconds, load.concurrency);
        const { cpu } = await request(child, { cmd: 'window-stop' });
        for (const name of group) {
          const s = samples[name];
          s.latencies.push(...latencies[name]);
          s.cpuUs += cpu[name.split('/')[1]]?.us ?? 0;
          s.cpuRequests += cpu[name.split('/')[1]]?.requests ?? 0;
        }
      }
      console.error(`round ${round + 1}/${load.rounds} done`);
    }
    agent.destroy();

    const results = Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, summarise(s)]));
    // Added latency of each credential over the same query as the fixed (unauthenticated) caller.
    const added = (query, credential) => {
      const base = results[`${query}/fixed`];
      const r = results[`${query}/${credential}`];
      if (!base || !r) return null;
      return {
        p50: round((r.latencyUs.p50 - base.latencyUs.p50) / base.latencyUs.p50, 3),
        p50Us: round(r.latencyUs.p50 - base.latencyUs.p50, 1),
        p99: round((r.latencyUs.p99 - base.latencyUs.p99) / base.latencyUs.p99, 3),
        p99Us: round(r.latencyUs.p99 - base.latencyUs.p99, 1),
        serverCpuUsPerRequest: round(r.serverCpuUsPerRequest - base.serverCpuUsPerRequest, 1),
      };
    };
    const addedLatency = Object.fromEntries(
      Object.keys(QUERIES).map((q) => [q, { session: added(q, 'session'), apiToken: added(q, 'apiToken') }]),
    );
    const ratios = Object.values(addedLatency)
      .flatMap((byCredential) => Object.values(byCredential))
      .filter(Boolean);
    const report = {
      ...reportHeader('auth', loadAtStart, os.loadavg()[0]),
      workload: {
        queries: QUERIES,
        baseline: 'fixed: an API built with fixedViewerForBenchmark (a Viewer of the same user, built once at start)',
        organizationsOfTheUser: ORGANIZATION_COUNT,
        machinesOfTheUser: MACHINE_COUNT,
        rounds: load.rounds,
        secondsPerQueryPerRound: load.seconds,
        warmupSeconds: load.warmup,
        concurrency: load.concurrency,
      },
      results,
      addedLatency,
      target: {
        addedP50Below: TARGET_ADDED_P50,
        measuredOn: 'every query, session and API token, against the fixed viewer',
        worstAddedP50: ratios.length ? Math.max(...ratios.map((a) => a.p50)) : null,
        // Every query and credential measured (a partial --only run cannot meet it).
        met: ratios.length === Object.keys(QUERIES).length * 2 && ratios.every((a) => a.p50 < TARGET_ADDED_P50),
      },
    };
    printTable(report);
    await writeReport(opts.out, report);
  });
}

/** What the baseline must answer, so that a broken seam (or an empty page) cannot pass as fast. */
function checkBaseline(query, body, fixture) {
  const data = JSON.parse(body).data;
  const ok =
    query === 'viewer'
      ? data?.viewer?.id === fixture.userId && data.viewer.email === fixture.email
      : query === 'organizations'
        ? data?.organizations?.edges?.length === ORGANIZATION_COUNT
        : data?.machines?.edges?.length === 20 && data.machines.pageInfo.hasNextPage === true;
  if (!ok) throw new Error(`${query}/fixed: unexpected answer ${body.slice(0, 300)}`);
}

/**
 * Migrates through the API's own openOrm. One user: owner of one organization (with a project of
 * MACHINE_COUNT machines), viewer in a few more; and an API token of theirs (no scopes: read-only).
 */
async function seed(url) {
  const { newApiToken } = await import(dist('auth/session.js'));
  return withOrm(url, async (em) => {
    const email = 'bench-auth@example.com';
    const user = em.create('User', { email, displayName: 'Bench' });
    const orgs = [];
    for (let i = 0; i < ORGANIZATION_COUNT; i++) {
      const org = em.create('Organization', { name: `bench-${i}`, slug: `bench-${i}` });
      em.create('Membership', { organization: org, user, role: i === 0 ? 'OWNER' : 'VIEWER', project: null });
      orgs.push(org);
    }
    const project = em.create('Project', { organization: orgs[0], name: 'default' });
    const { token, prefix, hash } = newApiToken();
    em.create('ApiToken', { user, name: 'bench', prefix, tokenHash: hash, scopes: [] });
    await seedMachines(em, { project, owner: user, count: MACHINE_COUNT, digits: 3 });
    return { userId: user.id, email, apiToken: token };
  });
}

/**
 * Closed loop: `concurrency` callers, each sending the next request when the last one answered, the
 * variants of `group` in turn. Latencies in µs by variant.
 */
async function run(group, all, seconds, concurrency) {
  const latencies = Object.fromEntries(group.map((n) => [n, []]));
  const end = performance.now() + seconds * 1000;
  const caller = async (offset) => {
    for (let k = offset; performance.now() < end; k++) {
      const name = group[k % group.length];
      const variant = all[name];
      const t0 = performance.now();
      const body = await post(variant.target, variant.query);
      const us = (performance.now() - t0) * 1000;
      if (body !== variant.expect) throw new Error(`${name}: unexpected answer under load: ${body.slice(0, 300)}`);
      latencies[name].push(us);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => caller(i)));
  return latencies;
}

function post({ host, port, agent, token }, query) {
  const payload = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host,
        port,
        agent,
        method: 'POST',
        path: '/graphql',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8').trimEnd();
          if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 300)}`));
          else resolve(body);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function summarise({ latencies, cpuUs, cpuRequests }) {
  const sorted = Float64Array.from(latencies).sort();
  const q = (p) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))], 1);
  return {
    requests: sorted.length,
    latencyUs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: round(sorted[sorted.length - 1], 1) },
    // CPU time of the API process from a request's arrival to its response (one request at a time at
    // concurrency 1): steadier than latency when other work shares the machine.
    serverCpuUsPerRequest: cpuRequests ? round(cpuUs / cpuRequests, 1) : null,
  };
}

function printTable({ results, addedLatency, machine, node, workload, target }) {
  const row = (cells) => `| ${cells.map((c, i) => String(c).padStart(i ? 10 : 24)).join(' | ')} |`;
  console.log(
    `\nauth: ${workload.rounds} rounds × ${workload.secondsPerQueryPerRound} s per query, concurrency ${workload.concurrency}` +
      ` (node ${node}, ${machine.nproc} cores, load ${machine.loadAverage1mAtStart} → ${machine.loadAverage1mAtEnd})\n`,
  );
  console.log(row(['variant', 'p50 µs', 'p90 µs', 'p99 µs', 'requests', 'CPU µs/req']));
  console.log(row(['---', '---', '---', '---', '---', '---']));
  for (const [name, r] of Object.entries(results)) {
    const { p50, p90, p99 } = r.latencyUs;
    console.log(row([name, p50, p90, p99, r.requests, r.serverCpuUsPerRequest]));
  }
  console.log('\nadded over the fixed viewer (no authentication):');
  for (const [query, byCredential] of Object.entries(addedLatency)) {
    const part = (name, a) =>
      a
        ? `${name} p50 ${a.p50} (${a.p50Us} µs), p99 ${a.p99} (${a.p99Us} µs), CPU ${a.serverCpuUsPerRequest} µs`
        : `${name} -`;
    console.log(`  ${query}: ${part('session', byCredential.session)}; ${part('API token', byCredential.apiToken)}`);
  }
  console.log(
    `target (added p50 < ${target.addedP50Below}, every query and credential): ${target.met ? 'met' : 'NOT met'} (worst ${target.worstAddedP50})`,
  );
}

// ---------------------------------------------------------------------------------------------- child

async function serve() {
  const fixture = JSON.parse(process.env.BENCH_FIXTURE);
  const { authenticate } = await import(dist('auth/authenticate.js'));
  // One caller sends every request: lift the per-caller limit. The limiter still counts each request.
  const api = await startBenchApi({
    url: process.env.BENCH_DATABASE_URL,
    poolSize: 10,
    config: { RATE_LIMIT_API_PER_MINUTE: '100000000' },
  });
  // A session as signIn issues it (access token of a session family), so the check of the family is
  // measured too.
  const token = (await api.app.services.sessions.start(fixture.userId)).accessToken;
  // The baseline's caller: the Viewer that token resolves to, built once here (user and grants loaded
  // once, in an EntityManager of its own) and handed to every request of the second API.
  const fixedViewer = await authenticate(api.orm.em.fork(), api.app.services.sessionKeys, { bearer: token });
  if (!fixedViewer || fixedViewer.id !== fixture.userId) throw new Error('the fixed viewer is not the user');
  const baseline = await api.startApp({ fixedViewerForBenchmark: fixedViewer });
  // CPU time per request, by credential: from the request's arrival to its response. The parent sends
  // one request at a time (concurrency 1), so nothing else of this process's runs in between but
  // its timers (pg-boss polling).
  let cpu = {};
  const kind = (req, baselineApp) =>
    baselineApp ? 'fixed' : req.headers.authorization?.startsWith('Bearer pvp_') ? 'apiToken' : 'session';
  for (const [server, baselineApp] of [
    [api.app.http, false],
    [baseline.app.http, true],
  ]) {
    server.prependListener('request', (req, res) => {
      const start = process.cpuUsage();
      res.once('finish', () => {
        const used = process.cpuUsage(start);
        const k = (cpu[kind(req, baselineApp)] ??= { us: 0, requests: 0 });
        k.us += used.user + used.system;
        k.requests++;
      });
    });
  }
  process.on('message', async (m) => {
    if (m === 'stop') return void api.close().finally(() => process.exit(0));
    if (m?.cmd === 'window-start') {
      cpu = {};
      process.send({ ok: true });
    } else if (m?.cmd === 'window-stop') {
      process.send({ cpu });
    }
  });
  process.on('disconnect', () => void api.close().finally(() => process.exit(0)));
  process.send({ port: api.address.port, basePort: baseline.address.port, token });
}

if (process.argv[2] === 'serve') await serve();
else await main();
