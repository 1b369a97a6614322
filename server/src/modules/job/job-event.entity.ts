import { Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity.js';
import { Job } from './job.entity.js';

/** One progress event of a job, numbered so subscribers can resume without gaps or duplicates. */
@ObjectType()
@Entity()
@Unique({ properties: ['job', 'seq'] })
export class JobEvent extends BaseEntity<'message' | 'data'> {
  @ManyToOne(() => Job, { deleteRule: 'cascade' })
  job!: Rel<Job>;

  @Field(() => Int)
  @Property({ type: 'integer' })
  seq!: number;

  @Field()
  @Property({ length: 60 })
  step!: string;

  @Field({ description: 'started, progress, succeeded, failed, skipped, log' })
  @Property({ length: 20 })
  status!: string;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'smallint', nullable: true })
  percent?: number | null;

  @Field()
  @Property({ type: 'text', default: '' })
  message: string = '';

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'jsonb', default: '{}' })
  data: Record<string, unknown> = {};
}
