// Where a new guest goes. A simple capacity-aware choice behind the interface Harpsichord (the
// platform's placement engine) will implement: online nodes not in maintenance, enough free memory
// after what their guests already commit, then the most free memory wins.
import type { ClusterResource, ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';

export interface PlacementRequest {
  cores: number;
  memoryBytes: number;
  /** Nodes the operators put in maintenance. */
  excluded: ReadonlySet<string>;
  /** A recent read of `/cluster/resources` (cluster-snapshot.ts); absent: the policy reads it. */
  resources?: ClusterResource[];
  /** Memory (bytes) per node already handed out by placements the resources do not show yet. */
  pending?: ReadonlyMap<string, number>;
}

export interface Placement {
  node: string;
  /** One sentence a user can read: which node and why. */
  reason: string;
}

export type PlacementPolicy = (client: ProxmoxClient, request: PlacementRequest) => Promise<Placement>;

export const leastCommittedMemory: PlacementPolicy = async (client, request) => {
  const resources = request.resources ?? (await client.cluster.resources());
  const committed = new Map<string, number>(request.pending);
  for (const r of resources) {
    if ((r.type === 'qemu' || r.type === 'lxc') && r.node && !r.template)
      committed.set(r.node, (committed.get(r.node) ?? 0) + Number(r.maxmem ?? 0));
  }
  const candidates = resources
    .filter((r) => r.type === 'node' && r.status === 'online' && r.node && !request.excluded.has(r.node))
    .map((r) => ({
      node: r.node!,
      free: Number(r.maxmem ?? 0) - (committed.get(r.node!) ?? 0),
      cpus: Number(r.maxcpu ?? 0),
    }))
    .filter((c) => c.free >= request.memoryBytes && c.cpus >= request.cores)
    .sort((a, b) => b.free - a.free);
  const best = candidates[0];
  if (!best) {
    throw new Error(
      `No online node has ${Math.round(request.memoryBytes / 2 ** 20)} MiB of uncommitted memory and ${request.cores} cores; free capacity or take a node out of maintenance.`,
    );
  }
  return {
    node: best.node,
    reason: `${best.node}: online, not in maintenance, most uncommitted memory (${Math.round(best.free / 2 ** 30)} GiB) of ${candidates.length} fitting node(s).`,
  };
};
