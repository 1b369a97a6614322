import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { requireViewer, type Context } from '../../graphql/context.js';
import { buildUsageReport } from './report.build.js';
import { UsageReport } from './report.types.js';

@Resolver()
export class ReportResolver {
  @Query(() => UsageReport, {
    description:
      'Core-hours, memory GiB-hours, disk GiB-days, machine-hours and GPU-hours over [from, to), per machine and project, for a project (Project.Audit) or a whole organization (Organization.Audit). CSV: GET /reports/usage.csv with the same parameters.',
  })
  usageReport(
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() ctx: Context,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId?: string,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string,
  ): Promise<UsageReport> {
    return buildUsageReport(ctx.em, requireViewer(ctx), { organizationId, projectId, from, to });
  }
}
