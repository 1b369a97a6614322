import { Entity, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';

@ObjectType({ description: 'A person who signs in to the platform.' })
@Entity({ tableName: 'users' })
export class User extends BaseEntity<'isPlatformAdmin' | 'mfaEnabled'> {
  @Field()
  @Property({ length: 320 })
  @Unique()
  email!: string;

  @Field()
  @Property({ length: 200 })
  displayName!: string;

  /** argon2id hash; null for accounts that sign in only through OIDC. Never exposed. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  passwordHash?: string | null;

  @Field({ description: 'Operators of the platform itself: clusters, templates, all tenants.' })
  @Property({ default: false })
  isPlatformAdmin: boolean = false;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  disabledAt?: Date | null;

  /** When a TOTP second factor was confirmed; null without one. Its secret lives in the secret store (auth/mfa-totp.ts). */
  @Property({ type: 'timestamptz', nullable: true })
  totpEnabledAt?: Date | null;

  /** The last TOTP time step accepted: a code of that step or an earlier one is a replay. */
  @Property({ type: 'integer', nullable: true, hidden: true })
  totpLastTimeStep?: number | null;

  @Field({ description: 'True once the account has a confirmed TOTP second factor.' })
  get mfaEnabled(): boolean {
    return Boolean(this.totpEnabledAt);
  }
}
