// The second factor through the API: enrolment (URI + QR, confirmed by a first code, which yields
// the recovery codes), completing a sign-in with a code or a recovery code, turning it off, and the
// organization policy that requires it. Every check of a code counts against a rate limit per
// account and per address, and every outcome is a security event in the audit log.
import { IsOptional, Length } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { DomainError, Errors } from '../errors/domain-error.js';
import { requireViewer, type Context } from '../graphql/context.js';
import { findVisibleOrganization } from '../modules/organization/organization.access.js';
import { Organization } from '../modules/organization/organization.entity.js';
import { User } from '../modules/user/user.entity.js';
import { issueSession, SignInPayload } from '../modules/user/user.resolver.js';
import { clientIp } from '../security/rate-limit.plugin.js';
import { recordSecurityEvent } from './mfa-audit.js';
import { issueRecoveryCodes, redeemRecoveryCode, remainingRecoveryCodes, removeRecoveryCodes } from './mfa-recovery.js';
import { confirmTotpEnrolment, removeTotp, startTotpEnrolment, verifyTotp } from './mfa-totp.js';
import { verifyPassword } from './password.js';
import { Privilege } from './privileges.js';

@ObjectType()
class MfaStatus {
  @Field({ description: 'A TOTP second factor is confirmed.' })
  totpEnabled!: boolean;

  @Field({ description: 'An organization of yours requires a second factor you do not have yet.' })
  enrolmentRequired!: boolean;

  @Field(() => Int, { description: 'Recovery codes not used yet.' })
  recoveryCodesRemaining!: number;
}

@ObjectType({ description: 'Scan the QR code (or type the secret) into an authenticator app, then confirm a code.' })
class TotpEnrolment {
  @Field()
  otpauthUri!: string;

  @Field({ description: 'The otpauth URI as a PNG data URL.' })
  qrCodeDataUrl!: string;

  @Field({ description: 'The base32 secret, for typing in by hand. Shown this once.' })
  secret!: string;
}

@ObjectType()
class RecoveryCodes {
  @Field(() => [String], {
    description: 'One-time recovery codes, shown this once: each signs in once in place of a TOTP code.',
  })
  recoveryCodes!: string[];

  @Field(() => User)
  user!: User;
}

@InputType()
class CompleteSignInInput {
  @Field({ description: 'mfaChallenge.challengeToken from signIn.' })
  @Length(1, 4096, { message: 'must not be empty' })
  challengeToken!: string;

  @Field({ nullable: true, description: 'The 6-digit code of the authenticator app.' })
  @IsOptional()
  @Length(1, 16, { message: 'must be the 6-digit code' })
  code?: string;

  @Field({ nullable: true, description: 'One of the recovery codes, instead of a code.' })
  @IsOptional()
  @Length(1, 64, { message: 'must be a recovery code' })
  recoveryCode?: string;
}

@InputType()
class DisableTotpInput {
  @Field({ nullable: true, description: 'A current code of the authenticator app.' })
  @IsOptional()
  @Length(1, 16, { message: 'must be the 6-digit code' })
  code?: string;

  @Field({ nullable: true, description: 'Or the account password.' })
  @IsOptional()
  @Length(1, 1024, { message: 'must not be empty' })
  password?: string;
}

const wrongCode = () =>
  new DomainError('UNAUTHENTICATED', 'The code is wrong, expired or already used; sign in again if this persists.');

/** Counts one check of a code for `userId` (and the address); RATE_LIMITED once over. */
async function countAttempt(ctx: Context, userId: string): Promise<void> {
  const { limiter } = ctx.services;
  const limited =
    (await limiter.consume(
      `mfa:ip:${clientIp(ctx)}`,
      limiter.settings.signInPerIp,
      'second-factor attempts from this address',
    )) ??
    (await limiter.consume(
      `mfa:account:${userId}`,
      limiter.settings.signInPerAccount,
      'second-factor attempts for this account',
    ));
  if (!limited) return;
  await recordSecurityEvent(ctx, {
    action: 'auth.mfa.rateLimited',
    result: 'denied',
    actorId: userId,
    details: { limit: limited.what },
  });
  throw Errors.rateLimited(limited.what, limited.retryAfterSeconds);
}

/** A browser session of the caller: a token cannot change its user's second factor. */
function requireSession(ctx: Context) {
  const viewer = requireViewer(ctx);
  if (viewer.isApiToken) throw Errors.forbidden('a browser session', 'the second factor (not with an API token)');
  return viewer;
}

@Resolver()
export class MfaResolver {
  @Query(() => MfaStatus, { description: "The caller's second factor." })
  async mfaStatus(@Ctx() ctx: Context): Promise<MfaStatus> {
    const viewer = requireViewer(ctx);
    return {
      totpEnabled: Boolean(viewer.user.totpEnabledAt),
      enrolmentRequired: viewer.mfaEnrolmentRequired,
      recoveryCodesRemaining: await remainingRecoveryCodes(ctx.em, viewer.id),
    };
  }

  @Mutation(() => TotpEnrolment, {
    description: 'Starts TOTP enrolment: a new secret, active once confirmTotpEnrolment gets a code of it.',
  })
  async beginTotpEnrolment(@Ctx() ctx: Context): Promise<TotpEnrolment> {
    const viewer = requireSession(ctx);
    if (viewer.user.totpEnabledAt)
      throw Errors.conflict('A second factor is already active:', 'disable it first (disableTotp) to enrol a new one.');
    return startTotpEnrolment(ctx.services.secrets, viewer.user);
  }

  @Mutation(() => RecoveryCodes, {
    description: 'Confirms TOTP enrolment with a current code; returns ten one-time recovery codes, shown this once.',
  })
  async confirmTotpEnrolment(@Arg('code') code: string, @Ctx() ctx: Context): Promise<RecoveryCodes> {
    const viewer = requireSession(ctx);
    if (viewer.user.totpEnabledAt) throw Errors.conflict('A second factor is already active:', 'nothing to confirm.');
    await countAttempt(ctx, viewer.id);
    const outcome = await confirmTotpEnrolment(ctx.em, ctx.services.secrets, viewer.user, code);
    if (outcome === 'no-pending')
      throw Errors.conflict('No enrolment is in progress:', 'call beginTotpEnrolment first.');
    if (outcome === 'wrong-code') {
      await recordSecurityEvent(ctx, {
        action: 'auth.mfa.enrol',
        result: 'failure',
        details: { reason: 'wrong code' },
      });
      throw Errors.invalid('code', 'is not the current code of the authenticator app; check its clock and try again');
    }
    const recoveryCodes = await issueRecoveryCodes(ctx.em, viewer.id);
    await ctx.services.limiter.reset(`mfa:account:${viewer.id}`);
    await recordSecurityEvent(ctx, { action: 'auth.mfa.enrol', result: 'success', details: { method: 'TOTP' } });
    return { recoveryCodes, user: viewer.user };
  }

  @Mutation(() => SignInPayload, {
    description:
      'Second step of signIn for accounts with a second factor: the challenge and a code (or a recovery code) issue the session.',
  })
  async completeSignIn(@Arg('input') input: CompleteSignInInput, @Ctx() ctx: Context): Promise<SignInPayload> {
    const userId = await ctx.services.mfaChallenges.verify(input.challengeToken);
    if (!userId) {
      await recordSecurityEvent(ctx, {
        action: 'auth.mfa.verify',
        result: 'failure',
        details: { reason: 'invalid or expired challenge' },
      });
      throw new DomainError('UNAUTHENTICATED', 'The sign-in challenge is invalid or expired; sign in again.');
    }
    if (!input.code === !input.recoveryCode)
      throw Errors.invalid('input.code', 'give either code or recoveryCode (one of them)');
    await countAttempt(ctx, userId);
    const user = await ctx.em.findOne(User, { id: userId, disabledAt: null });
    if (!user?.totpEnabledAt) {
      await recordSecurityEvent(ctx, {
        action: 'auth.mfa.verify',
        result: 'failure',
        actorId: userId,
        details: { reason: 'no second factor' },
      });
      throw new DomainError('UNAUTHENTICATED', 'The sign-in challenge is invalid or expired; sign in again.');
    }
    const method = input.code ? 'TOTP' : 'RECOVERY_CODE';
    const ok = input.code
      ? await verifyTotp(ctx.em, ctx.services.secrets, user.id, input.code)
      : await redeemRecoveryCode(ctx.em, user.id, input.recoveryCode!);
    if (!ok) {
      await recordSecurityEvent(ctx, {
        action: 'auth.mfa.verify',
        result: 'failure',
        actorId: user.id,
        details: { method, reason: 'wrong, expired or already used code' },
      });
      throw wrongCode();
    }
    await ctx.services.limiter.reset(`mfa:account:${user.id}`);
    await recordSecurityEvent(ctx, {
      action: 'auth.mfa.verify',
      result: 'success',
      actorId: user.id,
      details: {
        method,
        ...(method === 'RECOVERY_CODE'
          ? { recoveryCodesRemaining: await remainingRecoveryCodes(ctx.em, user.id) }
          : {}),
      },
    });
    return issueSession(ctx, user);
  }

  @Mutation(() => User, { description: 'Turns the second factor off, with a current code or the password.' })
  async disableTotp(@Arg('input') input: DisableTotpInput, @Ctx() ctx: Context): Promise<User> {
    const viewer = requireSession(ctx);
    if (!viewer.user.totpEnabledAt) throw Errors.conflict('No second factor is active:', 'nothing to disable.');
    if (!input.code && !input.password) throw Errors.invalid('input.code', 'give a current code or the password');
    await countAttempt(ctx, viewer.id);
    let ok: boolean;
    if (input.code) {
      ok = await verifyTotp(ctx.em, ctx.services.secrets, viewer.id, input.code);
    } else {
      const user = await ctx.em.fork().findOne(User, { id: viewer.id }, { populate: ['passwordHash'] });
      ok = await verifyPassword(user?.passwordHash, input.password!);
    }
    if (!ok) {
      await recordSecurityEvent(ctx, {
        action: 'auth.mfa.disable',
        result: 'failure',
        details: { reason: input.code ? 'wrong code' : 'wrong password' },
      });
      throw input.code
        ? Errors.invalid('input.code', 'is not a current code of the authenticator app')
        : Errors.invalid('input.password', 'is not the password of this account');
    }
    await removeTotp(ctx.em, ctx.services.secrets, viewer.id);
    await removeRecoveryCodes(ctx.em, viewer.id);
    await ctx.services.limiter.reset(`mfa:account:${viewer.id}`);
    viewer.user.totpEnabledAt = null;
    await recordSecurityEvent(ctx, { action: 'auth.mfa.disable', result: 'success' });
    return viewer.user;
  }

  @Mutation(() => RecoveryCodes, {
    description: 'Replaces the recovery codes with ten new ones (the old ones stop working), with a current code.',
  })
  async regenerateRecoveryCodes(@Arg('code') code: string, @Ctx() ctx: Context): Promise<RecoveryCodes> {
    const viewer = requireSession(ctx);
    if (!viewer.user.totpEnabledAt) throw Errors.conflict('No second factor is active:', 'enrol one first.');
    await countAttempt(ctx, viewer.id);
    if (!(await verifyTotp(ctx.em, ctx.services.secrets, viewer.id, code))) {
      await recordSecurityEvent(ctx, {
        action: 'auth.mfa.recoveryCodes',
        result: 'failure',
        details: { reason: 'wrong code' },
      });
      throw Errors.invalid('code', 'is not a current code of the authenticator app');
    }
    const recoveryCodes = await issueRecoveryCodes(ctx.em, viewer.id);
    await recordSecurityEvent(ctx, { action: 'auth.mfa.recoveryCodes', result: 'success' });
    return { recoveryCodes, user: viewer.user };
  }

  @Mutation(() => Organization, {
    description:
      'Requires (or stops requiring) a second factor of every member (organization admins). Members without one can then only enrol.',
  })
  async setOrganizationRequireMfa(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('required') required: boolean,
    @Ctx() ctx: Context,
  ): Promise<Organization> {
    const org = await findVisibleOrganization(ctx, organizationId);
    requireViewer(ctx).require(Privilege.OrganizationAdmin, { organizationId: org.id });
    org.requireMfa = required;
    // Audited by the audit plugin as mutation.setOrganizationRequireMfa, with the organization.
    await ctx.em.flush();
    return org;
  }
}
