import { Arg, Args, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { hashPassword, verifyPassword } from '../../auth/password.js';
import { Privilege } from '../../auth/privileges.js';
import { setSessionCookies } from '../../auth/session-cookies.js';
import { endRequestSession } from '../../auth/session-refresh.js';
import { Errors } from '../../errors/domain-error.js';
import { ConnectionType, PageArgs, paginate } from '../../graphql/connection.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { MfaChallenge, NO_SESSION, mustEnrolMfa, startMfaSignIn } from '../../auth/mfa-signin.js';
import { User } from './user.entity.js';
import { CreateUserInput, SignInInput } from './user.input.js';

@ObjectType({
  description:
    'Either a session (user and accessToken) or, for an account with a second factor, an mfaChallenge to pass to completeSignIn.',
})
export class SignInPayload {
  @Field(() => User, { nullable: true, description: 'The signed-in user; null while a second factor is due.' })
  user!: User | null;

  @Field(() => String, {
    nullable: true,
    description: 'The session token, for API clients that cannot keep the cookie; null while a second factor is due.',
  })
  accessToken!: string | null;

  @Field(() => MfaChallenge, {
    nullable: true,
    description: 'Set when the account has a second factor: no session yet, complete it with completeSignIn.',
  })
  mfaChallenge!: MfaChallenge | null;

  @Field({
    description:
      'An organization of the user requires a second factor they do not have: the session can only enrol one (beginTotpEnrolment).',
  })
  mfaEnrolmentRequired!: boolean;

  @Field(() => Date, { nullable: true, description: 'When accessToken expires; renew it with refreshSession.' })
  accessTokenExpiresAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Renews the session once (refreshSession); each use returns the next one. Keep it secret.',
  })
  refreshToken?: string | null;
}

/** The one place a session is issued: after a password (no second factor) or after completeSignIn. */
export async function issueSession(ctx: Context, user: User): Promise<SignInPayload> {
  const tokens = await ctx.services.sessions.start(user.id);
  setSessionCookies(ctx.req, ctx.res, tokens);
  return {
    user,
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshToken: tokens.refreshToken,
    mfaChallenge: null,
    mfaEnrolmentRequired: await mustEnrolMfa(ctx.em, user),
  };
}

const UserConnection = ConnectionType(User, 'User');

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in user, or null.' })
  viewer(@Ctx() ctx: Context): User | null {
    return ctx.viewer?.user ?? null;
  }

  @Mutation(() => SignInPayload, { description: 'Signs in with email and password; sets the session cookie.' })
  async signIn(@Arg('input') input: SignInInput, @Ctx() ctx: Context): Promise<SignInPayload> {
    const user = await ctx.em.findOne(
      User,
      { email: input.email.toLowerCase(), disabledAt: null },
      { populate: ['passwordHash'] },
    );
    // Verify even for unknown emails so response time does not reveal which accounts exist.
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, input.password);
    if (!user || !ok) throw Errors.badCredentials();
    // A second factor: no session yet, a challenge for completeSignIn (auth/mfa.resolver.ts).
    if (user.totpEnabledAt) return { ...NO_SESSION, mfaChallenge: await startMfaSignIn(ctx, user) };
    return issueSession(ctx, user);
  }

  @Mutation(() => Boolean, {
    description: "Ends the session: its refresh and access tokens stop working and the browser's cookies are cleared.",
  })
  async signOut(@Ctx() ctx: Context): Promise<boolean> {
    await endRequestSession(ctx.req, ctx.res, ctx.services.sessionKeys, ctx.services.sessions);
    return true;
  }

  @Query(() => UserConnection, { description: 'All users (platform admins only).' })
  users(@Args() page: PageArgs, @Ctx() ctx: Context) {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    return paginate(ctx.em, User, {}, { field: 'email', direction: 'ASC' }, page);
  }

  @Mutation(() => User, { description: 'Creates a local account (platform admins only).' })
  async createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: Context): Promise<User> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    const user = ctx.em.create(User, {
      email: input.email.toLowerCase(),
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      isPlatformAdmin: input.isPlatformAdmin,
    });
    await ctx.em.flush();
    return user;
  }

  @Mutation(() => User, { description: 'Disables (true) or re-enables an account (platform admins only).' })
  async setUserDisabled(
    @Arg('id', () => ID) id: string,
    @Arg('disabled') disabled: boolean,
    @Ctx() ctx: Context,
  ): Promise<User> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    const user = await ctx.em.findOne(User, { id });
    if (!user) throw Errors.notFound('User', id);
    user.disabledAt = disabled ? new Date() : null;
    await ctx.em.flush();
    return user;
  }
}

// A valid argon2id hash of a random string, verified against when the email is unknown.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5VtWOO3gvIjRAU4UYn5yHv6Gd9Uc1o/e0tqhGOdkgFs';
