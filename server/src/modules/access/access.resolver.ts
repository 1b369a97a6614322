// What the signed-in user may do where, and how much of a quota is used: the web app hides buttons the
// API would refuse and draws usage against quota with these. Every mutation still checks on its own.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import type { Scope } from '../../auth/viewer.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { usage as machinesUsage } from '../quota/quota.service.js';
import { findVisibleOrganization } from '../organization/organization.access.js';
import { Organization } from '../organization/organization.entity.js';
import { findVisibleProject, projectScope } from '../project/project.access.js';
import { Project } from '../project/project.entity.js';

@ObjectType({ description: 'What the machines of a project or organization hold now, to set against its quota.' })
export class ResourceUsage {
  @Field(() => Int)
  machines!: number;

  @Field(() => Int)
  cores!: number;

  @Field(() => Int, { description: 'MiB' })
  memoryMiB!: number;

  @Field(() => Int, { description: 'GiB' })
  diskGiB!: number;
}

@Resolver()
export class AccessResolver {
  @Query(() => [String], {
    description:
      'The privileges the caller holds in a project, or organization-wide in an organization, or on the platform ' +
      '(no argument: Platform.Admin or nothing). Narrowed by an API token’s scopes. For hiding what would be refused.',
  })
  async myPrivileges(
    @Ctx() ctx: Context,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId?: string | null,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string | null,
  ): Promise<string[]> {
    const viewer = requireViewer(ctx);
    let scope: Scope | undefined;
    if (projectId) {
      const project = await findVisibleProject(ctx, projectId);
      if (organizationId && organizationId !== project.organization.id)
        throw Errors.invalid('projectId', 'the project belongs to another organization; leave organizationId out');
      scope = projectScope(project);
    } else if (organizationId) {
      const org = await findVisibleOrganization(ctx, organizationId);
      scope = { organizationId: org.id, projectId: null };
    }
    return Object.values(Privilege).filter((privilege) => viewer.can(privilege, scope));
  }
}

@Resolver(() => Project)
export class ProjectUsageResolver {
  @FieldResolver(() => ResourceUsage, { description: 'What its machines hold now (see quota).' })
  usage(@Root() project: Project, @Ctx() ctx: Context): Promise<ResourceUsage> {
    return machinesUsage(ctx.em as EntityManager, { project: project.id });
  }
}

@Resolver(() => Organization)
export class OrganizationUsageResolver {
  @FieldResolver(() => ResourceUsage, { description: 'What the machines of all its projects hold now (see quota).' })
  usage(@Root() org: Organization, @Ctx() ctx: Context): Promise<ResourceUsage> {
    return machinesUsage(ctx.em as EntityManager, { project: { organization: org.id } });
  }
}
