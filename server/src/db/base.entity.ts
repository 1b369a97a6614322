import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * Columns every table has. Timestamps are `timestamptz(3)`, in UTC: millisecond precision, the
 * precision of a JavaScript Date, so a pagination cursor holding one matches the row exactly.
 */
@ObjectType()
@Entity({ abstract: true })
export abstract class BaseEntity<Optional extends string = never> {
  /** Properties with defaults, which `em.create` may leave out. */
  [OptionalProps]?: 'createdAt' | 'updatedAt' | Optional;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
