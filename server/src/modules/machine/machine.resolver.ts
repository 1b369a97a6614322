import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { ConnectionType, PageArgs, type Connection } from '../../graphql/connection.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { Node } from '../cluster/node.entity.js';
import { NetworkConfiguration } from '../network/network.entity.js';
import { Project } from '../project/project.entity.js';
import { findVisibleProject, projectScope } from '../project/project.access.js';
import { assertWithinQuota } from '../quota/quota.service.js';
import { StorageConfiguration } from '../storage/storage.entity.js';
import { Template } from '../template/template.entity.js';
import { User } from '../user/user.entity.js';
import { Machine, MachineStatus } from './machine.entity.js';
import { CreateMachineInput, MachineFilter, MachineOrder, UpdateMachineInput } from './machine.input.js';
import { listMachines, loadPageRelations, type MachineRecord } from './machine.list.js';

const MachineConnection = ConnectionType(Machine, 'Machine');

async function findVisibleMachine(ctx: Context, id: string): Promise<Machine> {
  const viewer = requireViewer(ctx);
  const machine = await ctx.em.findOne(Machine, { id }, { populate: ['project'] });
  if (!machine || !viewer.can(Privilege.MachineAudit, projectScope(machine.project)))
    throw Errors.notFound('Machine', id);
  return machine;
}

/**
 * Validates the request against its template, network and storage, checks quotas under a lock on
 * the project, and adds the machine row (status PENDING) to `em`'s open transaction.
 */
export async function insertMachine(
  em: EntityManager,
  owner: User,
  projectId: string,
  input: CreateMachineInput,
): Promise<Machine> {
  // The template before the project's row lock: the lock serialises a project's requests (quotas),
  // so each statement inside it adds to every concurrent request's wait (bench/provision).
  const template = await em.findOne(Template, { id: input.templateId });
  if (!template) throw Errors.invalid('input.templateId', 'no such template');
  const project = await em.findOneOrFail(
    Project,
    { id: projectId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['organization'] },
  );
  const network = input.networkId
    ? await em.findOne(NetworkConfiguration, { id: input.networkId, project: project.id })
    : null;
  if (input.networkId && !network) throw Errors.invalid('input.networkId', 'no such network in this project');
  const storage = input.storageId
    ? await em.findOne(StorageConfiguration, { id: input.storageId, cluster: template.cluster.id })
    : null;
  if (input.storageId && !storage) throw Errors.invalid('input.storageId', "no such storage on the template's cluster");
  const spec = {
    cores: input.cores ?? template.defaultCores,
    memoryMiB: input.memoryMiB ?? template.defaultMemoryMiB,
    diskGiB: input.diskGiB ?? template.defaultDiskGiB,
  };
  if (spec.diskGiB < template.defaultDiskGiB) {
    throw Errors.invalid('input.diskGiB', `must be at least the template's disk (${template.defaultDiskGiB} GiB)`);
  }
  await assertWithinQuota(em, project, { machines: 1, gpus: 0, ...spec });
  return em.create(Machine, {
    ...spec,
    kind: template.kind,
    name: input.name,
    project,
    owner,
    cluster: template.cluster,
    template,
    network,
    storage,
    tags: [...new Set(input.tags)],
  });
}

@Resolver(() => Machine)
export class MachineResolver {
  @Query(() => MachineConnection, { description: 'Machines the caller can see, filtered and sorted.' })
  async machines(
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => MachineFilter, { nullable: true }) filter?: MachineFilter,
    @Arg('orderBy', () => MachineOrder, { nullable: true }) orderBy?: MachineOrder,
  ): Promise<Connection<MachineRecord>> {
    const list = await listMachines(ctx.em, requireViewer(ctx), filter, orderBy ?? new MachineOrder(), page);
    await loadPageRelations(ctx.loaders, info, list);
    return list;
  }

  @Query(() => Machine)
  machine(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Machine> {
    return findVisibleMachine(ctx, id);
  }

  @Mutation(() => Machine, {
    description: 'Records a machine (status PENDING) after checking quotas. Provisioning it on Proxmox is a job.',
  })
  async createMachine(@Arg('input') input: CreateMachineInput, @Ctx() ctx: Context): Promise<Machine> {
    const viewer = requireViewer(ctx);
    const visible = await findVisibleProject(ctx, input.projectId);
    viewer.require(Privilege.MachineAllocate, projectScope(visible), 'this project');
    return ctx.em.transactional((em) => insertMachine(em, viewer.user, visible.id, input));
  }

  @Mutation(() => Machine, { description: 'Needs Machine.Config.' })
  async updateMachine(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateMachineInput,
    @Ctx() ctx: Context,
  ): Promise<Machine> {
    const machine = await findVisibleMachine(ctx, id);
    requireViewer(ctx).require(Privilege.MachineConfig, projectScope(machine.project), 'this machine');
    if (input.tags) machine.tags = [...new Set(input.tags)];
    await ctx.em.flush();
    return machine;
  }

  @Mutation(() => Boolean, {
    description:
      'Deletes the record of a machine that has no guest on Proxmox (never provisioned, or failed). Use destroyMachine otherwise. Needs Machine.Delete.',
  })
  async deleteMachine(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const machine = await findVisibleMachine(ctx, id);
    requireViewer(ctx).require(Privilege.MachineDelete, projectScope(machine.project), 'this machine');
    if (
      machine.vmid ||
      ![MachineStatus.PENDING, MachineStatus.FAILED, MachineStatus.MISSING].includes(machine.status)
    ) {
      throw Errors.conflict(
        `Machine ${machine.name} has a guest on Proxmox (status ${machine.status});`,
        'use destroyMachine to remove the guest with it.',
      );
    }
    await ctx.em.remove(machine).flush();
    return true;
  }

  @FieldResolver(() => Project)
  project(@Root() m: MachineRecord, @Ctx() ctx: Context): Project | Promise<Project> {
    return ctx.loaders.get(Project, m.project.id);
  }

  @FieldResolver(() => User)
  owner(@Root() m: MachineRecord, @Ctx() ctx: Context): User | Promise<User> {
    return ctx.loaders.get(User, m.owner.id);
  }

  @FieldResolver(() => Node, { nullable: true, description: 'The Proxmox node the guest runs on.' })
  node(@Root() m: MachineRecord, @Ctx() ctx: Context): Promise<Node> | null {
    return m.node ? ctx.loaders.load(Node, m.node.id) : null;
  }

  @FieldResolver(() => Template)
  template(@Root() m: MachineRecord, @Ctx() ctx: Context): Promise<Template> {
    return ctx.loaders.load(Template, m.template.id);
  }

  @FieldResolver(() => NetworkConfiguration, { nullable: true })
  network(@Root() m: MachineRecord, @Ctx() ctx: Context): Promise<NetworkConfiguration> | null {
    return m.network ? ctx.loaders.load(NetworkConfiguration, m.network.id) : null;
  }

  @FieldResolver(() => StorageConfiguration, { nullable: true })
  storage(@Root() m: MachineRecord, @Ctx() ctx: Context): Promise<StorageConfiguration> | null {
    return m.storage ? ctx.loaders.load(StorageConfiguration, m.storage.id) : null;
  }
}
