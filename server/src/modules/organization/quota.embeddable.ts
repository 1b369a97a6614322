import { Embeddable, Property } from '@mikro-orm/core';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional, Min } from 'class-validator';

/** Resource limits of an organization or a project; null means unlimited. As input, an omitted field is left as it is. */
@ObjectType('Quota')
@InputType('QuotaInput')
@Embeddable()
export class Quota {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0, { message: 'must be 0 or more (null means unlimited)' })
  @Property({ type: 'integer', nullable: true })
  machines?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0, { message: 'must be 0 or more (null means unlimited)' })
  @Property({ type: 'integer', nullable: true })
  cores?: number | null;

  @Field(() => Int, { nullable: true, description: 'MiB' })
  @IsOptional()
  @Min(0, { message: 'must be 0 or more (null means unlimited)' })
  @Property({ type: 'integer', nullable: true, fieldName: 'memory_mib' })
  memoryMiB?: number | null;

  @Field(() => Int, { nullable: true, description: 'GiB' })
  @IsOptional()
  @Min(0, { message: 'must be 0 or more (null means unlimited)' })
  @Property({ type: 'integer', nullable: true, fieldName: 'disk_gib' })
  diskGiB?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0, { message: 'must be 0 or more (null means unlimited)' })
  @Property({ type: 'integer', nullable: true })
  gpus?: number | null;
}
