// Every migration, in order. Listed explicitly so the compiled build and the tests run the same set.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000100_initial } from './Migration20261125000100_initial.js';
import { Migration20261125000200_secrets } from './Migration20261125000200_secrets.js';
import { Migration20261125000300_job_checkpoint } from './Migration20261125000300_job_checkpoint.js';
import { Migration20261125230000_machine_project_restrict } from './Migration20261125230000_machine_project_restrict.js';
import { Migration20261126001000_audit_plain_ids } from './Migration20261126001000_audit_plain_ids.js';
import { Migration20261126020000_user_identity } from './Migration20261126020000_user_identity.js';
import { Migration20261126021000_mfa_invitations } from './Migration20261126021000_mfa_invitations.js';
import { Migration20261126022000_project_firewall_rules } from './Migration20261126022000_project_firewall_rules.js';
import { Migration20261126023000_metrics } from './Migration20261126023000_metrics.js';
import { Migration20261126024000_alerts } from './Migration20261126024000_alerts.js';
import { Migration20261126025000_cluster_provisioning_driver } from './Migration20261126025000_cluster_provisioning_driver.js';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125000100_initial', class: Migration20261125000100_initial },
  { name: 'Migration20261125000200_secrets', class: Migration20261125000200_secrets },
  { name: 'Migration20261125000300_job_checkpoint', class: Migration20261125000300_job_checkpoint },
  { name: 'Migration20261125230000_machine_project_restrict', class: Migration20261125230000_machine_project_restrict },
  { name: 'Migration20261126001000_audit_plain_ids', class: Migration20261126001000_audit_plain_ids },
  { name: 'Migration20261126020000_user_identity', class: Migration20261126020000_user_identity },
  { name: 'Migration20261126021000_mfa_invitations', class: Migration20261126021000_mfa_invitations },
  { name: 'Migration20261126022000_project_firewall_rules', class: Migration20261126022000_project_firewall_rules },
  { name: 'Migration20261126023000_metrics', class: Migration20261126023000_metrics },
  { name: 'Migration20261126024000_alerts', class: Migration20261126024000_alerts },
  {
    name: 'Migration20261126025000_cluster_provisioning_driver',
    class: Migration20261126025000_cluster_provisioning_driver,
  },
];
