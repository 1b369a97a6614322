import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity.js';
import { Machine } from '../machine/machine.entity.js';
import { Project } from '../project/project.entity.js';
import { User } from '../user/user.entity.js';

export enum JobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLING = 'CANCELLING',
  CANCELLED = 'CANCELLED',
  ROLLING_BACK = 'ROLLING_BACK',
}
registerEnumType(JobStatus, { name: 'JobStatus' });

export interface JobCheckpoint {
  /** Names of the steps that finished. */
  done: string[];
  [key: string]: unknown;
}

/** A unit of work on infrastructure (provision, start, resize, ...), run by a worker. */
@ObjectType()
@Entity()
@Unique({ properties: ['requestedBy', 'idempotencyKey'] })
@Index({ properties: ['project', 'createdAt'] })
@Index({ properties: ['machine', 'createdAt'] })
@Index({ properties: ['status'] })
export class Job extends BaseEntity<'status' | 'params' | 'percent' | 'checkpoint'> {
  @Field({ description: 'provision, start, stop, resize, snapshot, migrate, delete, ...' })
  @Property({ length: 40 })
  kind!: string;

  @Field(() => JobStatus)
  @Enum({ items: () => JobStatus, nativeEnumName: 'job_status', default: JobStatus.QUEUED })
  status: JobStatus = JobStatus.QUEUED;

  @ManyToOne(() => Project, { deleteRule: 'cascade' })
  project!: Rel<Project>;

  @ManyToOne(() => Machine, { nullable: true, deleteRule: 'set null' })
  machine?: Rel<Machine> | null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  requestedBy?: Rel<User> | null;

  @Property({ type: 'string', length: 200, nullable: true })
  idempotencyKey?: string | null;

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'jsonb', default: '{}' })
  params: Record<string, unknown> = {};

  /** What the steps did so far (finished steps, started Proxmox tasks, ids): how a retry resumes. */
  @Property({ type: 'jsonb', default: '{}', hidden: true })
  checkpoint: JobCheckpoint = { done: [] };

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 60, nullable: true })
  currentStep?: string | null;

  @Field(() => Int, { description: '0 to 100.' })
  @Property({ type: 'smallint', default: 0 })
  percent: number = 0;

  @Field(() => String, { nullable: true, description: 'Why the job failed, in words a user can act on.' })
  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  startedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;
}
