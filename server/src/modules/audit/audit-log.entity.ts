import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/**
 * Append-only record of mutations and security events. Each row carries the hash of the previous
 * one, so an edited or removed row breaks the chain (verified by the audit service).
 *
 * Actor and organization are plain ids, not foreign keys: a record outlives what it names, and
 * `on delete set null` would have edited hashed rows (and broken the chain) whenever a user or an
 * organization was deleted.
 */
@ObjectType({ simpleResolvers: true })
@Entity()
@Index({ properties: ['organizationId', 'at'] })
@Index({ properties: ['actorId', 'at'] })
export class AuditLog {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field()
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  at: Date = new Date();

  @Field(() => ID, {
    nullable: true,
    description: 'The user who acted; null for anonymous callers (a failed sign-in).',
  })
  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  organizationId?: string | null;

  @Field({ description: 'auth.signIn, auth.signOut, or mutation.<field> (e.g. mutation.createMachine).' })
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

  @Field({ description: 'SHA-256 (hex) of the previous row; 64 zeros for the first.' })
  @Property({ length: 64 })
  prevHash!: string;

  @Field({ description: "SHA-256 (hex) over prevHash and this row's canonical content." })
  @Property({ length: 64 })
  hash!: string;
}
