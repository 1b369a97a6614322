// The lifecycle workflows besides power (power.workflow.ts): resize, snapshots, migration and
// delete, and the list the worker registers. Each step checks the guest's real state first, so a
// resumed or repeated job does not do twice what Proxmox already did; after a failure the machine's
// status is what Proxmox reports.
import { StepError, type Workflow } from '../../jobs/runner.js';
import { JobStatus } from '../job/job.entity.js';
import { Machine, type MachineStatus } from '../machine/machine.entity.js';
import { credentialsPath } from '../provision/credentials.js';
import { destroyWithTerraform } from '../provision/terraform.step.js';
import { MachineKind } from '../template/template.entity.js';
import {
  bootDisk,
  diskGiB,
  guestState,
  locate,
  locateGuest,
  machineIdOf,
  nodeRow,
  reconcile,
  runTask,
  started,
  workflow,
  type Ctx,
  type LifecycleDeps,
  type LStep,
  type LWorkflow,
} from './lifecycle.steps.js';
import { DELETED, machineEvent, publishMachineEvent, updateMachine } from './machine-events.js';
import { powerWorkflows } from './power.workflow.js';

interface Sizes {
  cores: number;
  memoryMiB: number;
  diskGiB: number;
}

function resizeWorkflow(deps: LifecycleDeps): LWorkflow {
  const prior = (ctx: Ctx) => ctx.params.prior as Sizes;
  const setCpuMemory = async (ctx: Ctx, sizes: { cores?: number; memoryMiB?: number }) => {
    const { machine, client, node, vmid } = await locateGuest(deps, ctx);
    const patch = { cores: sizes.cores, memory: sizes.memoryMiB };
    if (machine.kind === MachineKind.VM) await client.qemu.setConfig(node, vmid, patch);
    else await client.lxc.setConfig(node, vmid, patch);
    return { machine, client, node, vmid };
  };
  const config: LStep = {
    name: 'config',
    weight: 2,
    timeoutMs: 2 * 60_000,
    async run(ctx) {
      const { cores, memoryMiB } = ctx.params as Partial<Sizes>;
      if (cores === undefined && memoryMiB === undefined) ctx.skip('Cores and memory stay as they are.');
      const { machine, client, node, vmid } = await setCpuMemory(ctx, { cores, memoryMiB });
      if (machine.kind === MachineKind.VM) {
        const pending = (await client.qemu.pending(node, vmid)).filter(
          (p) => (p.key === 'cores' || p.key === 'memory') && p.pending !== undefined,
        );
        if (pending.length > 0)
          await ctx.log(
            `${pending.map((p) => p.key).join(' and ')} will apply at the next reboot (no hotplug on this VM).`,
            { source: 'platform' },
          );
      }
      await ctx.progress(1, `cores ${cores ?? prior(ctx).cores}, memory ${memoryMiB ?? prior(ctx).memoryMiB} MiB`);
    },
    async undo(ctx) {
      const { cores, memoryMiB } = ctx.params as Partial<Sizes>;
      if (cores === undefined && memoryMiB === undefined) return;
      await setCpuMemory(ctx, {
        cores: cores === undefined ? undefined : prior(ctx).cores,
        memoryMiB: memoryMiB === undefined ? undefined : prior(ctx).memoryMiB,
      });
    },
  };
  const disk: LStep = {
    name: 'disk',
    weight: 3,
    timeoutMs: 30 * 60_000,
    async run(ctx) {
      const wanted = (ctx.params as Partial<Sizes>).diskGiB;
      if (wanted === undefined) ctx.skip('The disk stays as it is.');
      const { machine, client, api, node, vmid } = await locateGuest(deps, ctx);
      if (!started(ctx, 'disk')) {
        const cfg = await api.getConfig(node, vmid);
        const key = bootDisk(machine.kind, cfg);
        if (!key) throw new StepError('NO_DISK', `Guest ${vmid} has no disk to grow.`);
        if (diskGiB(cfg[key]) >= wanted!) ctx.skip(`Disk ${key} already has ${diskGiB(cfg[key])} GiB.`);
        await ctx.log(`Growing ${key} from ${diskGiB(cfg[key])} GiB to ${wanted} GiB`, { source: 'platform' });
        await runTask(ctx, client, 'disk', this.timeoutMs, () => api.resize(node, vmid, key, `${wanted}G`));
      } else {
        await runTask(ctx, client, 'disk', this.timeoutMs, () => Promise.resolve(null));
      }
    },
  };
  return {
    kind: 'resize',
    steps: [config, disk],
    async onFinished(_em, job, status) {
      if (status === JobStatus.SUCCEEDED) return;
      // The sizes were reserved when the job was accepted: give back what did not happen.
      const before = job.params.prior as Sizes;
      const grown = job.checkpoint.done.includes('disk');
      const em = deps.em.fork();
      await em.nativeUpdate(
        Machine,
        { id: machineIdOf({ job }) },
        { cores: before.cores, memoryMiB: before.memoryMiB, ...(grown ? {} : { diskGiB: before.diskGiB }) },
      );
      await reconcile(deps, { job });
    },
  };
}

function snapshotWorkflows(deps: LifecycleDeps): LWorkflow[] {
  const has = async (ctx: Ctx) => {
    const located = await locateGuest(deps, ctx);
    const list = await located.api.listSnapshots(located.node, located.vmid);
    return { ...located, exists: list.some((s) => s.name === ctx.params.name) };
  };
  const snapshotStep = (
    name: string,
    go: (ctx: Ctx, located: Awaited<ReturnType<typeof has>>) => Promise<string>,
    skipIfExists: boolean | null,
  ): LStep => ({
    name,
    weight: 4,
    timeoutMs: 30 * 60_000,
    async run(ctx) {
      const located = await has(ctx);
      if (!started(ctx, name) && skipIfExists !== null) {
        if (located.exists === skipIfExists)
          ctx.skip(
            skipIfExists
              ? `Snapshot ${String(ctx.params.name)} already exists.`
              : `Snapshot ${String(ctx.params.name)} is already gone.`,
          );
      }
      if (!started(ctx, name) && skipIfExists === null && !located.exists)
        throw new StepError(
          'SNAPSHOT_MISSING',
          `Snapshot ${String(ctx.params.name)} does not exist (deleted outside the platform).`,
        );
      await runTask(ctx, located.client, name, this.timeoutMs, () => go(ctx, located));
    },
  });
  const name = (ctx: Ctx) => String(ctx.params.name);
  return [
    workflow(deps, 'snapshot', [
      snapshotStep(
        'snapshot',
        (ctx, { machine, api, node, vmid }) =>
          api.createSnapshot(node, vmid, name(ctx), {
            description: (ctx.params.description as string | undefined) ?? undefined,
            vmstate: machine.kind === MachineKind.VM ? Boolean(ctx.params.includeMemory) : undefined,
          }),
        true,
      ),
    ]),
    workflow(deps, 'snapshotRollback', [
      snapshotStep('rollback', (ctx, { api, node, vmid }) => api.rollbackSnapshot(node, vmid, name(ctx)), null),
    ]),
    workflow(deps, 'snapshotDelete', [
      snapshotStep('delete', (ctx, { api, node, vmid }) => api.deleteSnapshot(node, vmid, name(ctx)), false),
    ]),
  ];
}

function migrateWorkflow(deps: LifecycleDeps): LWorkflow {
  const migrate: LStep = {
    name: 'migrate',
    weight: 8,
    timeoutMs: 4 * 60 * 60_000,
    async run(ctx) {
      const target = String(ctx.params.targetNode);
      const { em, machine, client, api, node, vmid } = await locateGuest(deps, ctx);
      if (!started(ctx, 'migrate')) {
        if (node === target) ctx.skip(`The guest is already on ${target}.`);
        const nodes = await client.cluster.nodes();
        if (nodes.find((n) => n.node === target)?.status !== 'online')
          throw new StepError('NODE_OFFLINE', `Node ${target} is not online any more; choose another node.`);
        const running = (await guestState(api, node, vmid)) !== 'stopped';
        await ctx.log(`${running ? 'Online' : 'Offline'} migration from ${node} to ${target}`, { source: 'platform' });
        await runTask(ctx, client, 'migrate', this.timeoutMs, () =>
          machine.kind === MachineKind.VM
            ? client.qemu.migrate(node, vmid, { target, online: running || undefined, withLocalDisks: true })
            : client.lxc.migrate(node, vmid, { target, restart: running || undefined }),
        );
      } else {
        await runTask(ctx, client, 'migrate', this.timeoutMs, () => Promise.resolve(null));
      }
      const row = await nodeRow(em, machine, target);
      await em.flush();
      await updateMachine(deps.em, deps.pubsub, machine.id, { node: row });
    },
  };
  return workflow(deps, 'migrate', [migrate]);
}

function deleteWorkflow(deps: LifecycleDeps): LWorkflow {
  const stop: LStep = {
    name: 'stop',
    weight: 2,
    timeoutMs: 5 * 60_000,
    async run(ctx) {
      const { client, api, node, machine } = await locate(deps, ctx);
      if (!node) ctx.skip('No guest on Proxmox.');
      if (!started(ctx, 'stop') && (await guestState(api, node!, machine.vmid!)) === 'stopped')
        ctx.skip('The guest is stopped.');
      await runTask(ctx, client, 'stop', this.timeoutMs, () => api.stop(node!, machine.vmid!));
    },
  };
  const destroy: LStep = {
    name: 'destroy',
    weight: 4,
    timeoutMs: 15 * 60_000,
    async run(ctx) {
      // A TERRAFORM cluster's guest goes with its workspace's state; whatever is left (a guest made
      // before the cluster switched driver, or terraform failing) is removed through the API below.
      const byTerraform = !started(ctx, 'destroy') && (await destroyWithTerraform(deps, ctx, machineIdOf(ctx)));
      const { client, api, node, machine } = await locate(deps, ctx);
      if (!node && !started(ctx, 'destroy')) return byTerraform ? undefined : ctx.skip('No guest on Proxmox.');
      await runTask(ctx, client, 'destroy', this.timeoutMs, () =>
        api.destroy(node!, machine.vmid!, { purge: true, destroyUnreferencedDisks: true }),
      );
    },
  };
  const secrets: LStep = {
    name: 'secrets',
    weight: 1,
    timeoutMs: 60_000,
    async run(ctx) {
      await deps.secrets.destroy(credentialsPath(machineIdOf(ctx)));
    },
  };
  const release: LStep = {
    name: 'release',
    weight: 1,
    timeoutMs: 60_000,
    async run(ctx) {
      const em = deps.em.fork();
      const machine = await em.findOne(Machine, { id: machineIdOf(ctx) }, { populate: ['node'] });
      if (!machine) ctx.skip('The machine record is already gone.');
      const event = machineEvent(machine!, DELETED);
      // The job keeps its record: its params hold the machine's id, name and VMID; its row loses the link.
      await em.remove(machine!).flush();
      await publishMachineEvent(deps.pubsub, event);
    },
  };
  return {
    kind: 'delete',
    steps: [stop, destroy, secrets, release],
    async onFinished(_em, job, status) {
      if (status !== JobStatus.SUCCEEDED)
        await reconcile(deps, { job }, (job.params.prior as { status: MachineStatus }).status);
    },
  };
}

/** Every lifecycle workflow, for the worker's registry. */
export function lifecycleWorkflows(deps: LifecycleDeps): Workflow[] {
  return [
    ...powerWorkflows(deps),
    resizeWorkflow(deps),
    ...snapshotWorkflows(deps),
    migrateWorkflow(deps),
    deleteWorkflow(deps),
  ] as unknown as Workflow[];
}
