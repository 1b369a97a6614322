// One recent read of a cluster's `/cluster/resources` and `/cluster/nextid`, shared by the jobs a
// worker runs at once: placement, the VMID reservation and the template's location used to read
// them three times per job (bench/provision: 5 of a provision's 27 Proxmox calls). What each
// reader needs from it tolerates an age of a second or two:
// - placement counts the memory it hands out from a snapshot (`placed`), so jobs placed from the
//   same read do not all see the same free memory;
// - the reserve step checks its candidate with Proxmox (`isVmidFree`) and the database's unique
//   (cluster, vmid), and skips the ids the platform's machines hold, read from the database, and
//   those the worker's other jobs tried from the same read (`tried`: they would only collide);
// - a template that moved since the read makes the clone fail, and the create step reads again.
import type { ClusterResource, ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';

/** How long a read serves the next jobs. */
export const SNAPSHOT_MAX_AGE_MS = 2_000;

export interface ClusterSnapshot {
  resources: ClusterResource[];
  /** Proxmox's next free VMID when read: the floor of the reserve step's candidates. */
  nextId: number;
  /** Memory (bytes) placed on each node from this read, by jobs whose guests it does not show yet. */
  placed: Map<string, number>;
  /** VMIDs the reserve steps of this process tried from this read: the next ones start past them. */
  tried: Set<number>;
}

const snapshots = new WeakMap<ProxmoxClient, { at: number; value: Promise<ClusterSnapshot> }>();

/** A read at most `maxAgeMs` old, or a new one (concurrent callers share it). */
export function recentSnapshot(client: ProxmoxClient, maxAgeMs = SNAPSHOT_MAX_AGE_MS): Promise<ClusterSnapshot> {
  const cached = snapshots.get(client);
  if (cached && Date.now() - cached.at <= maxAgeMs) return cached.value;
  const value = Promise.all([client.cluster.resources(), client.cluster.nextId()]).then(([resources, nextId]) => ({
    resources,
    nextId,
    placed: new Map<string, number>(),
    tried: new Set<number>(),
  }));
  const entry = { at: Date.now(), value };
  snapshots.set(client, entry);
  // A failed read is not kept: the next caller reads again.
  value.catch(() => {
    if (snapshots.get(client) === entry) snapshots.delete(client);
  });
  return value;
}

/** Forgets the client's read (the next caller reads again), e.g. when it proved out of date. */
export function forgetSnapshot(client: ProxmoxClient): void {
  snapshots.delete(client);
}

/** The guest with `vmid` in the snapshot (qemu or lxc), like ClusterApi.findGuest. */
export function guestIn(
  snapshot: ClusterSnapshot,
  vmid: number,
): (ClusterResource & { node: string; type: 'qemu' | 'lxc' }) | undefined {
  return snapshot.resources.find((r) => r.vmid === vmid && (r.type === 'qemu' || r.type === 'lxc')) as
    (ClusterResource & { node: string; type: 'qemu' | 'lxc' }) | undefined;
}
