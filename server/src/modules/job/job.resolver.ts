import { IsOptional, IsUUID } from 'class-validator';
import {
  Arg,
  Args,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { livePermission } from '../../auth/live-permission.js';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { ConnectionType, PageArgs, paginate } from '../../graphql/connection.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { Machine } from '../machine/machine.entity.js';
import { Project } from '../project/project.entity.js';
import { projectScope, projectVisibilityFilter } from '../project/project.access.js';
import { JobEvent } from './job-event.entity.js';
import { jobProgressStream, type JobProgressPayload } from './job-progress.js';
import { Job, JobStatus } from './job.entity.js';
import { appendJobEvent } from './job.service.js';

const JobConnection = ConnectionType(Job, 'Job');

@ObjectType({ description: 'One event of a job, as jobProgress delivers it. See orchestration/PROTOCOL.md.' })
class JobProgress {
  @Field(() => ID)
  jobId!: string;

  @Field(() => Int, { description: 'Numbered from 1 without gaps.' })
  seq!: number;

  @Field()
  step!: string;

  @Field({ description: 'queued, started, progress, log, succeeded, skipped, failed, rolledBack, finished' })
  status!: string;

  @Field(() => Int, { nullable: true })
  percent!: number | null;

  @Field()
  message!: string;

  @Field()
  at!: string;

  @Field(() => GraphQLJSONObject)
  data!: Record<string, unknown>;
}

@InputType()
class JobFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a project id' })
  projectId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a machine id' })
  machineId?: string;

  @Field(() => [JobStatus], { nullable: true })
  status?: JobStatus[];
}

async function findVisibleJob(ctx: Context, id: string): Promise<Job> {
  const viewer = requireViewer(ctx);
  const job = await ctx.em.findOne(Job, { id }, { populate: ['project'] });
  if (!job || !viewer.can(Privilege.MachineAudit, projectScope(job.project))) throw Errors.notFound('Job', id);
  return job;
}

@Resolver(() => Job)
export class JobResolver {
  @Query(() => Job)
  job(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Job> {
    return findVisibleJob(ctx, id);
  }

  @Query(() => JobConnection, { description: 'Jobs the caller can see, newest first.' })
  jobs(
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
    @Arg('filter', () => JobFilter, { nullable: true }) filter?: JobFilter,
  ) {
    const conditions: object[] = [{ project: projectVisibilityFilter(requireViewer(ctx), Privilege.MachineAudit) }];
    if (filter?.projectId) conditions.push({ project: filter.projectId });
    if (filter?.machineId) conditions.push({ machine: filter.machineId });
    if (filter?.status?.length) conditions.push({ status: { $in: filter.status } });
    return paginate<Job>(ctx.em, Job, { $and: conditions }, { field: 'createdAt', direction: 'DESC' }, page);
  }

  @Mutation(() => Job, {
    description:
      'Cancels a queued or running job: the worker stops it before its next step and undoes what was done. Needs Machine.PowerMgmt.',
  })
  async cancelJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Job> {
    const job = await findVisibleJob(ctx, id);
    requireViewer(ctx).require(Privilege.MachinePowerMgmt, projectScope(job.project), 'this project');
    // Queued or running, the worker ends it: it undoes what was done and runs the workflow's
    // onFinished, so the machine never stays half-changed.
    if (job.status === JobStatus.QUEUED || job.status === JobStatus.RUNNING) {
      job.status = JobStatus.CANCELLING;
    } else {
      throw Errors.conflict(`The job is ${job.status.toLowerCase()};`, 'only queued or running jobs can be cancelled.');
    }
    await ctx.em.flush();
    await appendJobEvent(ctx.em, ctx.services.pubsub, job.id, {
      step: 'job',
      status: 'progress',
      message: 'Cancellation requested.',
    });
    return job;
  }

  @Mutation(() => Job, {
    description: 'Runs a failed job again, resuming after its last finished step. Needs Machine.PowerMgmt.',
  })
  async retryJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Job> {
    const job = await findVisibleJob(ctx, id);
    requireViewer(ctx).require(Privilege.MachinePowerMgmt, projectScope(job.project), 'this project');
    if (job.status !== JobStatus.FAILED)
      throw Errors.conflict(`The job is ${job.status.toLowerCase()};`, 'only failed jobs can be retried.');
    // Rollback undid every step: the retry starts from the beginning.
    Object.assign(job, {
      status: JobStatus.QUEUED,
      error: null,
      finishedAt: null,
      percent: 0,
      checkpoint: { done: [] },
    });
    await ctx.em.flush();
    await appendJobEvent(ctx.em, ctx.services.pubsub, job.id, {
      step: 'queued',
      status: 'queued',
      percent: 0,
      message: 'Retry requested.',
    });
    await ctx.services.jobs.enqueue(job.id);
    return job;
  }

  @Subscription(() => JobProgress, {
    description: "A job's events: everything so far, then live until it finishes.",
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const job = await findVisibleJob(ctx, String(args.jobId));
      return jobProgressStream(
        ctx.em,
        ctx.services.pubsub,
        job.id,
        livePermission(ctx, Privilege.MachineAudit, projectScope(job.project)),
      );
    },
  })
  jobProgress(@Root() event: JobProgressPayload, @Arg('jobId', () => ID) _jobId: string): JobProgress {
    return event;
  }

  @FieldResolver(() => [JobEvent], { description: 'Stored events in order.' })
  events(@Root() job: Job, @Ctx() ctx: Context): Promise<JobEvent[]> {
    return ctx.em.find(JobEvent, { job: job.id }, { orderBy: { seq: 'ASC' } });
  }

  @FieldResolver(() => Project)
  project(@Root() job: Job, @Ctx() ctx: Context): Promise<Project> {
    return ctx.loaders.load(Project, job.project.id);
  }

  @FieldResolver(() => Machine, { nullable: true })
  machine(@Root() job: Job, @Ctx() ctx: Context): Promise<Machine> | null {
    return job.machine ? ctx.loaders.load(Machine, job.machine.id) : null;
  }
}
