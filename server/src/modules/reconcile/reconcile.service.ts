// Keeps the database honest about what Proxmox runs. Each pass reads a cluster's
// /cluster/resources once and compares it with the cluster's machines:
//  - a guest stopped, started or migrated outside the platform: the machine's status or node follows;
//  - a machine whose guest vanished: MISSING (and back to the guest's status if it reappears);
//  - a guest tagged `pvepaas` (every provisioned guest is) with no machine row: an orphan.
// Orphans are not stored: they are logged on each pass and computed on demand by the admin query
// `orphanGuests(clusterId)`, so the answer is never staler than one /cluster/resources call and
// needs no table. Machines with a job in flight are left to their job.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClusterResource, ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import type { Logger } from '../../logger.js';
import type { PubSub } from '../../realtime/pubsub.js';
import { Node } from '../cluster/node.entity.js';
import { Job } from '../job/job.entity.js';
import { FINAL_STATES } from '../job/job.service.js';
import { Machine, MachineStatus } from '../machine/machine.entity.js';

/** The tag the provision workflow puts on every guest it creates. */
export const PLATFORM_TAG = 'pvepaas';

/** Statuses the reconciler owns; the others (PENDING, PROVISIONING, FAILED, DELETING) belong to jobs. */
const OBSERVED = new Set<MachineStatus>([
  MachineStatus.RUNNING,
  MachineStatus.STOPPED,
  MachineStatus.SUSPENDED,
  MachineStatus.MISSING,
]);

export interface OrphanGuest {
  vmid: number;
  type: 'qemu' | 'lxc';
  node: string;
  name: string | null;
  status: string;
  tags: string[];
}

export interface ReconcileReport {
  clusterId: string;
  /** Machines whose status or node changed in this pass. */
  changed: {
    machineId: string;
    vmid: number;
    from: { status: MachineStatus; node: string | null };
    to: { status: MachineStatus; node: string | null };
  }[];
  orphans: OrphanGuest[];
}

type Guest = ClusterResource & { vmid: number; node: string; type: 'qemu' | 'lxc' };

const guestsOf = (resources: ClusterResource[]): Guest[] =>
  resources.filter(
    (r): r is Guest => (r.type === 'qemu' || r.type === 'lxc') && r.vmid !== undefined && !!r.node && !r.template,
  );

const tagsOf = (g: ClusterResource): string[] => (g.tags ?? '').split(/[;,\s]+/).filter(Boolean);

/** Proxmox's guest status as a machine status (`paused`/`suspended` → SUSPENDED). */
export function statusOf(guest: ClusterResource): MachineStatus {
  if (guest.status === 'running') return MachineStatus.RUNNING;
  if (guest.status === 'stopped') return MachineStatus.STOPPED;
  return MachineStatus.SUSPENDED;
}

/** Guests tagged `pvepaas` on the cluster that no machine row (of any status) claims. */
export async function findOrphans(
  em: EntityManager,
  clusterId: string,
  resources: ClusterResource[],
): Promise<OrphanGuest[]> {
  const tagged = guestsOf(resources).filter((g) => tagsOf(g).includes(PLATFORM_TAG));
  if (tagged.length === 0) return [];
  const claimed = await em.find(
    Machine,
    { cluster: clusterId, vmid: { $in: tagged.map((g) => g.vmid) } },
    { fields: ['vmid'] },
  );
  const known = new Set(claimed.map((m) => m.vmid));
  return tagged
    .filter((g) => !known.has(g.vmid))
    .map((g) => ({
      vmid: g.vmid,
      type: g.type,
      node: g.node,
      name: g.name ?? null,
      status: g.status ?? 'unknown',
      tags: tagsOf(g),
    }))
    .sort((a, b) => a.vmid - b.vmid);
}

export interface ReconcileDeps {
  em: EntityManager;
  pubsub: PubSub;
  log: Logger;
}

/** One pass over one cluster. Writes only what changed; publishes each change on `machineEvents`. */
export async function reconcileCluster(
  deps: ReconcileDeps,
  clusterId: string,
  client: ProxmoxClient,
): Promise<ReconcileReport> {
  const em = deps.em.fork();
  const resources = await client.cluster.resources();
  const guests = new Map(guestsOf(resources).map((g) => [g.vmid, g]));
  const machines = await em.find(
    Machine,
    { cluster: clusterId, vmid: { $ne: null }, status: { $in: [...OBSERVED] } },
    { populate: ['node'], orderBy: { vmid: 'asc' } },
  );
  // A job may be changing the machine right now (start, stop, migrate): its result wins.
  const busy = new Set(
    (
      await em.find(
        Job,
        { machine: { $in: machines.map((m) => m.id) }, status: { $nin: [...FINAL_STATES] } },
        { fields: ['machine'] },
      )
    ).map((j) => j.machine?.id),
  );
  const nodes = new Map((await em.find(Node, { cluster: clusterId })).map((n) => [n.name, n]));
  const report: ReconcileReport = { clusterId, changed: [], orphans: [] };
  const updates: { machine: Machine; status: MachineStatus; node: Node | null }[] = [];
  for (const machine of machines) {
    if (busy.has(machine.id)) continue;
    const guest = guests.get(machine.vmid!);
    const status = guest ? statusOf(guest) : MachineStatus.MISSING;
    let node = machine.node ?? null;
    if (guest && guest.node !== node?.name) {
      node = nodes.get(guest.node) ?? em.create(Node, { cluster: clusterId, name: guest.node, status: 'online' });
      nodes.set(guest.node, node);
    }
    if (status !== machine.status || node !== (machine.node ?? null)) updates.push({ machine, status, node });
  }
  report.orphans = await findOrphans(em, clusterId, resources);
  for (const o of report.orphans)
    deps.log.warn({ clusterId, ...o }, 'orphan guest: tagged pvepaas but no machine claims it');
  if (updates.length === 0) return report;
  // New nodes only; machines are updated below, each on the condition that nobody changed it since
  // it was read (a job that began during this pass keeps its own status).
  await em.flush();
  const at = new Date().toISOString();
  for (const { machine, status, node } of updates) {
    const from = { status: machine.status, node: machine.node?.name ?? null };
    const to = { status, node: node?.name ?? null };
    const where = { id: machine.id, status: machine.status, node: machine.node?.id ?? null };
    if ((await em.nativeUpdate(Machine, where, { status, node: node?.id ?? null })) === 0) continue;
    report.changed.push({ machineId: machine.id, vmid: machine.vmid!, from, to });
    deps.log.info(
      { clusterId, machineId: machine.id, vmid: machine.vmid, from, to },
      'machine changed outside the platform',
    );
    await deps.pubsub.publish('machineEvents', machine.project.id, {
      machineId: machine.id,
      projectId: machine.project.id,
      status,
      node: to.node,
      ipAddresses: machine.ipAddresses,
      at,
    });
  }
  return report;
}
