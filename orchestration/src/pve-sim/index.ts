// createPveSimulator: a Proxmox VE 9.1 API simulator on a real HTTP(S) port. No side effects at
// import; everything is built and started by the factory and torn down by close().
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ConsoleBroker, ConsoleBrokerOptions, ConsoleTarget } from './console/types.js';
import { createControl, createControlHandler, type SimControl } from './control.js';
import { Faults } from './faults.js';
import { Router } from './router.js';
import { bootScreen, hostname } from './routes/guest-common.js';
import { accessRoutes } from './routes/access.js';
import { cloudinitRoutes } from './routes/cloudinit.js';
import { clusterRoutes } from './routes/cluster.js';
import { guestConfigRoutes } from './routes/guest-config.js';
import { guestAgentRoutes } from './routes/guest-agent.js';
import { guestExtraRoutes } from './routes/guest-extra.js';
import { guestFirewallRoutes } from './routes/guest-firewall.js';
import { guestLifecycleRoutes } from './routes/guest-lifecycle.js';
import { guestPowerRoutes } from './routes/guest-power.js';
import { hardwareRoutes } from './routes/hardware.js';
import { poolRoutes, sdnRoutes } from './routes/network.js';
import { clusterFirewallRoutes } from './routes/cluster-firewall.js';
import { nodeExtraRoutes } from './routes/node-extra.js';
import { storageRoutes } from './routes/storage.js';
import { loadSchema } from './schema.js';
import { createRequestHandler, createUpgradeHandler } from './server.js';
import { Sim } from './sim.js';
import { secretsFor, seedState } from './seed.js';
import { loadState, saveState, type SimStateData } from './state.js';
import { LockManager, TaskManager } from './tasks.js';
import { selfSignedCertificate } from './tls.js';

export type { SimControl } from './control.js';
export type { RouteFault } from './faults.js';
export type { SimStateData } from './state.js';

export interface PveSimulatorOptions {
  /** Seed for the cluster layout, MACs, metrics and latencies (default 1). */
  seed?: number;
  /** Multiplies every modelled duration (tasks, lock timeout, 401 delay); tests use ~0.01. */
  timeFactor?: number;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** true: HTTPS with a self-signed certificate generated at start. */
  tls?: boolean;
  /** Persist state as JSON here (loaded at start when present). */
  stateFile?: string;
  /** A guest start fails when committed memory would exceed node RAM × this (default 1). */
  overcommitRatio?: number;
  /** Node count (default 3: pve1..pve3). */
  nodes?: number;
  rootPassword?: string;
  /** Answer as Proxmox VE 9.1 (default) or 8.4: schema, /version, RRD layout and fields. */
  pveVersion?: '9.1' | '8.4';
  /** Add a few running demo guests to a freshly seeded cluster (main.ts does, tests do not). */
  demo?: boolean;
  /** A console broker; by default the one from ./console/ when present, else none. */
  consoleBroker?: ConsoleBroker | false;
}

export interface SimToken {
  tokenid: string;
  secret: string;
  /** The full Authorization header value. */
  header: string;
}

export interface SimCredentials {
  root: { username: 'root@pam'; password: string };
  /** Non-root user with PVEVMUser on `/` (for ticket tests). */
  user: { username: string; password: string };
  tokens: {
    /** `root@pam!sim-full`, privsep=0: every privilege. */
    full: SimToken;
    /** `paas@pve!sim-limited`, privsep=1: user ACL ∩ token ACL (VM.Audit only). */
    limited: SimToken;
  };
}

export interface PveSimulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** The live state (mutating it changes what the API answers). */
  state: SimStateData;
  control: SimControl;
  credentials: SimCredentials;
  tls?: { certPem: string; fingerprint: string };
  /** Every served `METHOD template`, for the schema walk. */
  routes(): { method: string; template: string }[];
}

export function buildRouter(): Router {
  const r = new Router();
  clusterRoutes(r);
  accessRoutes(r);
  for (const type of ['qemu', 'lxc'] as const) {
    guestLifecycleRoutes(r, type);
    guestPowerRoutes(r, type);
    guestConfigRoutes(r, type);
    guestExtraRoutes(r, type);
    guestFirewallRoutes(r, type);
    guestAgentRoutes(r, type);
  }
  storageRoutes(r);
  hardwareRoutes(r);
  poolRoutes(r);
  sdnRoutes(r);
  clusterFirewallRoutes(r);
  nodeExtraRoutes(r);
  cloudinitRoutes(r);
  return r;
}

/** The console broker from ./console/ (written separately), when it exists. */
async function loadConsoleBroker(opts: ConsoleBrokerOptions): Promise<ConsoleBroker | undefined> {
  for (const file of ['./console/index.js', './console/index.ts']) {
    const url = new URL(file, import.meta.url);
    if (!existsSync(fileURLToPath(url))) continue;
    const mod = (await import(url.href)) as { createConsoleBroker?: (o: ConsoleBrokerOptions) => ConsoleBroker };
    return mod.createConsoleBroker?.(opts);
  }
  return undefined;
}

function addDemoGuests(control: SimControl) {
  const vms = control.addGuests(5, { running: true });
  ['web-01', 'web-02', 'api-01', 'db-01', 'ci-runner-01'].forEach((name, i) => {
    const vmid = vms[i];
    if (vmid !== undefined)
      control.setGuestConfig(vmid, { name, tags: 'demo', ...(name === 'db-01' ? { memory: '8192', cores: '4' } : {}) });
  });
  const cts = control.addGuests(2, { running: true, type: 'lxc' });
  ['cache-01', 'dns-01'].forEach((hostname, i) => {
    const vmid = cts[i];
    if (vmid !== undefined) control.setGuestConfig(vmid, { hostname, tags: 'demo' });
  });
}

export async function createPveSimulator(options: PveSimulatorOptions = {}): Promise<PveSimulator> {
  const seed = options.seed ?? 1;
  const rootPassword = options.rootPassword ?? 'pve-sim-root';
  const loaded = options.stateFile ? loadState(options.stateFile) : undefined;
  const state =
    loaded ??
    seedState({ seed, nodes: options.nodes, rootPassword, now: Date.now(), authKey: randomBytes(32).toString('hex') });
  const sim = new Sim(
    state,
    {
      seed: state.seed,
      timeFactor: options.timeFactor ?? 1,
      overcommitRatio: options.overcommitRatio ?? 1,
      pveVersion: options.pveVersion ?? '9.1',
    },
    state.authKey,
  );
  sim.faults = new Faults(state.seed);
  sim.locks = new LockManager((ms) => sim.scale(ms));
  sim.tasks = new TaskManager(state, {
    nowMs: () => sim.nowMs(),
    sleep: (ms) => sim.sleep(ms),
    takeFailure: (type) => sim.faults.takeFailure(type),
    takeWarnings: (type) => sim.faults.takeWarnings(type),
    stall: (type) => sim.faults.stall(type),
    changed: () => sim.changed(),
  });

  let saveTimer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (options.stateFile) saveState(options.stateFile, state);
  };
  if (options.stateFile) {
    sim.onChange(() => {
      saveTimer ??= setTimeout(flush, 200);
    });
    flush();
  }

  const host = options.host ?? '127.0.0.1';
  const cert = options.tls ? selfSignedCertificate(host) : undefined;
  // Every node is served from this one endpoint, so each reports its certificate's fingerprint.
  if (cert) for (const n of state.nodes) n.fingerprint = cert.fingerprint;
  // The console shows the boot log and a login prompt with the guest's current hostname.
  const screen = (t: ConsoleTarget) => {
    const g = sim.findGuest(t.vmid);
    return g && g.status !== 'stopped' ? bootScreen(g) : [];
  };
  const hostnameOf = (t: ConsoleTarget) => {
    const g = sim.findGuest(t.vmid);
    return g ? hostname(g) : `${t.type === 'qemu' ? 'vm' : 'ct'}${t.vmid}`;
  };
  const broker =
    options.consoleBroker === false
      ? undefined
      : (options.consoleBroker ??
        (await loadConsoleBroker({
          screen,
          hostname: hostnameOf,
          now: () => sim.nowMs(),
          ...(cert ? { cert: cert.certPem } : {}),
          onSessionEnd: (upid, exitstatus) => sim.consoleEnds.get(upid)?.(exitstatus),
        })));
  if (broker) sim.broker = broker;

  const control = createControl(sim);
  if (options.demo && !loaded) addDemoGuests(control);
  const router = buildRouter();
  const schema = loadSchema(options.pveVersion ?? '9.1');
  const deps = { sim, router, schema, control: createControlHandler(sim, control) };
  const server: Server = cert ? createHttpsServer({ key: cert.keyPem, cert: cert.certPem }) : createHttpServer();
  server.on('request', createRequestHandler(deps));
  server.on('upgrade', createUpgradeHandler(deps));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const secrets = secretsFor(state.seed);
  const token = (t: { tokenid: string; secret: string }): SimToken => ({
    ...t,
    header: `PVEAPIToken=${t.tokenid}=${t.secret}`,
  });
  const rootUser = state.users.find((u) => u.userid === 'root@pam');
  const paas = state.users.find((u) => u.userid === secrets.limitedUser.userid);

  let closed = false;
  return {
    url: `${cert ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    state,
    control,
    credentials: {
      root: { username: 'root@pam', password: rootUser?.password ?? rootPassword },
      user: { username: secrets.limitedUser.userid, password: paas?.password ?? secrets.limitedUser.password },
      tokens: {
        full: token({
          tokenid: secrets.fullToken.tokenid,
          secret: rootUser?.tokens['sim-full']?.secret ?? secrets.fullToken.secret,
        }),
        limited: token({
          tokenid: secrets.limitedToken.tokenid,
          secret: paas?.tokens['sim-limited']?.secret ?? secrets.limitedToken.secret,
        }),
      },
    },
    ...(cert ? { tls: { certPem: cert.certPem, fingerprint: cert.fingerprint } } : {}),
    routes: () => router.routes(),
    async close() {
      if (closed) return;
      closed = true;
      sim.faults.reset();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await broker?.close();
      for (const end of [...sim.consoleEnds.values()]) end('interrupted by signal');
      // Tasks still sleeping finish in memory only; the file keeps the state as of close().
      flush();
      sim.onChange(() => undefined);
    },
  };
}
