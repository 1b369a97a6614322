import { BaseEntity } from './base.entity.js';
import { ApiToken } from '../modules/api-token/api-token.entity.js';
import { AuditLog } from '../modules/audit/audit-log.entity.js';
import { Cluster } from '../modules/cluster/cluster.entity.js';
import { Node } from '../modules/cluster/node.entity.js';
import { Job } from '../modules/job/job.entity.js';
import { JobEvent } from '../modules/job/job-event.entity.js';
import { Machine } from '../modules/machine/machine.entity.js';
import { Membership } from '../modules/membership/membership.entity.js';
import { NetworkConfiguration } from '../modules/network/network.entity.js';
import { Organization } from '../modules/organization/organization.entity.js';
import { Quota } from '../modules/organization/quota.embeddable.js';
import { Project } from '../modules/project/project.entity.js';
import { StorageConfiguration } from '../modules/storage/storage.entity.js';
import { Template } from '../modules/template/template.entity.js';
import { User } from '../modules/user/user.entity.js';
import { UserIdentity } from '../modules/user/user-identity.entity.js';
import { MfaRecoveryCode } from '../auth/mfa-recovery-code.entity.js';
import { Invitation } from '../modules/invitation/invitation.entity.js';
import { Alert, AlertEvent, AlertRule, OrganizationOwned } from '../modules/alert/alert.entity.js';
import { NotificationChannel, NotificationDelivery } from '../modules/notification/notification.entity.js';

/** Every entity, listed explicitly: no folder scanning, so the build and tests see the same set. */
export const entities = [
  BaseEntity,
  Quota,
  User,
  Organization,
  Project,
  Membership,
  Cluster,
  Node,
  Template,
  StorageConfiguration,
  NetworkConfiguration,
  Machine,
  Job,
  JobEvent,
  AuditLog,
  ApiToken,
  UserIdentity,
  MfaRecoveryCode,
  Invitation,
  OrganizationOwned,
  AlertRule,
  Alert,
  AlertEvent,
  NotificationChannel,
  NotificationDelivery,
];
