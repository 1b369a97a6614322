// What a signed-in user does to their own account: change the password (which ends the account's
// other sessions).
import { Length } from 'class-validator';
import { Arg, Ctx, Field, InputType, Mutation, Resolver } from 'type-graphql';
import { recordSecurityEvent } from '../../auth/mfa-audit.js';
import { hashPassword, verifyPassword } from '../../auth/password.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { clientIp } from '../../security/rate-limit.plugin.js';
import { passwordProblem } from './password-policy.js';
import { User } from './user.entity.js';
import { issueSession, SignInPayload } from './user.resolver.js';

@InputType()
class ChangePasswordInput {
  @Field()
  @Length(1, 1024, { message: 'must not be empty' })
  currentPassword!: string;

  @Field({ description: 'At least 12 characters, 5 of them different, not containing the email address.' })
  newPassword!: string;
}

@Resolver()
export class AccountResolver {
  @Mutation(() => SignInPayload, {
    description:
      "Changes the caller's password (the current one proves it is them) and ends every session of the account; the answer (and its cookies) is a new session for this caller.",
  })
  async changePassword(@Arg('input') input: ChangePasswordInput, @Ctx() ctx: Context): Promise<SignInPayload> {
    const viewer = requireViewer(ctx);
    if (viewer.isApiToken) throw Errors.forbidden('a browser session', 'the password (not with an API token)');
    // Guessing the current password through this mutation counts like guessing it at sign-in.
    const { limiter } = ctx.services;
    const limited =
      (await limiter.consume(
        `password:ip:${clientIp(ctx)}`,
        limiter.settings.signInPerIp,
        'password attempts from this address',
      )) ??
      (await limiter.consume(
        `password:account:${viewer.id}`,
        limiter.settings.signInPerAccount,
        'password attempts for this account',
      ));
    if (limited) throw Errors.rateLimited(limited.what, limited.retryAfterSeconds);

    const user = await ctx.em.findOneOrFail(User, { id: viewer.id }, { populate: ['passwordHash'] });
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      await recordSecurityEvent(ctx, {
        action: 'auth.password.change',
        result: 'failure',
        details: { reason: 'wrong current password' },
      });
      throw Errors.invalid('input.currentPassword', 'is not the password of this account');
    }
    const problem = passwordProblem(input.newPassword, user.email);
    if (problem) throw Errors.invalid('input.newPassword', problem);
    if (input.newPassword === input.currentPassword)
      throw Errors.invalid('input.newPassword', 'must differ from the current password');
    user.passwordHash = await hashPassword(input.newPassword);
    await ctx.em.flush();
    await limiter.reset(`password:account:${viewer.id}`);
    // Whoever else holds a session of this account (a stolen one, say) is signed out.
    await ctx.services.sessions.store.revokeUser(user.id);
    await recordSecurityEvent(ctx, {
      action: 'auth.password.change',
      result: 'success',
      details: { sessionsEnded: true },
    });
    return issueSession(ctx, user);
  }
}
