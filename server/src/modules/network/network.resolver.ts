import { IsBoolean, IsInt, IsIP, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { applyPatch } from '../../graphql/crud.js';
import { IsOptionalNonNull } from '../../graphql/validate.js';
import { SLUG } from '../organization/organization.input.js';
import { findVisibleProject, projectScope } from '../project/project.access.js';
import { NetworkConfiguration } from './network.entity.js';

const BRIDGE = /^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/;
const CIDR4 = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/([0-9]|[12]\d|3[0-2])$/;

@InputType()
class NetworkFields {
  @Field({ nullable: true })
  @IsOptionalNonNull()
  @Matches(BRIDGE, { message: 'must be a Linux bridge or SDN VNet name such as vmbr0 (max 15 characters)' })
  bridge?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'must be a VLAN id from 1 to 4094' })
  @Max(4094, { message: 'must be a VLAN id from 1 to 4094' })
  vlanTag?: number | null;

  @Field(() => String, { nullable: true, description: 'IPv4 CIDR for static addresses; null for DHCP.' })
  @IsOptional()
  @Matches(CIDR4, { message: 'must be an IPv4 CIDR such as 10.0.0.0/24' })
  cidr?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIP(4, { message: 'must be an IPv4 address' })
  gateway?: string | null;

  @Field({ nullable: true })
  @IsOptionalNonNull()
  @IsBoolean({ message: 'must be true or false' })
  firewall?: boolean;
}

@InputType()
class CreateNetworkConfigurationInput extends NetworkFields {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a project id' })
  projectId!: string;

  @Field()
  @Matches(SLUG, { message: 'must be 1 to 63 lowercase letters, digits or hyphens' })
  name!: string;
}

@InputType()
class UpdateNetworkConfigurationInput extends NetworkFields {
  @Field({ nullable: true })
  @IsOptionalNonNull()
  @Matches(SLUG, { message: 'must be 1 to 63 lowercase letters, digits or hyphens' })
  name?: string;
}

/** A gateway means static addressing, which needs a CIDR. `patch` (of an update) tells which field the caller got wrong. */
function assertGatewayHasCidr(
  network: { gateway?: string | null; cidr?: string | null },
  patch: { cidr?: string | null } = {},
): void {
  if (!network.gateway || network.cidr) return;
  if (patch.cidr === null)
    throw Errors.invalid('input.cidr', 'cannot be cleared while the network has a gateway; clear input.gateway too');
  throw Errors.invalid('input.gateway', 'needs input.cidr (a gateway means static addressing)');
}

async function findNetwork(ctx: Context, id: string, privilege: Privilege): Promise<NetworkConfiguration> {
  const network = await ctx.em.findOne(NetworkConfiguration, { id }, { populate: ['project'] });
  const viewer = requireViewer(ctx);
  if (!network || !viewer.can(Privilege.ProjectAudit, projectScope(network.project))) {
    throw Errors.notFound('NetworkConfiguration', id);
  }
  viewer.require(privilege, projectScope(network.project), 'this project');
  return network;
}

@Resolver(() => NetworkConfiguration)
export class NetworkConfigurationResolver {
  @Query(() => [NetworkConfiguration])
  async networkConfigurations(
    @Arg('projectId', () => ID) projectId: string,
    @Ctx() ctx: Context,
  ): Promise<NetworkConfiguration[]> {
    const project = await findVisibleProject(ctx, projectId);
    return ctx.em.find(NetworkConfiguration, { project: project.id }, { orderBy: { name: 'ASC' } });
  }

  @Mutation(() => NetworkConfiguration, { description: 'Needs Project.Admin.' })
  async createNetworkConfiguration(
    @Arg('input') input: CreateNetworkConfigurationInput,
    @Ctx() ctx: Context,
  ): Promise<NetworkConfiguration> {
    const { projectId, ...fields } = input;
    const project = await findVisibleProject(ctx, projectId);
    requireViewer(ctx).require(Privilege.ProjectAdmin, projectScope(project), 'this project');
    if (!fields.bridge) throw Errors.invalid('input.bridge', 'is required');
    assertGatewayHasCidr(fields);
    const network = ctx.em.create(NetworkConfiguration, { ...fields, bridge: fields.bridge, project } as never);
    await ctx.em.flush();
    return network;
  }

  @Mutation(() => NetworkConfiguration, { description: 'Needs Project.Admin.' })
  async updateNetworkConfiguration(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateNetworkConfigurationInput,
    @Ctx() ctx: Context,
  ): Promise<NetworkConfiguration> {
    const network = applyPatch(await findNetwork(ctx, id, Privilege.ProjectAdmin), input);
    assertGatewayHasCidr(network, input);
    await ctx.em.flush();
    return network;
  }

  @Mutation(() => Boolean, { description: 'Needs Project.Admin.' })
  async deleteNetworkConfiguration(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.em.remove(await findNetwork(ctx, id, Privilege.ProjectAdmin)).flush();
    return true;
  }
}
