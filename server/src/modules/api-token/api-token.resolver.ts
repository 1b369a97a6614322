import { ArrayMaxSize, IsDate, IsIn, IsOptional, Length } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { newApiToken } from '../../auth/session.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { User } from '../user/user.entity.js';
import { ApiToken } from './api-token.entity.js';

const PRIVILEGES = Object.values(Privilege);

@InputType()
class CreateApiTokenInput {
  @Field()
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name!: string;

  @Field(() => [String], {
    description: 'Privileges the token may use on top of reading (e.g. Machine.PowerMgmt); empty means read-only.',
  })
  @ArrayMaxSize(PRIVILEGES.length)
  @IsIn(PRIVILEGES, { each: true, message: `each scope must be one of ${PRIVILEGES.join(', ')}` })
  scopes: string[] = [];

  @Field(() => Date, { nullable: true, description: 'When the token stops working; null for never.' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
}

@ObjectType()
class CreatedApiToken {
  @Field(() => ApiToken)
  apiToken!: ApiToken;

  @Field({ description: 'The token itself, shown this once; only its hash is stored.' })
  token!: string;
}

/** Personal API tokens for integrators: `Authorization: Bearer pvp_...`. A token acts as its user, narrowed to its scopes. */
@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @Query(() => [ApiToken], { description: "The caller's API tokens, newest first." })
  apiTokens(@Ctx() ctx: Context): Promise<ApiToken[]> {
    const viewer = requireViewer(ctx);
    return ctx.em.find(ApiToken, { user: viewer.id }, { orderBy: { createdAt: 'DESC', id: 'DESC' } });
  }

  @Mutation(() => CreatedApiToken)
  async createApiToken(@Arg('input') input: CreateApiTokenInput, @Ctx() ctx: Context): Promise<CreatedApiToken> {
    const viewer = requireViewer(ctx);
    if (viewer.isApiToken) throw Errors.forbidden('a browser session', 'API tokens (a token cannot mint tokens)');
    if (input.expiresAt && input.expiresAt <= new Date())
      throw Errors.invalid('input.expiresAt', 'must be in the future');
    const { token, prefix, hash } = newApiToken();
    const apiToken = ctx.em.create(ApiToken, {
      user: ctx.em.getReference(User, viewer.id),
      name: input.name,
      prefix,
      tokenHash: hash,
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt ?? null,
    });
    await ctx.em.flush();
    return { apiToken, token };
  }

  @Mutation(() => ApiToken, { description: 'Revokes one of your tokens at once.' })
  async revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ApiToken> {
    const viewer = requireViewer(ctx);
    const apiToken = await ctx.em.findOne(ApiToken, { id, user: viewer.id });
    if (!apiToken) throw Errors.notFound('ApiToken', id);
    apiToken.revokedAt ??= new Date();
    await ctx.em.flush();
    return apiToken;
  }
}
