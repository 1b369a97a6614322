import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccessResolver, OrganizationUsageResolver, ProjectUsageResolver } from '../modules/access/access.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { ApiTokenResolver } from '../modules/api-token/api-token.resolver.js';
import { ClusterResolver } from '../modules/cluster/cluster.resolver.js';
import { ConsoleResolver } from '../modules/console/console.resolver.js';
import { GpuResolver } from '../modules/gpu/gpu.resolver.js';
import { JobResolver } from '../modules/job/job.resolver.js';
import { LifecycleResolver } from '../modules/lifecycle/lifecycle.resolver.js';
import { MachineResolver } from '../modules/machine/machine.resolver.js';
import { MetricsResolver } from '../modules/metrics/metrics.resolver.js';
import { ReportResolver } from '../modules/report/report.resolver.js';
import { AlertResolver, AlertRuleResolver } from '../modules/alert/alert.resolver.js';
import { NotificationResolver } from '../modules/notification/notification.resolver.js';
import { MembershipResolver } from '../modules/membership/membership.resolver.js';
import { NetworkConfigurationResolver } from '../modules/network/network.resolver.js';
import { ProvisionResolver } from '../modules/provision/provision.resolver.js';
import { OrganizationResolver } from '../modules/organization/organization.resolver.js';
import { ProjectResolver } from '../modules/project/project.resolver.js';
import { ReconcileResolver } from '../modules/reconcile/reconcile.resolver.js';
import { StorageConfigurationResolver } from '../modules/storage/storage.resolver.js';
import { TemplateResolver } from '../modules/template/template.resolver.js';
import { UserResolver } from '../modules/user/user.resolver.js';
import { SessionResolver } from '../modules/user/session.resolver.js';
import { MfaResolver } from '../auth/mfa.resolver.js';
import { InvitationResolver } from '../modules/invitation/invitation.resolver.js';
import { AccountResolver } from '../modules/user/account.resolver.js';
import { asTypeGraphqlPubSub, type PubSub } from '../realtime/pubsub.js';
import { requireAuthentication } from '../auth/require-authentication.js';
import { applyMfaPolicyToSubscriptions, requireMfaEnrolment } from '../auth/mfa-policy.js';
import { applyRootMiddlewares } from './root-middlewares.js';
import { validateArgument } from './validate.js';

export const resolvers = [
  UserResolver,
  SessionResolver,
  MfaResolver,
  AccountResolver,
  InvitationResolver,
  ApiTokenResolver,
  OrganizationResolver,
  ProjectResolver,
  MembershipResolver,
  ClusterResolver,
  GpuResolver,
  TemplateResolver,
  StorageConfigurationResolver,
  NetworkConfigurationResolver,
  MachineResolver,
  JobResolver,
  ProvisionResolver,
  LifecycleResolver,
  ReconcileResolver,
  MetricsResolver,
  ReportResolver,
  AlertRuleResolver,
  AlertResolver,
  NotificationResolver,
  ConsoleResolver,
  AuditResolver,
  AccessResolver,
  ProjectUsageResolver,
  OrganizationUsageResolver,
] as const;

/** The whole API schema, built from the resolver classes. Emitted to schema/schema.graphql. */
export async function buildApiSchema(pubsub: PubSub): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...resolvers],
    pubSub: asTypeGraphqlPubSub(pubsub),
    validateFn: validateArgument as never,
    // Dates travel as ISO-8601 strings in UTC.
    scalarsMap: [],
  });
  // Not globalMiddlewares: these judge operations, and on every field they cost a promise per row.
  return applyMfaPolicyToSubscriptions(applyRootMiddlewares(schema, [requireAuthentication, requireMfaEnrolment]));
}
