// machineEvents(projectId): status, node and address changes of a project's machines, published by
// the lifecycle workflows (and anyone else who changes them) after the database row is written.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PubSub, Topics } from '../../realtime/pubsub.js';
import { Machine, type MachineStatus } from '../machine/machine.entity.js';

export type MachineEventPayload = Topics['machineEvents'];

/** The status a deleted machine's last event carries (no row is left to read). */
export const DELETED = 'DELETED';

export function machineEvent(
  machine: Machine,
  status: MachineStatus | typeof DELETED = machine.status,
): MachineEventPayload {
  return {
    machineId: machine.id,
    projectId: machine.project.id,
    status,
    node: machine.node?.name ?? null,
    ipAddresses: [...machine.ipAddresses],
    at: new Date().toISOString(),
  };
}

export function publishMachineEvent(pubsub: PubSub, event: MachineEventPayload): Promise<void> {
  return pubsub.publish('machineEvents', event.projectId, event);
}

export interface MachinePatch {
  status?: MachineStatus;
  node?: Machine['node'];
  ipAddresses?: string[];
}

/**
 * Writes the patch to the machine's row and publishes an event when status, node or addresses
 * changed. Returns the machine (null when the row is gone).
 */
export async function updateMachine(
  em: EntityManager,
  pubsub: PubSub,
  machineId: string,
  patch: MachinePatch,
): Promise<Machine | null> {
  const fork = em.fork();
  const machine = await fork.findOne(Machine, { id: machineId }, { populate: ['node'] });
  if (!machine) return null;
  const before = JSON.stringify([machine.status, machine.node?.id ?? null, machine.ipAddresses]);
  if (patch.status !== undefined) machine.status = patch.status;
  if (patch.node !== undefined) machine.node = patch.node;
  if (patch.ipAddresses !== undefined) machine.ipAddresses = patch.ipAddresses;
  await fork.flush();
  if (JSON.stringify([machine.status, machine.node?.id ?? null, machine.ipAddresses]) !== before) {
    await publishMachineEvent(pubsub, machineEvent(machine));
  }
  return machine;
}

/** Live events of a project's machines, while `stillAllowed()` holds (checked on every event). */
export async function* machineEventStream(
  pubsub: PubSub,
  projectId: string,
  stillAllowed: () => boolean | Promise<boolean>,
): AsyncGenerator<MachineEventPayload> {
  const live = await pubsub.subscribe('machineEvents', projectId);
  try {
    for await (const event of live) {
      if (!(await stillAllowed())) return;
      yield event;
    }
  } finally {
    await live.return();
  }
}
