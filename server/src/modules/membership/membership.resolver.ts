import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { IsEmail, IsOptional, IsUUID } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { findVisibleOrganization } from '../organization/organization.access.js';
import { Organization } from '../organization/organization.entity.js';
import { Project } from '../project/project.entity.js';
import { User } from '../user/user.entity.js';
import { Membership, Role } from './membership.entity.js';

@InputType()
class AddMemberInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be an organization id' })
  organizationId!: string;

  @Field(() => ID, { nullable: true, description: 'Give the role in this project only.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a project id' })
  projectId?: string;

  @Field({ description: 'Email of an existing user.' })
  @IsEmail({}, { message: 'must be an email address' })
  email!: string;

  @Field(() => Role)
  role!: Role;
}

/** Owners are managed by owners; admins manage the other roles. */
function requireRoleManagement(ctx: Context, organizationId: string, roles: Role[]): void {
  const viewer = requireViewer(ctx);
  viewer.require(Privilege.OrganizationAdmin, { organizationId });
  if (roles.includes(Role.OWNER)) viewer.require(Privilege.OrganizationOwner, { organizationId });
}

/**
 * Call inside a transaction that then changes `membership`. The organization row is locked first, so
 * two owners stepping down at once are serialised and the second one counts after the first.
 */
async function assertOwnerRemains(em: EntityManager, membership: Membership): Promise<void> {
  if (membership.role !== Role.OWNER || membership.project) return;
  await em.findOneOrFail(Organization, { id: membership.organization.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const owners = await em.count(Membership, {
    organization: membership.organization.id,
    project: null,
    role: Role.OWNER,
  });
  if (owners <= 1)
    throw Errors.conflict('This is the last owner of the organization:', 'make another member owner first.');
}

async function findMembership(ctx: Context, id: string): Promise<Membership> {
  const membership = await ctx.em.findOne(Membership, { id });
  const viewer = requireViewer(ctx);
  if (!membership || !viewer.can(Privilege.OrganizationAudit, { organizationId: membership.organization.id })) {
    throw Errors.notFound('Membership', id);
  }
  return membership;
}

@Resolver(() => Membership)
export class MembershipResolver {
  @Mutation(() => Membership, {
    description: 'Gives an existing user a role in the organization or one of its projects.',
  })
  async addMember(@Arg('input') input: AddMemberInput, @Ctx() ctx: Context): Promise<Membership> {
    const org = await findVisibleOrganization(ctx, input.organizationId);
    requireRoleManagement(ctx, org.id, [input.role]);
    const user = await ctx.em.findOne(User, { email: input.email.toLowerCase() });
    if (!user) throw Errors.invalid('input.email', 'no user has this email; create the account first');
    const project = input.projectId
      ? await ctx.em.findOne(Project, { id: input.projectId, organization: org.id })
      : null;
    if (input.projectId && !project) throw Errors.invalid('input.projectId', 'no such project in this organization');
    const membership = ctx.em.create(Membership, { organization: org, project, user, role: input.role });
    await ctx.em.flush();
    return membership;
  }

  @Mutation(() => Membership)
  async updateMemberRole(
    @Arg('id', () => ID) id: string,
    @Arg('role', () => Role) role: Role,
    @Ctx() ctx: Context,
  ): Promise<Membership> {
    const membership = await findMembership(ctx, id);
    requireRoleManagement(ctx, membership.organization.id, [membership.role, role]);
    await ctx.em.transactional(async (em) => {
      if (role !== Role.OWNER) await assertOwnerRemains(em, membership);
      membership.role = role;
    });
    return membership;
  }

  @Mutation(() => Boolean)
  async removeMember(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const membership = await findMembership(ctx, id);
    requireRoleManagement(ctx, membership.organization.id, [membership.role]);
    await ctx.em.transactional(async (em) => {
      await assertOwnerRemains(em, membership);
      em.remove(membership);
    });
    return true;
  }

  @FieldResolver(() => User)
  user(@Root() m: Membership, @Ctx() ctx: Context): Promise<User> {
    return ctx.loaders.load(User, m.user.id);
  }

  @FieldResolver(() => Organization)
  organization(@Root() m: Membership, @Ctx() ctx: Context): Promise<Organization> {
    return ctx.loaders.load(Organization, m.organization.id);
  }

  @FieldResolver(() => Project, { nullable: true })
  project(@Root() m: Membership, @Ctx() ctx: Context): Promise<Project> | null {
    return m.project ? ctx.loaders.load(Project, m.project.id) : null;
  }
}
