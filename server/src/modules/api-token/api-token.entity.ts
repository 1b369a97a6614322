import { Entity, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from '../user/user.entity.js';

/** A personal API token for integrators. Only its SHA-256 hash is stored; the token is shown once. */
@ObjectType()
@Entity()
@Index({ properties: ['user', 'createdAt'] })
export class ApiToken extends BaseEntity<'scopes'> {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: Rel<User>;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field({ description: 'The first characters of the token, to recognise it in lists.' })
  @Property({ length: 16 })
  prefix!: string;

  @Property({ length: 64, hidden: true })
  @Unique()
  tokenHash!: string;

  @Field(() => [String], { description: 'Privileges the token may use; empty means read-only.' })
  @Property({ type: 'text[]', default: '{}' })
  scopes: string[] = [];

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
