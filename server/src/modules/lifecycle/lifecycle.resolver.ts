import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { livePermission } from '../../auth/live-permission.js';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { Node } from '../cluster/node.entity.js';
import { Job } from '../job/job.entity.js';
import { Machine, MachineStatus } from '../machine/machine.entity.js';
import { Project } from '../project/project.entity.js';
import { findVisibleProject, projectScope } from '../project/project.access.js';
import { assertWithinQuota } from '../quota/quota.service.js';
import { MachineKind } from '../template/template.entity.js';
import {
  CreateSnapshotInput,
  MachineJobInput,
  MigrateMachineInput,
  ResizeMachineInput,
  ShutdownMachineInput,
  SnapshotInput,
} from './lifecycle.input.js';
import { clusterClients, LifecycleError, requestLifecycleJob, type LifecycleKind } from './lifecycle.service.js';
import {
  DELETED,
  machineEvent,
  machineEventStream,
  publishMachineEvent,
  type MachineEventPayload,
} from './machine-events.js';

@ObjectType({ description: 'A snapshot of a machine, as Proxmox lists it.' })
class MachineSnapshot {
  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => Date, { nullable: true })
  createdAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The snapshot this one was taken after.' })
  parent!: string | null;

  @Field({ description: "Whether it holds the VM's memory (a rollback resumes the VM)." })
  includesMemory!: boolean;
}

@ObjectType({ description: "A change of a machine's status, node or addresses." })
class MachineEvent {
  @Field(() => ID)
  machineId!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => MachineStatus, { nullable: true, description: 'Null once the machine is deleted.' })
  status!: MachineStatus | null;

  @Field({ description: 'The machine was deleted; this is its last event.' })
  deleted!: boolean;

  @Field(() => String, { nullable: true })
  node!: string | null;

  @Field(() => [String])
  ipAddresses!: string[];

  @Field()
  at!: string;
}

const job = (
  ctx: Context,
  kind: LifecycleKind,
  input: MachineJobInput,
  params: Record<string, unknown> = {},
  prepare?: Parameters<typeof requestLifecycleJob>[1]['prepare'],
) => requestLifecycleJob(ctx, { kind, machineId: input.id, idempotencyKey: input.idempotencyKey, params, prepare });

const vmOnly = (kind: LifecycleKind) => async (_em: EntityManager, machine: Machine) => {
  if (machine.kind !== MachineKind.VM) throw LifecycleError.vmOnly(machine, kind);
};

async function snapshotNames(ctx: Context, machine: Machine): Promise<string[]> {
  const client = await clusterClients(ctx).get(machine.cluster!.id);
  const guest = await client.cluster.findGuest(machine.vmid!);
  if (!guest) return [];
  const api = machine.kind === MachineKind.VM ? client.qemu : client.lxc;
  return (await api.listSnapshots(guest.node, machine.vmid!)).filter((s) => s.name !== 'current').map((s) => s.name);
}

@Resolver(() => Machine)
export class LifecycleResolver {
  @Mutation(() => Job, { description: 'Starts a stopped machine. Needs Machine.PowerMgmt.' })
  startMachine(@Arg('input') input: MachineJobInput, @Ctx() ctx: Context): Promise<Job> {
    return job(ctx, 'start', input);
  }

  @Mutation(() => Job, {
    description:
      'Asks the guest to shut down; stops it hard after the timeout unless forceStopAfter is false. Needs Machine.PowerMgmt.',
  })
  shutdownMachine(@Arg('input') input: ShutdownMachineInput, @Ctx() ctx: Context): Promise<Job> {
    return job(ctx, 'shutdown', input, { timeoutSeconds: input.timeoutSeconds, forceStopAfter: input.forceStopAfter });
  }

  @Mutation(() => Job, { description: 'Stops the machine at once (power off). Needs Machine.PowerMgmt.' })
  stopMachine(@Arg('input') input: MachineJobInput, @Ctx() ctx: Context): Promise<Job> {
    return job(ctx, 'stop', input);
  }

  @Mutation(() => Job, { description: 'Reboots a running machine. Needs Machine.PowerMgmt.' })
  rebootMachine(@Arg('input') input: MachineJobInput, @Ctx() ctx: Context): Promise<Job> {
    return job(ctx, 'reboot', input);
  }

  @Mutation(() => Job, { description: 'Pauses a running VM in memory (not containers). Needs Machine.PowerMgmt.' })
  suspendMachine(@Arg('input') input: MachineJobInput, @Ctx() ctx: Context): Promise<Job> {
    return job(ctx, 'suspend', input, {}, vmOnly('suspend'));
  }

  @Mutation(() => Job, { description: 'Resumes a suspended VM. Needs Machine.PowerMgmt.' })
  resumeMachine(@Arg('input') input: MachineJobInput, @Ctx() ctx: Context): Promise<Job> {
    return job(ctx, 'resume', input, {}, vmOnly('resume'));
  }

  @Mutation(() => Job, {
    description:
      'Changes cores, memory and grows the disk (never shrinks). The increase counts against quotas at once. Needs Machine.Config.',
  })
  resizeMachine(@Arg('input') input: ResizeMachineInput, @Ctx() ctx: Context): Promise<Job> {
    const params = { cores: input.cores, memoryMiB: input.memoryMiB, diskGiB: input.diskGiB };
    return job(ctx, 'resize', input, params, async (em, machine) => {
      const before = { cores: machine.cores, memoryMiB: machine.memoryMiB, diskGiB: machine.diskGiB };
      if (input.diskGiB !== undefined && input.diskGiB < before.diskGiB)
        throw LifecycleError.cannotShrink(before.diskGiB, input.diskGiB);
      const after = {
        cores: input.cores ?? before.cores,
        memoryMiB: input.memoryMiB ?? before.memoryMiB,
        diskGiB: input.diskGiB ?? before.diskGiB,
      };
      if (after.cores === before.cores && after.memoryMiB === before.memoryMiB && after.diskGiB === before.diskGiB)
        throw LifecycleError.nothingToResize();
      // Under a lock on the project, as insertMachine does, so concurrent requests cannot both fit.
      const project = await em.findOneOrFail(
        Project,
        { id: machine.project.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['organization'] },
      );
      const grow = (k: keyof typeof before) => Math.max(0, after[k] - before[k]);
      await assertWithinQuota(em, project, {
        machines: 0,
        gpus: 0,
        cores: grow('cores'),
        memoryMiB: grow('memoryMiB'),
        diskGiB: grow('diskGiB'),
      });
      // Reserved now; the job gives back what it could not do.
      Object.assign(machine, after);
      return before;
    });
  }

  @Mutation(() => Job, { description: 'Takes a snapshot. Needs Machine.Snapshot.' })
  createSnapshot(@Arg('input') input: CreateSnapshotInput, @Ctx() ctx: Context): Promise<Job> {
    const params = { name: input.name, description: input.description, includeMemory: input.includeMemory };
    return job(ctx, 'snapshot', input, params, async (_em, machine) => {
      if ((await snapshotNames(ctx, machine)).includes(input.name))
        throw LifecycleError.snapshotExists(machine, input.name);
    });
  }

  @Mutation(() => Job, {
    description:
      'Rolls the machine back to a snapshot (a snapshot without memory leaves it stopped). Needs Machine.Snapshot.',
  })
  rollbackSnapshot(@Arg('input') input: SnapshotInput, @Ctx() ctx: Context): Promise<Job> {
    return job(ctx, 'snapshotRollback', input, { name: input.name }, async (_em, machine) => {
      if (!(await snapshotNames(ctx, machine)).includes(input.name))
        throw LifecycleError.snapshotMissing(machine, input.name);
    });
  }

  @Mutation(() => Job, { description: 'Deletes a snapshot. Needs Machine.Snapshot.' })
  deleteSnapshot(@Arg('input') input: SnapshotInput, @Ctx() ctx: Context): Promise<Job> {
    return job(ctx, 'snapshotDelete', input, { name: input.name }, async (_em, machine) => {
      if (!(await snapshotNames(ctx, machine)).includes(input.name))
        throw LifecycleError.snapshotMissing(machine, input.name);
    });
  }

  @Mutation(() => Job, {
    description:
      'Moves the machine to another node of its cluster (live for running VMs, restart mode for running containers). Needs Machine.Allocate.',
  })
  migrateMachine(@Arg('input') input: MigrateMachineInput, @Ctx() ctx: Context): Promise<Job> {
    return job(ctx, 'migrate', input, { targetNode: input.targetNode }, async (em, machine) => {
      const client = await clusterClients(ctx).get(machine.cluster!.id);
      const [nodes, guest] = await Promise.all([client.cluster.nodes(), client.cluster.findGuest(machine.vmid!)]);
      const target = nodes.find((n) => n.node === input.targetNode);
      if (!target) throw LifecycleError.unknownNode(input.targetNode, nodes.map((n) => n.node).sort());
      if ((guest?.node ?? machine.node?.name) === input.targetNode) throw LifecycleError.sameNode(input.targetNode);
      if (target.status !== 'online') throw LifecycleError.nodeOffline(input.targetNode);
      const row = await em.findOne(Node, { cluster: machine.cluster!.id, name: input.targetNode });
      if (row?.maintenance) throw LifecycleError.nodeInMaintenance(input.targetNode);
    });
  }

  @Mutation(() => Job, {
    description:
      "Deletes the machine: stops and destroys its guest (purged), its credentials, then its record. The job keeps the machine's id, name and VMID. Needs Machine.Delete.",
  })
  async destroyMachine(@Arg('input') input: MachineJobInput, @Ctx() ctx: Context): Promise<Job> {
    const published: { event?: MachineEventPayload } = {};
    const result = await job(ctx, 'delete', input, {}, async (_em, machine) => {
      const prior = {
        status: machine.status,
        name: machine.name,
        vmid: machine.vmid ?? null,
        node: machine.node?.name ?? null,
      };
      machine.status = MachineStatus.DELETING;
      published.event = machineEvent(machine);
      return prior;
    });
    // Published once the transaction committed.
    if (published.event) await publishMachineEvent(ctx.services.pubsub, published.event);
    return result;
  }

  @FieldResolver(() => [MachineSnapshot], {
    description: 'Read from Proxmox on each request; empty before the machine is provisioned.',
  })
  async snapshots(@Root() machine: Machine, @Ctx() ctx: Context): Promise<MachineSnapshot[]> {
    if (!machine.vmid || !machine.cluster) return [];
    const client = await clusterClients(ctx).get(machine.cluster.id);
    const guest = await client.cluster.findGuest(machine.vmid);
    if (!guest) return [];
    const api = machine.kind === MachineKind.VM ? client.qemu : client.lxc;
    const list = await api.listSnapshots(guest.node, machine.vmid);
    return list
      .filter((s) => s.name !== 'current')
      .map((s) => ({
        name: s.name,
        description: s.description ?? '',
        createdAt: s.snaptime ? new Date(Number(s.snaptime) * 1000) : null,
        parent: s.parent ?? null,
        includesMemory: Boolean(Number(s.vmstate ?? 0)),
      }));
  }

  @Subscription(() => MachineEvent, {
    description: "Status, node and address changes of a project's machines, live. Needs Machine.Audit on the project.",
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const viewer = requireViewer(ctx);
      const project = await findVisibleProject(ctx, String(args.projectId));
      const scope = projectScope(project);
      if (!viewer.can(Privilege.MachineAudit, scope)) throw Errors.notFound('Project', project.id);
      return machineEventStream(ctx.services.pubsub, project.id, livePermission(ctx, Privilege.MachineAudit, scope));
    },
  })
  machineEvents(@Root() event: MachineEventPayload, @Arg('projectId', () => ID) _projectId: string): MachineEvent {
    const deleted = event.status === DELETED;
    return { ...event, deleted, status: deleted ? null : (event.status as MachineStatus) };
  }
}
