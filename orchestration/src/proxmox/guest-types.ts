// Typed parameters and results for QEMU VMs and LXC containers (README §4.3). Results keep Proxmox's
// field names; loose Perl types (numbers as strings, 0/1 booleans) are normalised in guests.ts.
import type { Params } from './http.js';
import type { HostPci, IpConfig, LxcMountPoint, LxcNet, LxcRootfs, QemuDisk, QemuNet } from './property-strings.js';

export type GuestKind = 'qemu' | 'lxc';
/** A task id (UPID string); pass it to TaskApi.wait. */
export type TaskId = string;

export interface GuestListItem {
  vmid: number;
  status: 'running' | 'stopped';
  name?: string;
  cpu?: number;
  cpus?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  netin?: number;
  netout?: number;
  diskread?: number;
  diskwrite?: number;
  uptime?: number;
  pid?: number;
  qmpstatus?: string;
  lock?: string;
  tags?: string;
  template?: boolean;
  memhost?: number;
  [extra: string]: unknown;
}

export interface GuestStatus extends GuestListItem {
  ha?: { managed: number; state?: string; group?: string };
  agent?: number;
  'running-machine'?: string;
  'running-qemu'?: string;
}

/** The config as Proxmox returns it: mostly strings and property strings, plus `digest`. */
export type GuestConfig = Record<string, string | number | undefined> & { digest?: string };

export type Indexed<T> = Record<number, T | string>;

export interface QemuConfigParams {
  name?: string;
  /** MiB */
  memory?: number;
  balloon?: number;
  cores?: number;
  sockets?: number;
  vcpus?: number;
  cpu?: string;
  cpulimit?: number;
  numa?: boolean;
  ostype?:
    | 'other'
    | 'l24'
    | 'l26'
    | 'win10'
    | 'win11'
    | 'win7'
    | 'win8'
    | 'wxp'
    | 'w2k'
    | 'w2k3'
    | 'w2k8'
    | 'wvista'
    | 'solaris';
  bios?: 'seabios' | 'ovmf';
  machine?: string;
  scsihw?: 'lsi' | 'lsi53c810' | 'virtio-scsi-pci' | 'virtio-scsi-single' | 'megasas' | 'pvscsi';
  /** `true` → `enabled=1`; or a property string such as `enabled=1,fstrim_cloned_disks=1`. */
  agent?: boolean | string;
  boot?: string;
  vga?: string;
  net?: Indexed<QemuNet>;
  scsi?: Indexed<QemuDisk>;
  virtio?: Indexed<QemuDisk>;
  sata?: Indexed<QemuDisk>;
  ide?: Indexed<QemuDisk>;
  efidisk0?: string;
  tpmstate0?: string;
  hostpci?: Indexed<HostPci>;
  ipconfig?: Indexed<IpConfig>;
  ciuser?: string;
  cipassword?: string;
  citype?: 'configdrive2' | 'nocloud' | 'opennebula';
  ciupgrade?: boolean;
  /** Plain OpenSSH public keys; encoded the way Proxmox requires. */
  sshkeys?: string[];
  nameserver?: string;
  searchdomain?: string;
  cicustom?: string;
  tags?: string[];
  description?: string;
  onboot?: boolean;
  protection?: boolean;
  /** PVE 9+ */
  'allow-ksm'?: boolean;
  /** Anything not modelled above, sent as is. */
  extra?: Params;
}

export interface QemuCreateParams extends QemuConfigParams {
  vmid: number;
  pool?: string;
  storage?: string;
  start?: boolean;
  unique?: boolean;
  archive?: string;
  /** PVE 9+ */
  'ha-managed'?: boolean;
}

export interface ConfigUpdateOptions {
  /** Config keys to remove. */
  delete?: string[];
  revert?: string[];
  /** Optimistic locking: the digest from getConfig. */
  digest?: string;
  /** Ignore the config lock. Proxmox allows it for root@pam only (400 for anyone else). */
  skiplock?: boolean;
  force?: boolean;
}

export interface LxcConfigParams {
  hostname?: string;
  /** MiB */
  memory?: number;
  swap?: number;
  cores?: number;
  cpulimit?: number;
  cpuunits?: number;
  net?: Indexed<LxcNet>;
  rootfs?: LxcRootfs | string;
  mp?: Indexed<LxcMountPoint>;
  /** e.g. `nesting=1,keyctl=1` */
  features?: string;
  nameserver?: string;
  searchdomain?: string;
  onboot?: boolean;
  protection?: boolean;
  tags?: string[];
  description?: string;
  ostype?: string;
  /** PVE 9+ (OCI containers) */
  entrypoint?: string;
  /** PVE 9+ */
  env?: string;
  extra?: Params;
}

export interface LxcCreateParams extends LxcConfigParams {
  vmid: number;
  /** `local:vztmpl/debian-12-standard_12.2-1_amd64.tar.zst` */
  ostemplate: string;
  password?: string;
  /** OpenSSH public keys (sent as `ssh-public-keys`, newline separated). */
  sshPublicKeys?: string[];
  unprivileged?: boolean;
  storage?: string;
  pool?: string;
  start?: boolean;
  unique?: boolean;
  restore?: boolean;
  /** PVE 9+ */
  'ha-managed'?: boolean;
}

export interface CloneParams {
  newid: number;
  /** qemu: `name`; lxc: sent as `hostname`. */
  name?: string;
  /** Default (Proxmox): linked for templates, full otherwise. */
  full?: boolean;
  storage?: string;
  /** qemu only, full clones only. */
  format?: 'raw' | 'qcow2' | 'vmdk';
  target?: string;
  pool?: string;
  snapname?: string;
  bwlimit?: number;
  description?: string;
}

export interface StartOptions {
  timeout?: number;
  /** Ignore the config lock. Proxmox allows it for root@pam only (400 for anyone else). */
  skiplock?: boolean;
  /** qemu only */
  machine?: string;
}

export interface StopOptions {
  timeout?: number;
  /** Ignore the config lock. Proxmox allows it for root@pam only (400 for anyone else). */
  skiplock?: boolean;
  /** qemu only */
  keepActive?: boolean;
  /** qemu: stop even if a shutdown task is running */
  overruleShutdown?: boolean;
}

export interface ShutdownOptions {
  timeout?: number;
  forceStop?: boolean;
  /** qemu only */
  keepActive?: boolean;
}

export interface MigrateParams {
  target: string;
  online?: boolean;
  /** qemu */
  withLocalDisks?: boolean;
  targetstorage?: string;
  bwlimit?: number;
  /** lxc: restart migration */
  restart?: boolean;
  /** lxc: shutdown timeout for restart migration */
  timeout?: number;
}

export interface MigratePrecheck {
  running: boolean | number;
  allowed_nodes?: string[];
  not_allowed_nodes?: Record<string, unknown>;
  local_disks?: unknown[];
  local_resources?: string[];
  'mapped-resources'?: string[];
  [extra: string]: unknown;
}

/** One row of GET .../pending: `pending` is set for a change not applied yet (reboot needed), `delete` 1/2 for a pending removal. */
export interface PendingChange {
  key: string;
  value?: string | number;
  pending?: string | number;
  delete?: number;
}

export interface Snapshot {
  name: string;
  description?: string;
  snaptime?: number;
  vmstate?: boolean | number;
  parent?: string;
}

export interface DeleteOptions {
  purge?: boolean;
  destroyUnreferencedDisks?: boolean;
  /** Ignore the config lock. Proxmox allows it for root@pam only (400 for anyone else). */
  skiplock?: boolean;
  /** lxc: stop a running container first */
  force?: boolean;
}

export interface VncProxy {
  user: string;
  ticket: string;
  port: number;
  upid: string;
  cert?: string;
  /** The RFB password: `password ?? ticket` (README §6.1, portable client rule). */
  vncPassword: string;
  password?: string;
}

export interface TermProxy {
  user: string;
  ticket: string;
  port: number;
  upid: string;
}

export type RrdTimeframe = 'hour' | 'day' | 'week' | 'month' | 'year';
export type RrdPoint = { time: number } & Record<string, number>;

export interface QgaInterface {
  name: string;
  'hardware-address'?: string;
  'ip-addresses'?: { 'ip-address-type': 'ipv4' | 'ipv6'; 'ip-address': string; prefix: number }[];
  statistics?: Record<string, number>;
}

export interface LxcInterface {
  name: string;
  hwaddr?: string;
  'hardware-address'?: string;
  inet?: string;
  inet6?: string;
  'ip-addresses'?: { 'ip-address-type': string; 'ip-address': string; prefix: number | string }[];
}
