import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { PageArgs, paginate } from '../../graphql/connection.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { findVisibleOrganization } from '../organization/organization.access.js';
import { Organization } from '../organization/organization.entity.js';
import { Errors } from '../../errors/domain-error.js';
import { pushProjectFirewall } from '../tenancy/firewall-push.js';
import { Project } from './project.entity.js';
import { ProjectConnection, findVisibleProject, projectScope, projectVisibilityFilter } from './project.access.js';
import { CreateProjectInput, UpdateProjectInput } from './project.input.js';

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => ProjectConnection, { description: 'Projects the caller can see, optionally in one organization.' })
  projects(
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId?: string,
  ) {
    const visible = projectVisibilityFilter(requireViewer(ctx));
    const where = organizationId ? { $and: [visible, { organization: organizationId }] } : visible;
    return paginate(ctx.em, Project, where, { field: 'createdAt', direction: 'ASC' }, page);
  }

  @Query(() => Project)
  project(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Project> {
    return findVisibleProject(ctx, id);
  }

  @Mutation(() => Project, { description: 'Needs Organization.Admin; a quota needs Platform.Admin.' })
  async createProject(@Arg('input') input: CreateProjectInput, @Ctx() ctx: Context): Promise<Project> {
    const viewer = requireViewer(ctx);
    const org = await findVisibleOrganization(ctx, input.organizationId);
    viewer.require(Privilege.OrganizationAdmin, { organizationId: org.id });
    if (input.quota)
      viewer.require(Privilege.PlatformAdmin, undefined, 'the platform (quotas are set by platform admins)');
    const project = ctx.em.create(Project, {
      organization: org,
      name: input.name,
      description: input.description,
      quota: input.quota ?? {},
      firewallRules: input.firewallRules ?? [],
    });
    await ctx.em.flush();
    return project;
  }

  @Mutation(() => Project, { description: 'Needs Project.Admin; a quota needs Platform.Admin.' })
  async updateProject(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateProjectInput,
    @Ctx() ctx: Context,
  ): Promise<Project> {
    const viewer = requireViewer(ctx);
    const project = await findVisibleProject(ctx, id);
    viewer.require(Privilege.ProjectAdmin, projectScope(project));
    if (input.quota) {
      viewer.require(Privilege.PlatformAdmin, undefined, 'the platform (quotas are set by platform admins)');
      Object.assign(project.quota, input.quota);
    }
    if (input.name !== undefined) project.name = input.name;
    if (input.description !== undefined) project.description = input.description;
    if (input.firewallRules !== undefined) project.firewallRules = input.firewallRules;
    await ctx.em.flush();
    if (input.firewallRules !== undefined) {
      const failed = await pushProjectFirewall(ctx, project);
      if (failed.length)
        throw Errors.conflict(
          `The rules are saved, but could not be applied to ${failed.join(', ')};`,
          'run updateProject with the same rules again to retry.',
        );
    }
    return project;
  }

  @Mutation(() => Boolean, { description: 'Needs Organization.Admin; refused while the project has machines.' })
  async deleteProject(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const project = await findVisibleProject(ctx, id);
    requireViewer(ctx).require(Privilege.OrganizationAdmin, { organizationId: project.organization.id });
    await ctx.em.remove(project).flush();
    return true;
  }

  @FieldResolver(() => Organization)
  organization(@Root() project: Project, @Ctx() ctx: Context): Promise<Organization> {
    return ctx.loaders.load(Organization, project.organization.id);
  }
}
