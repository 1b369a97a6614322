// PCI passthrough: node PCI devices, mediated device types and cluster PCI resource mappings
// (README §8).
import { apiPath, seg, type ProxmoxHttp } from './http.js';
import { formatPropertyString, parsePropertyString } from './property-strings.js';

export interface PciDevice {
  id: string;
  class: string;
  vendor: string;
  device: string;
  vendor_name?: string;
  device_name?: string;
  subsystem_vendor?: string;
  subsystem_device?: string;
  subsystem_vendor_name?: string;
  subsystem_device_name?: string;
  /** -1 when the device has no IOMMU group. */
  iommugroup: number;
  mdev?: boolean;
}

export interface MdevType {
  type: string;
  available: number;
  description: string;
  name?: string;
}

/** One `map` entry of a PCI mapping: the device on one node. */
export interface PciMapEntry {
  node: string;
  /** `0000:01:00.0`, or several `;`-separated ids. */
  path: string;
  /** `vendor:device`, e.g. `10de:2204`. */
  id: string;
  iommugroup?: number;
  'subsystem-id'?: string;
  description?: string;
}

export interface PciMapping {
  id: string;
  description?: string;
  map: PciMapEntry[];
  mdev?: boolean;
  'live-migration-capable'?: boolean;
  checks?: { severity: 'warning' | 'error'; message: string }[];
  digest?: string;
}

export function formatPciMapEntry(e: PciMapEntry): string {
  return formatPropertyString({
    node: e.node,
    path: e.path,
    id: e.id,
    iommugroup: e.iommugroup,
    'subsystem-id': e['subsystem-id'],
    description: e.description,
  });
}

export function parsePciMapEntry(s: string): PciMapEntry {
  const p = parsePropertyString(s);
  return {
    node: p.node ?? '',
    path: p.path ?? '',
    id: p.id ?? '',
    iommugroup: p.iommugroup === undefined ? undefined : Number(p.iommugroup),
    'subsystem-id': p['subsystem-id'],
    description: p.description,
  };
}

interface RawMapping extends Omit<PciMapping, 'map' | 'mdev' | 'live-migration-capable'> {
  map?: (string | PciMapEntry)[] | string;
  mdev?: number | boolean;
  'live-migration-capable'?: number | boolean;
}

function normaliseMapping(m: RawMapping): PciMapping {
  const map = m.map === undefined ? [] : Array.isArray(m.map) ? m.map : [m.map];
  return {
    ...m,
    map: map.map((e) => (typeof e === 'string' ? parsePciMapEntry(e) : e)),
    mdev: m.mdev === undefined ? undefined : Boolean(Number(m.mdev)),
    'live-migration-capable':
      m['live-migration-capable'] === undefined ? undefined : Boolean(Number(m['live-migration-capable'])),
  };
}

export class HardwareApi {
  constructor(private readonly http: ProxmoxHttp) {}

  async pciDevices(node: string, o: { classBlacklist?: string; verbose?: boolean } = {}): Promise<PciDevice[]> {
    const items =
      (await this.http.get<PciDevice[]>(apiPath`/nodes/${node}/hardware/pci`, {
        'pci-class-blacklist': o.classBlacklist,
        verbose: o.verbose,
      })) ?? [];
    return items.map((d) => ({
      ...d,
      iommugroup: Number(d.iommugroup),
      mdev: d.mdev === undefined ? undefined : Boolean(Number(d.mdev)),
    }));
  }

  /** `pciIdOrMapping`: `0000:01:00.0` or a mapping id. */
  async mdevTypes(node: string, pciIdOrMapping: string): Promise<MdevType[]> {
    return (await this.http.get<MdevType[]>(apiPath`/nodes/${node}/hardware/pci/${pciIdOrMapping}/mdev`)) ?? [];
  }
}

export class PciMappingApi {
  constructor(private readonly http: ProxmoxHttp) {}

  async list(o: { checkNode?: string } = {}): Promise<PciMapping[]> {
    const items = (await this.http.get<RawMapping[]>('/cluster/mapping/pci', { 'check-node': o.checkNode })) ?? [];
    return items.map(normaliseMapping);
  }

  async get(id: string): Promise<PciMapping> {
    return normaliseMapping({ ...(await this.http.get<RawMapping>(`/cluster/mapping/pci/${seg(id)}`)), id });
  }

  async create(m: Omit<PciMapping, 'checks' | 'digest'>): Promise<void> {
    await this.http.post<null>('/cluster/mapping/pci', {
      id: m.id,
      map: m.map.map(formatPciMapEntry),
      mdev: m.mdev,
      'live-migration-capable': m['live-migration-capable'],
      description: m.description,
    });
  }

  async update(id: string, m: Partial<Omit<PciMapping, 'id' | 'checks'>> & { delete?: string[] }): Promise<void> {
    await this.http.put<null>(`/cluster/mapping/pci/${seg(id)}`, {
      map: m.map?.map(formatPciMapEntry),
      mdev: m.mdev,
      'live-migration-capable': m['live-migration-capable'],
      description: m.description,
      digest: m.digest,
      delete: m.delete?.join(','),
    });
  }

  async delete(id: string): Promise<void> {
    await this.http.delete<null>(`/cluster/mapping/pci/${seg(id)}`);
  }
}
