// The contract between the metrics collector and whatever consumes its samples (storage, live
// publication, alert evaluation, self-monitoring). Everything here is plain data: a sample crosses
// process boundaries (Redis, job payloads) as JSON.

/** What a sample describes: a guest (VM or container), a Proxmox node, or a storage on a node. */
export type MetricKind = 'machine' | 'node' | 'storage';

/**
 * One observation of one resource at one instant. Rates are bytes per second over the interval
 * since the previous observation (the collector derives them from Proxmox's cumulative counters);
 * gauges are as Proxmox reported them. A metric Proxmox did not report is 0, never absent, so a
 * consumer can sum samples without guarding.
 */
export interface MetricSample {
  /** When the collector read the value (ISO-8601, UTC). */
  ts: string;
  kind: MetricKind;
  /** The platform's cluster id (not the Proxmox cluster name). */
  clusterId: string;
  /** Proxmox node the resource is on (for a node sample: the node itself). */
  node: string;
  /** Guest id, for `kind: 'machine'`. */
  vmid?: number;
  /** Storage id, for `kind: 'storage'`. */
  storage?: string;
  /** CPU use as a fraction of the resource's CPUs (0..1). 0 for storages. */
  cpu: number;
  /** CPUs of the resource (Proxmox's `maxcpu`): with `cpu`, the cores in use; with time, core-hours. */
  cpus: number;
  memUsed: number;
  memTotal: number;
  netInBps: number;
  netOutBps: number;
  diskReadBps: number;
  diskWriteBps: number;
  /** Bytes used / available on the root disk (guests, nodes) or the storage. */
  diskUsed: number;
  diskTotal: number;
  /** Proxmox's status string: running, stopped, online, offline, available, unknown, ... */
  status: string;
}

/**
 * Called by the collector once per cluster and tick, after the tick's samples are written (so a
 * listener may read them back from the database). A listener that throws is logged and does not
 * stop collection or the other listeners.
 */
export type CollectionListener = (clusterId: string, samples: MetricSample[], at: Date) => Promise<void>;
