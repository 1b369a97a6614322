// Benchmark: 200 provisions submitted at once, as production runs them: the API (createApp from
// server/dist), a separate worker process and the Proxmox VE simulator, each in its own process,
// events crossing Redis. Every job is followed by its own graphql-ws client.
//
//   npm run bench:provision                      build, run, write bench/results/provision.json
//   node bench/provision.mjs --jobs 200 --concurrency 16 --warmup 10 --time-factor 0.1 [--cpu-prof: the worker's and the API's]
//
// Task durations: the simulator's modelled durations (clone 1-5 s, start 1-3 s, agent up 8-20 s
// after boot; the same for every run, seed 1) times --time-factor. The default 0.1 keeps a job's
// waits at ~2.5 s, so the worker's 16 slots mostly wait on Proxmox as they do in production.
// --time-factor 0 makes every duration 0: the jobs then only compete for the 2 cores, and the
// figure measures that saturation (CPU per job × slots / cores), not what the platform adds to a job.
// What a job still waits for outside the platform is measured, per job, in the worker
// (AsyncLocalStorage around each job): its HTTP requests to the simulator (diagnostics_channel
// `http.client.request.start` → the request's `close`) and the timers it sleeps on (task polls,
// address polls: setTimeout calls of 1 to 5000 ms made inside the job that fired), as a union of
// intervals. The platform's overhead of a job is its run (picked up → handler returned) minus that.
//
// Measured per job (wall clock, performance.timeOrigin + now(), shared by the processes of one host):
// - overhead: run − waits on the simulator and on poll delays (the target: p50 < 50 ms);
// - queue wait: accepted (the `queued` event) → picked up by a worker slot, with the worker's
//   concurrency stated; end to end: mutation sent → `finished` received by the job's subscriber;
// - event latency: the worker's publish call → the event's arrival at the subscriber, for events
//   published after the subscriber sent its subscribe message (earlier ones arrive as history);
//   `eventLatencyLiveMs` only those published after the subscriber's first message (subscription live).
// Baseline, in the same run after the burst: the same Proxmox calls a provision makes (clone, wait,
// config, resize, start, wait, agent address polls with the workflow's delays) straight from a
// ProxmoxClient, as many at once as the worker's slots, metered the same way.
import { AsyncLocalStorage } from 'node:async_hooks';
import { fork, spawn } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { execFileSync } from 'node:child_process';
import { benchDatabase } from './lib/bench-database.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'server/dist', p);
const now = () => performance.timeOrigin + performance.now();
const TARGETS = { overheadP50Ms: 50, eventLatencyP99Ms: 100 };
const loadAtStart = os.loadavg()[0];

// ---------------------------------------------------------------------------------------------- parent

async function main() {
  const { values: opts } = parseArgs({
    options: {
      jobs: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '16' },
      warmup: { type: 'string', default: '10' },
      'time-factor': { type: 'string', default: '0.1' },
      'cpu-prof': { type: 'boolean', default: false },
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
    const sim = await startSimulator(children, opts['time-factor']);
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
    // The warm-up's jobs ran one at a time: the platform's overhead of a job with nothing else running.
    const alone = (await request(worker, { type: 'meters' })).meters.slice(1);
    await request(worker, { type: 'reset' });
    await request(api, { type: 'reset' });

    if (opts['cpu-prof']) {
      await request(worker, { type: 'profile-start' });
      await request(api, { type: 'profile-start' });
    }
    const cpuBefore = { api: await request(api, { type: 'cpu' }), worker: await request(worker, { type: 'cpu' }) };
    const t0 = now();
    const runs = await Promise.all(Array.from({ length: jobs }, (_, i) => provision(`bench-${i}`)));
    const wallMs = now() - t0;
    const cpuAfter = { api: await request(api, { type: 'cpu' }), worker: await request(worker, { type: 'cpu' }) };
    const cpuMsPerJob = Object.fromEntries(
      ['api', 'worker'].map((k) => [k, round((cpuAfter[k].cpuMs - cpuBefore[k].cpuMs) / jobs, 1)]),
    );
    const { publishes } = await request(worker, { type: 'publishes' });
    const { meters } = await request(worker, { type: 'meters' });
    if (process.env.BENCH_COUNT_SQL) {
      for (const child of [worker, api]) {
        const { sql } = await request(child, { type: 'sql' });
        console.error(`SQL statements of the ${child === api ? 'API' : 'worker'}:`);
        for (const [k, n] of sql.slice(0, 40)) console.error(`${(n / jobs).toFixed(1).padStart(6)} per job  ${k}`);
      }
    }
    if (process.env.BENCH_COUNT_PROXMOX) {
      const { calls } = await request(worker, { type: 'proxmox-calls' });
      for (const [k, n] of calls) console.error(`${(n / jobs).toFixed(2).padStart(6)} per job  ${k}`);
    }
    if (opts['cpu-prof']) {
      console.error(`worker profile: ${(await request(worker, { type: 'profile-stop' })).file}`);
      console.error(`API profile: ${(await request(api, { type: 'profile-stop' })).file}`);
    }
    const meterOf = new Map(meters.map((m) => [m.jobId, m]));

    const failed = runs.filter((r) => r.events.at(-1)?.data?.status !== 'SUCCEEDED');
    if (failed.length)
      throw new Error(
        `${failed.length} of ${jobs} jobs did not succeed, e.g. ${JSON.stringify(failed[0].events.at(-1))}`,
      );
    const published = new Map(publishes.map(([jobId, seq, at]) => [`${jobId}:${seq}`, at]));
    const added = [];
    const queueWait = [];
    const run = [];
    const overhead = [];
    const waited = [];
    const waitedHttp = [];
    const proxmoxCalls = [];
    const endToEnd = [];
    const accept = [];
    const finishedDelivery = [];
    const latency = [];
    const steady = [];
    const steps = {};
    for (const r of runs) {
      const stepStart = new Map();
      const finished = r.events.at(-1);
      const m = meterOf.get(r.jobId);
      if (!m) throw new Error(`job ${r.jobId}: the worker has no meter for it`);
      const queued = Date.parse(r.events.find((e) => e.status === 'queued').at);
      const firstStep = Date.parse(r.events.find((e) => e.status === 'started').at);
      queueWait.push(m.pickedAt - queued);
      run.push(m.endedAt - m.pickedAt);
      waited.push(m.waitedMs);
      waitedHttp.push(m.httpMs);
      proxmoxCalls.push(m.httpCount);
      overhead.push(m.endedAt - m.pickedAt - m.waitedMs);
      endToEnd.push(finished.receivedAt - r.sentAt);
      accept.push(queued - r.sentAt);
      const finishedPublished = published.get(`${r.jobId}:${finished.seq}`);
      if (finishedPublished !== undefined) finishedDelivery.push(finished.receivedAt - finishedPublished);
      // End to end without the queue and the waits: mutation, pickup, run and delivery to the subscriber.
      added.push(finished.receivedAt - r.sentAt - (m.pickedAt - queued) - m.waitedMs);
      void firstStep;
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
    console.error('baseline: the same Proxmox calls straight from a ProxmoxClient');
    const baseline = await directBaseline(sim, jobs, concurrency);
    const results = {
      jobs,
      succeeded: jobs - failed.length,
      workerConcurrency: concurrency,
      wallSeconds: round(wallMs / 1000, 2),
      jobsPerSecond: round(jobs / (wallMs / 1000), 1),
      // CPU the platform's processes spent per job over the burst (PostgreSQL's and Redis's not counted).
      cpuMsPerJob,
      overheadMs: stats(overhead),
      // The warm-up's provisions after the first, one at a time: no queue, no other job running.
      overheadAloneMs: stats(alone.map((m) => m.endedAt - m.pickedAt - m.waitedMs)),
      runAloneMs: stats(alone.map((m) => m.endedAt - m.pickedAt)),
      runMs: stats(run),
      waitedMs: stats(waited),
      waitedOnProxmoxCallsMs: stats(waitedHttp),
      proxmoxCallsPerJob: stats(proxmoxCalls),
      queueWaitMs: stats(queueWait),
      endToEndMs: stats(endToEnd),
      addedEndToEndMs: stats(added),
      // Of the rest: the mutation (sent → the job's `queued` event) and the `finished` event's delivery.
      acceptMs: stats(accept),
      finishedDeliveryMs: stats(finishedDelivery),
      eventsPerJob: round(runs.reduce((s, r) => s + r.events.length, 0) / jobs, 1),
      eventLatencyMs: stats(latency),
      eventLatencyLiveMs: stats(steady),
      stepMs: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, stats(v)])),
      baseline,
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
        measure:
          'overhead = run (picked up → handler returned) − union of the job’s HTTP requests to the simulator and fired poll timers (1–5000 ms)',
        warmupJobs: warm.length,
        simulator: { timeFactor: Number(opts['time-factor']), tls: false, seed: 1 },
        pubsub: 'redis',
        processes: ['api', 'worker', 'pve-sim', 'load (this)'],
      },
      results,
      targets: {
        ...TARGETS,
        met: {
          overheadP50: results.overheadMs.p50 < TARGETS.overheadP50Ms,
          // "From publish to a subscribed client": events published once the client's subscription
          // was live. `eventLatencyMs` also counts events published before the API had the
          // subscription (after the client sent it), which reach the client in its history.
          eventLatencyP99: results.eventLatencyLiveMs.p99 < TARGETS.eventLatencyP99Ms,
        },
      },
    };
    printTable(results);
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

const cpuNow = () => {
  const c = process.cpuUsage();
  return { cpuMs: (c.user + c.system) / 1000 };
};

function printTable(r) {
  const row = (cells) => `| ${cells.map((c, i) => String(c ?? '').padStart(i ? 9 : 34)).join(' | ')} |`;
  console.log(
    `\nprovision: ${r.jobs} at once, worker concurrency ${r.workerConcurrency}, ${r.wallSeconds} s (${r.jobsPerSecond} jobs/s), load ${round(loadAtStart, 1)}\n`,
  );
  console.log(row(['ms', 'p50', 'p90', 'p99', 'max']));
  console.log(row(['---', '---', '---', '---', '---']));
  const line = (name, x) => console.log(row([name, x.p50, x.p90, x.p99, x.max]));
  line('overhead of one job alone', r.overheadAloneMs);
  line('platform overhead (run − waits)', r.overheadMs);
  line('run', r.runMs);
  line('waits (simulator + poll delays)', r.waitedMs);
  line('  of which Proxmox calls', r.waitedOnProxmoxCallsMs);
  line('queue wait', r.queueWaitMs);
  line('end to end', r.endToEndMs);
  line('end to end − queue − waits', r.addedEndToEndMs);
  line('  mutation: sent → accepted', r.acceptMs);
  line('  finished: published → received', r.finishedDeliveryMs);
  line('event latency', r.eventLatencyMs);
  line('event latency, live', r.eventLatencyLiveMs);
  line('baseline: overhead (run − waits)', r.baseline.overheadMs);
  line('baseline: run', r.baseline.runMs);
  line('baseline: waits', r.baseline.waitedMs);
  console.log(
    `\nProxmox calls per job: platform p50 ${r.proxmoxCallsPerJob.p50}, baseline p50 ${r.baseline.proxmoxCallsPerJob.p50};` +
      ` CPU per job: API ${r.cpuMsPerJob.api} ms, worker ${r.cpuMsPerJob.worker} ms`,
  );
}

/**
 * Waits of one unit of work (a job, a baseline run) on the simulator and on timers, as intervals,
 * through AsyncLocalStorage: HTTP requests made inside it (the Proxmox client's), and setTimeout
 * calls of 1 to 5000 ms made inside it that fired (the client's task polls, the address polls).
 * Longer timers are step timeouts and idle timers, not delays a job waits on.
 */
function waitMeter({ countPaths = false } = {}) {
  const als = new AsyncLocalStorage();
  diagnostics.subscribe('http.client.request.start', ({ request }) => {
    const m = als.getStore();
    if (!m) return;
    const t = now();
    let open = true;
    const end = () => {
      if (!open) return;
      open = false;
      m.http.push([t, now()]);
    };
    request.once('close', end);
    request.once('error', end);
    if (m.paths) {
      // Which calls a job makes (BENCH_COUNT_PROXMOX): method and path, ids and UPIDs as ':x'.
      const k = `${request.method} ${String(request.path)
        .replace(/\?.*$/, '')
        .replace(/UPID:[^/]+/g, ':upid')
        .replace(/\/\d+(?=\/|$)/g, '/:id')}`;
      m.paths.set(k, (m.paths.get(k) ?? 0) + 1);
    }
  });
  const realSetTimeout = globalThis.setTimeout;
  const metered = function setTimeout(fn, ms, ...args) {
    const m = als.getStore();
    if (!m || typeof fn !== 'function' || !(ms >= 1 && ms <= 5000)) return realSetTimeout(fn, ms, ...args);
    const t = now();
    return realSetTimeout(
      (...a) => {
        m.timers.push([t, now()]);
        return fn(...a);
      },
      ms,
      ...args,
    );
  };
  metered[promisify.custom] = realSetTimeout[promisify.custom];
  globalThis.setTimeout = metered;
  return {
    /** Runs `fn` metered; resolves with its result and the meter. */
    async run(fn) {
      const m = { http: [], timers: [], startedAt: now(), endedAt: 0, paths: countPaths ? new Map() : null };
      try {
        return { result: await als.run(m, fn), meter: m };
      } finally {
        m.endedAt = now();
      }
    },
    /** The union of the intervals within [startedAt, endedAt], in ms, and the HTTP part alone. */
    summary(m) {
      const union = (list) => {
        const clipped = list
          .map(([a, b]) => [Math.max(a, m.startedAt), Math.min(b, m.endedAt)])
          .filter(([a, b]) => b > a)
          .sort((x, y) => x[0] - y[0]);
        let total = 0;
        let [cs, ce] = [-Infinity, -Infinity];
        for (const [a, b] of clipped) {
          if (a > ce) {
            if (ce > cs) total += ce - cs;
            [cs, ce] = [a, b];
          } else ce = Math.max(ce, b);
        }
        if (ce > cs) total += ce - cs;
        return total;
      };
      return {
        waitedMs: round(union([...m.http, ...m.timers]), 2),
        httpMs: round(union(m.http), 2),
        httpCount: m.http.length,
      };
    },
  };
}

/**
 * The Proxmox side of a provision without the platform: clone the template, wait, set the config,
 * grow the disk, start, wait, poll the agent for an address with the workflow's delays (200 ms,
 * doubling). `jobs` of them, `concurrency` at a time, each metered like a job.
 */
async function directBaseline(sim, jobs, concurrency) {
  const meter = waitMeter();
  const { ProxmoxClient } = await import(path.join(root, 'orchestration/dist/proxmox/client.js'));
  const logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => logger };
  const client = new ProxmoxClient({
    url: sim.url,
    auth: { type: 'token', tokenId: sim.tokenId, secret: sim.secret },
    logger,
  });
  try {
    const template = await client.cluster.findGuest(9000);
    const one = async (vmid) => {
      const upid = await client.qemu.clone(template.node, 9000, { newid: vmid, name: `direct-${vmid}`, full: false });
      await client.waitForTask(upid);
      await client.qemu.setConfig(template.node, vmid, { cores: 1, memory: 512 });
      await client.waitForTask(await client.qemu.resize(template.node, vmid, 'scsi0', '4G')).catch(() => undefined);
      await client.waitForTask(await client.qemu.start(template.node, vmid));
      for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
        const interfaces = await client.qemu.agentNetworkInterfaces(template.node, vmid).catch(() => []);
        if (interfaces.some((i) => i['ip-addresses']?.some((a) => a['ip-address-type'] === 'ipv4'))) return;
        await new Promise((r) => setTimeout(r, delay));
      }
    };
    const summaries = [];
    let next = 0;
    const started = now();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, jobs) }, async () => {
        while (next < jobs) {
          const vmid = 20000 + next++;
          const { meter: m } = await meter.run(() => one(vmid));
          summaries.push({ run: m.endedAt - m.startedAt, ...meter.summary(m) });
        }
      }),
    );
    return {
      jobs,
      concurrency,
      wallSeconds: round((now() - started) / 1000, 2),
      overheadMs: stats(summaries.map((x) => x.run - x.waitedMs)),
      runMs: stats(summaries.map((x) => x.run)),
      waitedMs: stats(summaries.map((x) => x.waitedMs)),
      proxmoxCallsPerJob: stats(summaries.map((x) => x.httpCount)),
    };
  } finally {
    client.close();
  }
}

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

/** `npm run pve-sim` with the given timeFactor, plain HTTP, a free port; resolves with its URL and full token. */
function startSimulator(children, timeFactor) {
  const child = spawn(process.execPath, [path.join(root, 'orchestration/dist/pve-sim/main.js')], {
    env: { ...process.env, PVE_SIM_PORT: '0', PVE_SIM_TLS: '0', PVE_SIM_TIME_FACTOR: timeFactor, PVE_SIM_DEMO: '0' },
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
  const sql = await countSql();
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
  process.on('message', async (m) => {
    if (m.type === 'cpu') process.send(cpuNow());
    if (m.type === 'reset') {
      sql.clear();
      process.send({ ok: true });
    }
    if (m.type === 'sql') process.send({ sql: [...sql].sort((a, b) => b[1] - a[1]) });
    if (m.type === 'profile-start' || m.type === 'profile-stop') process.send(await profile(m.type, 'api'));
  });
  process.send({
    url: `http://127.0.0.1:${address.port}`,
    token: await app.services.sessionKeys.sign(process.env.BENCH_OWNER_ID),
  });
}

/**
 * BENCH_COUNT_SQL: the statements the process sends, counted by their first 90 characters once
 * literals (quoted strings, numbers) are replaced by '?' (diagnosis, not measured).
 */
async function countSql() {
  const sql = new Map();
  if (!process.env.BENCH_COUNT_SQL) return sql;
  const pg = (await import('pg')).default;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (q, ...rest) {
    const text = typeof q === 'string' ? q : q?.text;
    if (text) {
      const k = text
        .replace(/\s+/g, ' ')
        .replace(/'(?:[^']|'')*'/g, '?')
        .replace(/\b\d+\b/g, '?')
        .slice(0, 90);
      sql.set(k, (sql.get(k) ?? 0) + 1);
    }
    return query.call(this, q, ...rest);
  };
  return sql;
}

/**
 * `npm run worker`, with each jobProgress publish timestamped (before the publish call) and each job
 * metered (waitMeter) from the moment a worker slot picks it up to the handler's return.
 */
async function serveWorker() {
  // Before the platform's modules load, so the timers they set are the metered ones.
  const meter = waitMeter({ countPaths: Boolean(process.env.BENCH_COUNT_PROXMOX) });
  const proxmoxCalls = new Map();
  const sql = await countSql();
  const { orm, log, secrets, pubsub, jobs } = await common();
  const { startWorker } = await import(dist('worker/start-worker.js'));
  let publishes = [];
  let meters = [];
  const publish = pubsub.publish.bind(pubsub);
  pubsub.publish = (topic, id, payload) => {
    if (topic === 'jobProgress') publishes.push([payload.jobId, payload.seq, now()]);
    return publish(topic, id, payload);
  };
  const work = jobs.work.bind(jobs);
  jobs.work = (concurrency, handler) =>
    work(concurrency, async (jobId, signal) => {
      const { meter: m } = await meter.run(() => handler(jobId, signal));
      for (const [k, n] of m.paths ?? []) proxmoxCalls.set(k, (proxmoxCalls.get(k) ?? 0) + n);
      meters.push({ jobId, pickedAt: m.startedAt, endedAt: m.endedAt, ...meter.summary(m) });
    });
  await startWorker({ orm, jobs, pubsub, secrets, log, concurrency: Number(process.env.BENCH_CONCURRENCY) });
  process.on('message', async (m) => {
    if (m.type === 'profile-start' || m.type === 'profile-stop')
      return void process.send(await profile(m.type, 'worker'));
    if (m.type === 'cpu') return void process.send(cpuNow());
    if (m.type === 'reset') [publishes, meters] = [[], [], sql.clear(), proxmoxCalls.clear()];
    if (m.type === 'proxmox-calls') return void process.send({ calls: [...proxmoxCalls].sort((a, b) => b[1] - a[1]) });
    if (m.type === 'sql') return void process.send({ sql: [...sql].sort((a, b) => b[1] - a[1]) });
    process.send(m.type === 'publishes' ? { publishes } : m.type === 'meters' ? { meters } : { ok: true });
  });
  process.send({ ready: true });
}

let profiler = null;
/** --cpu-prof: starts the process's CPU profile, or stops it and writes it to artifacts/bench. */
async function profile(type, role) {
  if (type === 'profile-start') {
    const { Session } = await import('node:inspector/promises');
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return { ok: true };
  }
  const { profile: result } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  const dir = path.join(root, 'artifacts/bench');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `provision-${role}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
  await writeFile(file, JSON.stringify(result));
  return { file };
}

const role = process.argv[2];
const entry = role === 'api' ? serveApi : role === 'worker' ? serveWorker : main;
entry().catch((err) => {
  console.error(err);
  process.exit(1);
});
