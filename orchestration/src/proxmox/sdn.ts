// SDN zones, vnets and subnets (README §4.8). Writes only change the *pending* SDN config; apply()
// (PUT /cluster/sdn) rolls it out and returns a UPID. `lock-token` exists on PVE 9 only.
import { seg, type Params, type ProxmoxHttp } from './http.js';
import type { VersionGate } from './guests.js';

export type SdnZoneType = 'evpn' | 'faucet' | 'qinq' | 'simple' | 'vlan' | 'vxlan';

export interface SdnZone {
  zone: string;
  type: SdnZoneType;
  bridge?: string;
  mtu?: number;
  nodes?: string;
  ipam?: string;
  dhcp?: 'dnsmasq';
  pending?: Record<string, unknown>;
  state?: string;
  digest?: string;
  [k: string]: unknown;
}

export interface SdnZoneInput {
  zone: string;
  type: SdnZoneType;
  bridge?: string;
  mtu?: number;
  nodes?: string[];
  ipam?: string;
  dhcp?: 'dnsmasq';
  tag?: number;
  peers?: string[];
  extra?: Params;
}

export interface SdnVnet {
  vnet: string;
  zone?: string;
  type?: string;
  tag?: number;
  alias?: string;
  vlanaware?: boolean | number;
  'isolate-ports'?: boolean | number;
  state?: string;
  pending?: Record<string, unknown>;
  digest?: string;
}

export interface SdnVnetInput {
  vnet: string;
  zone: string;
  tag?: number;
  alias?: string;
  vlanaware?: boolean;
  isolatePorts?: boolean;
}

export interface SdnSubnet {
  /** The object id, e.g. `zone1-10.0.0.0-24`. */
  subnet: string;
  cidr?: string;
  network?: string;
  mask?: string;
  vnet?: string;
  zone?: string;
  gateway?: string;
  snat?: number | boolean;
  'dhcp-range'?: unknown[];
  type?: 'subnet';
  digest?: string;
  [k: string]: unknown;
}

export interface SdnSubnetInput {
  /** CIDR, e.g. `10.0.0.0/24`. */
  subnet: string;
  gateway?: string;
  snat?: boolean;
  dhcpRange?: { start: string; end: string }[];
  dhcpDnsServer?: string;
  dnszoneprefix?: string;
}

export interface SdnWriteOptions {
  /** PVE 9: the token from a global SDN lock. */
  lockToken?: string;
}

/** SDN subnet object ids replace the `/` of the CIDR with `-`, prefixed by the zone. */
export function sdnSubnetId(zone: string, cidr: string): string {
  return `${zone}-${cidr.replace('/', '-')}`;
}

export class SdnApi {
  constructor(
    private readonly http: ProxmoxHttp,
    private readonly versionGate: VersionGate,
  ) {}

  private async lock(o: SdnWriteOptions): Promise<Params> {
    if (o.lockToken === undefined) return {};
    await this.versionGate('SDN lock-token', 9);
    return { 'lock-token': o.lockToken };
  }

  async zones(o: { type?: SdnZoneType; pending?: boolean; running?: boolean } = {}): Promise<SdnZone[]> {
    return (await this.http.get<SdnZone[]>('/cluster/sdn/zones', { ...o })) ?? [];
  }

  async createZone(z: SdnZoneInput, o: SdnWriteOptions = {}): Promise<void> {
    await this.http.post<null>('/cluster/sdn/zones', {
      zone: z.zone,
      type: z.type,
      bridge: z.bridge,
      mtu: z.mtu,
      nodes: z.nodes?.join(','),
      ipam: z.ipam,
      dhcp: z.dhcp,
      tag: z.tag,
      peers: z.peers?.join(','),
      ...z.extra,
      ...(await this.lock(o)),
    });
  }

  async deleteZone(zone: string, o: SdnWriteOptions = {}): Promise<void> {
    await this.http.delete<null>(`/cluster/sdn/zones/${seg(zone)}`, await this.lock(o));
  }

  async vnets(o: { pending?: boolean; running?: boolean } = {}): Promise<SdnVnet[]> {
    return (await this.http.get<SdnVnet[]>('/cluster/sdn/vnets', { ...o })) ?? [];
  }

  async createVnet(v: SdnVnetInput, o: SdnWriteOptions = {}): Promise<void> {
    await this.http.post<null>('/cluster/sdn/vnets', {
      vnet: v.vnet,
      zone: v.zone,
      tag: v.tag,
      alias: v.alias,
      vlanaware: v.vlanaware,
      'isolate-ports': v.isolatePorts,
      ...(await this.lock(o)),
    });
  }

  async updateVnet(
    vnet: string,
    v: Partial<Omit<SdnVnetInput, 'vnet'>> & { delete?: string[] },
    o: SdnWriteOptions = {},
  ): Promise<void> {
    await this.http.put<null>(`/cluster/sdn/vnets/${seg(vnet)}`, {
      zone: v.zone,
      tag: v.tag,
      alias: v.alias,
      vlanaware: v.vlanaware,
      'isolate-ports': v.isolatePorts,
      delete: v.delete?.join(','),
      ...(await this.lock(o)),
    });
  }

  async deleteVnet(vnet: string, o: SdnWriteOptions = {}): Promise<void> {
    await this.http.delete<null>(`/cluster/sdn/vnets/${seg(vnet)}`, await this.lock(o));
  }

  async subnets(vnet: string, o: { pending?: boolean; running?: boolean } = {}): Promise<SdnSubnet[]> {
    return (await this.http.get<SdnSubnet[]>(`/cluster/sdn/vnets/${seg(vnet)}/subnets`, { ...o })) ?? [];
  }

  async createSubnet(vnet: string, s: SdnSubnetInput, o: SdnWriteOptions = {}): Promise<void> {
    await this.http.post<null>(`/cluster/sdn/vnets/${seg(vnet)}/subnets`, {
      subnet: s.subnet,
      type: 'subnet',
      gateway: s.gateway,
      snat: s.snat,
      'dhcp-range': s.dhcpRange?.map((r) => `start-address=${r.start},end-address=${r.end}`),
      'dhcp-dns-server': s.dhcpDnsServer,
      dnszoneprefix: s.dnszoneprefix,
      ...(await this.lock(o)),
    });
  }

  /** `subnetId`: the object id (see sdnSubnetId), not the CIDR. */
  async deleteSubnet(vnet: string, subnetId: string, o: SdnWriteOptions = {}): Promise<void> {
    await this.http.delete<null>(`/cluster/sdn/vnets/${seg(vnet)}/subnets/${seg(subnetId)}`, await this.lock(o));
  }

  /** Applies the pending SDN configuration cluster-wide; returns the reload task's UPID. */
  async apply(o: SdnWriteOptions & { releaseLock?: boolean } = {}): Promise<string> {
    const lock = await this.lock(o);
    if (o.releaseLock !== undefined) await this.versionGate('SDN release-lock', 9);
    return this.http.put<string>('/cluster/sdn', { ...lock, 'release-lock': o.releaseLock });
  }
}
