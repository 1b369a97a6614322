// One ProxmoxClient per cluster, built on first use from a record the caller's loader returns (the
// database layer lives elsewhere). A changed record (rotated secret, new fingerprint) rebuilds it.
import type { ProxmoxClientOptions } from './client.js';
import { ProxmoxClient } from './client.js';
import { ProxmoxError } from './errors.js';

export interface ClusterRecord {
  id: string;
  /** `https://host:8006` */
  url: string;
  /** `user@realm!tokenname` */
  tokenId: string;
  tokenSecret: string;
  fingerprint?: string;
  caPem?: string;
  insecureSkipVerify?: boolean;
}

export type ClusterLoader = (id: string) => Promise<ClusterRecord | undefined>;

export type ClientDefaults = Omit<ProxmoxClientOptions, 'url' | 'auth' | 'tls'>;

function recordKey(r: ClusterRecord): string {
  return JSON.stringify([r.url, r.tokenId, r.tokenSecret, r.fingerprint, r.caPem, r.insecureSkipVerify]);
}

export class ClusterRegistry {
  private readonly clients = new Map<string, { key: string; client: ProxmoxClient }>();
  private readonly pending = new Map<string, Promise<ProxmoxClient>>();

  constructor(
    private readonly loader: ClusterLoader,
    private readonly defaults: ClientDefaults = {},
  ) {}

  /** The cached client for a cluster; loads the record and builds the client on first use. */
  get(clusterId: string): Promise<ProxmoxClient> {
    const cached = this.clients.get(clusterId);
    if (cached) return Promise.resolve(cached.client);
    let p = this.pending.get(clusterId);
    if (!p) {
      p = this.build(clusterId).finally(() => this.pending.delete(clusterId));
      this.pending.set(clusterId, p);
    }
    return p;
  }

  /** Re-reads the record; rebuilds the client only if the record changed. */
  async refresh(clusterId: string): Promise<ProxmoxClient> {
    const record = await this.load(clusterId);
    const cached = this.clients.get(clusterId);
    if (cached && cached.key === recordKey(record)) return cached.client;
    this.evict(clusterId);
    return this.install(record);
  }

  /** Drops a cluster's client (e.g. after the record was deleted). */
  evict(clusterId: string): void {
    this.clients.get(clusterId)?.client.close();
    this.clients.delete(clusterId);
  }

  close(): void {
    for (const id of [...this.clients.keys()]) this.evict(id);
  }

  private async build(clusterId: string): Promise<ProxmoxClient> {
    return this.install(await this.load(clusterId));
  }

  private async load(clusterId: string): Promise<ClusterRecord> {
    const record = await this.loader(clusterId);
    if (!record) throw ProxmoxError.notFound(`cluster '${clusterId}' is not registered`);
    return record;
  }

  private install(record: ClusterRecord): ProxmoxClient {
    const client = new ProxmoxClient({
      ...this.defaults,
      url: record.url,
      auth: { type: 'token', tokenId: record.tokenId, secret: record.tokenSecret },
      tls: { fingerprint: record.fingerprint, caPem: record.caPem, insecureSkipVerify: record.insecureSkipVerify },
    });
    this.clients.set(record.id, { key: recordKey(record), client });
    return client;
  }
}
