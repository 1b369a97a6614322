// The provisioning step that isolates a just-created guest (tenancy.service.ts): between create
// and start, so the guest never runs outside its project's pool, VNet and firewall.
//
// The project's pool, zone and VNet are made (or checked) once and remembered by the worker for
// ISOLATION_MAX_AGE_MS per cluster client and project: checking them cost 6 Proxmox calls per job
// (bench/provision). A remembered isolation is forgotten when putting the guest in its pool or
// on its VNet fails, and the step then checks (and makes) them again before trying once more.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import { StepError, type Step, type StepContext } from '../../jobs/runner.js';
import type { JobCheckpoint } from '../job/job.entity.js';
import { Machine } from '../machine/machine.entity.js';
import type { ClusterClients } from '../provision/cluster-clients.js';
import { MachineKind } from '../template/template.entity.js';
import { ensureProjectIsolation, isolateGuest, TenancyError, type ProjectIsolation } from './tenancy.service.js';

/** How long a checked isolation serves the project's next jobs without being checked again. */
export const ISOLATION_MAX_AGE_MS = 60_000;

const checked = new WeakMap<ProxmoxClient, Map<string, { at: number; isolation: Promise<ProjectIsolation> }>>();

/**
 * The project's isolation on the cluster: remembered if checked recently (`remembered`), else
 * ensured now; concurrent jobs of the project share one check.
 */
async function projectIsolation(
  client: ProxmoxClient,
  projectId: string,
  fresh: boolean,
): Promise<{ isolation: ProjectIsolation; remembered: boolean }> {
  let byProject = checked.get(client);
  if (!byProject) checked.set(client, (byProject = new Map()));
  const known = byProject.get(projectId);
  if (!fresh && known && Date.now() - known.at <= ISOLATION_MAX_AGE_MS)
    return { isolation: await known.isolation, remembered: true };
  const entry = { at: Date.now(), isolation: ensureProjectIsolation(client, projectId) };
  byProject.set(projectId, entry);
  // Only a success is remembered.
  entry.isolation.catch(() => {
    if (byProject.get(projectId) === entry) byProject.delete(projectId);
  });
  return { isolation: await entry.isolation, remembered: false };
}

interface IsolateCheckpoint extends JobCheckpoint {
  node?: string;
  vmid?: number;
}

export function isolateStep<C extends IsolateCheckpoint>(deps: {
  em: EntityManager;
  clusters: ClusterClients;
  /** The job's machine (its project populated) and cluster client, if the workflow has them already. */
  load?: (ctx: StepContext<C>) => Promise<{ machine: Machine; client: ProxmoxClient }>;
}): Step<C> {
  return {
    name: 'isolate',
    weight: 1,
    timeoutMs: 3 * 60_000,
    async run(ctx) {
      let machine: Machine;
      let client: ProxmoxClient;
      if (deps.load) ({ machine, client } = await deps.load(ctx));
      else {
        machine = await deps.em.fork().findOneOrFail(Machine, { id: ctx.job.machine!.id }, { populate: ['project'] });
        client = await deps.clusters.get(machine.cluster!.id);
      }
      const ensure = async (fresh: boolean) => {
        try {
          return await projectIsolation(client, machine.project.id, fresh);
        } catch (err) {
          if (err instanceof TenancyError) throw new StepError('ISOLATION_FAILED', err.message);
          throw err;
        }
      };
      let { isolation, remembered } = await ensure(false);
      const rules = machine.project.firewallRules ?? [];
      const guest = {
        kind: machine.kind === MachineKind.VM ? ('qemu' as const) : ('lxc' as const),
        node: ctx.checkpoint.node!,
        vmid: ctx.checkpoint.vmid!,
      };
      try {
        await isolateGuest(client, guest, isolation, rules);
      } catch (err) {
        // Perhaps the remembered pool or VNet is gone: check (and make) them again, then retry once.
        if (!remembered) throw err;
        ({ isolation, remembered } = await ensure(true));
        await isolateGuest(client, guest, isolation, rules);
      }
      await ctx.progress(
        1,
        `In pool ${isolation.pool} on VNet ${isolation.vnet}; firewall on, inbound closed except ${rules.length} opened port(s)`,
      );
    },
  };
}
