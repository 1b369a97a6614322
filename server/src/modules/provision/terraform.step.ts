// The create step and its undo when the cluster's driver is TERRAFORM: write the machine's workspace,
// init, plan -out, apply (or destroy on rollback), each with -json, streaming into the job's events.
// Re-running after a crash is safe: the plan of an existing guest is empty and apply is skipped.
import { rm } from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import type { TerraformDriver } from '@pvepaas/orchestration/terraform/terraform.driver';
import { StepError, type StepContext } from '../../jobs/runner.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import type { Machine } from '../machine/machine.entity.js';
import { MachineKind } from '../template/template.entity.js';
import { credentialsPath, type MachineCredentials } from './credentials.js';
import {
  cancellationSignal,
  checkOutputs,
  driverFor,
  jobEventSink,
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

export function terraformSteps(
  deps: { em: EntityManager; secrets: SecretStore; terraform?: TerraformSettings },
  load: Loader,
) {
  /** The workspace's driver, spec and where the guest goes; nothing runs yet. */
  const prepare = async (ctx: Ctx) => {
    const settings = deps.terraform;
    const { machine, client } = await load(ctx);
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
    const where = { node: ctx.checkpoint.node!, vmid: ctx.checkpoint.vmid! };
    const creds = (await deps.secrets.read(credentialsPath(machine.id)))?.data as unknown as
      MachineCredentials | undefined;
    const spec = await machineSpec(
      machine,
      client,
      where,
      creds ?? { rootPassword: '', sshPrivateKey: '', sshPublicKey: '' },
    );
    if (!creds) {
      // A rollback after the secret is gone: destroy needs no credentials.
      spec.sshKeys = [];
      delete spec.password;
    }
    const driver = await driverFor(settings, binary, cluster, token);
    return { settings, machine, client, where, spec, driver };
  };

  /** Runs `work` with cancellation by cancelJob and the job's events; maps terraform's errors. */
  const guarded = async <T>(
    ctx: Ctx,
    settings: TerraformSettings,
    work: (run: { signal: AbortSignal; sink: ReturnType<typeof jobEventSink> }) => Promise<T>,
  ): Promise<T> => {
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
  };

  const initWorkspace = async (driver: TerraformDriver, spec: { machineId: string }, run: RunArgs) => {
    await driver.init(spec.machineId, { onProgress: run.sink.onProgress, signal: run.signal });
    await run.sink.flush();
  };

  return {
    async create(ctx: Ctx): Promise<void> {
      const { settings, machine, client, where, spec, driver } = await prepare(ctx);
      if (!ctx.checkpoint.terraformApplied && (await client.cluster.findGuest(where.vmid)))
        throw new StepError(
          'VMID_TAKEN',
          `VMID ${where.vmid} is already used on the cluster by a guest this job did not create.`,
        );
      await guarded(ctx, settings, async (run) => {
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
        const created = checkOutputs(outputs, where);
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
        const { settings, spec, driver } = await prepare(ctx);
        await guarded(ctx, settings, async (run) => {
          await driver.write(spec);
          await initWorkspace(driver, spec, run);
          const result = await driver.destroy(spec.machineId, {
            onProgress: run.sink.onProgress,
            signal: run.signal,
          });
          await run.sink.flush();
          await ctx.log(`Destroyed ${result.summary.remove} resource(s)`, {
            source: 'terraform',
            command: 'destroy',
            type: 'destroy',
          });
          await rm(driver.workspaceDir(spec.machineId), { recursive: true, force: true });
        });
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

type RunArgs = { signal: AbortSignal; sink: ReturnType<typeof jobEventSink> };
