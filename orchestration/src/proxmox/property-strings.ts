// Proxmox "property strings": `key=value,key=value` with an optional default key written bare
// (reference/proxmox/README.md §0.1, api-subset.json `config_formats`). Generic parse/format plus
// typed builders and parsers for the config keys the platform writes.

export type PropertyValue = string | number | boolean | undefined;

/** Splits `a=1,b=2` into a map. A bare first item is stored under `defaultKey`. */
export function parsePropertyString(input: string, defaultKey?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (input.trim() === '') return out;
  for (const part of input.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq === -1) {
      if (!defaultKey) throw new Error(`property string item '${part}' has no key and the format has no default key`);
      if (defaultKey in out) throw new Error(`property string has two values for the default key '${defaultKey}'`);
      out[defaultKey] = part;
    } else {
      out[part.slice(0, eq).trim()] = part.slice(eq + 1);
    }
  }
  return out;
}

function valueText(v: Exclude<PropertyValue, undefined>): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/**
 * Joins a map into a property string. Booleans become 1/0, undefined is dropped, the default key (if
 * given and present) is written first without `key=`. Values must not contain `,` (Proxmox has no
 * escaping for it; lists inside a value use `;`).
 */
export function formatPropertyString(props: Record<string, PropertyValue>, defaultKey?: string): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    const text = valueText(v);
    if (text.includes(',')) throw new Error(`property '${k}' value '${text}' must not contain ','`);
    if (k === defaultKey) parts.unshift(text);
    else parts.push(`${k}=${text}`);
  }
  return parts.join(',');
}

const bool = (v: string | undefined): boolean | undefined =>
  v === undefined ? undefined : v === '1' || v === 'true' || v === 'on' || v === 'yes';
const int = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number.parseInt(v, 10));
const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

// ---------------------------------------------------------------- sizes

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `32G` → bytes. Units are binary (Proxmox `parse_size`); no unit means bytes. Accepts `+10G` only via parseSizeDelta. */
export function parseSize(size: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(size.trim());
  if (!m) throw new Error(`invalid size '${size}' (expected e.g. 32G, 512M, 1.5T)`);
  return Math.round(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!);
}

/** Bytes → the largest unit that represents them exactly (`34359738368` → `32G`). */
export function formatSize(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`invalid byte count ${bytes}`);
  for (const unit of ['T', 'G', 'M', 'K'] as const) {
    if (bytes !== 0 && bytes % UNITS[unit]! === 0) return `${bytes / UNITS[unit]!}${unit}`;
  }
  return String(bytes);
}

/** Size argument for `PUT .../resize`: absolute (`32G`) or growth (`+10G`). */
export function resizeArgument(bytes: number, mode: 'absolute' | 'grow' = 'absolute'): string {
  return (mode === 'grow' ? '+' : '') + formatSize(bytes);
}

// ---------------------------------------------------------------- qemu net[n]

export const QEMU_NIC_MODELS = [
  'e1000',
  'e1000-82540em',
  'e1000-82544gc',
  'e1000-82545em',
  'e1000e',
  'i82551',
  'i82557b',
  'i82559er',
  'ne2k_isa',
  'ne2k_pci',
  'pcnet',
  'rtl8139',
  'virtio',
  'vmxnet3',
] as const;
export type QemuNicModel = (typeof QEMU_NIC_MODELS)[number];

export interface QemuNet {
  model: QemuNicModel;
  /** Written as `<model>=<mac>`; Proxmox generates one when absent. */
  macaddr?: string;
  bridge?: string;
  tag?: number;
  firewall?: boolean;
  linkDown?: boolean;
  mtu?: number;
  queues?: number;
  /** MB/s */
  rate?: number;
  trunks?: number[];
}

export function formatQemuNet(n: QemuNet): string {
  const head = n.macaddr ? `${n.model}=${n.macaddr.toUpperCase()}` : n.model;
  const rest = formatPropertyString({
    bridge: n.bridge,
    tag: n.tag,
    firewall: n.firewall,
    link_down: n.linkDown,
    mtu: n.mtu,
    queues: n.queues,
    rate: n.rate,
    trunks: n.trunks?.join(';'),
  });
  return rest ? `${head},${rest}` : head;
}

export function parseQemuNet(s: string): QemuNet {
  const p = parsePropertyString(s, 'model');
  let model = p.model as QemuNicModel | undefined;
  let macaddr = p.macaddr;
  for (const m of QEMU_NIC_MODELS) {
    if (p[m] !== undefined) {
      model = m;
      macaddr = p[m];
    }
  }
  if (!model) throw new Error(`net property string '${s}' has no model`);
  return {
    model,
    macaddr,
    bridge: p.bridge,
    tag: int(p.tag),
    firewall: bool(p.firewall),
    linkDown: bool(p.link_down),
    mtu: int(p.mtu),
    queues: int(p.queues),
    rate: num(p.rate),
    trunks: p.trunks ? p.trunks.split(';').map(Number) : undefined,
  };
}

// ---------------------------------------------------------------- qemu disks (scsi/virtio/sata/ide)

export interface QemuDisk {
  /** A volume id (`local-lvm:vm-100-disk-0`), `storage:SIZE_GiB` to allocate (see diskAllocation), or `none`. */
  file: string;
  size?: number;
  media?: 'disk' | 'cdrom';
  format?: 'raw' | 'qcow2' | 'vmdk';
  cache?: 'none' | 'writethrough' | 'writeback' | 'unsafe' | 'directsync';
  discard?: 'on' | 'ignore';
  iothread?: boolean;
  ssd?: boolean;
  backup?: boolean;
  replicate?: boolean;
  importFrom?: string;
  serial?: string;
}

/** `storage:SIZE_IN_GiB`, the allocation syntax for a new disk (`local-lvm:32`). */
export function diskAllocation(storage: string, size: number | string): string {
  const bytes = typeof size === 'number' ? size : parseSize(size);
  const gib = bytes / UNITS.G!;
  return `${storage}:${Number.isInteger(gib) ? gib : Number(gib.toFixed(3))}`;
}

/** The cloud-init drive, e.g. for `ide2`: `local-lvm:cloudinit`. */
export function cloudInitDrive(storage: string): string {
  return `${storage}:cloudinit`;
}

export function formatQemuDisk(d: QemuDisk): string {
  return formatPropertyString(
    {
      file: d.file,
      media: d.media,
      format: d.format,
      cache: d.cache,
      discard: d.discard,
      iothread: d.iothread,
      ssd: d.ssd,
      backup: d.backup,
      replicate: d.replicate,
      'import-from': d.importFrom,
      serial: d.serial,
      size: d.size === undefined ? undefined : formatSize(d.size),
    },
    'file',
  );
}

export function parseQemuDisk(s: string): QemuDisk & { raw: Record<string, string> } {
  const p = parsePropertyString(s, 'file');
  if (p.volume !== undefined && p.file === undefined) p.file = p.volume;
  if (p.file === undefined) throw new Error(`disk property string '${s}' has no volume`);
  return {
    file: p.file,
    size: p.size === undefined ? undefined : parseSize(p.size),
    media: p.media as QemuDisk['media'],
    format: p.format as QemuDisk['format'],
    cache: p.cache as QemuDisk['cache'],
    discard: p.discard as QemuDisk['discard'],
    iothread: bool(p.iothread),
    ssd: bool(p.ssd),
    backup: bool(p.backup),
    replicate: bool(p.replicate),
    importFrom: p['import-from'],
    serial: p.serial,
    raw: p,
  };
}

// ---------------------------------------------------------------- cloud-init ipconfig[n]

export interface IpConfig {
  /** `dhcp` or an IPv4 CIDR. */
  ip?: 'dhcp' | string;
  gw?: string;
  /** `dhcp`, `auto` or an IPv6 CIDR. */
  ip6?: 'dhcp' | 'auto' | string;
  gw6?: string;
}

export function formatIpConfig(c: IpConfig): string {
  return formatPropertyString({ ip: c.ip, gw: c.gw, ip6: c.ip6, gw6: c.gw6 });
}

export function parseIpConfig(s: string): IpConfig {
  const p = parsePropertyString(s);
  return { ip: p.ip, gw: p.gw, ip6: p.ip6, gw6: p.gw6 };
}

/** cloud-init `sshkeys`: Proxmox wants it URL-encoded (format `urlencoded`), spaces as %20 (not `+`). */
export function encodeSshKeys(keys: string | string[]): string {
  const text = Array.isArray(keys) ? keys.join('\n') : keys;
  // encodeURIComponent already writes spaces as %20 and leaves only [-_.!~*'()] unescaped, which is
  // exactly the character set Proxmox's `urlencoded` format check (pve_verify_urlencoded) accepts.
  return encodeURIComponent(text);
}

export function decodeSshKeys(encoded: string): string[] {
  return decodeURIComponent(encoded)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------- hostpci[n]

export interface HostPci {
  /** `0000:01:00.0`, `01:00` (all functions) or several ids (VFs), joined with `;`. */
  host?: string | string[];
  /** A cluster PCI resource mapping id (`/cluster/mapping/pci`); use instead of host. */
  mapping?: string;
  pcie?: boolean;
  xVga?: boolean;
  /** Mediated device type, e.g. `nvidia-1234` or `i915-GVTg_V5_4`. */
  mdev?: string;
  rombar?: boolean;
  romfile?: string;
  driver?: 'vfio' | 'keep';
  legacyIgd?: boolean;
  vendorId?: string;
  deviceId?: string;
  subVendorId?: string;
  subDeviceId?: string;
}

const PCI_ID_RE = /^(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?$/i;

export function formatHostPci(h: HostPci): string {
  const hosts = h.host === undefined ? undefined : Array.isArray(h.host) ? h.host : [h.host];
  if (!hosts === !h.mapping) throw new Error('hostpci needs exactly one of host or mapping');
  for (const id of hosts ?? []) if (!PCI_ID_RE.test(id)) throw new Error(`invalid PCI id '${id}'`);
  return formatPropertyString(
    {
      host: hosts?.join(';'),
      mapping: h.mapping,
      pcie: h.pcie,
      'x-vga': h.xVga,
      mdev: h.mdev,
      rombar: h.rombar,
      romfile: h.romfile,
      driver: h.driver,
      'legacy-igd': h.legacyIgd,
      'vendor-id': h.vendorId,
      'device-id': h.deviceId,
      'sub-vendor-id': h.subVendorId,
      'sub-device-id': h.subDeviceId,
    },
    'host',
  );
}

export function parseHostPci(s: string): HostPci {
  const p = parsePropertyString(s, 'host');
  return {
    host: p.host === undefined ? undefined : p.host.includes(';') ? p.host.split(';') : p.host,
    mapping: p.mapping,
    pcie: bool(p.pcie),
    xVga: bool(p['x-vga']),
    mdev: p.mdev,
    rombar: bool(p.rombar),
    romfile: p.romfile,
    driver: p.driver as HostPci['driver'],
    legacyIgd: bool(p['legacy-igd']),
    vendorId: p['vendor-id'],
    deviceId: p['device-id'],
    subVendorId: p['sub-vendor-id'],
    subDeviceId: p['sub-device-id'],
  };
}

// ---------------------------------------------------------------- lxc net[n]

export interface LxcNet {
  name: string;
  bridge?: string;
  /** `dhcp`, `manual` or IPv4 CIDR. */
  ip?: string;
  gw?: string;
  /** `dhcp`, `auto`, `manual` or IPv6 CIDR. */
  ip6?: string;
  gw6?: string;
  hwaddr?: string;
  firewall?: boolean;
  tag?: number;
  mtu?: number;
  rate?: number;
  linkDown?: boolean;
  trunks?: number[];
  type?: 'veth';
}

export function formatLxcNet(n: LxcNet): string {
  return formatPropertyString({
    name: n.name,
    bridge: n.bridge,
    ip: n.ip,
    gw: n.gw,
    ip6: n.ip6,
    gw6: n.gw6,
    hwaddr: n.hwaddr?.toUpperCase(),
    firewall: n.firewall,
    tag: n.tag,
    mtu: n.mtu,
    rate: n.rate,
    link_down: n.linkDown,
    trunks: n.trunks?.join(';'),
    type: n.type,
  });
}

export function parseLxcNet(s: string): LxcNet {
  const p = parsePropertyString(s);
  if (!p.name) throw new Error(`lxc net property string '${s}' has no name`);
  return {
    name: p.name,
    bridge: p.bridge,
    ip: p.ip,
    gw: p.gw,
    ip6: p.ip6,
    gw6: p.gw6,
    hwaddr: p.hwaddr,
    firewall: bool(p.firewall),
    tag: int(p.tag),
    mtu: int(p.mtu),
    rate: num(p.rate),
    linkDown: bool(p.link_down),
    trunks: p.trunks ? p.trunks.split(';').map(Number) : undefined,
    type: p.type as LxcNet['type'],
  };
}

// ---------------------------------------------------------------- lxc rootfs / mp[n]

export type LxcMountOption = 'discard' | 'lazytime' | 'noatime' | 'nodev' | 'noexec' | 'nosuid';

export interface LxcRootfs {
  /** Volume id, or `storage:SIZE_GiB` to allocate (diskAllocation). */
  volume: string;
  size?: number;
  acl?: boolean;
  quota?: boolean;
  replicate?: boolean;
  ro?: boolean;
  shared?: boolean;
  mountoptions?: LxcMountOption[];
}

export interface LxcMountPoint extends LxcRootfs {
  /** Path inside the container. */
  mp: string;
  backup?: boolean;
}

function lxcVolumeProps(v: LxcRootfs): Record<string, PropertyValue> {
  return {
    volume: v.volume,
    acl: v.acl,
    quota: v.quota,
    replicate: v.replicate,
    ro: v.ro,
    shared: v.shared,
    mountoptions: v.mountoptions?.join(';'),
    size: v.size === undefined ? undefined : formatSize(v.size),
  };
}

export function formatLxcRootfs(v: LxcRootfs): string {
  return formatPropertyString(lxcVolumeProps(v), 'volume');
}

export function formatLxcMountPoint(v: LxcMountPoint): string {
  return formatPropertyString({ ...lxcVolumeProps(v), mp: v.mp, backup: v.backup }, 'volume');
}

function parseLxcVolume(s: string): LxcRootfs & { raw: Record<string, string> } {
  const p = parsePropertyString(s, 'volume');
  if (p.volume === undefined) throw new Error(`lxc volume property string '${s}' has no volume`);
  return {
    volume: p.volume,
    size: p.size === undefined ? undefined : parseSize(p.size),
    acl: bool(p.acl),
    quota: bool(p.quota),
    replicate: bool(p.replicate),
    ro: bool(p.ro),
    shared: bool(p.shared),
    mountoptions: p.mountoptions ? (p.mountoptions.split(';') as LxcMountOption[]) : undefined,
    raw: p,
  };
}

export function parseLxcRootfs(s: string): LxcRootfs {
  const { raw: _raw, ...v } = parseLxcVolume(s);
  return v;
}

export function parseLxcMountPoint(s: string): LxcMountPoint {
  const { raw, ...v } = parseLxcVolume(s);
  if (!raw.mp) throw new Error(`lxc mount point '${s}' has no mp path`);
  return { ...v, mp: raw.mp, backup: bool(raw.backup) };
}

// ---------------------------------------------------------------- indexed keys

/** `{ 0: x, 2: y }` under `net` → `{ net0: fmt(x), net2: fmt(y) }`. Strings pass through unchanged. */
export function indexed<T>(
  prefix: string,
  items: Record<number, T | string> | undefined,
  format: (v: T) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!items) return out;
  for (const [i, v] of Object.entries(items)) {
    if (!/^\d+$/.test(i)) throw new Error(`${prefix} index '${i}' must be a non-negative integer`);
    out[`${prefix}${i}`] = typeof v === 'string' ? v : format(v as T);
  }
  return out;
}
