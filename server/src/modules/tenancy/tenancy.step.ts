// The provisioning step that isolates a just-created guest (tenancy.service.ts): between create
// and start, so the guest never runs outside its project's pool, VNet and firewall.
import type { EntityManager } from '@mikro-orm/postgresql';
import { StepError, type Step } from '../../jobs/runner.js';
import type { JobCheckpoint } from '../job/job.entity.js';
import { Machine } from '../machine/machine.entity.js';
import type { ClusterClients } from '../provision/cluster-clients.js';
import { MachineKind } from '../template/template.entity.js';
import { ensureProjectIsolation, isolateGuest, TenancyError } from './tenancy.service.js';

interface IsolateCheckpoint extends JobCheckpoint {
  node?: string;
  vmid?: number;
}

export function isolateStep<C extends IsolateCheckpoint>(deps: {
  em: EntityManager;
  clusters: ClusterClients;
}): Step<C> {
  return {
    name: 'isolate',
    weight: 1,
    timeoutMs: 3 * 60_000,
    async run(ctx) {
      const em = deps.em.fork();
      const machine = await em.findOneOrFail(Machine, { id: ctx.job.machine!.id }, { populate: ['project'] });
      const client = await deps.clusters.get(machine.cluster!.id);
      let isolation;
      try {
        isolation = await ensureProjectIsolation(client, machine.project.id);
      } catch (err) {
        if (err instanceof TenancyError) throw new StepError('ISOLATION_FAILED', err.message);
        throw err;
      }
      const rules = machine.project.firewallRules ?? [];
      await isolateGuest(
        client,
        {
          kind: machine.kind === MachineKind.VM ? 'qemu' : 'lxc',
          node: ctx.checkpoint.node!,
          vmid: ctx.checkpoint.vmid!,
        },
        isolation,
        rules,
      );
      await ctx.progress(
        1,
        `In pool ${isolation.pool} on VNet ${isolation.vnet}; firewall on, inbound closed except ${rules.length} opened port(s)`,
      );
    },
  };
}
