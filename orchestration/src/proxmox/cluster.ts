// Version, nodes and cluster-wide reads (README §4.2).
import { ProxmoxParameterError } from './errors.js';
import { apiPath, type ProxmoxHttp } from './http.js';

export interface VersionInfo {
  version: string;
  release: string;
  repoid: string;
  console?: string;
}

export interface NodeListItem {
  node: string;
  status: 'unknown' | 'online' | 'offline';
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
  level?: string;
  ssl_fingerprint?: string;
}

export interface NodeStatus {
  cpu: number;
  cpuinfo: { cores: number; cpus: number; model: string; sockets: number; [k: string]: unknown };
  memory: { total: number; used: number; free: number; available?: number };
  rootfs: { total: number; used: number; free: number; avail: number };
  swap?: { total: number; used: number; free: number };
  loadavg: string[];
  pveversion: string;
  kversion?: string;
  uptime?: number;
  wait?: number;
  [k: string]: unknown;
}

export type ResourceType = 'vm' | 'storage' | 'node' | 'sdn';

export interface ClusterResource {
  /** `qemu/100`, `lxc/101`, `node/pve1`, `storage/pve1/local`, `sdn/pve1/localnetwork`. */
  id: string;
  type: 'node' | 'storage' | 'pool' | 'qemu' | 'lxc' | 'openvz' | 'sdn' | 'network';
  node?: string;
  vmid?: number;
  name?: string;
  status?: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  netin?: number;
  netout?: number;
  uptime?: number;
  template?: boolean;
  tags?: string;
  pool?: string;
  lock?: string;
  hastate?: string;
  storage?: string;
  plugintype?: string;
  content?: string;
  shared?: boolean;
  sdn?: string;
  [k: string]: unknown;
}

export interface ClusterStatusItem {
  type: 'cluster' | 'node';
  id: string;
  name: string;
  nodeid?: number;
  ip?: string;
  online?: number;
  local?: number;
  quorate?: number;
  nodes?: number;
  version?: number;
}

export type NodeRrdTimeframe = 'hour' | 'day' | 'week' | 'month' | 'year' | 'decade';

export function parseVersion(v: VersionInfo): { major: number; minor: number } {
  const m = /^(\d+)\.(\d+)/.exec(v.version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : { major: 0, minor: 0 };
}

export class ClusterApi {
  constructor(
    private readonly http: ProxmoxHttp,
    private readonly versionGate: (feature: string, major: number) => Promise<void> = async () => undefined,
  ) {}

  version(): Promise<VersionInfo> {
    return this.http.get<VersionInfo>('/version');
  }

  async nodes(): Promise<NodeListItem[]> {
    return (await this.http.get<NodeListItem[]>('/nodes')) ?? [];
  }

  nodeStatus(node: string): Promise<NodeStatus> {
    return this.http.get<NodeStatus>(apiPath`/nodes/${node}/status`);
  }

  /** `decade` needs PVE 9 (refused with NOT_IMPLEMENTED on 8.x before sending). */
  async nodeRrddata(
    node: string,
    timeframe: NodeRrdTimeframe,
    cf: 'AVERAGE' | 'MAX' = 'AVERAGE',
  ): Promise<({ time: number } & Record<string, number>)[]> {
    if (timeframe === 'decade') await this.versionGate("RRD timeframe 'decade'", 9);
    return (await this.http.get(apiPath`/nodes/${node}/rrddata`, { timeframe, cf })) ?? [];
  }

  async resources(type?: ResourceType): Promise<ClusterResource[]> {
    const items = (await this.http.get<ClusterResource[]>('/cluster/resources', { type })) ?? [];
    return items.map((r) => ({
      ...r,
      vmid: r.vmid === undefined ? undefined : Number(r.vmid),
      template: r.template === undefined ? undefined : Boolean(Number(r.template)),
      shared: r.shared === undefined ? undefined : Boolean(Number(r.shared)),
    }));
  }

  /**
   * Where a guest lives now (node and qemu/lxc), from /cluster/resources; undefined if no such guest.
   * Guest calls on the wrong node answer NOT_FOUND, and guests move (migration, HA).
   */
  async findGuest(vmid: number): Promise<(ClusterResource & { node: string; type: 'qemu' | 'lxc' }) | undefined> {
    const found = (await this.resources('vm')).find((r) => r.vmid === vmid && (r.type === 'qemu' || r.type === 'lxc'));
    return found as (ClusterResource & { node: string; type: 'qemu' | 'lxc' }) | undefined;
  }

  async status(): Promise<ClusterStatusItem[]> {
    return (await this.http.get<ClusterStatusItem[]>('/cluster/status')) ?? [];
  }

  /** The next free VM id (Proxmox sends it as a string). */
  async nextId(): Promise<number> {
    return Number(await this.http.get<string | number>('/cluster/nextid'));
  }

  /** Whether `vmid` is free: Proxmox answers 400 `errors.vmid = "VM <id> already exists"` if not. */
  async isVmidFree(vmid: number): Promise<boolean> {
    try {
      await this.http.get('/cluster/nextid', { vmid });
      return true;
    } catch (e) {
      if (e instanceof ProxmoxParameterError && e.errors.vmid) return false;
      throw e;
    }
  }
}
