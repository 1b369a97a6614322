// Where alert notifications go (a webhook, e-mail recipients), per organisation or for the platform,
// and every attempt to deliver one. In-app notification needs no channel: the `alertEvents`
// subscription delivers every alert change to each caller allowed to see it.
import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { AlertSeverity } from '../alert/alert.entity.js';
import { Alert } from '../alert/alert.entity.js';
import { Organization } from '../organization/organization.entity.js';

export enum ChannelKind {
  WEBHOOK = 'WEBHOOK',
  EMAIL = 'EMAIL',
}
registerEnumType(ChannelKind, { name: 'NotificationChannelKind' });

export enum DeliveryStatus {
  SUCCEEDED = 'SUCCEEDED',
  /** This attempt failed; another follows after the backoff. */
  RETRYING = 'RETRYING',
  /** The last attempt failed (or the error cannot be retried). */
  FAILED = 'FAILED',
}
registerEnumType(DeliveryStatus, { name: 'NotificationDeliveryStatus' });

@ObjectType({ description: 'A destination for alert notifications of an organisation or of the platform.' })
@Entity()
export class NotificationChannel extends BaseEntity<'enabled' | 'recipients' | 'url' | 'secretRef' | 'organizationId'> {
  @ManyToOne(() => Organization, { nullable: true, deleteRule: 'cascade' })
  organization?: Rel<Organization> | null;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field(() => ChannelKind)
  @Property({ type: 'string', length: 10 })
  kind!: ChannelKind;

  @Field(() => String, { nullable: true, description: 'WEBHOOK: where notifications are POSTed.' })
  @Property({ type: 'text', nullable: true })
  url?: string | null;

  /** WEBHOOK: the secret-store path of the signing secret (key `secret`). Never exposed. */
  @Property({ type: 'string', length: 200, nullable: true })
  secretRef?: string | null;

  @Field(() => [String], { description: 'EMAIL: addresses.' })
  @Property({ type: 'text[]', default: '{}' })
  recipients: string[] = [];

  @Field(() => AlertSeverity, { description: 'Alerts below this severity are not sent here.' })
  @Property({ type: 'string', length: 10 })
  minSeverity!: AlertSeverity;

  @Field()
  @Property({ default: true })
  enabled: boolean = true;

  @Field(() => ID, { nullable: true, description: "Null: the platform's channel (platform alerts)." })
  get organizationId(): string | null {
    return this.organization?.id ?? null;
  }
}

@ObjectType({ description: 'One attempt to send one alert change to one channel.' })
@Entity()
@Index({ properties: ['channel', 'createdAt'] })
export class NotificationDelivery extends BaseEntity<'statusCode' | 'error' | 'channelId' | 'alertId'> {
  @ManyToOne(() => NotificationChannel, { deleteRule: 'cascade' })
  channel!: Rel<NotificationChannel>;

  @ManyToOne(() => Alert, { nullable: true, deleteRule: 'set null' })
  alert?: Rel<Alert> | null;

  /** The same for every attempt of one notification. */
  @Field(() => ID, { description: 'The notification this attempt belongs to (the same for its retries).' })
  @Property({ type: 'uuid' })
  notificationId!: string;

  @Field({ description: 'The alert change sent: FIRING, RESOLVED or SILENCE_EXPIRED.' })
  @Property({ length: 20 })
  event!: string;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  attempt!: number;

  @Field(() => DeliveryStatus)
  @Property({ type: 'string', length: 10 })
  status!: DeliveryStatus;

  @Field(() => Int, { nullable: true, description: "WEBHOOK: the receiver's HTTP status." })
  @Property({ type: 'smallint', nullable: true })
  statusCode?: number | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Field(() => Date, { nullable: true, description: 'RETRYING: when the next attempt is due.' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  nextAttemptAt?: Date | null;

  @Field(() => ID)
  get channelId(): string {
    return this.channel.id;
  }

  @Field(() => ID, { nullable: true })
  get alertId(): string | null {
    return this.alert?.id ?? null;
  }
}
