// Benchmark: 200 provisions submitted at once, as production runs them: the API (createApp from
// server/dist), a separate worker process and the Proxmox VE simulator, each in its own process,
// events crossing Redis. Every job is followed by its own graphql-ws client.
//
//   npm run bench:provision                      build, run, write bench/results/provision.json
//   node bench/provision.mjs --jobs 200 --concurrency 16 --warmup 10
//
// The simulator runs with timeFactor 0: every modelled duration (clone, start, agent boot, lock
// timeout) is 0, so task durations are fixed and the simulator's task time on a job's critical path is
// zero (a few setTimeout(0) ticks). What a job takes end to end is therefore the platform's own time:
// queueing, database writes, events, and its Proxmox API calls and polls.
//
// Measured per job (wall clock, performance.timeOrigin + now(), shared by the processes of one host):
// - added time: mutation sent → `finished` event received by the job's subscriber, minus simulator task
//   time (0 here); split into queue wait (accepted → first step started, from the events' `at`) and run.
// - event latency: the worker's publish call → the event's arrival at the subscriber, for events
//   published after the subscriber sent its subscribe message (earlier ones arrive as history);
//   `eventLatencyLiveMs` only those published after the subscriber's first message (subscription live).
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { benchDatabase } from './lib/bench-database.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'server/dist', p);
const now = () => performance.timeOrigin + performance.now();
const TARGETS = { addedP50Ms: 50, eventLatencyP99Ms: 100 };
const loadAtStart = os.loadavg()[0];

// ---------------------------------------------------------------------------------------------- parent

async function main() {
  const { values: opts } = parseArgs({
    options: {
      jobs: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '16' },
      warmup: { type: 'string', default: '10' },
      out: { type: 'string', default: path.join(root, 'bench/results/provision.json') },
    },
  });
  const jobs = Number(opts.jobs);
  const concurrency = Number(opts.concurrency);
  if (Number(process.versions.node.split('.')[0]) < 24)
    throw new Error(`Node ${process.version}: run through npm run bench:provision`);

  const { dbName, dbUrl, admin } = await benchDatabase();
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const children = [];
  let cleaning = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await admin(`drop database if exists "${dbName}" with (force)`);
      console.error(`dropped database ${dbName}`);
    })());
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));

  await admin(`create database "${dbName}"`);
  try {
    const fixture = await seed(dbUrl.toString());
    const sim = await startSimulator(children);
    const env = {
      BENCH_DB_URL: dbUrl.toString(),
      BENCH_REDIS_URL: redisUrl,
      BENCH_REDIS_PREFIX: `${dbName}:`,
      BENCH_SECRETS_KEY: randomBytes(32).toString('base64'),
      BENCH_OWNER_ID: fixture.ownerId,
      BENCH_CONCURRENCY: String(concurrency),
    };
    const api = await startChild('api', env, children);
    const worker = await startChild('worker', env, children);
    const gql = async (query, variables) => {
      const res = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      if (body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const { createCluster } = await gql(
      `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`,
      {
        input: { name: 'sim', apiUrl: sim.url, tokenId: sim.tokenId, tokenSecret: sim.secret },
      },
    );
    const { createTemplate } = await gql(
      `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`,
      {
        input: {
          clusterId: createCluster.id,
          name: 'debian-12',
          kind: 'VM',
          os: 'debian-12',
          sourceVmid: 9000,
          defaultCores: 1,
          defaultMemoryMiB: 512,
          defaultDiskGiB: 4,
        },
      },
    );
    const { createClient } = await import('graphql-ws');
    const WebSocket = (await import('ws')).default;
    const provision = async (name) => {
      const sentAt = now();
      const { provisionMachine } = await gql(
        `mutation($input: ProvisionMachineInput!) { provisionMachine(input: $input) { job { id } } }`,
        { input: { projectId: fixture.projectId, name, templateId: createTemplate.id } },
      );
      const jobId = provisionMachine.job.id;
      const client = createClient({
        url: `${api.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${api.token}` },
        lazy: true,
      });
      const subscribedAt = now();
      const events = await new Promise((resolve, reject) => {
        const seen = [];
        client.subscribe(
          {
            query: `subscription($id: ID!) { jobProgress(jobId: $id) { seq step status at data } }`,
            variables: { id: jobId },
          },
          {
            next: (m) =>
              m.errors
                ? reject(new Error(JSON.stringify(m.errors)))
                : seen.push({ ...m.data.jobProgress, receivedAt: now() }),
            error: reject,
            complete: () => resolve(seen),
          },
        );
      });
      await client.dispose();
      return { jobId, sentAt, subscribedAt, events };
    };

    const warm = [];
    for (let i = 0; i < Number(opts.warmup); i++) warm.push(await provision(`warm-${i}`));
    console.error(`warm-up: ${warm.length} sequential provisions`);
    await request(worker, { type: 'reset' });

    const t0 = now();
    const runs = await Promise.all(Array.from({ length: jobs }, (_, i) => provision(`bench-${i}`)));
    const wallMs = now() - t0;
    const { publishes } = await request(worker, { type: 'publishes' });

    const failed = runs.filter((r) => r.events.at(-1)?.data?.status !== 'SUCCEEDED');
    if (failed.length)
      throw new Error(
        `${failed.length} of ${jobs} jobs did not succeed, e.g. ${JSON.stringify(failed[0].events.at(-1))}`,
      );
    const published = new Map(publishes.map(([jobId, seq, at]) => [`${jobId}:${seq}`, at]));
    const added = [];
    const queueWait = [];
    const run = [];
    const latency = [];
    const steady = [];
    const steps = {};
    for (const r of runs) {
      const stepStart = new Map();
      const finished = r.events.at(-1);
      added.push(finished.receivedAt - r.sentAt - 0 /* simulator task time: timeFactor 0 */);
      const queued = Date.parse(r.events.find((e) => e.status === 'queued').at);
      const firstStep = Date.parse(r.events.find((e) => e.status === 'started').at);
      queueWait.push(firstStep - queued);
      run.push(Date.parse(finished.at) - firstStep);
      for (const e of r.events) {
        if (e.status === 'started') stepStart.set(e.step, Date.parse(e.at));
        if ((e.status === 'succeeded' || e.status === 'skipped') && stepStart.has(e.step)) {
          (steps[e.step] ??= []).push(Date.parse(e.at) - stepStart.get(e.step));
        }
        const at = published.get(`${r.jobId}:${e.seq}`);
        if (at === undefined || at < r.subscribedAt) continue;
        latency.push(e.receivedAt - at);
        // Published once the subscription was live (its first message, the history, had arrived):
        // the pure publish → Redis → API → graphql-ws path, without the subscription's setup.
        if (at >= r.events[0].receivedAt) steady.push(e.receivedAt - at);
      }
    }
    const results = {
      jobs,
      succeeded: jobs - failed.length,
      wallSeconds: round(wallMs / 1000, 2),
      jobsPerSecond: round(jobs / (wallMs / 1000), 1),
      addedMs: stats(added),
      queueWaitMs: stats(queueWait),
      runMs: stats(run),
      eventsPerJob: round(runs.reduce((s, r) => s + r.events.length, 0) / jobs, 1),
      eventLatencyMs: stats(latency),
      eventLatencyLiveMs: stats(steady),
      simulatorTaskMsOnCriticalPath: 0,
      stepMs: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, stats(v)])),
    };
    const report = {
      benchmark: 'provision',
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
        jobs,
        workerConcurrency: concurrency,
        warmupJobs: warm.length,
        simulator: { timeFactor: 0, tls: false, seed: 1 },
        pubsub: 'redis',
        processes: ['api', 'worker', 'pve-sim', 'load (this)'],
      },
      results,
      targets: {
        ...TARGETS,
        met: {
          addedP50: results.addedMs.p50 < TARGETS.addedP50Ms,
          eventLatencyP99: results.eventLatencyMs.p99 < TARGETS.eventLatencyP99Ms,
        },
      },
    };
    console.log(JSON.stringify(results, null, 2));
    await mkdir(path.dirname(opts.out), { recursive: true });
    await writeFile(opts.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), opts.out)}`);
  } finally {
    await cleanup();
  }
}

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const q = (p) => (v.length ? round(v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)], 1) : null);
  return { p50: q(50), p90: q(90), p99: q(99), max: q(100), n: v.length };
}

const round = (n, d) => Math.round(n * 10 ** d) / 10 ** d;

/** Migrates through the API's own openOrm; one owner (platform admin), organization and project. */
async function seed(url) {
  const { openOrm } = await import(dist('db/orm.js'));
  const orm = await openOrm({ url, poolSize: 2 });
  try {
    const em = orm.em.fork();
    const owner = em.create('User', {
      email: 'bench-owner@example.com',
      displayName: 'Bench Owner',
      isPlatformAdmin: true,
    });
    const org = em.create('Organization', { name: 'bench', slug: 'bench' });
    const project = em.create('Project', { organization: org, name: 'default' });
    em.create('Membership', { organization: org, user: owner, role: 'OWNER', project: null });
    await em.flush();
    return { ownerId: owner.id, projectId: project.id };
  } finally {
    await orm.close();
  }
}

/** `npm run pve-sim` with timeFactor 0, plain HTTP, a free port; resolves with its URL and full token. */
function startSimulator(children) {
  const child = spawn(process.execPath, [path.join(root, 'orchestration/dist/pve-sim/main.js')], {
    env: { ...process.env, PVE_SIM_PORT: '0', PVE_SIM_TLS: '0', PVE_SIM_TIME_FACTOR: '0', PVE_SIM_DEMO: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`pve-sim exited with ${code}`)));
    child.stdout.on('data', (b) => {
      out += b;
      const url = /listening on (\S+)\/api2\/json/.exec(out)?.[1];
      const token = /token\s+Authorization: PVEAPIToken=([^=\s]+)=(\S+)/.exec(out);
      if (url && token) resolve({ url, tokenId: token[1], secret: token[2] });
    });
  });
}

function startChild(role, env, children) {
  const child = fork(fileURLToPath(import.meta.url), [role], { env: { ...process.env, ...env }, stdio: 'inherit' });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
    child.once('message', (m) => resolve(Object.assign(child, m)));
  });
}

function request(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

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

// ---------------------------------------------------------------------------------------------- children

async function common() {
  await import('reflect-metadata');
  const [orm_, logger_, secrets_, sqlClient_, pubsub_, jobs_] = await Promise.all(
    [
      'db/orm.js',
      'logger.js',
      'secrets/local-secret-store.js',
      'db/sql-client.js',
      'realtime/pubsub.js',
      'jobs/queue.js',
    ].map((p) => import(dist(p))),
  );
  const env = process.env;
  const log = logger_.createLogger(env.BENCH_LOG_LEVEL ?? 'warn');
  const orm = await orm_.openOrm({ url: env.BENCH_DB_URL, poolSize: 10 });
  const secrets = new secrets_.LocalSecretStore({
    sql: sqlClient_.sqlClientFromOrm(orm),
    key: Buffer.from(env.BENCH_SECRETS_KEY, 'base64'),
  });
  const pubsub = await pubsub_.createRedisPubSub(env.BENCH_REDIS_URL, env.BENCH_REDIS_PREFIX);
  const jobs = await jobs_.JobQueue.start({ url: env.BENCH_DB_URL, poolSize: 4, log });
  return { orm, log, secrets, pubsub, jobs };
}

/** The API as main.ts builds it, with the Redis pub/sub, NODE_ENV=production. */
async function serveApi() {
  const { orm, log, secrets, pubsub, jobs } = await common();
  const [app_, config_] = await Promise.all(['app.js', 'config.js'].map((p) => import(dist(p))));
  const config = config_.loadConfig({ NODE_ENV: 'production' });
  const app = await app_.createApp(config, {
    orm,
    log,
    secrets,
    pubsub,
    jobs,
    sessionSecret: randomBytes(32).toString('base64'),
  });
  const address = await app.listen(0, '127.0.0.1');
  process.send({
    url: `http://127.0.0.1:${address.port}`,
    token: await app.services.sessionKeys.sign(process.env.BENCH_OWNER_ID),
  });
}

/** `npm run worker`, with each jobProgress publish timestamped (before the publish call). */
async function serveWorker() {
  const { orm, log, secrets, pubsub, jobs } = await common();
  const { startWorker } = await import(dist('worker/start-worker.js'));
  let publishes = [];
  const publish = pubsub.publish.bind(pubsub);
  pubsub.publish = (topic, id, payload) => {
    if (topic === 'jobProgress') publishes.push([payload.jobId, payload.seq, now()]);
    return publish(topic, id, payload);
  };
  await startWorker({ orm, jobs, pubsub, secrets, log, concurrency: Number(process.env.BENCH_CONCURRENCY) });
  process.on('message', (m) => {
    if (m.type === 'reset') publishes = [];
    process.send(m.type === 'publishes' ? { publishes } : { ok: true });
  });
  process.send({ ready: true });
}

const role = process.argv[2];
const entry = role === 'api' ? serveApi : role === 'worker' ? serveWorker : main;
entry().catch((err) => {
  console.error(err);
  process.exit(1);
});
