import { IsInt, IsOptional, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { applyPatch, findOr404 } from '../../graphql/crud.js';
import { IsOptionalNonNull } from '../../graphql/validate.js';
import { Cluster } from '../cluster/cluster.entity.js';
import { MachineKind, Template } from './template.entity.js';

@InputType()
class TemplateSizeInput {
  @Field(() => Int, { nullable: true })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1, { message: 'must be at least 1' })
  @Max(128, { message: 'must be at most 128' })
  defaultCores?: number;

  @Field(() => Int, { nullable: true })
  @IsOptionalNonNull()
  @IsInt()
  @Min(64, { message: 'must be at least 64 MiB' })
  defaultMemoryMiB?: number;

  @Field(() => Int, { nullable: true })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1, { message: 'must be at least 1 GiB' })
  defaultDiskGiB?: number;

  @Field({ nullable: true })
  @IsOptionalNonNull()
  @Length(0, 2000, { message: 'must be at most 2000 characters' })
  description?: string;
}

@InputType()
class CreateTemplateInput extends TemplateSizeInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a cluster id' })
  clusterId!: string;

  @Field()
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name!: string;

  @Field(() => MachineKind)
  kind!: MachineKind;

  @Field()
  @Matches(/^[a-z0-9][a-z0-9.-]{0,49}$/, { message: 'must be an OS name such as debian-12 or windows-11' })
  os!: string;

  @Field(() => Int, { nullable: true, description: 'Required for VM templates.' })
  @IsOptional()
  @IsInt()
  @Min(100, { message: 'must be a VMID from 100 to 999999999' })
  @Max(999_999_999, { message: 'must be a VMID from 100 to 999999999' })
  sourceVmid?: number;

  @Field({
    nullable: true,
    description: 'Required for LXC templates, e.g. local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
  })
  @IsOptional()
  @Matches(/^[a-z][\w.-]*:vztmpl\/[\w.+-]+$/, { message: 'must be a volume id like local:vztmpl/<file>' })
  osTemplate?: string;

  @Field({ defaultValue: true })
  cloudInit: boolean = true;
}

@InputType()
class UpdateTemplateInput extends TemplateSizeInput {
  @Field({ nullable: true })
  @IsOptionalNonNull()
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name?: string;
}

@Resolver(() => Template)
export class TemplateResolver {
  @Query(() => [Template], { description: 'Templates machines can be created from (any signed-in user).' })
  templates(
    @Ctx() ctx: Context,
    @Arg('kind', () => MachineKind, { nullable: true }) kind?: MachineKind,
  ): Promise<Template[]> {
    requireViewer(ctx);
    return ctx.em.find(Template, kind ? { kind } : {}, { orderBy: { name: 'ASC', id: 'ASC' } });
  }

  @Mutation(() => Template)
  async createTemplate(@Arg('input') input: CreateTemplateInput, @Ctx() ctx: Context): Promise<Template> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    if (input.kind === MachineKind.VM && !input.sourceVmid)
      throw Errors.invalid('input.sourceVmid', 'is required for VM templates');
    if (input.kind === MachineKind.LXC && !input.osTemplate)
      throw Errors.invalid('input.osTemplate', 'is required for LXC templates');
    const { clusterId, ...fields } = input;
    const cluster = await ctx.em.findOne(Cluster, { id: clusterId });
    if (!cluster) throw Errors.invalid('input.clusterId', 'no such cluster');
    const template = ctx.em.create(Template, {
      defaultCores: 1,
      defaultMemoryMiB: 1024,
      defaultDiskGiB: 8,
      description: '',
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      cluster,
    } as never);
    await ctx.em.flush();
    return template;
  }

  @Mutation(() => Template)
  async updateTemplate(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateTemplateInput,
    @Ctx() ctx: Context,
  ): Promise<Template> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    const template = applyPatch(await findOr404(ctx.em, Template, { id }, id), input);
    await ctx.em.flush();
    return template;
  }

  @Mutation(() => Boolean, { description: 'Refused while machines use the template.' })
  async deleteTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    await ctx.em.remove(await findOr404(ctx.em, Template, { id }, id)).flush();
    return true;
  }
}
