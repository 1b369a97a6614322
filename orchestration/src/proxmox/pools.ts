// Resource pools, 8.1+ style (`/pools?poolid=`), README §4.8.
import type { ProxmoxHttp } from './http.js';

export interface PoolMember {
  id: string;
  node: string;
  type: 'qemu' | 'lxc' | 'openvz' | 'storage';
  vmid?: number;
  storage?: string;
  [k: string]: unknown;
}

export interface Pool {
  poolid: string;
  comment?: string;
  members?: PoolMember[];
}

export class PoolApi {
  constructor(private readonly http: ProxmoxHttp) {}

  async list(o: { poolid?: string; type?: 'qemu' | 'lxc' | 'storage' } = {}): Promise<Pool[]> {
    return (await this.http.get<Pool[]>('/pools', { ...o })) ?? [];
  }

  async get(poolid: string): Promise<Pool | undefined> {
    return (await this.list({ poolid }))[0];
  }

  async create(poolid: string, comment?: string): Promise<void> {
    await this.http.post<null>('/pools', { poolid, comment });
  }

  /** Adds (or with `remove`, removes) guests and storages. `allowMove` moves guests out of other pools. */
  async update(
    poolid: string,
    o: { vms?: number[]; storage?: string[]; comment?: string; remove?: boolean; allowMove?: boolean },
  ): Promise<void> {
    await this.http.put<null>('/pools', {
      poolid,
      vms: o.vms?.join(','),
      storage: o.storage?.join(','),
      comment: o.comment,
      delete: o.remove,
      'allow-move': o.allowMove,
    });
  }

  async delete(poolid: string): Promise<void> {
    await this.http.delete<null>('/pools', { poolid });
  }
}
