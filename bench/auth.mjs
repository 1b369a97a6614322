// Benchmark: what authentication adds to a request. Two cheap queries, each sent to one API process
// anonymously (the baseline, in the same process), with a session bearer token (an access token of a
// signed-in session) and with a personal API token:
// - `{ authProviders { id } }`, a public query: the same resolver work and the same answer whoever
//   asks, so the difference is exactly the cost of checking the credential. The target (added p50
//   under 0.10 of the baseline) is measured here.
// - `{ viewer { id } }`: the resolver answers from the request's context; authenticated, it also
//   materialises the user entity (the answer differs: null vs the user).
// Plus `organizations(first: 10)` with each credential, as absolute figures of a query with its own work.
//
//   npm run bench:auth                         build, then measure and write bench/results/auth.json
//   node bench/auth.mjs --rounds 6 --seconds 2 --concurrency 1
//
// The API runs in a child process (bench/lib/bench-api.mjs), so the load loop here does not share its
// event loop. Variants are interleaved in rounds (each round in a rotated order) so that drift in the
// machine's load falls on all of them alike. Latency is timed per request in microseconds over
// keep-alive connections; every response body is checked.
import { execFileSync, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBenchApi } from './lib/bench-api.mjs';
import { benchDatabase } from './lib/bench-database.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'server/dist', p);

const PUBLIC = '{ authProviders { id } }';
const VIEWER = '{ viewer { id } }';
const ORGANIZATIONS = '{ organizations(first: 10) { totalCount edges { node { id name } } } }';
const TARGET_ADDED_P50 = 0.1;
const ORGANIZATION_COUNT = 5;
const loadAtStart = os.loadavg()[0];

// ---------------------------------------------------------------------------------------------- parent

async function main() {
  const { values: opts } = parseArgs({
    options: {
      rounds: { type: 'string', default: '6' },
      seconds: { type: 'string', default: '2' },
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
  if (Number(process.versions.node.split('.')[0]) < 24) {
    throw new Error(`Node ${process.version}: run through npm run bench:auth (the pinned Node 24)`);
  }

  const { dbName, dbUrl, admin } = await benchDatabase();
  let child = null;
  let cleaning = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      if (child) await stopChild(child);
      await admin(`drop database if exists "${dbName}" with (force)`);
      console.error(`dropped database ${dbName}`);
    })());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }

  await admin(`create database "${dbName}"`);
  try {
    const fixture = await seed(dbUrl.toString());
    child = await startChild({ dbUrl, fixture });
    const agent = new http.Agent({ keepAlive: true, maxSockets: load.concurrency });
    const target = { host: '127.0.0.1', port: child.port, agent };

    const me = `{"data":{"viewer":{"id":"${fixture.userId}"}}}`;
    const noProviders = '{"data":{"authProviders":[]}}';
    const variants = {
      'public/anonymous': { query: PUBLIC, token: null, expect: noProviders },
      'public/session': { query: PUBLIC, token: child.sessionToken, expect: noProviders },
      'public/apiToken': { query: PUBLIC, token: fixture.apiToken, expect: noProviders },
      'viewer/anonymous': { query: VIEWER, token: null, expect: '{"data":{"viewer":null}}' },
      'viewer/session': { query: VIEWER, token: child.sessionToken, expect: me },
      'viewer/apiToken': { query: VIEWER, token: fixture.apiToken, expect: me },
    };
    // Not part of the ratio (anonymous callers cannot list organizations): absolute figures of a
    // query that does resolver work of its own, with either credential.
    const listing = {
      'organizations/session': {
        query: ORGANIZATIONS,
        token: child.sessionToken,
        expectPrefix: `{"data":{"organizations":{"totalCount":${ORGANIZATION_COUNT},`,
      },
      'organizations/apiToken': {
        query: ORGANIZATIONS,
        token: fixture.apiToken,
        expectPrefix: `{"data":{"organizations":{"totalCount":${ORGANIZATION_COUNT},`,
      },
    };
    const everything = { ...variants, ...listing };
    const all = opts.only ? Object.fromEntries(opts.only.split(',').map((n) => [n, everything[n]])) : everything;
    for (const [name, v] of Object.entries(all)) {
      const body = await post(target, v.query, v.token);
      if (v.expect ? body !== v.expect : !body.startsWith(v.expectPrefix)) {
        throw new Error(`${name}: unexpected answer ${body.slice(0, 300)}`);
      }
    }

    console.error(`warm-up: ${load.warmup} s per variant`);
    for (const v of Object.values(all)) await run(target, v, load.warmup, load.concurrency);

    const samples = Object.fromEntries(
      Object.keys(all).map((n) => [n, { latencies: [], requests: 0, ms: 0, cpuMs: 0 }]),
    );
    const names = Object.keys(all);
    for (let round = 0; round < load.rounds; round++) {
      // Rotate the order each round: no variant always runs first (or right after the heaviest one).
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        await request(child, { cmd: 'window-start' });
        const r = await run(target, all[name], load.seconds, load.concurrency);
        const window = await request(child, { cmd: 'window-stop' });
        const s = samples[name];
        s.latencies.push(...r.latencies);
        s.requests += r.requests;
        s.ms += r.ms;
        s.cpuMs += window.cpuMs;
      }
      console.error(`round ${round + 1}/${load.rounds} done`);
    }
    agent.destroy();

    const results = Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, summarise(s)]));
    // Added latency of each credential over the same query sent anonymously, as a fraction of it.
    const added = (query, credential) => {
      const base = results[`${query}/anonymous`];
      const r = results[`${query}/${credential}`];
      if (!base || !r) return null;
      return {
        p50: round((r.latencyUs.p50 - base.latencyUs.p50) / base.latencyUs.p50, 3),
        p50Us: round(r.latencyUs.p50 - base.latencyUs.p50, 1),
        serverCpuUsPerRequest: round(r.serverCpuUsPerRequest - base.serverCpuUsPerRequest, 1),
      };
    };
    const addedLatency = {
      public: { session: added('public', 'session'), apiToken: added('public', 'apiToken') },
      viewer: { session: added('viewer', 'session'), apiToken: added('viewer', 'apiToken') },
    };
    const headline = addedLatency.public;
    const report = {
      benchmark: 'auth',
      date: new Date().toISOString(),
      machine: {
        nproc: os.availableParallelism(),
        cpu: os.cpus()[0]?.model ?? 'unknown',
        loadAverage1mAtStart: round(loadAtStart, 2),
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      },
      node: process.version,
      source: sourceVersion(),
      workload: {
        publicQuery: PUBLIC,
        viewerQuery: VIEWER,
        listingQuery: ORGANIZATIONS,
        organizationsOfTheUser: ORGANIZATION_COUNT,
        rounds: load.rounds,
        secondsPerVariantPerRound: load.seconds,
        warmupSeconds: load.warmup,
        concurrency: load.concurrency,
      },
      results,
      addedLatency,
      target: {
        addedP50Below: TARGET_ADDED_P50,
        measuredOn: 'public',
        met:
          Boolean(headline.session && headline.apiToken) &&
          headline.session.p50 < TARGET_ADDED_P50 &&
          headline.apiToken.p50 < TARGET_ADDED_P50,
      },
    };
    printTable(report);
    await mkdir(path.dirname(opts.out), { recursive: true });
    await writeFile(opts.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), opts.out)}`);
  } finally {
    await cleanup();
  }
}

/** Migrates through the API's own openOrm; one user in a few organizations, with an API token. */
async function seed(url) {
  const { openOrm } = await import(dist('db/orm.js'));
  const { newApiToken } = await import(dist('auth/session.js'));
  const orm = await openOrm({ url, poolSize: 2 });
  try {
    const em = orm.em.fork();
    const user = em.create('User', { email: 'bench-auth@example.com', displayName: 'Bench' });
    for (let i = 0; i < ORGANIZATION_COUNT; i++) {
      const org = em.create('Organization', { name: `bench-${i}`, slug: `bench-${i}` });
      em.create('Membership', { organization: org, user, role: i === 0 ? 'OWNER' : 'VIEWER', project: null });
    }
    const { token, prefix, hash } = newApiToken();
    em.create('ApiToken', { user, name: 'bench', prefix, tokenHash: hash, scopes: [] });
    await em.flush();
    await em.getConnection().execute('analyze');
    return { userId: user.id, apiToken: token };
  } finally {
    await orm.close();
  }
}

/** Closed loop: `concurrency` callers, each sending the next request when the last one answered. */
async function run(target, variant, seconds, concurrency) {
  const latencies = [];
  let requests = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const caller = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const body = await post(target, variant.query, variant.token);
      const us = (performance.now() - t0) * 1000;
      if (variant.expect ? body !== variant.expect : !body.startsWith(variant.expectPrefix)) {
        throw new Error(`unexpected answer under load: ${body.slice(0, 300)}`);
      }
      latencies.push(us);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return { latencies, requests, ms: performance.now() - start };
}

function post({ host, port, agent }, query, token) {
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

function summarise({ latencies, requests, ms, cpuMs }) {
  const sorted = Float64Array.from(latencies).sort();
  const q = (p) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))], 1);
  return {
    requests,
    requestsPerSecond: round(requests / (ms / 1000), 1),
    latencyUs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: round(sorted[sorted.length - 1], 1) },
    // CPU time of the API process per request over the measured windows: steadier than latency
    // when other work shares the machine.
    serverCpuUsPerRequest: round((cpuMs * 1000) / requests, 1),
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

function startChild({ dbUrl, fixture }) {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_DATABASE_URL: dbUrl.toString(),
      BENCH_FIXTURE: JSON.stringify(fixture),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`API child exited with ${code} before listening`)));
    child.once('message', (m) => resolve(Object.assign(child, { port: m.port, sessionToken: m.token })));
  });
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send('stop');
    else child.kill('SIGTERM');
  });
}

function request(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

function printTable({ results, addedLatency, machine, node, workload, target }) {
  const row = (cells) => `| ${cells.map((c, i) => String(c).padStart(i ? 10 : 22)).join(' | ')} |`;
  console.log(
    `\nauth: ${workload.rounds} rounds × ${workload.secondsPerVariantPerRound} s per variant, concurrency ${workload.concurrency}` +
      ` (node ${node}, ${machine.nproc} cores, load ${machine.loadAverage1mAtStart})\n`,
  );
  console.log(row(['variant', 'req/s', 'p50 µs', 'p90 µs', 'p99 µs', 'requests', 'CPU µs/req']));
  console.log(row(['---', '---', '---', '---', '---', '---', '---']));
  for (const [name, r] of Object.entries(results)) {
    const { p50, p90, p99 } = r.latencyUs;
    console.log(row([name, r.requestsPerSecond, p50, p90, p99, r.requests, r.serverCpuUsPerRequest]));
  }
  for (const [query, byCredential] of Object.entries(addedLatency)) {
    const part = (name, a) => (a ? `${name} ${a.p50} (${a.p50Us} µs, CPU ${a.serverCpuUsPerRequest} µs)` : `${name} -`);
    console.log(
      `\nadded p50 over anonymous, ${query === 'public' ? workload.publicQuery : workload.viewerQuery}: ` +
        `${part('session', byCredential.session)}, ${part('API token', byCredential.apiToken)}`,
    );
  }
  console.log(
    `target (added p50 < ${target.addedP50Below} on ${workload.publicQuery}): ${target.met ? 'met' : 'NOT met'}`,
  );
}

const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------- child

async function serve() {
  const fixture = JSON.parse(process.env.BENCH_FIXTURE);
  // One caller sends every request: lift the per-caller limit. The limiter still counts each request.
  const { app, address, close } = await startBenchApi({
    url: process.env.BENCH_DATABASE_URL,
    poolSize: 10,
    config: { RATE_LIMIT_API_PER_MINUTE: '100000000' },
  });
  // A session as signIn issues it (access token of a session family when the session layer has
  // one), so the check of the family is measured too.
  const token = app.services.sessions?.start
    ? (await app.services.sessions.start(fixture.userId)).accessToken
    : await app.services.sessionKeys.sign(fixture.userId);
  let window = null;
  process.on('message', async (m) => {
    if (m === 'stop') return void close().finally(() => process.exit(0));
    if (m?.cmd === 'window-start') {
      window = process.cpuUsage();
      process.send({ ok: true });
    } else if (m?.cmd === 'window-stop') {
      const cpu = process.cpuUsage(window);
      process.send({ cpuMs: (cpu.user + cpu.system) / 1000 });
    }
  });
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
  process.send({ port: address.port, token });
}

if (process.argv[2] === 'serve') await serve();
else await main();
