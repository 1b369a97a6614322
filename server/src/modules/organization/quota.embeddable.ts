import { Embeddable, Property } from '@mikro-orm/core';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { Min } from 'class-validator';

/** Resource limits of an organization or a project; null means unlimited. */
@ObjectType('Quota')
@InputType('QuotaInput')
@Embeddable()
export class Quota {
  @Field(() => Int, { nullable: true })
  @Min(0)
  @Property({ type: 'integer', nullable: true })
  machines?: number | null;

  @Field(() => Int, { nullable: true })
  @Min(0)
  @Property({ type: 'integer', nullable: true })
  cores?: number | null;

  @Field(() => Int, { nullable: true, description: 'MiB' })
  @Min(0)
  @Property({ type: 'integer', nullable: true, fieldName: 'memory_mib' })
  memoryMiB?: number | null;

  @Field(() => Int, { nullable: true, description: 'GiB' })
  @Min(0)
  @Property({ type: 'integer', nullable: true, fieldName: 'disk_gib' })
  diskGiB?: number | null;

  @Field(() => Int, { nullable: true })
  @Min(0)
  @Property({ type: 'integer', nullable: true })
  gpus?: number | null;
}
