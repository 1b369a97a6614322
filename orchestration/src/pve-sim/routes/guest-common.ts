// Helpers shared by the qemu and lxc routes: disk allocation, NIC MACs, boot/stop primitives,
// console screens and the config digest.
import { createHash } from 'node:crypto';
import { hasPriv, type Identity } from '../auth.js';
import type { ApiRequest } from '../router.js';
import { PveError } from '../errors.js';
import { createRng, hash32 } from '../rng.js';
import type { Sim } from '../sim.js';
import {
  GiB,
  macAddress,
  parseSize,
  sizeText,
  type Guest,
  type GuestType,
  type SimStorage,
  type Volume,
} from '../state.js';
import type { TaskContext } from '../tasks.js';
import { assignPci } from './pci.js';

export const QEMU_DISK_RE = /^(scsi|virtio|sata|ide)\d+$|^efidisk0$|^tpmstate0$/;
export const LXC_DISK_RE = /^rootfs$|^mp\d+$/;

export const isDiskKey = (type: GuestType, key: string) => (type === 'qemu' ? QEMU_DISK_RE : LXC_DISK_RE).test(key);

export const label = (type: GuestType) => (type === 'qemu' ? 'VM' : 'CT');

export function digest(config: Record<string, string>): string {
  const text = Object.keys(config)
    .sort()
    .map((k) => `${k}: ${config[k]}`)
    .join('\n');
  return createHash('sha1').update(text).digest('hex');
}

export function storageOf(sim: Sim, id: string): SimStorage {
  const s = sim.state.storages.find((x) => x.storage === id);
  if (!s) throw PveError.internal(`storage '${id}' does not exist`);
  return s;
}

/** The volid part (before the first comma) of a drive value. */
export const volidOf = (value: string) => (value.split(',')[0] ?? '').replace(/^file=/, '');

export function findVolume(sim: Sim, volid: string, node: string): Volume | undefined {
  return sim.state.volumes.find((v) => v.volid === volid && (v.node === undefined || v.node === node));
}

function nextDiskName(sim: Sim, storage: string, vmid: number, node: string, type: GuestType): string {
  for (let i = 0; ; i++) {
    const name = `${storage}:${type === 'lxc' && storageOf(sim, storage).type === 'dir' ? 'subvol' : 'vm'}-${vmid}-disk-${i}`;
    if (!sim.state.volumes.some((v) => v.volid === name || v.volid.endsWith(`/${name.split(':')[1]}`))) {
      if (!findVolume(sim, name, node)) return name;
    }
  }
}

/** Allocates a new volume and returns its volid. */
export function allocDisk(
  sim: Sim,
  opts: { storage: string; node: string; vmid: number; size: number; type: GuestType; parent?: string; name?: string },
): string {
  const s = storageOf(sim, opts.storage);
  const content = opts.type === 'qemu' ? 'images' : 'rootdir';
  if (!s.content.includes(content)) {
    throw PveError.internal(
      opts.type === 'qemu'
        ? `storage '${s.storage}' does not support vm images`
        : `storage '${s.storage}' does not support container directories`,
    );
  }
  const free = s.total - sim.storageUsed(s.storage, opts.node);
  if (!opts.parent && opts.size > free)
    throw PveError.internal(`not enough free space on storage '${s.storage}' (${sizeText(opts.size)} requested)`);
  let volid = opts.name ?? nextDiskName(sim, opts.storage, opts.vmid, opts.node, opts.type);
  if (opts.parent) volid = `${opts.storage}:${opts.parent.split(':')[1]}/${volid.split(':')[1]}`;
  sim.state.volumes.push({
    volid,
    storage: opts.storage,
    ...(s.shared ? {} : { node: opts.node }),
    content,
    format: s.type === 'dir' ? 'raw' : 'raw',
    size: opts.size,
    vmid: opts.vmid,
    ctime: sim.nowSec(),
    ...(opts.parent ? { parent: opts.parent } : {}),
  });
  return volid;
}

export function freeVolume(sim: Sim, volid: string, node: string) {
  const v = findVolume(sim, volid, node);
  if (!v) return;
  const base = v.volid.includes('/') ? v.volid : undefined;
  const child = sim.state.volumes.find(
    (x) => x.parent === v.volid || (base === undefined && x.volid.startsWith(`${v.volid}/`)),
  );
  if (child)
    throw PveError.internal(`volume deletion failed: base volume '${v.volid}' is still in use by linked clone`);
  sim.state.volumes = sim.state.volumes.filter((x) => x !== v);
}

/** Turns `STORAGE:SIZE_GiB[,opts]` into a freshly allocated volume with `size=`; keeps existing volids. */
export function materializeDisk(
  sim: Sim,
  g: { vmid: number; node: string; type: GuestType },
  key: string,
  value: string,
  identity: Identity,
): string {
  const [first = '', ...opts] = value.split(',');
  const file = first.replace(/^(file|volume)=/, '');
  const m = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(\d+(?:\.\d+)?)$/i.exec(file);
  const ci = /^([a-z][a-z0-9\-_.]*[a-z0-9]):cloudinit$/i.exec(file);
  if (ci) {
    const storage = ci[1] as string;
    const volid = `${storage}:vm-${g.vmid}-cloudinit`;
    if (!findVolume(sim, volid, g.node)) {
      const s = storageOf(sim, storage);
      sim.state.volumes.push({
        volid,
        storage,
        ...(s.shared ? {} : { node: g.node }),
        content: 'images',
        format: 'raw',
        size: 4 * 1024 * 1024,
        vmid: g.vmid,
        ctime: sim.nowSec(),
      });
    }
    return [volid, ...opts.filter((o) => !o.startsWith('media=')), 'media=cdrom'].join(',');
  }
  if (!m) return value;
  const storage = m[1] as string;
  if (!hasPriv(sim.state, identity, `/storage/${storage}`, ['Datastore.AllocateSpace']))
    throw PveError.permission(`/storage/${storage}`, ['Datastore.AllocateSpace']);
  // `STORAGE:0,import-from=<volid>` copies an existing image (e.g. a downloaded cloud image).
  const importFrom = opts.find((o) => o.startsWith('import-from='))?.slice('import-from='.length);
  const source = importFrom ? findVolume(sim, importFrom, g.node) : undefined;
  if (importFrom && !source) throw new Error(`volume '${importFrom}' does not exist`);
  const requested =
    key === 'efidisk0' ? 1024 * 1024 : key === 'tpmstate0' ? 4 * 1024 * 1024 : Math.round(Number(m[2]) * GiB);
  const size = Math.max(requested, source?.size ?? 0);
  const volid = allocDisk(sim, { storage, node: g.node, vmid: g.vmid, size, type: g.type });
  return [
    volid,
    ...opts.filter((o) => !o.startsWith('size=') && !o.startsWith('import-from=')),
    `size=${sizeText(size)}`,
  ].join(',');
}

/** Bytes a disk value will copy when materialised (`import-from=`), for the task's duration. */
export function importBytes(sim: Sim, node: string, value: string): number {
  const from = /(?:^|,)import-from=([^,]+)/.exec(value)?.[1];
  return from ? (findVolume(sim, from, node)?.size ?? 0) : 0;
}

/** Adds a MAC to a qemu `netN` (`model=MAC`) or lxc `netN` (`hwaddr=`) when missing. */
export function ensureMac(sim: Sim, type: GuestType, value: string): string {
  if (type === 'lxc') {
    if (/(^|,)hwaddr=/.test(value)) return value;
    const parts = value.split(',');
    return [
      ...parts,
      `hwaddr=${macAddress(sim.state)}`,
      ...(parts.some((p) => p.startsWith('type=')) ? [] : ['type=veth']),
    ].join(',');
  }
  const parts = value.split(',');
  const models = [
    'virtio',
    'e1000',
    'e1000e',
    'rtl8139',
    'vmxnet3',
    'ne2k_pci',
    'pcnet',
    'i82551',
    'i82557b',
    'i82559er',
    'ne2k_isa',
    'e1000-82540em',
    'e1000-82544gc',
    'e1000-82545em',
  ];
  const first = parts[0] ?? '';
  if (models.includes(first)) return [`${first}=${macAddress(sim.state)}`, ...parts.slice(1)].join(',');
  const modelPart = parts.find((p) => p.startsWith('model='));
  const macPart = parts.find((p) => p.startsWith('macaddr='));
  if (modelPart) {
    const model = modelPart.slice(6);
    const mac = macPart?.slice(8) ?? macAddress(sim.state);
    return [`${model}=${mac}`, ...parts.filter((p) => p !== modelPart && p !== macPart)].join(',');
  }
  return value;
}

export function regenerateMacs(sim: Sim, type: GuestType, config: Record<string, string>) {
  for (const [k, v] of Object.entries(config)) {
    if (!/^net\d+$/.test(k)) continue;
    config[k] =
      type === 'lxc'
        ? ensureMac(sim, type, v.replace(/(^|,)hwaddr=[^,]*/, ''))
        : v.replace(/^([a-z0-9-_]+)=([0-9A-F:]{17})/i, (_, model: string) => `${model}=${macAddress(sim.state)}`);
  }
}

export function nicCount(config: Record<string, string>): number {
  return Object.keys(config).filter((k) => /^net\d+$/.test(k)).length;
}

export function hostname(g: Guest): string {
  return (g.type === 'lxc' ? g.config.hostname : g.config.name) ?? `${label(g.type)}${g.vmid}`;
}

export function bootScreen(g: Guest): string[] {
  const host = hostname(g);
  if (g.config.ostype?.startsWith('win'))
    return ['', '  Windows 11 Pro', '', `  ${host}`, '', '  Press Ctrl+Alt+Delete to unlock.'];
  const ubuntu = /ubuntu/i.test(`${g.config.name ?? ''} ${g.config.ostype ?? ''} ${g.config.description ?? ''}`);
  const os = ubuntu ? 'Ubuntu 24.04.3 LTS' : 'Debian GNU/Linux 12';
  if (g.type === 'lxc') return [`${os} ${host} tty1`, '', `${host} login: `];
  return [
    '[    0.000000] Linux version 6.1.0-41-cloud-amd64 (debian-kernel@lists.debian.org)',
    '[    0.412345] Run /sbin/init as init process',
    '[  OK  ] Started systemd-journald.service - Journal Service.',
    '[  OK  ] Reached target network-online.target - Network is Online.',
    '[  OK  ] Finished cloud-init.service - Cloud-init: Network Stage.',
    '[  OK  ] Started qemu-guest-agent.service - QEMU Guest Agent.',
    '',
    `${os} ${host} ttyS0`,
    '',
    `${host} login: `,
  ];
}

/** A seeded stream per key (`start:100` → 1st, 2nd, … draw), so runs with one seed repeat. */
export const deterministic = (sim: Sim, key: string) => {
  const n = (sim.draws.get(key) ?? 0) + 1;
  sim.draws.set(key, n);
  return createRng(hash32(`${sim.options.seed}:${key}:${n}`));
};

/** Marks a guest running (new boot: counters reset, agent answers after the modelled boot). */
export function markRunning(sim: Sim, g: Guest) {
  const now = sim.nowMs();
  g.status = 'running';
  g.startedAt = now;
  g.pid = 10000 + (hash32(`${g.vmid}:${now}`) % 3_000_000);
  g.runs.push([now, null]);
  if (g.runs.length > 50) g.runs.splice(0, g.runs.length - 50);
  g.agentReadyAt = now + sim.scale(8000 + (hash32(`${sim.options.seed}:agent:${g.vmid}`) % 12000));
  g.console = bootScreen(g);
  for (const [k, v] of Object.entries(g.pending)) {
    if (v === '__delete__') delete g.config[k];
    else g.config[k] = v;
  }
  g.pending = {};
}

export function markStopped(sim: Sim, g: Guest) {
  g.status = 'stopped';
  delete g.pciAssigned;
  delete g.startedAt;
  delete g.pid;
  delete g.agentReadyAt;
  const last = g.runs[g.runs.length - 1];
  if (last && last[1] === null) last[1] = sim.nowMs();
  g.console = [];
  for (const [k, v] of Object.entries(g.pending)) {
    if (v === '__delete__') delete g.config[k];
    else g.config[k] = v;
  }
  g.pending = {};
}

/** PVE refuses most operations on a guest whose config carries a `lock`. */
export function checkConfigLock(g: Guest, skiplock = false) {
  if (g.config.lock && !skiplock) throw new Error(`${g.type === 'qemu' ? 'VM' : 'CT'} is locked (${g.config.lock})`);
}

/** Starts a guest inside a task: lock, overcommit check, modelled boot time. */
export async function bootGuest(sim: Sim, g: Guest, t: TaskContext) {
  await sim.locks.with(g.type, g.vmid, async () => {
    await t.checkpoint();
    if (!sim.state.guests.includes(g)) throw new Error(`Configuration file '${confPath(g)}' does not exist`);
    checkConfigLock(g);
    if (g.status !== 'stopped') throw new Error(`${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid} already running`);
    if (g.config.template === '1') throw new Error(`you can't start a vm if it's a template`);
    const node = sim.node(g.node);
    const missing = missingBridge(sim, g);
    if (missing) {
      // As on Proxmox: the NIC's bridge (a node bridge or an applied SDN VNet) must exist at start.
      t.log(`bridge '${missing}' does not exist`);
      if (g.type === 'qemu') {
        t.log(
          `kvm: -netdev type=tap,id=net0,ifname=tap${g.vmid}i0: network script /var/lib/qemu-server/pve-bridge failed with status 512`,
        );
        throw new Error('start failed: QEMU exited with code 1');
      }
      throw new Error(`startup for container '${g.vmid}' failed`);
    }
    const need = sim.guestMemory(g);
    const committed = sim.committedMemory(g.node, g.vmid);
    const limit = node.memory * sim.options.overcommitRatio;
    const r = deterministic(sim, `start:${g.vmid}`);
    if (g.type === 'qemu') {
      if (g.config.ide2?.includes('cloudinit')) t.log('generating cloud-init ISO');
      const nics = nicCount(g.config);
      const pci = Object.keys(g.config).some((k) => /^hostpci\d+$/.test(k));
      // Devices are reserved for the whole start, so concurrent starts cannot share them.
      if (pci) g.pciAssigned = assignPci(sim, g);
      try {
        await t.sleep((1000 + 2000 * r() + 450 * nics) * (pci ? 4 : 1));
        if (committed + need > limit) {
          t.log(`kvm: cannot set up guest memory 'pc.ram': Cannot allocate memory`);
          throw new Error('start failed: QEMU exited with code 1');
        }
      } catch (err) {
        delete g.pciAssigned;
        throw err;
      }
    } else {
      await t.sleep(1000 + 2000 * r());
      if (committed + need > limit) {
        t.log('lxc-start: 101: ../src/lxc/start.c: __lxc_start: 2114 Failed to spawn container');
        throw new Error(`startup for container '${g.vmid}' failed`);
      }
    }
    markRunning(sim, g);
    sim.changed();
  });
}

/** Bridges every simulated node has (GET /nodes/{node}/network). */
export const NODE_BRIDGES: readonly string[] = ['vmbr0', 'vmbr1'];

/**
 * The first NIC bridge of the guest that does not exist: neither a node bridge nor an SDN VNet in
 * the running (applied) configuration. A VNet created but not applied yet does not exist on the nodes.
 */
export function missingBridge(sim: Sim, g: Guest): string | undefined {
  for (const [key, value] of Object.entries(g.config)) {
    if (!/^net\d+$/.test(key) || typeof value !== 'string') continue;
    const bridge = /(?:^|,)bridge=([^,]+)/.exec(value)?.[1];
    if (!bridge || NODE_BRIDGES.includes(bridge)) continue;
    const vnet = sim.state.sdn.vnets[bridge];
    if (!vnet || Object.keys(vnet.config).length === 0) return bridge;
  }
  return undefined;
}

export function confPath(g: { node: string; vmid: number; type: GuestType }) {
  return `nodes/${g.node}/${g.type === 'qemu' ? 'qemu-server' : 'lxc'}/${g.vmid}.conf`;
}

export function diskSize(value: string): number {
  const s = /(?:^|,)size=([^,]+)/.exec(value)?.[1];
  return s ? (parseSize(s) ?? 0) : 0;
}

export function checkAllocate(req: ApiRequest, vmid: number, pool?: string) {
  const { sim, identity } = req;
  if (hasPriv(sim.state, identity, `/vms/${vmid}`, ['VM.Allocate'])) return;
  if (pool && hasPriv(sim.state, identity, `/pool/${pool}`, ['VM.Allocate'])) return;
  throw PveError.permission(`/vms/${vmid}`, ['VM.Allocate']);
}

export function addToPool(sim: Sim, poolid: string | undefined, vmid: number) {
  if (!poolid) return;
  const pool = sim.state.pools.find((p) => p.poolid === poolid);
  if (!pool) throw PveError.internal(`pool '${poolid}' does not exist`);
  if (!pool.vms.includes(vmid)) pool.vms.push(vmid);
}
