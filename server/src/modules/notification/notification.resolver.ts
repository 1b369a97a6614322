// Notification channels (an organisation's: Organization.Admin; the platform's: Platform.Admin) and
// their delivery attempts. A webhook's signing secret goes to the secret store, never the database.
import { ArrayMaxSize, IsEmail, IsOptional, IsUrl, Length } from 'class-validator';
import { Arg, Args, Ctx, Field, ID, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { ConnectionType, PageArgs, paginate } from '../../graphql/connection.js';
import { IsOptionalNonNull } from '../../graphql/validate.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { AlertSeverity } from '../alert/alert.entity.js';
import { findVisibleOrganization } from '../organization/organization.access.js';
import { ChannelKind, NotificationChannel, NotificationDelivery } from './notification.entity.js';

const DeliveryConnection = ConnectionType(NotificationDelivery, 'NotificationDelivery');
const url = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

@InputType()
export class CreateNotificationChannelInput {
  @Field(() => ID, { nullable: true, description: 'Null: a platform channel (platform alerts; Platform.Admin).' })
  organizationId?: string | null;

  @Field()
  @Length(1, 100)
  name!: string;

  @Field(() => ChannelKind)
  kind!: ChannelKind;

  @Field(() => String, { nullable: true, description: 'WEBHOOK: http(s) URL notifications are POSTed to.' })
  @IsOptional()
  @IsUrl(url)
  url?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'WEBHOOK: the HMAC-SHA256 signing secret (16 to 200 characters), kept in the secret store.',
  })
  @IsOptional()
  @Length(16, 200)
  webhookSecret?: string | null;

  @Field(() => [String], { nullable: true, description: 'EMAIL: up to 50 addresses.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEmail({}, { each: true })
  recipients?: string[] | null;

  @Field(() => AlertSeverity, { defaultValue: AlertSeverity.INFO })
  minSeverity: AlertSeverity = AlertSeverity.INFO;
}

@InputType()
export class UpdateNotificationChannelInput {
  @Field({ nullable: true })
  @IsOptionalNonNull()
  @Length(1, 100)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptionalNonNull()
  @IsUrl(url)
  url?: string;

  @Field(() => String, { nullable: true, description: 'A new signing secret (replaces the old one).' })
  @IsOptionalNonNull()
  @Length(16, 200)
  webhookSecret?: string;

  @Field(() => [String], { nullable: true })
  @IsOptionalNonNull()
  @ArrayMaxSize(50)
  @IsEmail({}, { each: true })
  recipients?: string[];

  @Field(() => AlertSeverity, { nullable: true })
  minSeverity?: AlertSeverity;

  @Field({ nullable: true })
  enabled?: boolean;
}

/** Organization.Admin in the organisation (NOT_FOUND to outsiders), or Platform.Admin for the platform's. */
async function authorizeOwner(ctx: Context, organizationId: string | null | undefined): Promise<string | null> {
  const viewer = requireViewer(ctx);
  if (!organizationId) {
    viewer.require(Privilege.PlatformAdmin, undefined, 'the platform (its notification channels)');
    return null;
  }
  const org = await findVisibleOrganization(ctx, organizationId);
  viewer.require(Privilege.OrganizationAdmin, { organizationId: org.id });
  return org.id;
}

async function findChannel(ctx: Context, id: string): Promise<NotificationChannel> {
  const channel = await ctx.em.findOne(NotificationChannel, { id });
  const viewer = requireViewer(ctx);
  const orgId = channel?.organization?.id;
  const visible = channel && (orgId ? viewer.isPlatformAdmin || viewer.memberOf(orgId) : viewer.isPlatformAdmin);
  if (!visible) throw Errors.notFound('NotificationChannel', id);
  await authorizeOwner(ctx, orgId);
  return channel;
}

function checkKind(c: NotificationChannel, hasSecret: boolean) {
  if (c.kind === ChannelKind.WEBHOOK) {
    if (!c.url) throw Errors.invalid('input.url', 'is required for a WEBHOOK channel');
    if (!hasSecret) throw Errors.invalid('input.webhookSecret', 'is required for a WEBHOOK channel');
    if (c.recipients.length) throw Errors.invalid('input.recipients', 'apply to EMAIL channels only');
  } else {
    if (!c.recipients.length) throw Errors.invalid('input.recipients', 'must name at least one address');
    if (c.url) throw Errors.invalid('input.url', 'applies to WEBHOOK channels only');
  }
}

@Resolver(() => NotificationChannel)
export class NotificationResolver {
  @Query(() => [NotificationChannel], {
    description: "An organisation's channels (Organization.Admin); without organizationId the platform's.",
  })
  async notificationChannels(
    @Ctx() ctx: Context,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId?: string,
  ): Promise<NotificationChannel[]> {
    const owner = await authorizeOwner(ctx, organizationId);
    return ctx.em.find(NotificationChannel, { organization: owner }, { orderBy: { createdAt: 'ASC' } });
  }

  @Query(() => DeliveryConnection, { description: "A channel's delivery attempts, newest first." })
  async notificationDeliveries(
    @Arg('channelId', () => ID) channelId: string,
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    const channel = await findChannel(ctx, channelId);
    return paginate(
      ctx.em,
      NotificationDelivery,
      { channel: channel.id },
      { field: 'createdAt', direction: 'DESC' },
      page,
    );
  }

  @Mutation(() => NotificationChannel)
  async createNotificationChannel(
    @Arg('input') input: CreateNotificationChannelInput,
    @Ctx() ctx: Context,
  ): Promise<NotificationChannel> {
    const owner = await authorizeOwner(ctx, input.organizationId);
    const channel = ctx.em.create(NotificationChannel, {
      organization: owner,
      name: input.name,
      kind: input.kind,
      url: input.url ?? null,
      recipients: input.recipients ?? [],
      minSeverity: input.minSeverity,
    });
    checkKind(channel, Boolean(input.webhookSecret));
    if (input.kind === ChannelKind.WEBHOOK) {
      channel.secretRef = `notification-channels/${channel.id}`;
      await ctx.services.secrets.write(channel.secretRef, { secret: input.webhookSecret! });
    }
    try {
      await ctx.em.flush();
    } catch (err) {
      if (channel.secretRef) await ctx.services.secrets.destroy(channel.secretRef).catch(() => undefined);
      throw err;
    }
    return channel;
  }

  @Mutation(() => NotificationChannel)
  async updateNotificationChannel(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateNotificationChannelInput,
    @Ctx() ctx: Context,
  ): Promise<NotificationChannel> {
    const channel = await findChannel(ctx, id);
    const { webhookSecret, ...fields } = input;
    for (const [key, value] of Object.entries(fields))
      if (value !== undefined) Object.assign(channel, { [key]: value });
    checkKind(channel, Boolean(channel.secretRef || webhookSecret));
    if (webhookSecret && channel.kind === ChannelKind.WEBHOOK) {
      channel.secretRef ??= `notification-channels/${channel.id}`;
      await ctx.services.secrets.write(channel.secretRef, { secret: webhookSecret });
    }
    await ctx.em.flush();
    return channel;
  }

  @Mutation(() => Boolean, { description: 'Removes the channel, its deliveries and its secret.' })
  async deleteNotificationChannel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const channel = await findChannel(ctx, id);
    const ref = channel.secretRef;
    await ctx.em.remove(channel).flush();
    if (ref) await ctx.services.secrets.destroy(ref);
    return true;
  }
}
