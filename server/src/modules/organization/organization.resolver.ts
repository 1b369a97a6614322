import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { ConnectionType, PageArgs, paginate } from '../../graphql/connection.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { Membership, Role } from '../membership/membership.entity.js';
import { Project } from '../project/project.entity.js';
import { ProjectConnection, projectVisibilityFilter } from '../project/project.access.js';
import { Organization } from './organization.entity.js';
import { CreateOrganizationInput, UpdateOrganizationInput } from './organization.input.js';
import { findVisibleOrganization } from './organization.access.js';

export const OrganizationConnection = ConnectionType(Organization, 'Organization');

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => OrganizationConnection, {
    description: 'Organizations the caller belongs to (all, for platform admins).',
  })
  organizations(@Args() page: PageArgs, @Ctx() ctx: Context) {
    const viewer = requireViewer(ctx);
    const where = viewer.isPlatformAdmin ? {} : { id: { $in: viewer.organizationIds() } };
    return paginate(ctx.em, Organization, where, { field: 'name', direction: 'ASC' }, page);
  }

  @Query(() => Organization)
  organization(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Organization> {
    return findVisibleOrganization(ctx, id);
  }

  @Mutation(() => Organization, { description: 'Creates an organization; the caller becomes its owner.' })
  async createOrganization(@Arg('input') input: CreateOrganizationInput, @Ctx() ctx: Context): Promise<Organization> {
    const viewer = requireViewer(ctx);
    const org = ctx.em.create(Organization, { name: input.name, slug: input.slug });
    ctx.em.create(Membership, { organization: org, user: viewer.user, role: Role.OWNER, project: null });
    await ctx.em.flush();
    // The viewer was built before this membership existed; without the grant the payload's members
    // and projects would be refused to the new owner.
    viewer.addGrant({ organizationId: org.id, projectId: null, role: Role.OWNER });
    return org;
  }

  @Mutation(() => Organization)
  async updateOrganization(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateOrganizationInput,
    @Ctx() ctx: Context,
  ): Promise<Organization> {
    const org = await findVisibleOrganization(ctx, id);
    const viewer = requireViewer(ctx);
    viewer.require(Privilege.OrganizationAdmin, { organizationId: org.id });
    if (input.name !== undefined) org.name = input.name;
    if (input.quota) {
      viewer.require(Privilege.PlatformAdmin, undefined, 'the platform (quotas are set by platform admins)');
      Object.assign(org.quota, input.quota);
    }
    await ctx.em.flush();
    return org;
  }

  @Mutation(() => Boolean, {
    description: 'Deletes the organization with its projects; refused while it has machines.',
  })
  async deleteOrganization(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const org = await findVisibleOrganization(ctx, id);
    requireViewer(ctx).require(Privilege.OrganizationOwner, { organizationId: org.id });
    await ctx.em.remove(org).flush();
    return true;
  }

  @FieldResolver(() => ProjectConnection, { description: 'Projects of this organization the caller can see.' })
  projects(@Root() org: Organization, @Args() page: PageArgs, @Ctx() ctx: Context) {
    const where = { $and: [{ organization: org.id }, projectVisibilityFilter(requireViewer(ctx))] };
    return paginate(ctx.em, Project, where, { field: 'name', direction: 'ASC' }, page);
  }

  @FieldResolver(() => [Membership], { description: 'Members and their roles (needs Organization.Audit).' })
  members(@Root() org: Organization, @Ctx() ctx: Context): Promise<Membership[]> {
    requireViewer(ctx).require(Privilege.OrganizationAudit, { organizationId: org.id });
    return ctx.em.find(Membership, { organization: org.id }, { orderBy: { createdAt: 'ASC', id: 'ASC' } });
  }
}
