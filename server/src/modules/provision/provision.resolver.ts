import { IsOptional, Length } from 'class-validator';
import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { Job } from '../job/job.entity.js';
import { createJobInTransaction } from '../job/job.service.js';
import { Machine, MachineStatus } from '../machine/machine.entity.js';
import { CreateMachineInput } from '../machine/machine.input.js';
import { insertMachine } from '../machine/machine.resolver.js';
import { findVisibleProject, projectScope } from '../project/project.access.js';

@InputType()
class ProvisionMachineInput extends CreateMachineInput {
  @Field(() => String, {
    nullable: true,
    description: 'Same key and parameters: the same job back. Same key, other parameters: CONFLICT.',
  })
  @IsOptional()
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  idempotencyKey?: string;
}

@ObjectType()
class ProvisionPayload {
  @Field(() => Machine)
  machine!: Machine;

  @Field(() => Job, { description: 'Follow it with the jobProgress subscription.' })
  job!: Job;
}

@Resolver()
export class ProvisionResolver {
  @Mutation(() => ProvisionPayload, {
    description:
      'Creates a machine on Proxmox: the machine row and its provision job are written in one transaction. Needs Machine.Allocate.',
  })
  async provisionMachine(@Arg('input') input: ProvisionMachineInput, @Ctx() ctx: Context): Promise<ProvisionPayload> {
    const viewer = requireViewer(ctx);
    const visible = await findVisibleProject(ctx, input.projectId);
    viewer.require(Privilege.MachineAllocate, projectScope(visible), 'this project');
    const { idempotencyKey, ...request } = input;
    return ctx.em.transactional(async (em) => {
      if (idempotencyKey) {
        const existing = await em.findOne(Job, { requestedBy: viewer.id, idempotencyKey }, { populate: ['machine'] });
        if (existing?.machine) {
          // Same request again: the same job (a different one is refused by createJobInTransaction).
          const { job } = await createJobInTransaction(em, ctx.services.jobs, {
            kind: 'provision',
            project: visible,
            machine: existing.machine,
            requestedBy: viewer.user,
            params: { ...request },
            idempotencyKey,
          });
          return { machine: existing.machine, job };
        }
      }
      const machine = await insertMachine(em, viewer.user, visible.id, request as CreateMachineInput);
      machine.status = MachineStatus.PROVISIONING;
      await em.flush();
      const { job } = await createJobInTransaction(em, ctx.services.jobs, {
        kind: 'provision',
        project: visible,
        machine,
        requestedBy: viewer.user,
        params: { ...request },
        idempotencyKey,
      });
      return { machine, job };
    });
  }
}
