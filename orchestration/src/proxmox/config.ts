// Typed views of a guest config as GET .../config returns it (strings and property strings, some
// numbers): the indexed devices parsed with the property-string parsers, sizes in bytes.
import type { GuestConfig } from './guest-types.js';
import {
  decodeSshKeys,
  parseHostPci,
  parseIpConfig,
  parseLxcMountPoint,
  parseLxcNet,
  parseLxcRootfs,
  parsePropertyString,
  parseQemuDisk,
  parseQemuNet,
  type HostPci,
  type IpConfig,
  type LxcMountPoint,
  type LxcNet,
  type LxcRootfs,
  type QemuDisk,
  type QemuNet,
} from './property-strings.js';

const QEMU_DISK_KEY = /^(scsi|virtio|sata|ide)\d+$|^efidisk0$|^tpmstate0$/;

function indexedEntries(cfg: GuestConfig, prefix: string): [number, string][] {
  const re = new RegExp(`^${prefix}(\\d+)$`);
  const out: [number, string][] = [];
  for (const [k, v] of Object.entries(cfg)) {
    const m = re.exec(k);
    if (m && v !== undefined) out.push([Number(m[1]), String(v)]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

const num = (v: unknown) => (v === undefined || v === '' ? undefined : Number(v));
const tags = (v: unknown) =>
  v === undefined
    ? []
    : String(v)
        .split(/[;,\s]+/)
        .filter(Boolean);

export interface QemuConfigView {
  name?: string;
  /** MiB (the `current=` value of `memory`). */
  memory?: number;
  cores?: number;
  sockets?: number;
  template: boolean;
  tags: string[];
  nets: Record<number, QemuNet>;
  /** Keyed by config key (`scsi0`, `ide2`, ...); cloud-init and CD-ROM drives included (`media`). */
  disks: Record<string, QemuDisk>;
  hostpci: Record<number, HostPci>;
  ipconfig: Record<number, IpConfig>;
  ciuser?: string;
  sshkeys: string[];
  digest?: string;
}

export function qemuConfigView(cfg: GuestConfig): QemuConfigView {
  const disks: Record<string, QemuDisk> = {};
  for (const [k, v] of Object.entries(cfg)) {
    if (QEMU_DISK_KEY.test(k) && v !== undefined) {
      const { raw: _raw, ...disk } = parseQemuDisk(String(v));
      disks[k] = disk;
    }
  }
  const memory = cfg.memory === undefined ? undefined : parsePropertyString(String(cfg.memory), 'current').current;
  return {
    name: cfg.name === undefined ? undefined : String(cfg.name),
    memory: num(memory),
    cores: num(cfg.cores),
    sockets: num(cfg.sockets),
    template: String(cfg.template ?? '0') === '1',
    tags: tags(cfg.tags),
    nets: Object.fromEntries(indexedEntries(cfg, 'net').map(([i, v]) => [i, parseQemuNet(v)])),
    disks,
    hostpci: Object.fromEntries(indexedEntries(cfg, 'hostpci').map(([i, v]) => [i, parseHostPci(v)])),
    ipconfig: Object.fromEntries(indexedEntries(cfg, 'ipconfig').map(([i, v]) => [i, parseIpConfig(v)])),
    ciuser: cfg.ciuser === undefined ? undefined : String(cfg.ciuser),
    sshkeys: cfg.sshkeys === undefined ? [] : decodeSshKeys(String(cfg.sshkeys)),
    digest: cfg.digest,
  };
}

export interface LxcConfigView {
  hostname?: string;
  memory?: number;
  swap?: number;
  cores?: number;
  template: boolean;
  unprivileged: boolean;
  tags: string[];
  nets: Record<number, LxcNet>;
  rootfs?: LxcRootfs;
  mountpoints: Record<number, LxcMountPoint>;
  digest?: string;
}

export function lxcConfigView(cfg: GuestConfig): LxcConfigView {
  return {
    hostname: cfg.hostname === undefined ? undefined : String(cfg.hostname),
    memory: num(cfg.memory),
    swap: num(cfg.swap),
    cores: num(cfg.cores),
    template: String(cfg.template ?? '0') === '1',
    unprivileged: String(cfg.unprivileged ?? '0') === '1',
    tags: tags(cfg.tags),
    nets: Object.fromEntries(indexedEntries(cfg, 'net').map(([i, v]) => [i, parseLxcNet(v)])),
    rootfs: cfg.rootfs === undefined ? undefined : parseLxcRootfs(String(cfg.rootfs)),
    mountpoints: Object.fromEntries(indexedEntries(cfg, 'mp').map(([i, v]) => [i, parseLxcMountPoint(v)])),
    digest: cfg.digest,
  };
}
