// A project's changed firewallRules reach the guests it already has: each provisioned machine's
// firewall gets exactly the new rules, through the Proxmox client (machines provisioned later get
// them in their isolate step).
import type { Context } from '../../graphql/context.js';
import { clusterClients } from '../lifecycle/lifecycle.service.js';
import { Machine, MachineStatus } from '../machine/machine.entity.js';
import type { Project } from '../project/project.entity.js';
import { MachineKind } from '../template/template.entity.js';
import { applyFirewall } from './tenancy.service.js';

const ON_PROXMOX = [MachineStatus.RUNNING, MachineStatus.STOPPED, MachineStatus.SUSPENDED];

/** Applies the project's rules to each of its guests; returns the machines it could not reach, with why. */
export async function pushProjectFirewall(ctx: Context, project: Project): Promise<string[]> {
  const machines = await ctx.em.find(Machine, {
    project: project.id,
    vmid: { $ne: null },
    cluster: { $ne: null },
    status: { $in: ON_PROXMOX },
  });
  const failed: string[] = [];
  for (const machine of machines) {
    try {
      const client = await clusterClients(ctx).get(machine.cluster!.id);
      const guest = await client.cluster.findGuest(machine.vmid!);
      if (!guest) throw new Error('no guest on the cluster');
      const kind = machine.kind === MachineKind.VM ? 'qemu' : 'lxc';
      await applyFirewall(client, { kind, node: guest.node, vmid: machine.vmid! }, project.firewallRules);
    } catch (err) {
      ctx.log.warn({ err, machineId: machine.id }, 'could not apply the project firewall rules to a machine');
      failed.push(`${machine.name} (${(err as Error).message})`);
    }
  }
  return failed;
}
