import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { ConnectionType, PageArgs, paginate } from '../../graphql/connection.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { AuditLog } from './audit-log.entity.js';
import { verifyAuditLog } from './audit.service.js';

@InputType()
class AuditLogFilter {
  @Field(() => ID, {
    nullable: true,
    description: 'Required for organization admins: the organization they administer.',
  })
  organizationId?: string | null;

  @Field(() => ID, { nullable: true })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact action, e.g. auth.signIn or mutation.createMachine.' })
  action?: string | null;

  @Field(() => Date, { nullable: true, description: 'Rows at or after this time.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Rows before this time.' })
  to?: Date | null;
}

@ObjectType()
class AuditVerification {
  @Field()
  valid!: boolean;

  @Field(() => Int)
  checkedRows!: number;

  @Field(() => ID, { nullable: true, description: 'The first row whose hash or link does not hold.' })
  firstBrokenId!: string | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field({ description: 'Hash of the newest verified row: keep it elsewhere to detect later truncation.' })
  headHash!: string;
}

const AuditLogConnection = ConnectionType(AuditLog, 'AuditLog');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Resolver(() => AuditLog)
export class AuditResolver {
  @Query(() => AuditLogConnection, {
    description: 'Audit records, newest first. Platform admins see all; organization admins their organization only.',
  })
  auditLog(
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | null,
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    const viewer = requireViewer(ctx);
    const f = filter ?? {};
    for (const [field, value] of [
      ['organizationId', f.organizationId],
      ['actorId', f.actorId],
    ] as const) {
      if (value && !UUID.test(value)) throw Errors.invalid(`filter.${field}`, 'is not an id');
    }
    if (!viewer.isPlatformAdmin) {
      if (!f.organizationId) {
        throw Errors.invalid(
          'filter.organizationId',
          'is required: name the organization whose audit log you administer',
        );
      }
      viewer.require(Privilege.OrganizationAdmin, { organizationId: f.organizationId });
    }
    const where: FilterQuery<AuditLog> = {};
    if (f.organizationId) where.organizationId = f.organizationId;
    if (f.actorId) where.actorId = f.actorId;
    if (f.action) where.action = f.action;
    if (f.from || f.to) where.at = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) };
    return paginate(ctx.em, AuditLog, where, { field: 'id', direction: 'DESC' }, page);
  }

  @Query(() => AuditVerification, { description: 'Recomputes the audit hash chain (platform admins only).' })
  verifyAuditLog(@Ctx() ctx: Context): Promise<AuditVerification> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    return verifyAuditLog(ctx.em);
  }
}
