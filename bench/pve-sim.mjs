// Benchmark: the Proxmox VE simulator.
//   1. GET /cluster/resources with 1,000 guests (API token auth, full schema validation and
//      permission filtering), beside a bare node:http server answering the same JSON body. The
//      simulator samples the rows once per simulated second (pvestatd does every 10 s), so a
//      second simulator run changes state every millisecond to measure the uncached path.
//   2. 200 concurrent clones through the API (explicit new ids), then 50 more that pick their id
//      with GET /cluster/nextid first, as naive clients do (the modelled id race shows up there).
//
//   npm run bench:pve-sim                     build, then measure; writes bench/results/pve-sim.json
//   node bench/pve-sim.mjs --duration 5       seconds per load run (default 10, after a 2 s warm-up)
//
// Each server runs in its own child process so autocannon (here) does not share its event loop.
// Loopback only; bounded.
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GUESTS = 1000;
const CLONES = 200;
const RACY_CLONES = 50;
const TIME_FACTOR = 0.01;
const CONNECTIONS = 10;

// ------------------------------------------------------------------------------------------- children

async function child(role) {
  let server;
  if (role === 'sim') {
    const { createPveSimulator } = await import(path.join(root, 'orchestration/dist/pve-sim/index.js'));
    const sim = await createPveSimulator({ seed: 42, timeFactor: TIME_FACTOR, consoleBroker: false });
    sim.control.addGuests(GUESTS, { running: true });
    process.send({ ready: true, url: sim.url, auth: sim.credentials.tokens.full.header });
    server = sim;
  } else {
    const body = await new Promise((resolve) => process.once('message', (m) => resolve(m.body)));
    const http = createServer((req, res) => {
      if (req.headers.authorization === undefined) return void res.writeHead(401).end();
      res
        .writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(body) })
        .end(body);
    });
    await new Promise((r) => http.listen(0, '127.0.0.1', r));
    process.send({ ready: true, url: `http://127.0.0.1:${http.address().port}` });
    server = { close: () => new Promise((r) => http.close(r)) };
  }
  let mark = process.cpuUsage();
  let churn;
  process.on('message', async (m) => {
    if (m.cmd === 'mark') mark = process.cpuUsage();
    // Defeats the once-per-second memo of /cluster/resources: a state change every millisecond.
    if (m.cmd === 'churn' && role === 'sim') {
      let i = 0;
      churn = setInterval(() => server.control.setGuestConfig(9000, { description: `churn ${i++}` }), 1);
    }
    if (m.cmd === 'calm') clearInterval(churn);
    if (m.cmd === 'cpu') {
      const d = process.cpuUsage(mark);
      process.send({ cpuMs: (d.user + d.system) / 1000 });
    }
    if (m.cmd === 'exit') {
      await server.close();
      process.exit(0);
    }
  });
}

// --------------------------------------------------------------------------------------------- parent

function spawn(role) {
  const cp = fork(fileURLToPath(import.meta.url), ['--child', role], { stdio: 'inherit' });
  const next = () => new Promise((resolve) => cp.once('message', resolve));
  return { cp, next, send: (m) => cp.send(m) };
}

async function measure(autocannon, proc, url, auth, seconds) {
  await autocannon({ url, connections: CONNECTIONS, headers: { Authorization: auth }, duration: 2 });
  proc.send({ cmd: 'mark' });
  const r = await autocannon({ url, connections: CONNECTIONS, headers: { Authorization: auth }, duration: seconds });
  proc.send({ cmd: 'cpu' });
  const { cpuMs } = await proc.next();
  if (r.non2xx || r.errors || r.timeouts)
    throw new Error(`load run had failures: non2xx=${r.non2xx} errors=${r.errors} timeouts=${r.timeouts}`);
  return {
    reqPerSec: Math.round(r.requests.average),
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99 },
    throughputMBps: Math.round((r.throughput.average / 1e6) * 10) / 10,
    requests: r.requests.total,
    cpuMsPerRequest: Math.round((cpuMs / r.requests.total) * 1000) / 1000,
  };
}

async function api(base, auth, method, p, params) {
  const body = params ? new URLSearchParams(params).toString() : undefined;
  const res = await fetch(`${base}/api2/json${p}`, {
    method,
    headers: { Authorization: auth, ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, statusText: res.statusText, data: text ? JSON.parse(text).data : undefined };
}

async function waitTask(base, auth, upid) {
  for (;;) {
    const r = await api(base, auth, 'GET', `/nodes/${upid.split(':')[1]}/tasks/${encodeURIComponent(upid)}/status`);
    if (r.status !== 200) return `status ${r.status}`;
    if (r.data.status === 'stopped') return r.data.exitstatus;
    await new Promise((res) => setTimeout(res, 50));
  }
}

function tally(outcomes) {
  const counts = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

async function clones(base, auth) {
  const templates = [9000, 9001];
  const t0 = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: CLONES }, async (_, i) => {
      const r = await api(base, auth, 'POST', `/nodes/pve1/qemu/${templates[i % 2]}/clone`, {
        newid: String(5000 + i),
        name: `bench-clone-${i}`,
        target: `pve${(i % 3) + 1}`,
      });
      if (r.status !== 200) return `HTTP ${r.status} ${r.statusText}`;
      return waitTask(base, auth, r.data);
    }),
  );
  const explicit = { count: CLONES, wallMs: Math.round(performance.now() - t0), outcomes: tally(outcomes) };
  const t1 = performance.now();
  const racy = await Promise.all(
    Array.from({ length: RACY_CLONES }, async () => {
      const id = await api(base, auth, 'GET', '/cluster/nextid');
      const r = await api(base, auth, 'POST', '/nodes/pve1/qemu/9000/clone', { newid: id.data });
      if (r.status !== 200) return `HTTP ${r.status} ${r.statusText.replace(/\d+/g, 'N')}`;
      return waitTask(base, auth, r.data);
    }),
  );
  return {
    explicit,
    viaNextid: { count: RACY_CLONES, wallMs: Math.round(performance.now() - t1), outcomes: tally(racy) },
  };
}

async function main() {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, child: { type: 'string' } } });
  if (values.child) return child(values.child);
  const seconds = Number(values.duration);
  const { default: autocannon } = await import('autocannon');
  const loadAtStart = os.loadavg()[0];

  const sim = spawn('sim');
  const { url: simUrl, auth } = await sim.next();
  const sample = await fetch(`${simUrl}/api2/json/cluster/resources`, { headers: { Authorization: auth } });
  const body = await sample.text();
  const rows = JSON.parse(body).data;
  if (rows.filter((r) => r.type === 'qemu').length < GUESTS)
    throw new Error('expected 1,000+ guests in /cluster/resources');

  const raw = spawn('raw');
  raw.send({ body });
  const { url: rawUrl } = await raw.next();

  console.log(
    `GET /cluster/resources: ${rows.length} rows, ${(body.length / 1024).toFixed(0)} KiB; ${seconds}s per run, ${CONNECTIONS} connections`,
  );
  const rawResult = await measure(autocannon, raw, rawUrl, auth, seconds);
  const simResult = await measure(autocannon, sim, `${simUrl}/api2/json/cluster/resources`, auth, seconds);
  sim.send({ cmd: 'churn' });
  const churnResult = await measure(autocannon, sim, `${simUrl}/api2/json/cluster/resources`, auth, seconds);
  sim.send({ cmd: 'calm' });
  const cloneResult = await clones(simUrl, auth);

  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadAtStart },
    node: process.version,
    settings: {
      guests: GUESTS,
      rows: rows.length,
      bodyBytes: body.length,
      connections: CONNECTIONS,
      seconds,
      timeFactor: TIME_FACTOR,
    },
    clusterResources: {
      raw: rawResult,
      simulator: simResult,
      ratio: Math.round((simResult.reqPerSec / rawResult.reqPerSec) * 100) / 100,
    },
    clones: cloneResult,
  };
  console.table({ raw: rawResult, simulator: simResult, 'simulator, state changing': churnResult });
  console.log('clones', JSON.stringify(cloneResult, null, 2));
  await mkdir(path.join(root, 'bench/results'), { recursive: true });
  await writeFile(path.join(root, 'bench/results/pve-sim.json'), `${JSON.stringify(result, null, 2)}\n`);
  for (const p of [sim, raw]) p.send({ cmd: 'exit' });
}

await main();
