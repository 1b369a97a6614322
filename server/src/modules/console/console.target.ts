// Which Proxmox guest a machine is, and whether a console can open on it now.
import type { ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import { DomainError } from '../../errors/domain-error.js';
import type { Machine } from '../machine/machine.entity.js';
import { MachineKind } from '../template/template.entity.js';

export interface Guest {
  type: 'qemu' | 'lxc';
  node: string;
  vmid: number;
}

export const ConsoleErrors = {
  notProvisioned: (name: string, status: string) =>
    new DomainError(
      'CONFLICT',
      `Machine ${name} has no guest on Proxmox yet (status ${status}); open its console once it runs.`,
    ),
  stopped: (name: string, status: string) =>
    new DomainError('CONFLICT', `Machine ${name} is ${status} on Proxmox: start it, then open its console.`, {
      guestStatus: status,
    }),
};

/** The guest behind a machine, or CONFLICT when it has none yet. `node` must be populated. */
export function guestOf(machine: Machine): Guest {
  if (!machine.cluster || !machine.node || machine.vmid == null)
    throw ConsoleErrors.notProvisioned(machine.name, machine.status);
  return { type: machine.kind === MachineKind.LXC ? 'lxc' : 'qemu', node: machine.node.name, vmid: machine.vmid };
}

/**
 * Proxmox's word on the guest's state, not the platform's row (which lags): vncproxy on a stopped
 * guest answers 200 and only its task fails, so this is the one place the browser learns why.
 */
export async function requireRunning(client: ProxmoxClient, guest: Guest, name: string): Promise<void> {
  const status = await client[guest.type].status(guest.node, guest.vmid);
  if (status.status !== 'running') throw ConsoleErrors.stopped(name, status.status);
}
