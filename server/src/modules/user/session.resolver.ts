import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { REFRESH_COOKIE, requestCookies, setSessionCookies } from '../../auth/session-cookies.js';
import { refreshSession } from '../../auth/session-refresh.js';
import { SessionErrors } from '../../auth/session-tokens.js';
import type { Context } from '../../graphql/context.js';
import { User } from './user.entity.js';

@ObjectType({ description: 'A renewed session: a new access token and, usually, the next refresh token.' })
export class RefreshedSession {
  @Field(() => User)
  user!: User;

  @Field({ description: 'Send as `Authorization: Bearer`; short-lived (accessTokenExpiresAt).' })
  accessToken!: string;

  @Field()
  accessTokenExpiresAt!: Date;

  @Field(() => String, {
    nullable: true,
    description:
      'The next refresh token, to use once. Null when the refresh token came in the cookie (the cookie now holds the next one), or when this one was used again within a few seconds of its rotation (keep the newer one).',
  })
  refreshToken!: string | null;

  @Field({ description: 'When the session ends regardless of refreshes; sign in again then.' })
  sessionExpiresAt!: Date;
}

@ObjectType({ description: 'An OpenID Connect provider users can sign in with.' })
export class AuthProvider {
  @Field(() => ID)
  id!: string;

  @Field()
  displayName!: string;

  @Field({ description: 'Where the browser goes to sign in with it (a path of the web app).' })
  startPath!: string;
}

@Resolver()
export class SessionResolver {
  @Mutation(() => RefreshedSession, {
    description:
      'Rotates a refresh token (the argument, or the browser cookie with X-CSRF-Token). Using a rotated token again revokes the whole session.',
  })
  async refreshSession(
    @Arg('refreshToken', () => String, { nullable: true }) refreshToken: string | null,
    @Ctx() ctx: Context,
  ): Promise<RefreshedSession> {
    const fromCookie = !refreshToken;
    const token = refreshToken ?? requestCookies(ctx.req)[REFRESH_COOKIE];
    if (!token) throw SessionErrors.refreshInvalid();
    const { tokens, user } = await refreshSession(ctx.em, ctx.services.sessions, ctx.log, token, {
      ip: ctx.req?.ip ?? null,
      userAgent: ctx.req?.get('user-agent') ?? null,
    });
    if (fromCookie) setSessionCookies(ctx.req, ctx.res, tokens);
    return {
      user,
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.accessTokenExpiresAt,
      refreshToken: fromCookie ? null : tokens.refreshToken,
      sessionExpiresAt: tokens.sessionExpiresAt,
    };
  }

  @Query(() => [AuthProvider], { description: 'The configured OpenID Connect providers, for sign-in buttons.' })
  authProviders(@Ctx() ctx: Context): AuthProvider[] {
    return ctx.services.oidc.list().map((p) => ({
      id: p.id,
      displayName: p.displayName,
      startPath: `/auth/oidc/${p.id}/start`,
    }));
  }
}
