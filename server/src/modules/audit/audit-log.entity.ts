import { Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Organization } from '../organization/organization.entity.js';
import { User } from '../user/user.entity.js';

/**
 * Append-only record of mutations and security events. Each row carries the hash of the previous
 * one, so an edited or removed row breaks the chain (verified by the audit service).
 */
@ObjectType()
@Entity()
@Index({ properties: ['organization', 'at'] })
@Index({ properties: ['actor', 'at'] })
export class AuditLog {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field()
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  at: Date = new Date();

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  actor?: Rel<User> | null;

  @ManyToOne(() => Organization, { nullable: true, deleteRule: 'set null' })
  organization?: Rel<Organization> | null;

  @Field({ description: 'e.g. organization.create, auth.signIn' })
  @Property({ length: 80 })
  action!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 40, nullable: true })
  targetType?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 80, nullable: true })
  targetId?: string | null;

  @Field({ description: 'success, failure or denied' })
  @Property({ length: 20 })
  result!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 300, nullable: true })
  userAgent?: string | null;

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'jsonb', default: '{}' })
  details: Record<string, unknown> = {};

  @Property({ length: 64 })
  prevHash!: string;

  @Property({ length: 64 })
  hash!: string;
}
