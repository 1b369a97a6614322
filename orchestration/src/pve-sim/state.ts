// The simulated cluster: plain JSON-serialisable data, seeded deterministically, optionally
// persisted to a file. Route handlers and the control API mutate it; nothing here does I/O
// except load/save.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRng, hex, type Rng } from './rng.js';

export type GuestType = 'qemu' | 'lxc';
export type GuestStatus = 'running' | 'stopped' | 'paused';

export interface MdevType {
  type: string;
  description: string;
  name: string;
  available: number;
}

export interface PciDevice {
  id: string;
  class: string;
  vendor: string;
  device: string;
  vendor_name: string;
  device_name: string;
  subsystem_vendor: string;
  subsystem_device: string;
  iommugroup: number;
  mdev?: MdevType[];
}

export interface SimNode {
  name: string;
  status: 'online' | 'offline';
  ip: string;
  cpus: number;
  sockets: number;
  cpuModel: string;
  memory: number;
  rootfs: number;
  bootedAt: number;
  pci: PciDevice[];
  fingerprint: string;
}

export interface SimStorage {
  storage: string;
  type: 'dir' | 'lvmthin' | 'rbd';
  content: string[];
  shared: 0 | 1;
  total: number;
  /** Bytes per second a full copy onto this storage proceeds at. */
  throughput: number;
  path?: string;
  thinpool?: string;
  vgname?: string;
  pool?: string;
}

export interface Volume {
  volid: string;
  storage: string;
  /** For node-local storages the node holding it; undefined for shared storages. */
  node?: string;
  content: 'images' | 'rootdir' | 'vztmpl' | 'iso' | 'backup' | 'snippets';
  format: string;
  size: number;
  vmid?: number;
  ctime: number;
  parent?: string;
}

export interface Snapshot {
  name: string;
  description: string;
  snaptime: number;
  vmstate: 0 | 1;
  parent?: string;
  config: Record<string, string>;
}

export interface FirewallRule {
  pos: number;
  type: string;
  action: string;
  enable?: number;
  macro?: string;
  source?: string;
  dest?: string;
  proto?: string;
  dport?: string;
  sport?: string;
  iface?: string;
  log?: string;
  comment?: string;
  'icmp-type'?: string;
  digest?: string;
  ipversion?: number;
}

export interface Guest {
  vmid: number;
  type: GuestType;
  node: string;
  status: GuestStatus;
  config: Record<string, string>;
  pending: Record<string, string>;
  snapshots: Snapshot[];
  firewall: { options: Record<string, string | number>; rules: FirewallRule[] };
  createdAt: number;
  /** Epoch ms of the current boot; counters in /cluster/resources reset with it. */
  startedAt?: number;
  /** Run intervals [start, end?] in epoch ms, newest last, for RRD history. */
  runs: [number, number | null][];
  pid?: number;
  /** Set while the guest agent answers (after boot). */
  agentReadyAt?: number;
  /** hostpciN → PCI device id, while running (see routes/pci.ts). */
  pciAssigned?: Record<string, string>;
  /** Console screen lines (boot log, login prompt). */
  console: string[];
}

export interface Pool {
  poolid: string;
  comment?: string;
  vms: number[];
  storage: string[];
}

export interface SdnObject {
  config: Record<string, string | number>;
  /** Pending (not yet applied) config, or 'deleted'. */
  pending?: Record<string, string | number> | 'deleted';
  state?: 'new' | 'changed' | 'deleted';
}

export interface User {
  userid: string;
  enable: 0 | 1;
  expire: number;
  firstname?: string;
  lastname?: string;
  email?: string;
  comment?: string;
  groups: string[];
  password?: string;
  tokens: Record<string, { secret: string; privsep: 0 | 1; expire: number; comment?: string }>;
}

export interface AclEntry {
  path: string;
  type: 'user' | 'group' | 'token';
  ugid: string;
  roleid: string;
  propagate: 0 | 1;
}

export interface PciMapping {
  id: string;
  description?: string;
  map: string[];
  mdev?: 0 | 1;
  'live-migration-capable'?: 0 | 1;
}

export interface TaskRecord {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  tokenid?: string;
  status: 'running' | 'stopped';
  exitstatus?: string;
  endtime?: number;
  log: string[];
}

export interface SimStateData {
  version: 1;
  seed: number;
  clusterName: string;
  nodes: SimNode[];
  storages: SimStorage[];
  volumes: Volume[];
  guests: Guest[];
  pools: Pool[];
  /** The datacenter firewall's options; absent in state files written before it existed. */
  clusterFirewall?: { options: Record<string, string | number> };
  sdn: { zones: Record<string, SdnObject>; vnets: Record<string, SdnObject>; subnets: Record<string, SdnObject> };
  users: User[];
  groups: { groupid: string; comment?: string }[];
  acl: AclEntry[];
  roles: Record<string, string[]>;
  mappings: PciMapping[];
  tasks: TaskRecord[];
  macCounter: number;
  /** HMAC key for tickets and CSRF tokens; persisted so tickets survive a restart. */
  authKey: string;
}

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

export const PRIVILEGES = [
  'Datastore.Allocate',
  'Datastore.AllocateSpace',
  'Datastore.AllocateTemplate',
  'Datastore.Audit',
  'Group.Allocate',
  'Mapping.Audit',
  'Mapping.Modify',
  'Mapping.Use',
  'Permissions.Modify',
  'Pool.Allocate',
  'Pool.Audit',
  'Realm.Allocate',
  'Realm.AllocateUser',
  'SDN.Allocate',
  'SDN.Audit',
  'SDN.Use',
  'Sys.AccessNetwork',
  'Sys.Audit',
  'Sys.Console',
  'Sys.Incoming',
  'Sys.Modify',
  'Sys.PowerMgmt',
  'Sys.Syslog',
  'User.Modify',
  'VM.Allocate',
  'VM.Audit',
  'VM.Backup',
  'VM.Clone',
  'VM.Config.CDROM',
  'VM.Config.CPU',
  'VM.Config.Cloudinit',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.Console',
  'VM.GuestAgent.Audit',
  'VM.GuestAgent.FileRead',
  'VM.GuestAgent.FileSystemMgmt',
  'VM.GuestAgent.FileWrite',
  'VM.GuestAgent.Unrestricted',
  'VM.Migrate',
  'VM.PowerMgmt',
  'VM.Replicate',
  'VM.Snapshot',
  'VM.Snapshot.Rollback',
];

const vmPrivs = PRIVILEGES.filter((p) => p.startsWith('VM.'));

export const BUILTIN_ROLES: Record<string, string[]> = {
  Administrator: PRIVILEGES,
  NoAccess: [],
  PVEAdmin: PRIVILEGES.filter(
    (p) => !['Permissions.Modify', 'Realm.Allocate', 'Sys.Modify', 'Sys.PowerMgmt'].includes(p),
  ),
  PVEAuditor: [
    'Datastore.Audit',
    'Mapping.Audit',
    'Pool.Audit',
    'SDN.Audit',
    'Sys.Audit',
    'VM.Audit',
    'VM.GuestAgent.Audit',
  ],
  PVEDatastoreAdmin: ['Datastore.Allocate', 'Datastore.AllocateSpace', 'Datastore.AllocateTemplate', 'Datastore.Audit'],
  PVEDatastoreUser: ['Datastore.AllocateSpace', 'Datastore.Audit'],
  PVEMappingAdmin: ['Mapping.Audit', 'Mapping.Modify', 'Mapping.Use'],
  PVEMappingUser: ['Mapping.Audit', 'Mapping.Use'],
  PVEPoolAdmin: ['Pool.Allocate', 'Pool.Audit'],
  PVEPoolUser: ['Pool.Audit'],
  PVESDNAdmin: ['SDN.Allocate', 'SDN.Audit'],
  PVESDNUser: ['SDN.Audit', 'SDN.Use'],
  PVESysAdmin: [
    'Permissions.Modify',
    'Sys.Audit',
    'Sys.Console',
    'Sys.Syslog',
    'Sys.PowerMgmt',
    'Sys.Modify',
    'Sys.AccessNetwork',
    'Sys.Incoming',
  ],
  PVETemplateUser: ['VM.Audit', 'VM.Clone'],
  PVEUserAdmin: ['Group.Allocate', 'Realm.AllocateUser', 'User.Modify'],
  PVEVMAdmin: vmPrivs,
  PVEVMUser: [
    'VM.Audit',
    'VM.Backup',
    'VM.Config.CDROM',
    'VM.Config.Cloudinit',
    'VM.Console',
    'VM.PowerMgmt',
    'VM.GuestAgent.Audit',
  ],
};

export const DEBIAN_CT_TEMPLATE = 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst';

export function macAddress(state: SimStateData): string {
  const n = ++state.macCounter;
  const r = createRng(state.seed * 7919 + n);
  return `BC:24:11:${hex(r, 2)}:${hex(r, 2)}:${hex(r, 2)}`.toUpperCase();
}

export function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newGuest(g: {
  vmid: number;
  type: GuestType;
  node: string;
  config: Record<string, string>;
  createdAt: number;
}): Guest {
  return {
    ...g,
    status: 'stopped',
    pending: {},
    snapshots: [],
    firewall: {
      options: {
        enable: 0,
        policy_in: 'DROP',
        policy_out: 'ACCEPT',
        dhcp: 1,
        ndp: 1,
        radv: 0,
        macfilter: 1,
        ipfilter: 0,
        log_level_in: 'nolog',
        log_level_out: 'nolog',
      },
      rules: [],
    },
    runs: [],
    console: [],
  };
}

export function sizeText(bytes: number): string {
  if (bytes % GiB === 0) return `${bytes / GiB}G`;
  if (bytes % MiB === 0) return `${bytes / MiB}M`;
  return `${Math.ceil(bytes / 1024)}K`;
}

/** Parses Proxmox size strings (`32G`, `3584M`, `512K`, bare = bytes for disk sizes). */
export function parseSize(text: string, bareUnit = 1): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGT])?$/.exec(text);
  if (!m) return undefined;
  const unit = { K: 1024, M: MiB, G: GiB, T: 1024 * GiB }[m[2] ?? ''] ?? bareUnit;
  return Math.round(Number(m[1]) * unit);
}

export function loadState(file: string): SimStateData | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as SimStateData;
    return data.version === 1 ? data : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function saveState(file: string, state: SimStateData): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}
