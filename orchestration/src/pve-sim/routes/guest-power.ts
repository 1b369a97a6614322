// status/current and power actions for qemu and lxc guests.
import { PveError } from '../errors.js';
import type { ApiRequest, Router } from '../router.js';
import { pressure } from '../metrics.js';
import type { TaskContext } from '../tasks.js';
import type { Guest, GuestType } from '../state.js';
import { bootGuest, checkConfigLock, deterministic, hostname, markRunning, markStopped } from './guest-common.js';

const TASK: Record<GuestType, Record<string, string>> = {
  qemu: {
    start: 'qmstart',
    stop: 'qmstop',
    shutdown: 'qmshutdown',
    reboot: 'qmreboot',
    suspend: 'qmpause',
    resume: 'qmresume',
    reset: 'qmreset',
  },
  lxc: {
    start: 'vzstart',
    stop: 'vzstop',
    shutdown: 'vzshutdown',
    reboot: 'vzreboot',
    suspend: 'vzsuspend',
    resume: 'vzresume',
  },
};

export function guestStatus(req: ApiRequest, g: Guest): Record<string, unknown> {
  const { sim } = req;
  const running = g.status !== 'stopped';
  const mem = sim.memUsage(g);
  const now = sim.nowSec();
  const id = sim.metricId(g);
  const base: Record<string, unknown> = {
    vmid: g.vmid,
    name: hostname(g),
    status: running ? 'running' : 'stopped',
    cpu: sim.cpuUsage(g),
    cpus: sim.guestCpus(g),
    mem,
    maxmem: sim.guestMemory(g),
    maxdisk: sim.guestDisk(g),
    disk: 0,
    netin: sim.counter(g, 'netin'),
    netout: sim.counter(g, 'netout'),
    diskread: sim.counter(g, 'diskread'),
    diskwrite: sim.counter(g, 'diskwrite'),
    uptime: sim.uptime(g),
    ha: { managed: 0 },
    ...(g.config.tags ? { tags: g.config.tags } : {}),
    ...(g.config.lock ? { lock: g.config.lock } : {}),
    ...(g.config.template === '1' ? { template: 1 } : {}),
    ...(running
      ? {
          pid: g.pid,
          pressurecpusome: pressure(sim.options.seed, id, 'pcs', now),
          pressureiosome: pressure(sim.options.seed, id, 'pis', now),
          pressureiofull: 0,
          pressurememorysome: 0,
          pressurememoryfull: 0,
        }
      : {}),
  };
  if (g.type === 'qemu') {
    return {
      ...base,
      qmpstatus: g.status === 'paused' ? 'paused' : running ? 'running' : 'stopped',
      memhost: running ? Math.round(mem * 1.05) : 0,
      ...(agentEnabled(g) ? { agent: 1 } : {}),
      ...(g.config.serial0 ? { serial: 1 } : {}),
      ...(running ? { 'running-machine': 'pc-i440fx-10.1+pve0', 'running-qemu': '10.1.2', pressurecpufull: 0 } : {}),
    };
  }
  return {
    ...base,
    type: 'lxc',
    disk: running ? Math.round(sim.guestDisk(g) * 0.3) : 0,
    swap: 0,
    maxswap: Number(g.config.swap ?? 512) * 1024 * 1024,
  };
}

export function agentEnabled(g: Guest): boolean {
  const v = g.config.agent;
  if (!v) return false;
  const m = /(?:^|,)(?:enabled=)?([01])(?:,|$)/.exec(v);
  return m?.[1] === '1';
}

export function guestPowerRoutes(r: Router, type: GuestType) {
  const base = `/nodes/{node}/${type}/{vmid}/status`;
  const label = type === 'qemu' ? 'VM' : 'CT';
  r.on('GET', base, () =>
    ['current', 'start', 'stop', 'shutdown', 'reboot', 'suspend', 'resume', ...(type === 'qemu' ? ['reset'] : [])].map(
      (subdir) => ({ subdir }),
    ),
  );
  r.on('GET', `${base}/current`, (req) => guestStatus(req, req.sim.guest(req.params.node, req.params.vmid, type)));

  const action = (
    name: string,
    work: (req: ApiRequest, g: Guest) => (t: TaskContext) => Promise<void>,
    precheck?: (req: ApiRequest, g: Guest) => void,
  ) => {
    r.on('POST', `${base}/${name}`, (req) => {
      const { sim, params } = req;
      const g = sim.guest(params.node, params.vmid, type);
      precheck?.(req, g);
      return sim.tasks.start({
        node: g.node,
        type: TASK[type][name] as string,
        id: String(g.vmid),
        identity: req.identity,
        work: work(req, g),
      });
    });
  };

  action('start', (req, g) => (t) => bootGuest(req.sim, g, t));

  const stopLike = (graceful: boolean) => (req: ApiRequest, g: Guest) => async (t: TaskContext) => {
    const { sim, params } = req;
    await sim.locks.with(type, g.vmid, async () => {
      await t.checkpoint();
      if (!params.bool('skiplock')) checkConfigLock(g);
      if (g.status === 'stopped') return;
      if (graceful && g.status === 'paused' && !params.bool('forceStop'))
        throw new Error('VM is paused - cannot shutdown');
      const r = deterministic(sim, `stop:${g.vmid}`);
      await t.sleep(graceful ? 2000 + 6000 * r() : 300 + 700 * r());
      markStopped(sim, g);
      sim.changed();
    });
  };
  action('stop', stopLike(false));
  action('shutdown', stopLike(true));

  action(
    'reboot',
    (req, g) => async (t) => {
      const { sim } = req;
      await sim.locks.with(type, g.vmid, async () => {
        await t.checkpoint();
        checkConfigLock(g);
        const r = deterministic(sim, `reboot:${g.vmid}`);
        await t.sleep(3000 + 5000 * r());
        markStopped(sim, g);
      });
      await bootGuest(sim, g, t);
    },
    (req, g) => {
      if (g.status === 'stopped') throw PveError.internal(`${label} ${g.vmid} not running`);
    },
  );

  action(
    'suspend',
    (req, g) => async (t) => {
      await req.sim.locks.with(type, g.vmid, async () => {
        await t.checkpoint();
        checkConfigLock(g, req.params.bool('skiplock'));
        await t.sleep(200);
        g.status = 'paused';
        req.sim.changed();
      });
    },
    (_req, g) => {
      if (g.status === 'stopped') throw PveError.internal(`${label} ${g.vmid} not running`);
    },
  );

  action(
    'resume',
    (req, g) => async (t) => {
      await req.sim.locks.with(type, g.vmid, async () => {
        await t.checkpoint();
        await t.sleep(200);
        g.status = 'running';
        req.sim.changed();
      });
    },
    (_req, g) => {
      if (g.status === 'stopped') throw PveError.internal(`${label} ${g.vmid} not running`);
    },
  );

  if (type === 'qemu') {
    action(
      'reset',
      (req, g) => async (t) => {
        await req.sim.locks.with(type, g.vmid, async () => {
          await t.checkpoint();
          checkConfigLock(g, req.params.bool('skiplock'));
          markStopped(req.sim, g);
          markRunning(req.sim, g);
          req.sim.changed();
        });
      },
      (_req, g) => {
        if (g.status === 'stopped') throw PveError.internal(`VM ${g.vmid} not running`);
      },
    );
  }
}
