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
      ...(running
        ? {
            'running-machine': 'pc-i440fx-10.1+pve0',
            'running-qemu': '10.1.2',
            pressurecpufull: 0,
            ...runtimeDetails(req, g),
          }
        : {}),
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

/** What a running VM's status adds (ConvoyPanel's GetRunningServerStatusData fixture shape). */
function runtimeDetails(req: ApiRequest, g: Guest): Record<string, unknown> {
  const { sim } = req;
  const nics = Object.keys(g.config)
    .filter((k) => /^net\d+$/.test(k))
    .sort();
  const share = (n: number) => Math.round(n / Math.max(1, nics.length));
  const maxmem = sim.guestMemory(g);
  const mem = sim.memUsage(g);
  const disks = Object.keys(g.config).filter(
    (k) => /^(scsi|virtio|sata|ide)\d+$/.test(k) && !g.config[k]?.includes('media=cdrom'),
  );
  const per = (n: number) => Math.round(n / Math.max(1, disks.length));
  return {
    nics: Object.fromEntries(
      nics.map((k) => [
        `tap${g.vmid}i${k.slice(3)}`,
        { netin: share(sim.counter(g, 'netin')), netout: share(sim.counter(g, 'netout')) },
      ]),
    ),
    blockstat: Object.fromEntries(
      disks.map((k) => [
        k,
        {
          rd_bytes: per(sim.counter(g, 'diskread')),
          wr_bytes: per(sim.counter(g, 'diskwrite')),
          rd_operations: per(sim.counter(g, 'diskread') / 16384),
          wr_operations: per(sim.counter(g, 'diskwrite') / 16384),
          flush_operations: 0,
          idle_time_ns: 1_000_000,
        },
      ]),
    ),
    ballooninfo: {
      actual: maxmem,
      max_mem: maxmem,
      total_mem: maxmem - 64 * 1024 ** 2,
      free_mem: maxmem - mem,
      last_update: sim.nowSec(),
    },
    'proxmox-support': {
      'backup-fleecing': true,
      'backup-max-workers': true,
      'pbs-dirty-bitmap': true,
      'pbs-dirty-bitmap-migration': true,
      'pbs-dirty-bitmap-savevm': true,
      'pbs-library-version': '2.0.1',
      'pbs-masterkey': true,
      'query-bitmap-info': true,
    },
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
