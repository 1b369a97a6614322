// Benchmark: RFB frames through the platform's console proxy (`openConsole` → `/console/<id>` on the
// API, which relays to Proxmox's vncwebsocket), against a direct connection to the same guest's
// vncwebsocket on the Proxmox VE simulator.
//
//   npm run bench:console                         build, then measure both paths and write bench/results/console.json
//   node bench/console.mjs --cpu-prof             also profile the API over the measured rounds (artifacts/bench/*.cpuprofile)
//   #   --duration 8 --warmup 1 --rounds 4 --in-flight 4 --samples 1000 --out bench/results/console.json
//
// The API (createApp from server/dist) and the simulator (orchestration/dist/pve-sim/main.js) each run
// in their own process; the RFB clients run here. Both paths are measured in alternating rounds, so
// whatever else loads the machine loads both alike. A fresh database is created and dropped per run.
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBenchApi } from './lib/bench-api.mjs';
import { benchDatabase } from './lib/bench-database.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'server/dist', p);
const orchestrationDist = (p) => path.join(root, 'orchestration/dist', p);

const TARGET = { throughputRatioAtLeast: 0.8, addedLatencyP50MsBelow: 2 };
const loadAtStart = os.loadavg();
const now = () => performance.now();
const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------- parent

async function main() {
  const { values: opts } = parseArgs({
    options: {
      duration: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '4' },
      'in-flight': { type: 'string', default: '4' },
      samples: { type: 'string', default: '1000' },
      'cpu-prof': { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(root, 'bench/results/console.json') },
    },
  });
  const settings = {
    durationSeconds: Number(opts.duration),
    warmupSeconds: Number(opts.warmup),
    rounds: Number(opts.rounds),
    inFlight: Number(opts['in-flight']),
    latencySamples: Number(opts.samples),
  };
  if (Number(process.versions.node.split('.')[0]) < 24) {
    throw new Error(`Node ${process.version}: run through npm run bench:console (the pinned Node 24)`);
  }

  const { dbName, dbUrl, admin } = await benchDatabase();

  const children = [];
  const sockets = [];
  let cleaning = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const ws of sockets) ws.terminate();
      await Promise.allSettled(children.map(stopChild));
      await admin(`drop database if exists "${dbName}" with (force)`);
      console.error(`dropped database ${dbName}`);
    })());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }

  await admin(`create database "${dbName}"`);
  try {
    const fixture = await seed(dbUrl.toString());
    const sim = await startSimulator(children);
    const api = await startApi({ dbUrl, fixture }, children);
    const pve = proxmox(sim);

    // The cluster goes through the API (its token into the secret store), as an administrator adds it.
    const { createCluster } = await gql(
      api,
      `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`,
      {
        input: { name: 'sim', apiUrl: sim.url, tokenId: sim.tokenId, tokenSecret: sim.secret },
      },
    );
    const { createTemplate } = await gql(
      api,
      `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`,
      {
        input: {
          clusterId: createCluster.id,
          name: 'debian-12',
          kind: 'VM',
          os: 'debian-12',
          sourceVmid: 9000,
          defaultCores: 1,
          defaultMemoryMiB: 1024,
          defaultDiskGiB: 4,
        },
      },
    );
    // A running QEMU guest on the simulator and the machine row that points at it (as console.db.test.ts
    // does): provisioning would add a worker and minutes of setup to what is a relay benchmark.
    const [vmid] = await sim.control('POST', '/guests/bulk', { count: 1, running: true, type: 'qemu' });
    const guest = (await pve('GET', '/cluster/resources?type=vm')).find((r) => r.vmid === vmid);
    if (guest?.status !== 'running')
      throw new Error(`the simulator's guest ${vmid} is not running: ${JSON.stringify(guest)}`);
    const machineId = await insertMachine(dbUrl.toString(), {
      ...fixture,
      clusterId: createCluster.id,
      templateId: createTemplate.id,
      node: guest.node,
      vmid,
    });

    // One RFB client per path, kept open for the whole run, both on the same guest's screen.
    const connectProxy = async () => {
      const { openConsole } = await gql(
        api,
        `mutation($machineId: ID!) { openConsole(machineId: $machineId, kind: VNC) { path password } }`,
        { machineId },
      );
      return rfbConnect(
        `${api.url.replace(/^http/, 'ws')}${openConsole.path}`,
        { authorization: `Bearer ${api.token}` },
        openConsole.password,
        sockets,
      );
    };
    const connectDirect = async () => {
      const base = `/nodes/${guest.node}/qemu/${vmid}`;
      const vnc = await pve('POST', `${base}/vncproxy`, { websocket: 1, 'generate-password': 1 });
      const url = `${sim.url.replace(/^http/, 'ws')}/api2/json${base}/vncwebsocket?port=${vnc.port}&vncticket=${encodeURIComponent(vnc.ticket)}`;
      return rfbConnect(url, { authorization: sim.authorization }, vnc.password ?? vnc.ticket, sockets);
    };
    const paths = { direct: await connectDirect(), proxy: await connectProxy() };
    const { width, height } = paths.direct;
    if (paths.proxy.width !== width || paths.proxy.height !== height) {
      throw new Error(
        `screen sizes differ: direct ${width}x${height}, proxy ${paths.proxy.width}x${paths.proxy.height}`,
      );
    }

    // Only correct frames count: both paths must deliver the same bytes for the same (unchanging) screen.
    const frames = {};
    for (const [name, c] of Object.entries(paths)) frames[name] = await c.snapshot();
    if (!frames.direct.equals(frames.proxy)) throw new Error('direct and proxy framebuffers differ');
    const litPixels = countLit(frames.direct);
    if (litPixels === 0) throw new Error('the framebuffer is blank: nothing to compare');
    console.error(`${width}x${height} framebuffers identical on both paths (${litPixels} lit pixels)`);

    // Throughput: full-screen non-incremental requests, `inFlight` pipelined, alternating rounds.
    const roundSeconds = settings.durationSeconds / settings.rounds;
    const order = ['direct', 'proxy'];
    for (const name of order) await throughput(paths[name], settings.warmupSeconds, settings.inFlight);
    const tp = { direct: [], proxy: [] };
    const cpu = { direct: 0, proxy: 0 };
    const cpuSystem = { direct: 0, proxy: 0 };
    if (opts['cpu-prof']) await request(api.child, { cmd: 'profile-start' });
    for (let r = 0; r < settings.rounds; r++) {
      for (const name of r % 2 ? [...order].reverse() : order) {
        const before = await request(api.child, { cmd: 'cpu' });
        tp[name].push(await throughput(paths[name], roundSeconds, settings.inFlight));
        const after = await request(api.child, { cmd: 'cpu' });
        cpu[name] += after.cpuMs - before.cpuMs;
        cpuSystem[name] += after.systemMs - before.systemMs;
      }
    }
    // Added latency: a one-cell (8x16) non-incremental request, one at a time, alternating in blocks.
    const lat = { direct: [], proxy: [] };
    const block = 50;
    for (const name of order) await latency(paths[name], 20, width, height);
    for (let i = 0; i < settings.latencySamples; i += block) {
      for (const name of (i / block) % 2 ? [...order].reverse() : order) {
        lat[name].push(...(await latency(paths[name], Math.min(block, settings.latencySamples - i), width, height)));
      }
    }
    const profile = opts['cpu-prof'] ? (await request(api.child, { cmd: 'profile-stop' })).file : null;
    // The screen is still the same on both paths after the run.
    for (const [name, c] of Object.entries(paths)) {
      if (!(await c.snapshot()).equals(frames.direct)) throw new Error(`${name}: framebuffer changed during the run`);
    }

    const results = {};
    for (const name of order) {
      const bytes = tp[name].reduce((s, x) => s + x.bytes, 0);
      const seconds = tp[name].reduce((s, x) => s + x.seconds, 0);
      const updates = tp[name].reduce((s, x) => s + x.updates, 0);
      const sorted = [...lat[name]].sort((a, b) => a - b);
      const q = (p) => round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))], 3);
      results[name] = {
        throughput: {
          megabytesPerSecond: round(bytes / seconds / 1e6, 2),
          updatesPerSecond: round(updates / seconds, 1),
          updates,
          bytesPerUpdate: Math.round(bytes / updates),
          seconds: round(seconds, 2),
          perRoundMegabytesPerSecond: tp[name].map((x) => round(x.bytes / x.seconds / 1e6, 2)),
          // The API's CPU while this path was measured: the proxy's relay work (the direct path's is ~0).
          apiCpuMsPerUpdate: round(cpu[name] / updates, 3),
          // Of which in the kernel (socket reads and writes over loopback): the cost of the extra hop itself.
          apiSystemCpuMsPerUpdate: round(cpuSystem[name] / updates, 3),
        },
        latencyMs: { p50: q(50), p90: q(90), p99: q(99), max: round(sorted.at(-1), 3), samples: sorted.length },
      };
    }
    const ratio = {
      throughput: round(results.proxy.throughput.megabytesPerSecond / results.direct.throughput.megabytesPerSecond, 3),
      latencyP50: round(results.proxy.latencyMs.p50 / results.direct.latencyMs.p50, 3),
    };
    const added = {
      latencyP50Ms: round(results.proxy.latencyMs.p50 - results.direct.latencyMs.p50, 3),
      latencyP99Ms: round(results.proxy.latencyMs.p99 - results.direct.latencyMs.p99, 3),
    };
    const report = {
      benchmark: 'console',
      date: new Date().toISOString(),
      machine: {
        nproc: os.availableParallelism(),
        cpu: os.cpus()[0]?.model ?? 'unknown',
        loadAverageAtStart: {
          '1m': round(loadAtStart[0], 2),
          '5m': round(loadAtStart[1], 2),
          '15m': round(loadAtStart[2], 2),
        },
        loadAverage1mAtEnd: round(os.loadavg()[0], 2),
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      },
      node: process.version,
      source: sourceVersion(),
      workload: {
        screen: { width, height, bitsPerPixel: 32, encoding: 'Raw' },
        throughput: `non-incremental FramebufferUpdateRequest for ${width}x${height}, ${settings.inFlight} in flight, ${settings.rounds} alternating rounds of ${roundSeconds} s per path after ${settings.warmupSeconds} s warm-up each`,
        latency: `one non-incremental FramebufferUpdateRequest for one 8x16 cell at a time, request sent → its FramebufferUpdate read, ${settings.latencySamples} per path in alternating blocks of ${block}`,
        ...settings,
        processes: ['api', 'pve-sim', 'rfb clients (this)'],
        simulator: { timeFactor: 0, tls: false },
      },
      results,
      ratio,
      added,
      target: {
        ...TARGET,
        throughputMet: ratio.throughput >= TARGET.throughputRatioAtLeast,
        addedLatencyMet: added.latencyP50Ms < TARGET.addedLatencyP50MsBelow,
      },
      profiled: profile ? path.relative(root, profile) : false,
    };
    printTable(report);
    if (profile) console.log(`API profile: ${path.relative(root, profile)}`);
    await mkdir(path.dirname(opts.out), { recursive: true });
    await writeFile(opts.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), opts.out)}`);
  } finally {
    await cleanup();
  }
}

/** Migrates through the API's own openOrm; one user who is platform admin and owner of one organization. */
async function seed(url) {
  const { openOrm } = await import(dist('db/orm.js'));
  const orm = await openOrm({ url, poolSize: 2 });
  try {
    const em = orm.em.fork();
    const user = em.create('User', {
      email: 'bench-admin@example.com',
      displayName: 'Bench Admin',
      isPlatformAdmin: true,
    });
    const org = em.create('Organization', { name: 'bench', slug: 'bench' });
    const project = em.create('Project', { organization: org, name: 'default' });
    em.create('Membership', { organization: org, user, role: 'OWNER', project: null });
    await em.flush();
    return { userId: user.id, projectId: project.id };
  } finally {
    await orm.close();
  }
}

/** The machine row of a running guest, with its node row, as the provisioning worker leaves them. */
async function insertMachine(url, { userId, projectId, clusterId, templateId, node, vmid }) {
  const { openOrm } = await import(dist('db/orm.js'));
  const orm = await openOrm({ url, poolSize: 1 });
  try {
    const em = orm.em.fork();
    const nodeRow = em.create('Node', { cluster: clusterId, name: node, status: 'online' });
    const machine = em.create('Machine', {
      name: 'console-bench',
      kind: 'VM',
      project: projectId,
      owner: userId,
      cluster: clusterId,
      node: nodeRow,
      vmid,
      template: templateId,
      status: 'RUNNING',
      cores: 1,
      memoryMiB: 1024,
      diskGiB: 4,
    });
    await em.flush();
    return machine.id;
  } finally {
    await orm.close();
  }
}

async function gql(api, query, variables) {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The simulator's Proxmox API with its full-privilege token. */
function proxmox(sim) {
  return async (method, p, form) => {
    const res = await fetch(`${sim.url}/api2/json${p}`, {
      method,
      headers: {
        authorization: sim.authorization,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString() : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status}: ${await res.text()}`);
    return (await res.json()).data;
  };
}

// ---------------------------------------------------------------------------------------------- RFB client

/**
 * An RFB 3.8 viewer on a WebSocket, written for measuring: the handshake reads bytes in order, then
 * a streaming parser counts FramebufferUpdates without copying pixel data unless a snapshot is asked.
 */
async function rfbConnect(url, headers, password, sockets) {
  const WebSocket = (await import('ws')).default;
  const { vncAuthResponse } = await import(orchestrationDist('pve-sim/console/des.js'));
  const ws = new WebSocket(url, ['binary'], { headers, perMessageDeflate: false });
  sockets.push(ws);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`${url.split('?')[0]}: HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  let pending = Buffer.alloc(0);
  let waiter = null;
  let onData = null;
  let closed = null;
  ws.on('message', (d) => {
    if (onData) return onData(d);
    pending = pending.length ? Buffer.concat([pending, d]) : d;
    waiter?.();
  });
  ws.on('close', (code, reason) => {
    closed = `closed ${code} ${reason}`;
    waiter?.();
    onData?.(null);
  });
  const read = async (n) => {
    while (pending.length < n) {
      if (closed) throw new Error(`${closed} while waiting for ${n} bytes`);
      await new Promise((r) => (waiter = r));
    }
    const out = pending.subarray(0, n);
    pending = pending.subarray(n);
    return out;
  };
  const send = (b) => ws.send(typeof b === 'string' ? Buffer.from(b, 'latin1') : b);

  if ((await read(12)).toString() !== 'RFB 003.008\n') throw new Error('not RFB 3.8');
  send('RFB 003.008\n');
  const types = await read((await read(1))[0]);
  if (!types.includes(2)) throw new Error(`no VNC Authentication offered: ${[...types]}`);
  send(Buffer.from([2]));
  send(vncAuthResponse(password, await read(16)));
  if ((await read(4)).readUInt32BE(0) !== 0) throw new Error('VNC Authentication failed');
  send(Buffer.from([1])); // ClientInit, shared
  const init = await read(24);
  const width = init.readUInt16BE(0);
  const height = init.readUInt16BE(2);
  if (init.readUInt8(4) !== 32) throw new Error(`expected 32 bpp, got ${init.readUInt8(4)}`);
  await read(init.readUInt32BE(20)); // desktop name

  // From here, a streaming parser: header bytes are gathered, pixel bytes only counted (or copied).
  let fb = null; // when set, pixels are copied into it
  let state = { need: 4, kind: 'message' };
  let head = Buffer.alloc(0);
  let rects = 0;
  let rect = null;
  let updateBytes = 0;
  let done = null; // called with the update's byte count
  let failed = null;
  const parse = (d) => {
    if (d === null) return failed?.(new Error(closed));
    let off = 0;
    while (off < d.length) {
      if (state.kind === 'pixels') {
        const take = Math.min(state.need, d.length - off);
        if (fb) copyPixels(d.subarray(off, off + take), rect, width, fb, rect.size - state.need);
        state.need -= take;
        updateBytes += take;
        off += take;
        if (state.need === 0) endRect();
        continue;
      }
      const take = Math.min(state.need - head.length, d.length - off);
      head = Buffer.concat([head, d.subarray(off, off + take)]);
      off += take;
      if (head.length < state.need) continue;
      const h = head;
      head = Buffer.alloc(0);
      if (state.kind === 'message') {
        if (h[0] !== 0) return failed?.(new Error(`unexpected server message type ${h[0]}`));
        rects = h.readUInt16BE(2);
        updateBytes = 0;
        if (rects === 0) finishUpdate();
        else state = { need: 12, kind: 'rect' };
      } else {
        const [x, y, w, hh] = [h.readUInt16BE(0), h.readUInt16BE(2), h.readUInt16BE(4), h.readUInt16BE(6)];
        if (h.readInt32BE(8) !== 0) return failed?.(new Error(`unexpected encoding ${h.readInt32BE(8)}`));
        rect = { x, y, w, h: hh, size: w * hh * 4 };
        if (rect.size === 0) endRect();
        else state = { need: rect.size, kind: 'pixels' };
      }
    }
  };
  const endRect = () => {
    if (--rects === 0) finishUpdate();
    else state = { need: 12, kind: 'rect' };
  };
  const finishUpdate = () => {
    state = { need: 4, kind: 'message' };
    done?.(updateBytes);
  };
  onData = parse;
  if (pending.length) parse(pending);
  pending = Buffer.alloc(0);

  const requestUpdate = (incremental, x, y, w, h) => {
    const b = Buffer.alloc(10);
    b.writeUInt8(3, 0);
    b.writeUInt8(incremental ? 1 : 0, 1);
    b.writeUInt16BE(x, 2);
    b.writeUInt16BE(y, 4);
    b.writeUInt16BE(w, 6);
    b.writeUInt16BE(h, 8);
    ws.send(b);
  };
  return {
    width,
    height,
    requestUpdate,
    /** Resolves with each FramebufferUpdate's pixel byte count, in order; rejects on a protocol error. */
    onUpdate(fn, fail) {
      done = fn;
      failed = fail;
    },
    /** The whole screen, from one non-incremental update. */
    async snapshot() {
      fb = Buffer.alloc(width * height * 4);
      await new Promise((resolve, reject) => {
        this.onUpdate(resolve, reject);
        requestUpdate(false, 0, 0, width, height);
      });
      const out = fb;
      fb = null;
      return out;
    },
  };
}

/** Copies a chunk of a Raw rectangle's pixels, starting `at` bytes into the rectangle, into `fb`. */
function copyPixels(chunk, rect, width, fb, at) {
  const rowBytes = rect.w * 4;
  let src = 0;
  while (src < chunk.length) {
    const pos = at + src;
    const row = Math.floor(pos / rowBytes);
    const col = pos % rowBytes;
    const n = Math.min(rowBytes - col, chunk.length - src);
    chunk.copy(fb, ((rect.y + row) * width + rect.x) * 4 + col, src, src + n);
    src += n;
  }
}

const countLit = (fb) => {
  let n = 0;
  for (let i = 0; i < fb.length; i += 4) if (fb[i] || fb[i + 1] || fb[i + 2]) n++;
  return n;
};

/** Full-screen non-incremental updates, `inFlight` outstanding, for `seconds`; only full frames count. */
function throughput(c, seconds, inFlight) {
  const full = c.width * c.height * 4;
  return new Promise((resolve, reject) => {
    const t0 = now();
    const end = t0 + seconds * 1000;
    let outstanding = 0;
    let updates = 0;
    let bytes = 0;
    c.onUpdate((n) => {
      outstanding--;
      if (n !== full) return reject(new Error(`a full-screen update carried ${n} bytes, expected ${full}`));
      updates++;
      bytes += n;
      const t = now();
      if (t < end) {
        c.requestUpdate(false, 0, 0, c.width, c.height);
        outstanding++;
      } else if (outstanding === 0) {
        resolve({ updates, bytes, seconds: (t - t0) / 1000 });
      }
    }, reject);
    for (; outstanding < inFlight; outstanding++) c.requestUpdate(false, 0, 0, c.width, c.height);
  });
}

/** `count` one-cell requests in turn, each timed from send to its update's last byte, in ms. */
async function latency(c, count, width, height) {
  const out = [];
  for (let i = 0; i < count; i++) {
    // Cells in turn over the screen, so no cell is cached anywhere along the way.
    const cell = i % ((width / 8) * (height / 16));
    const x = (cell % (width / 8)) * 8;
    const y = Math.floor(cell / (width / 8)) * 16;
    const t0 = now();
    const n = await new Promise((resolve, reject) => {
      c.onUpdate(resolve, reject);
      c.requestUpdate(false, x, y, 8, 16);
    });
    out.push(now() - t0);
    if (n !== 8 * 16 * 4) throw new Error(`a one-cell update carried ${n} bytes, expected ${8 * 16 * 4}`);
  }
  return out;
}

function printTable({ results, ratio, added, machine, node, workload, target }) {
  const row = (cells) => `| ${cells.map((c, i) => String(c).padStart(i ? 11 : 8)).join(' | ')} |`;
  console.log(
    `\nconsole: ${workload.screen.width}x${workload.screen.height} Raw, ${workload.inFlight} in flight, ${workload.durationSeconds} s per path` +
      ` (node ${node}, ${machine.nproc} cores, load ${machine.loadAverageAtStart['1m']})\n`,
  );
  console.log(
    row(['path', 'MB/s', 'updates/s', 'API CPU ms/upd', 'of it kernel', 'p50 ms', 'p90 ms', 'p99 ms', 'samples']),
  );
  console.log(row(['---', '---', '---', '---', '---', '---', '---', '---', '---']));
  for (const [name, r] of Object.entries(results)) {
    const t = r.throughput;
    const l = r.latencyMs;
    console.log(
      row([
        name,
        t.megabytesPerSecond,
        t.updatesPerSecond,
        t.apiCpuMsPerUpdate,
        t.apiSystemCpuMsPerUpdate,
        l.p50,
        l.p90,
        l.p99,
        l.samples,
      ]),
    );
  }
  console.log(
    `\nproxy/direct throughput ${ratio.throughput} (target >= ${target.throughputRatioAtLeast}: ${target.throughputMet ? 'met' : 'NOT met'});` +
      ` added latency p50 ${added.latencyP50Ms} ms, p99 ${added.latencyP99Ms} ms (target p50 < ${target.addedLatencyP50MsBelow} ms: ${target.addedLatencyMet ? 'met' : 'NOT met'})`,
  );
}

function sourceVersion() {
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      serverUncommittedChanges: git('status', '--porcelain', '--', 'server', 'orchestration') !== '',
    };
  } catch {
    return { commit: 'unknown', serverUncommittedChanges: null };
  }
}

/** `npm run pve-sim` with timeFactor 0, plain HTTP, a free port, no demo guests. */
function startSimulator(children) {
  const child = spawn(process.execPath, [orchestrationDist('pve-sim/main.js')], {
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
      if (url && token) {
        child.stdout.resume();
        resolve({
          child,
          url,
          tokenId: token[1],
          secret: token[2],
          authorization: `PVEAPIToken=${token[1]}=${token[2]}`,
          async control(method, p, body) {
            const res = await fetch(`${url}/_sim${p}`, {
              method,
              headers: { 'content-type': 'application/json' },
              body: body ? JSON.stringify(body) : undefined,
            });
            if (!res.ok) throw new Error(`simulator ${method} ${p}: HTTP ${res.status}: ${await res.text()}`);
            return (await res.json()).data;
          },
        });
      }
    });
  });
}

function startApi({ dbUrl, fixture }, children) {
  const child = fork(fileURLToPath(import.meta.url), ['serve-api'], {
    execArgv: process.env.BENCH_API_EXEC_ARGV ? process.env.BENCH_API_EXEC_ARGV.split(' ') : process.execArgv,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_DATABASE_URL: dbUrl.toString(),
      BENCH_USER_ID: fixture.userId,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening`)));
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${m.port}`, token: m.token }));
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

// ---------------------------------------------------------------------------------------------- API child

/** The API as main.ts builds it (createApp from server/dist), in-process pub/sub, silent logs. */
async function serveApi() {
  const { app, address, close } = await startBenchApi({
    url: process.env.BENCH_DATABASE_URL,
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'silent',
  });
  let session = null;
  process.on('message', async (m) => {
    if (m === 'stop') return void close().finally(() => process.exit(0));
    if (m?.cmd === 'cpu') {
      const c = process.cpuUsage();
      process.send({ cpuMs: (c.user + c.system) / 1000, systemMs: c.system / 1000 });
    } else if (m?.cmd === 'profile-start') {
      const { Session } = await import('node:inspector/promises');
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      process.send({ ok: true });
    } else if (m?.cmd === 'profile-stop') {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const dir = path.join(root, 'artifacts/bench');
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `console-api-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      process.send({ file });
    }
  });
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
  process.send({ port: address.port, token: await app.services.sessionKeys.sign(process.env.BENCH_USER_ID) });
}

const role = process.argv[2];
const entry = role === 'serve-api' ? serveApi : main;
entry().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
