// Invitations: organization admins invite by email with a role; the invitee accepts with the token
// from the link, which creates their account (or, signed in as that email, adds the membership).
// Tokens are shown once, stored hashed, expire, and work once (a conditional update claims them).
import { createHash, randomBytes } from 'node:crypto';
import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { recordSecurityEvent } from '../../auth/mfa-audit.js';
import { hashPassword } from '../../auth/password.js';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { Membership, Role } from '../membership/membership.entity.js';
import { findVisibleOrganization } from '../organization/organization.access.js';
import { Organization } from '../organization/organization.entity.js';
import { passwordProblem } from '../user/password-policy.js';
import { User } from '../user/user.entity.js';
import { Invitation } from './invitation.entity.js';
import { AcceptInvitationInput, CreateInvitationInput } from './invitation.input.js';

const TOKEN_PREFIX = 'pvi_';
const hashToken = (token: string) => createHash('sha256').update(token.trim()).digest('hex');

@ObjectType()
class CreatedInvitation {
  @Field(() => Invitation)
  invitation!: Invitation;

  @Field({
    description:
      'The invitation token, shown this once (only its hash is stored): send it as the link /invite#<token>.',
  })
  token!: string;
}

@ObjectType()
class AcceptedInvitation {
  @Field(() => User)
  user!: User;

  @Field(() => Organization)
  organization!: Organization;

  @Field(() => Role)
  role!: Role;

  @Field({ description: 'True when the account was created now; sign in with its email and password.' })
  accountCreated!: boolean;
}

/** Admins invite; only owners invite owners (as for addMember). */
function requireInviter(ctx: Context, organizationId: string, role: Role): void {
  const viewer = requireViewer(ctx);
  viewer.require(Privilege.OrganizationAdmin, { organizationId });
  if (role === Role.OWNER) viewer.require(Privilege.OrganizationOwner, { organizationId });
}

const refused = {
  unknown: () => Errors.invalid('input.token', 'is not a valid invitation; check the link or ask for a new one'),
  used: () => Errors.invalid('input.token', 'was already used or revoked; ask for a new invitation'),
  expired: () => Errors.invalid('input.token', 'has expired; ask an administrator of the organization for a new one'),
};

@Resolver(() => Invitation)
export class InvitationResolver {
  @Query(() => [Invitation], { description: "An organization's invitations, newest first (organization admins)." })
  async invitations(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: Context,
  ): Promise<Invitation[]> {
    const org = await findVisibleOrganization(ctx, organizationId);
    requireViewer(ctx).require(Privilege.OrganizationAdmin, { organizationId: org.id });
    return ctx.em.find(Invitation, { organization: org.id }, { orderBy: { createdAt: 'DESC', id: 'DESC' } });
  }

  @Mutation(() => CreatedInvitation, {
    description: 'Invites someone by email with a role; returns the token for the invitation link, shown once.',
  })
  async createInvitation(@Arg('input') input: CreateInvitationInput, @Ctx() ctx: Context): Promise<CreatedInvitation> {
    const org = await findVisibleOrganization(ctx, input.organizationId);
    requireInviter(ctx, org.id, input.role);
    const token = TOKEN_PREFIX + randomBytes(24).toString('base64url');
    const invitation = ctx.em.create(Invitation, {
      organization: org,
      email: input.email.toLowerCase(),
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: ctx.em.getReference(User, requireViewer(ctx).id),
      expiresAt: new Date(Date.now() + input.expiresInHours * 3600_000),
    });
    await ctx.em.flush();
    return { invitation, token };
  }

  @Mutation(() => Invitation, { description: 'Revokes an invitation that was not accepted yet.' })
  async revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Invitation> {
    const viewer = requireViewer(ctx);
    const invitation = await ctx.em.findOne(Invitation, { id });
    if (!invitation || !viewer.can(Privilege.OrganizationAdmin, { organizationId: invitation.organization.id }))
      throw Errors.notFound('Invitation', id);
    requireInviter(ctx, invitation.organization.id, invitation.role);
    if (invitation.acceptedAt)
      throw Errors.conflict('The invitation was already accepted:', 'remove the member instead.');
    invitation.revokedAt ??= new Date();
    await ctx.em.flush();
    return invitation;
  }

  @Mutation(() => AcceptedInvitation, {
    description:
      'Accepts an invitation: signed in (as the invited email), adds the membership; otherwise creates the account with name and password.',
  })
  async acceptInvitation(@Arg('input') input: AcceptInvitationInput, @Ctx() ctx: Context): Promise<AcceptedInvitation> {
    const invitation = await ctx.em.findOne(
      Invitation,
      { tokenHash: hashToken(input.token) },
      { populate: ['organization'] },
    );
    if (!invitation) {
      await recordSecurityEvent(ctx, {
        action: 'auth.invitation.accept',
        result: 'failure',
        targetType: 'invitation',
        details: { reason: 'unknown token' },
      });
      throw refused.unknown();
    }
    const fail = async (reason: keyof typeof refused, actorId?: string) => {
      await recordSecurityEvent(ctx, {
        action: 'auth.invitation.accept',
        result: 'failure',
        actorId: actorId ?? null,
        organizationId: invitation.organization.id,
        targetType: 'invitation',
        targetId: invitation.id,
        details: { reason },
      });
      return refused[reason]();
    };
    if (invitation.acceptedAt || invitation.revokedAt) throw await fail('used');
    if (invitation.expiresAt <= new Date()) throw await fail('expired');

    const viewer = ctx.viewer;
    let newUser: { name: string; passwordHash: string } | null = null;
    if (viewer) {
      if (viewer.isApiToken) throw Errors.forbidden('a browser session', 'invitations (not with an API token)');
      if (viewer.user.email.toLowerCase() !== invitation.email)
        throw Errors.forbidden(`the invited email (${invitation.email})`, 'this invitation: sign in as that account');
      if (await ctx.em.count(Membership, { user: viewer.id, organization: invitation.organization.id, project: null }))
        throw Errors.conflict(
          'You are already a member of this organization:',
          'ask an admin to change your role instead.',
        );
    } else {
      if (await ctx.em.count(User, { email: invitation.email }))
        throw Errors.conflict(
          `An account with ${invitation.email} exists:`,
          'sign in as it, then accept the invitation again.',
        );
      const name = input.name?.trim() ?? '';
      if (name.length < 1 || name.length > 200) throw Errors.invalid('input.name', 'must be 1 to 200 characters');
      const problem = passwordProblem(input.password ?? '', invitation.email);
      if (problem) throw Errors.invalid('input.password', problem);
      newUser = { name, passwordHash: await hashPassword(input.password!) };
    }

    const result = await ctx.em.transactional(async (tx) => {
      // The claim: only one request gets the row, and only while it is still valid.
      const claimed = await tx.nativeUpdate(
        Invitation,
        { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } },
        { acceptedAt: new Date() },
      );
      if (claimed !== 1) return null;
      const user = newUser
        ? tx.create(User, { email: invitation.email, displayName: newUser.name, passwordHash: newUser.passwordHash })
        : await tx.findOneOrFail(User, { id: viewer!.id });
      tx.create(Membership, { organization: invitation.organization.id, user, role: invitation.role, project: null });
      await tx.flush();
      await tx.nativeUpdate(Invitation, { id: invitation.id }, { acceptedBy: user.id });
      return user;
    });
    if (!result) throw await fail('used', viewer?.id);
    await recordSecurityEvent(ctx, {
      action: 'auth.invitation.accept',
      result: 'success',
      actorId: result.id,
      organizationId: invitation.organization.id,
      targetType: 'invitation',
      targetId: invitation.id,
      details: { role: invitation.role, accountCreated: Boolean(newUser) },
    });
    viewer?.addGrant({ organizationId: invitation.organization.id, projectId: null, role: invitation.role });
    return {
      user: result,
      organization: invitation.organization,
      role: invitation.role,
      accountCreated: Boolean(newUser),
    };
  }
}
