import { Embedded, Entity, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Quota } from './quota.embeddable.js';

@ObjectType({ description: 'A tenant: owns projects, members and quotas.' })
@Entity()
export class Organization extends BaseEntity<'quota' | 'requireMfa'> {
  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field({ description: 'URL-safe unique name.' })
  @Property({ length: 63 })
  @Unique()
  slug!: string;

  @Field(() => Quota)
  @Embedded(() => Quota, { prefix: 'quota_' })
  quota: Quota = new Quota();

  @Field({
    description: 'Members must have a second factor: without one, their session can only enrol (auth/mfa-policy.ts).',
  })
  @Property({ default: false })
  requireMfa: boolean = false;
}
