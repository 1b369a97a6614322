// The MFA step of sign-in: what signIn returns instead of a session when the account has a second
// factor, and whether a session must be limited to enrolment by an organization's policy.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ObjectType } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { Membership } from '../modules/membership/membership.entity.js';
import type { User } from '../modules/user/user.entity.js';
import { recordSecurityEvent } from './mfa-audit.js';

@ObjectType({ description: 'Proof that the password was right; pass it with a code to completeSignIn.' })
export class MfaChallenge {
  @Field({ description: 'Short-lived and signed; not a session.' })
  challengeToken!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => [String], { description: 'What completeSignIn accepts: TOTP, RECOVERY_CODE.' })
  methods!: string[];
}

export const NO_SESSION = { user: null, accessToken: null, mfaEnrolmentRequired: false } as const;

/** The password was right and the account has a second factor: a challenge, no session. */
export async function startMfaSignIn(ctx: Context, user: User): Promise<MfaChallenge> {
  const { token, expiresAt } = await ctx.services.mfaChallenges.issue(user.id);
  await recordSecurityEvent(ctx, { action: 'auth.mfa.challenge', result: 'success', actorId: user.id });
  return { challengeToken: token, expiresAt, methods: ['TOTP', 'RECOVERY_CODE'] };
}

/** True when the user has no second factor and one of their organizations requires it. */
export async function mustEnrolMfa(em: EntityManager, user: User): Promise<boolean> {
  if (user.totpEnabledAt) return false;
  return (await em.count(Membership, { user: user.id, organization: { requireMfa: true } })) > 0;
}
