// Storage and Ceph reads (README §4.5, §4.6).
import { apiPath, type ProxmoxHttp } from './http.js';

export type StorageContentType = 'images' | 'rootdir' | 'vztmpl' | 'iso' | 'backup' | 'snippets' | 'import';

export interface StorageConfig {
  storage: string;
  type: string;
  content?: string;
  shared?: number;
  disable?: number;
  nodes?: string;
  [k: string]: unknown;
}

export interface NodeStorage {
  storage: string;
  type: string;
  content: string;
  active?: boolean;
  enabled?: boolean;
  shared?: boolean;
  total?: number;
  used?: number;
  avail?: number;
  used_fraction?: number;
}

export interface StorageContentItem {
  volid: string;
  format: string;
  size: number;
  content?: string;
  used?: number;
  vmid?: number;
  ctime?: number;
  notes?: string;
  protected?: boolean;
  parent?: string;
}

const bool = (v: unknown) => (v === undefined ? undefined : Boolean(Number(v)));

export class StorageApi {
  constructor(private readonly http: ProxmoxHttp) {}

  /** The datacenter storage configuration. */
  async listConfig(type?: string): Promise<StorageConfig[]> {
    return (await this.http.get<StorageConfig[]>('/storage', { type })) ?? [];
  }

  /** Storages as seen by one node, with usage. */
  async list(
    node: string,
    filter: { content?: StorageContentType; enabled?: boolean; storage?: string; target?: string } = {},
  ): Promise<NodeStorage[]> {
    const items = (await this.http.get<NodeStorage[]>(apiPath`/nodes/${node}/storage`, { ...filter })) ?? [];
    return items.map((s) => ({ ...s, active: bool(s.active), enabled: bool(s.enabled), shared: bool(s.shared) }));
  }

  async content(
    node: string,
    storage: string,
    filter: { content?: StorageContentType; vmid?: number } = {},
  ): Promise<StorageContentItem[]> {
    const items =
      (await this.http.get<StorageContentItem[]>(apiPath`/nodes/${node}/storage/${storage}/content`, { ...filter })) ??
      [];
    return items.map((i) => ({
      ...i,
      vmid: i.vmid === undefined ? undefined : Number(i.vmid),
      protected: bool(i.protected),
    }));
  }
}

export interface CephPool {
  pool: number;
  pool_name: string;
  size: number;
  min_size: number;
  pg_num: number;
  crush_rule: number;
  crush_rule_name: string;
  percent_used: number;
  bytes_used: number;
  type: string;
  pg_autoscale_mode?: string;
  [k: string]: unknown;
}

export interface CephOsdTree {
  root: { children?: unknown[]; [k: string]: unknown };
  flags?: string;
}

export class CephApi {
  constructor(private readonly http: ProxmoxHttp) {}

  /** The raw `ceph status` JSON (health, monmap, pgmap, ...). */
  status(node?: string): Promise<Record<string, unknown>> {
    return this.http.get(node ? apiPath`/nodes/${node}/ceph/status` : '/cluster/ceph/status');
  }

  osds(node: string): Promise<CephOsdTree> {
    return this.http.get<CephOsdTree>(apiPath`/nodes/${node}/ceph/osd`);
  }

  async pools(node: string): Promise<CephPool[]> {
    return (await this.http.get<CephPool[]>(apiPath`/nodes/${node}/ceph/pool`)) ?? [];
  }
}
