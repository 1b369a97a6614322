// Guest configuration: GET (with pending applied unless current=1), qemu POST (async, qmconfig)
// and PUT (sync), lxc PUT (sync), pending. Non-hotpluggable changes to a running guest are
// queued as pending and applied at the next boot, as qemu-server does.
import { hasPriv } from '../auth.js';
import { PveError } from '../errors.js';
import type { ApiRequest, Router } from '../router.js';
import { loadSchema } from '../schema.js';
import { findProperty } from '../validate.js';
import type { Guest, GuestType } from '../state.js';
import {
  checkConfigLock,
  digest,
  ensureMac,
  findVolume,
  freeVolume,
  isDiskKey,
  materializeDisk,
  volidOf,
} from './guest-common.js';

const HOT = new Set([
  'name',
  'hostname',
  'tags',
  'description',
  'onboot',
  'protection',
  'agent',
  'ciuser',
  'cipassword',
  'sshkeys',
  'ipconfig0',
  'ipconfig1',
  'nameserver',
  'searchdomain',
  'startup',
  'lock',
]);
const CONTROL = new Set(['node', 'vmid', 'delete', 'revert', 'digest', 'force', 'skiplock', 'background_delay']);

function privFor(key: string): string {
  if (/^(net\d+|ipconfig\d+)$/.test(key)) return 'VM.Config.Network';
  if (/^(memory|balloon|shares|swap)$/.test(key)) return 'VM.Config.Memory';
  if (/^(cores|sockets|cpu|cpulimit|cpuunits|vcpus|numa|affinity)$/.test(key)) return 'VM.Config.CPU';
  if (/^(ci\w+|sshkeys|nameserver|searchdomain)$/.test(key)) return 'VM.Config.Cloudinit';
  if (/^(scsi|virtio|sata|ide|mp|unused)\d+$|^(rootfs|efidisk0|tpmstate0)$/.test(key)) return 'VM.Config.Disk';
  if (/^(hostpci\d+|usb\d+|machine|bios|scsihw|vga|serial\d+)$/.test(key)) return 'VM.Config.HWType';
  return 'VM.Config.Options';
}

const typeCache = new Map<string, string | undefined>();

/** The schema type of a config key (from `PUT …/config`), so replies carry numbers where PVE does. */
function keyType(type: GuestType, key: string): string | undefined {
  const cacheKey = `${type}:${key}`;
  if (typeCache.has(cacheKey)) return typeCache.get(cacheKey);
  const props = loadSchema('9.1').method(`/nodes/{node}/${type}/{vmid}/config`, 'PUT')?.parameters?.properties ?? {};
  const t = findProperty(props, key)?.type;
  const result = Array.isArray(t) ? t[0] : t;
  typeCache.set(cacheKey, result);
  return result;
}

export function configView(g: Guest, current: boolean): Record<string, string | number> {
  const cfg: Record<string, string | number> = { ...g.config };
  if (!current) {
    for (const [k, v] of Object.entries(g.pending)) {
      if (v === '__delete__') delete cfg[k];
      else cfg[k] = v;
    }
  }
  for (const [k, v] of Object.entries(cfg)) {
    const t = keyType(g.type, k);
    if ((t === 'integer' || t === 'number' || t === 'boolean' || k === 'template') && /^-?\d+(\.\d+)?$/.test(String(v)))
      cfg[k] = Number(v);
  }
  cfg.digest = digest(g.config);
  return cfg;
}

function applyUpdate(req: ApiRequest, g: Guest, type: GuestType): void {
  const { sim, params, identity } = req;
  if (!params.bool('skiplock')) checkConfigLock(g);
  const d = params.str('digest');
  if (d && d !== digest(g.config))
    throw new Error('detected modified configuration - file changed by other user? Try again.');
  const set = params.rest([...CONTROL]);
  const del = (params.str('delete') ?? '').split(/[,;\s]+/).filter(Boolean);
  const revert = (params.str('revert') ?? '').split(/[,;\s]+/).filter(Boolean);
  for (const k of [...Object.keys(set), ...del]) {
    const priv = privFor(k);
    if (!hasPriv(sim.state, identity, `/vms/${g.vmid}`, [priv])) throw PveError.permission(`/vms/${g.vmid}`, [priv]);
  }
  for (const k of del) if (set[k] !== undefined) throw PveError.param(k, `unable to delete parameter that is set`);
  const running = g.status !== 'stopped';
  for (const k of revert) delete g.pending[k];
  for (const k of del) {
    if (running && !HOT.has(k) && !isDiskKey(type, k) && !/^net\d+$/.test(k)) {
      g.pending[k] = '__delete__';
      continue;
    }
    const old = g.config[k];
    if (old && isDiskKey(type, k) && !old.includes('media=cdrom')) {
      const unused = Array.from({ length: 256 }, (_, i) => `unused${i}`).find((u) => !g.config[u]);
      if (unused) g.config[unused] = volidOf(old);
    } else if (old && /^unused\d+$/.test(k)) {
      if (findVolume(sim, volidOf(old), g.node)) freeVolume(sim, volidOf(old), g.node);
    }
    delete g.config[k];
  }
  for (const [k, value] of Object.entries(set)) {
    let v = value;
    if (/^net\d+$/.test(k)) v = ensureMac(sim, type, v);
    if (isDiskKey(type, k)) v = materializeDisk(sim, { vmid: g.vmid, node: g.node, type }, k, v, identity);
    if (running && !HOT.has(k) && !isDiskKey(type, k) && !/^net\d+$/.test(k) && type === 'qemu') g.pending[k] = v;
    else g.config[k] = v;
  }
  sim.changed();
}

export function guestConfigRoutes(r: Router, type: GuestType) {
  const base = `/nodes/{node}/${type}/{vmid}`;
  r.on('GET', `${base}/config`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const snapname = params.str('snapshot');
    if (snapname) {
      const s = g.snapshots.find((x) => x.name === snapname);
      if (!s) throw PveError.internal(`snapshot '${snapname}' does not exist`);
      return { ...s.config, digest: digest(g.config) };
    }
    return configView(g, params.bool('current'));
  });

  r.on('GET', `${base}/pending`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const keys = new Set([...Object.keys(g.config), ...Object.keys(g.pending)]);
    return [...keys].sort().map((key) => {
      const p = g.pending[key];
      return {
        key,
        ...(g.config[key] !== undefined ? { value: g.config[key] } : {}),
        ...(p !== undefined && p !== '__delete__' ? { pending: p } : {}),
        ...(p === '__delete__' ? { delete: 1 } : {}),
      };
    });
  });

  r.on('PUT', `${base}/config`, async (req) => {
    const g = req.sim.guest(req.params.node, req.params.vmid, type);
    await req.sim.locks.with(type, g.vmid, () => applyUpdate(req, g, type));
    return null;
  });

  if (type === 'qemu') {
    r.on('POST', `${base}/config`, async (req) => {
      const { sim, params } = req;
      const g = sim.guest(params.node, params.vmid, type);
      const upid = sim.tasks.start({
        node: g.node,
        type: 'qmconfig',
        id: String(g.vmid),
        identity: req.identity,
        work: async (t) => {
          await sim.locks.with(type, g.vmid, async () => {
            await t.checkpoint();
            await t.sleep(200);
            applyUpdate(req, g, type);
            for (const [k, v] of Object.entries(params.rest([])))
              if (isDiskKey(type, k) && /:\d+/.test(v)) t.log(`${k}: successfully created disk '${g.config[k]}'`);
          });
        },
      });
      const delay = params.int('background_delay');
      if (delay) {
        const deadline = Date.now() + delay * 1000;
        while (Date.now() < deadline && sim.tasks.get(upid)?.status === 'running')
          await new Promise((r) => setTimeout(r, 20));
        const task = sim.tasks.get(upid);
        if (task?.status === 'stopped' && task.exitstatus === 'OK') return null;
      }
      return upid;
    });
  }
}
