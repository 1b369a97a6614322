// The create step and its undo when the cluster's driver is TERRAFORM: write the machine's workspace,
// init, plan -out, apply (or destroy on rollback), each with -json, streaming into the job's events.
// Re-running after a crash is safe: the plan of an existing guest is empty and apply is skipped.
import { rm } from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import type { TerraformDriver } from '@pvepaas/orchestration/terraform/terraform.driver';
import { StepError, type StepContext } from '../../jobs/runner.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { ProvisioningDriver } from '../cluster/cluster.entity.js';
import { Machine } from '../machine/machine.entity.js';
import { MachineKind } from '../template/template.entity.js';
import { credentialsPath, type MachineCredentials } from './credentials.js';
import {
  cancellationSignal,
  checkOutputs,
  driverFor,
  jobEventSink,
  type EventSink,
  machineSpec,
  persist,
  resolveTerraformBinary,
  terraformFailure,
  type TerraformCheckpoint,
  type TerraformSettings,
} from './terraform-provisioner.js';

export type { TerraformCheckpoint, TerraformSettings } from './terraform-provisioner.js';

type Checkpoint = TerraformCheckpoint & { node?: string; vmid?: number };
type Ctx = StepContext<Checkpoint>;
type Loader = (ctx: Ctx) => Promise<{ em: EntityManager; machine: Machine; client: ProxmoxClient }>;

/** Terraform runs of jobs in this process: an undo waits for the cancelled run to exit (and unlock). */
const running = new Map<string, Promise<unknown>>();

interface TerraformDeps {
  em: EntityManager;
  secrets: SecretStore;
  terraform?: TerraformSettings;
}

/** The workspace's driver and spec for a machine at `where`; nothing runs yet. */
async function prepare(deps: TerraformDeps, machine: Machine, client: ProxmoxClient, where: Where) {
  const settings = deps.terraform;
  const cluster = machine.cluster!;
  if (!settings)
    throw new StepError(
      'TERRAFORM_NOT_CONFIGURED',
      `Cluster ${cluster.name} provisions with Terraform, but this worker has no Terraform settings; switch the cluster to the NATIVE driver or start the worker with them.`,
    );
  const binary = await resolveTerraformBinary(settings, cluster);
  const token = (await deps.secrets.read(cluster.tokenSecretRef))?.data.secret;
  if (!token)
    throw new StepError(
      'PROXMOX_UNAVAILABLE',
      `The API token secret of cluster ${cluster.name} is missing from the secret store; set it again with updateCluster.`,
    );
  const creds = (await deps.secrets.read(credentialsPath(machine.id)))?.data as unknown as
    MachineCredentials | undefined;
  const spec = await machineSpec(
    machine,
    client,
    where,
    creds ?? { rootPassword: '', sshPrivateKey: '', sshPublicKey: '' },
  );
  if (!creds) {
    // A rollback or delete after the secret is gone: destroy needs no credentials.
    spec.sshKeys = [];
    delete spec.password;
  }
  const driver = await driverFor(settings, binary, cluster, token);
  return { settings, spec, driver };
}

/** Runs `work` with cancellation by cancelJob and the job's events; maps terraform's errors. */
async function guarded<T>(
  deps: TerraformDeps,
  ctx: StepContext,
  settings: TerraformSettings,
  work: (run: RunArgs) => Promise<T>,
): Promise<T> {
  const cancel = cancellationSignal(deps.em, ctx.job, ctx.signal, settings.cancelPollMs ?? 1000);
  const sink = jobEventSink(ctx, { from: 0.2, to: 0.95 });
  const promise = (async () => {
    try {
      return await work({ signal: cancel.signal, sink });
    } catch (err) {
      await sink.flush().catch(() => undefined);
      throw terraformFailure(err, cancel.cancelledByUser());
    } finally {
      cancel.stop();
    }
  })();
  running.set(
    ctx.job.id,
    promise.catch(() => undefined),
  );
  try {
    return await promise;
  } finally {
    running.delete(ctx.job.id);
  }
}

async function initWorkspace(driver: TerraformDriver, spec: { machineId: string }, run: RunArgs) {
  await driver.init(spec.machineId, { onProgress: run.sink.onProgress, signal: run.signal });
  await run.sink.flush();
}

/** `terraform destroy` of the machine's workspace, streamed into the job; then the workspace is removed. */
async function destroyWorkspace(
  deps: TerraformDeps,
  ctx: StepContext,
  machine: Machine,
  client: ProxmoxClient,
  where: Where,
): Promise<void> {
  const { settings, spec, driver } = await prepare(deps, machine, client, where);
  await guarded(deps, ctx, settings, async (run) => {
    await driver.write(spec);
    await initWorkspace(driver, spec, run);
    const result = await driver.destroy(spec.machineId, { onProgress: run.sink.onProgress, signal: run.signal });
    await run.sink.flush();
    await ctx.log(`Destroyed ${result.summary.remove} resource(s)`, {
      source: 'terraform',
      command: 'destroy',
      type: 'destroy',
    });
    await rm(driver.workspaceDir(spec.machineId), { recursive: true, force: true });
  });
}

/**
 * The delete workflow's destroy for a machine of a TERRAFORM cluster: `terraform destroy` of its
 * workspace. False when the cluster is NATIVE or Terraform could not finish (the caller then removes
 * whatever guest is left through the Proxmox API, e.g. one created before the cluster switched driver).
 */
export async function destroyWithTerraform(
  deps: TerraformDeps & { clusters: { get(id: string): Promise<ProxmoxClient> } },
  ctx: StepContext,
  machineId: string,
): Promise<boolean> {
  const em = deps.em.fork();
  const machine = await em.findOne(
    Machine,
    { id: machineId },
    { populate: ['template', 'network', 'storage', 'cluster', 'node'] },
  );
  if (!machine?.cluster || machine.cluster.provisioningDriver !== ProvisioningDriver.TERRAFORM || !machine.vmid)
    return false;
  const client = await deps.clusters.get(machine.cluster.id);
  const node = (await client.cluster.findGuest(machine.vmid))?.node ?? machine.node?.name;
  if (!node) return false;
  try {
    await destroyWorkspace(deps, ctx, machine, client, { node, vmid: machine.vmid });
    return true;
  } catch (err) {
    await ctx.log(`terraform destroy did not finish (${(err as Error).message}); deleting through the Proxmox API.`, {
      source: 'platform',
    });
    return false;
  }
}

export function terraformSteps(deps: TerraformDeps, load: Loader) {
  const where = (ctx: Ctx): Where => ({ node: ctx.checkpoint.node!, vmid: ctx.checkpoint.vmid! });

  return {
    async create(ctx: Ctx): Promise<void> {
      const { machine, client } = await load(ctx);
      const at = where(ctx);
      if (!ctx.checkpoint.terraformApplied && (await client.cluster.findGuest(at.vmid)))
        throw new StepError(
          'VMID_TAKEN',
          `VMID ${at.vmid} is already used on the cluster by a guest this job did not create.`,
        );
      const { settings, spec, driver } = await prepare(deps, machine, client, at);
      await guarded(deps, ctx, settings, async (run) => {
        const dir = await driver.write(spec);
        await ctx.log(`Terraform workspace ${dir}`, { source: 'terraform', command: 'write', module: spec.kind });
        await initWorkspace(driver, spec, run);
        await ctx.progress(0.1, 'Terraform initialised');
        const plan = await driver.plan(spec.machineId, { onProgress: run.sink.onProgress, signal: run.signal });
        await run.sink.flush();
        const { add, change, remove } = plan.summary;
        // The plan summary is kept with the job as this event (data.plan), before anything changes.
        await ctx.log(`Plan: ${add} to add, ${change} to change, ${remove} to destroy.`, {
          source: 'terraform',
          command: 'plan',
          type: 'plan',
          plan: plan.summary,
          changes: plan.changes,
        });
        await ctx.progress(0.2, plan.empty ? 'Nothing to change' : `Applying ${add + change + remove} change(s)`);
        let outputs: Record<string, unknown>;
        if (plan.empty) {
          outputs = await driver.outputs(spec.machineId, { signal: run.signal });
        } else {
          await persist(ctx, { terraformApplied: true });
          outputs = (await driver.apply(spec.machineId, { onProgress: run.sink.onProgress, signal: run.signal }))
            .outputs;
          await run.sink.flush();
        }
        const created = checkOutputs(outputs, at);
        await ctx.progress(
          1,
          `${machine.kind === MachineKind.VM ? 'VM' : 'Container'} ${created.vmid} created on ${created.node} by Terraform`,
        );
      });
    },

    /**
     * Undo of create: `terraform destroy` of the workspace. False when Terraform cannot run (no
     * binary, no settings): the caller then removes the guest through the Proxmox API instead.
     */
    async destroy(ctx: Ctx): Promise<boolean> {
      await running.get(ctx.job.id);
      if (!ctx.checkpoint.terraformApplied) return true;
      try {
        const { machine, client } = await load(ctx);
        await destroyWorkspace(deps, ctx, machine, client, where(ctx));
        return true;
      } catch (err) {
        await ctx.log(
          `terraform destroy did not finish (${(err as Error).message}); removing the guest through the Proxmox API.`,
          { source: 'platform' },
        );
        return false;
      }
    },
  };
}

type RunArgs = { signal: AbortSignal; sink: EventSink };
type Where = { node: string; vmid: number };
