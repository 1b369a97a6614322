// Snapshots, RRD data and consoles of qemu and lxc guests.
import { createHash } from 'node:crypto';
import { PveError } from '../errors.js';
import { guestRrd, type Timeframe } from '../metrics.js';
import type { ApiRequest, Router } from '../router.js';
import type { Sim } from '../sim.js';
import type { Guest, GuestType } from '../state.js';
import { checkConfigLock, deterministic, markStopped } from './guest-common.js';

export function guestExtraRoutes(r: Router, type: GuestType) {
  const base = `/nodes/{node}/${type}/{vmid}`;
  const t = (name: string) => (type === 'qemu' ? `qm${name}` : `vz${name}`);

  // --- snapshots
  r.on('GET', `${base}/snapshot`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const list: Record<string, unknown>[] = g.snapshots.map((s) => ({
      name: s.name,
      description: s.description,
      snaptime: s.snaptime,
      ...(type === 'qemu' ? { vmstate: s.vmstate } : {}),
      ...(s.parent ? { parent: s.parent } : {}),
    }));
    const last = g.snapshots[g.snapshots.length - 1];
    list.push({
      name: 'current',
      description: 'You are here!',
      digest: createHash('sha1').update(JSON.stringify(g.config)).digest('hex'),
      ...(g.status !== 'stopped' ? { running: 1 } : {}),
      ...(last ? { parent: last.name } : {}),
    });
    return list;
  });
  r.on('POST', `${base}/snapshot`, (req) => {
    const { sim, params } = req;
    const g = sim.guest(params.node, params.vmid, type);
    const name = params.req('snapname');
    if (name === 'current') throw PveError.param('snapname', `invalid configuration ID 'current'`);
    return sim.tasks.start({
      node: g.node,
      type: t('snapshot'),
      id: String(g.vmid),
      identity: req.identity,
      work: async (task) => {
        await sim.locks.with(type, g.vmid, async () => {
          await task.checkpoint();
          checkConfigLock(g);
          if (g.snapshots.some((s) => s.name === name)) throw new Error(`snapshot name '${name}' already used`);
          const vmstate = params.bool('vmstate') && g.status !== 'stopped' ? 1 : 0;
          task.log(`snapshotting 'drive-scsi0' (${(g.config.scsi0 ?? g.config.rootfs ?? '').split(',')[0]})`);
          await task.sleep(
            800 + 1500 * deterministic(sim, `snap:${g.vmid}`)() + (vmstate ? sim.guestMemory(g) / 1e6 : 0),
          );
          const parent = g.snapshots[g.snapshots.length - 1]?.name;
          const { ...config } = g.config;
          g.snapshots.push({
            name,
            description: params.str('description') ?? '',
            snaptime: sim.nowSec(),
            vmstate: vmstate as 0 | 1,
            ...(parent ? { parent } : {}),
            config,
          });
          sim.changed();
        });
      },
    });
  });
  const snap = (sim: Sim, g: Guest, name: string) => {
    const s = g.snapshots.find((x) => x.name === name);
    if (!s) throw PveError.internal(`snapshot '${name}' does not exist`);
    return s;
  };
  r.on('GET', `${base}/snapshot/{snapname}`, ({ sim, params }) => {
    snap(sim, sim.guest(params.node, params.vmid, type), params.req('snapname'));
    return [{ rel: 'config' }, { rel: 'rollback' }];
  });
  r.on(
    'GET',
    `${base}/snapshot/{snapname}/config`,
    ({ sim, params }) => snap(sim, sim.guest(params.node, params.vmid, type), params.req('snapname')).config,
  );
  r.on('PUT', `${base}/snapshot/{snapname}/config`, ({ sim, params }) => {
    const s = snap(sim, sim.guest(params.node, params.vmid, type), params.req('snapname'));
    if (params.has('description')) s.description = params.str('description') ?? '';
    sim.changed();
    return null;
  });
  r.on('POST', `${base}/snapshot/{snapname}/rollback`, (req) => {
    const { sim, params } = req;
    const g = sim.guest(params.node, params.vmid, type);
    const s = snap(sim, g, params.req('snapname'));
    return sim.tasks.start({
      node: g.node,
      type: t('rollback'),
      id: String(g.vmid),
      identity: req.identity,
      work: async (task) => {
        await sim.locks.with(type, g.vmid, async () => {
          await task.checkpoint();
          checkConfigLock(g);
          if (g.status !== 'stopped' && !s.vmstate) markStopped(sim, g);
          await task.sleep(1000);
          g.config = { ...s.config };
          g.pending = {};
          const idx = g.snapshots.indexOf(s);
          g.snapshots = g.snapshots.slice(0, idx + 1);
          sim.changed();
        });
      },
    });
  });
  r.on('DELETE', `${base}/snapshot/{snapname}`, (req) => {
    const { sim, params } = req;
    const g = sim.guest(params.node, params.vmid, type);
    const s = snap(sim, g, params.req('snapname'));
    return sim.tasks.start({
      node: g.node,
      type: t('delsnapshot'),
      id: String(g.vmid),
      identity: req.identity,
      work: async (task) => {
        await sim.locks.with(type, g.vmid, async () => {
          await task.checkpoint();
          if (!params.bool('force')) checkConfigLock(g);
          await task.sleep(700);
          for (const other of g.snapshots) if (other.parent === s.name) other.parent = s.parent as string;
          g.snapshots = g.snapshots.filter((x) => x !== s);
          sim.changed();
        });
      },
    });
  });

  // --- metrics
  r.on('GET', `${base}/rrddata`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    // pvestatd creates the RRD file at its first update, up to 10 s after the guest appears.
    if (sim.nowMs() - g.createdAt < sim.scale(10_000)) {
      throw PveError.internal(
        `RRD error: opening '/var/lib/rrdcached/db/${sim.options.pveVersion === '8.4' ? 'pve2-vm' : 'pve-vm-9.0'}/${g.vmid}': No such file or directory`,
      );
    }
    const runs = g.runs.map(([s, e]) => [s / 1000, e === null ? undefined : e / 1000] as [number, number | undefined]);
    return guestRrd(
      sim.options.seed,
      {
        id: sim.metricId(g),
        maxcpu: sim.guestCpus(g),
        maxmem: sim.guestMemory(g),
        maxdisk: sim.guestDisk(g),
        runs,
        lxc: type === 'lxc',
        createdAt: g.createdAt / 1000,
        disk: type === 'lxc' ? Math.round(sim.guestDisk(g) * 0.3) : 0,
      },
      sim.nowSec(),
      params.req('timeframe') as Timeframe,
      (params.str('cf') ?? 'AVERAGE') as 'AVERAGE',
      sim.rrdLayout,
    ).map((p) => sim.rrdFields(p));
  });

  // --- consoles
  /** The `vncproxy` task runs until the broker reports the worker's end (closed, timed out, …). */
  const consoleTask = (req: ApiRequest, g: Guest) => {
    let end: (status: string) => void = () => undefined;
    const ended = new Promise<string>((resolve) => (end = resolve));
    const upid = req.sim.tasks.start({
      node: req.params.node,
      type: 'vncproxy',
      id: String(g.vmid),
      identity: req.identity,
      work: async () => {
        const status = await ended;
        if (status !== 'OK') throw new Error(status);
        // `qm vncproxy` / `lxc-console` cannot attach to a stopped guest: the socket closes at once.
        if (g.status === 'stopped') throw new Error('Failed to run vncproxy.');
      },
    });
    req.sim.consoleEnds.set(upid, (status) => {
      req.sim.consoleEnds.delete(upid);
      end(status);
    });
    return upid;
  };
  const consoleGuest = (req: ApiRequest) => {
    // Like qemu-server, no running check here: a stopped guest fails in the vncproxy task.
    const g = req.sim.guest(req.params.node, req.params.vmid, type);
    if (!req.sim.broker) throw PveError.internal('console broker not available');
    return g;
  };
  r.on('POST', `${base}/vncproxy`, (req) => {
    const g = consoleGuest(req);
    const upid = consoleTask(req, g);
    const user = req.identity.tokenid ?? req.identity.userid;
    return req.sim.broker?.vncproxy(
      { node: g.node, vmid: g.vmid, type },
      {
        user,
        upid,
        generatePassword: type === 'lxc' ? req.params.bool('websocket') : req.params.bool('generate-password'),
      },
    );
  });
  r.on('POST', `${base}/termproxy`, (req) => {
    const g = consoleGuest(req);
    const upid = consoleTask(req, g);
    const user = req.identity.tokenid ?? req.identity.userid;
    return req.sim.broker?.termproxy({ node: g.node, vmid: g.vmid, type }, { user, upid });
  });
}
