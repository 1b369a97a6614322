// The authorisation rules the generated matrix (authorization-matrix.db.test.ts) proves, one per
// operation of the schema. A new query, mutation or subscription without a rule here fails the
// matrix: decide who may call it and add a line.
//
// Caller classes:
// - anonymous: no session. `refused` means UNAUTHENTICATED.
// - otherOrg: the owner of another organisation, calling with arguments that name real objects of
//   the first organisation. `refused`: FORBIDDEN or NOT_FOUND and no data; `allowed`: answered, but
//   no id of the first organisation's objects appears anywhere in the answer (lists come back
//   without them; `allowed` for a mutation means it acts on the caller's own things only).
// - viewer: a VIEWER of the first organisation. Reads `allowed`, everything that changes state
//   `refused` (FORBIDDEN or NOT_FOUND), except what acts on the caller's own account.
// `public` (sign-in and the like): open to everyone; each checks its own credentials and may refuse
// them in its own words, but never answers with another tenant's data.

export type Outcome = 'refused' | 'allowed' | 'public';

/** What an `id` argument (top level or in the input) points at. */
export type Target =
  | 'organization'
  | 'project'
  | 'machine'
  | 'job'
  | 'membership'
  | 'network'
  | 'apiToken'
  | 'cluster'
  | 'node'
  | 'template'
  | 'storage'
  | 'user'
  | 'invitation'
  | 'alertRule'
  | 'alert'
  | 'notificationChannel';

export interface Rule {
  anonymous: Outcome;
  otherOrg: Outcome;
  viewer: Outcome;
  /** What `id` means for this operation. */
  id?: Target;
}

const tenantRead = (id?: Target): Rule => ({ anonymous: 'refused', otherOrg: 'refused', viewer: 'allowed', id });
/** Lists: everyone signed in gets an answer, filtered to what they may see. */
const list: Rule = { anonymous: 'refused', otherOrg: 'allowed', viewer: 'allowed' };
const change = (id?: Target): Rule => ({ anonymous: 'refused', otherOrg: 'refused', viewer: 'refused', id });
const platformAdmin = change;
const ownAccount: Rule = { anonymous: 'refused', otherOrg: 'allowed', viewer: 'allowed' };
const publicOp: Rule = { anonymous: 'public', otherOrg: 'public', viewer: 'public' };

export const QUERY_RULES: Record<string, Rule> = {
  viewer: publicOp,
  apiTokens: list,
  auditLog: change(), // organisation admins and platform admins only
  clusters: platformAdmin(),
  job: tenantRead('job'),
  jobs: list,
  machine: tenantRead('machine'),
  machines: list,
  // Named scopes are the first organisation's: refused to outsiders.
  myPrivileges: tenantRead(),
  networkConfigurations: tenantRead(),
  organization: tenantRead('organization'),
  organizations: list,
  orphanGuests: platformAdmin(),
  project: tenantRead('project'),
  projects: list,
  // The platform's catalogue, not tenant-owned: any signed-in user reads it.
  storageConfigurations: list,
  templates: list,
  users: platformAdmin(),
  verifyAuditLog: platformAdmin(),
  authProviders: publicOp,
  mfaStatus: ownAccount,
  invitations: change(), // organisation admins
  machineMetrics: tenantRead(),
  projectMetrics: tenantRead(),
  nodeMetrics: platformAdmin(),
  storageMetrics: platformAdmin(),
  clusterStatus: platformAdmin(),
  gpuInventory: platformAdmin(),
  usageReport: tenantRead(),
  // An organisation's rules and alerts: readers of its machines; the platform's: Platform.Admin.
  alertRules: tenantRead(),
  alerts: tenantRead(),
  // Channels hold webhook URLs and recipients: organisation admins only.
  notificationChannels: change(),
  notificationDeliveries: change(),
};

export const MUTATION_RULES: Record<string, Rule> = {
  signIn: publicOp,
  signOut: publicOp,
  createApiToken: ownAccount,
  revokeApiToken: change('apiToken'), // another user's token
  createOrganization: ownAccount, // anyone may found an organisation
  updateOrganization: change('organization'),
  deleteOrganization: change('organization'),
  createProject: change(),
  updateProject: change('project'),
  deleteProject: change('project'),
  addMember: change(),
  updateMemberRole: change('membership'),
  removeMember: change('membership'),
  createNetworkConfiguration: change(),
  updateNetworkConfiguration: change('network'),
  deleteNetworkConfiguration: change('network'),
  createMachine: change(),
  updateMachine: change('machine'),
  deleteMachine: change('machine'),
  provisionMachine: change(),
  startMachine: change('machine'),
  shutdownMachine: change('machine'),
  stopMachine: change('machine'),
  rebootMachine: change('machine'),
  suspendMachine: change('machine'),
  resumeMachine: change('machine'),
  resizeMachine: change('machine'),
  migrateMachine: change('machine'),
  destroyMachine: change('machine'),
  createSnapshot: change('machine'),
  rollbackSnapshot: change('machine'),
  deleteSnapshot: change('machine'),
  openConsole: change(),
  cancelJob: change('job'),
  retryJob: change('job'),
  createCluster: platformAdmin(),
  updateCluster: platformAdmin('cluster'),
  deleteCluster: platformAdmin('cluster'),
  setNodeMaintenance: platformAdmin('node'),
  createTemplate: platformAdmin(),
  updateTemplate: platformAdmin('template'),
  deleteTemplate: platformAdmin('template'),
  createStorageConfiguration: platformAdmin(),
  updateStorageConfiguration: platformAdmin('storage'),
  deleteStorageConfiguration: platformAdmin('storage'),
  createUser: platformAdmin(),
  setUserDisabled: platformAdmin('user'),
  refreshSession: publicOp,
  completeSignIn: publicOp,
  acceptInvitation: publicOp, // the token is the credential
  changePassword: ownAccount,
  beginTotpEnrolment: ownAccount,
  confirmTotpEnrolment: ownAccount,
  disableTotp: ownAccount,
  regenerateRecoveryCodes: ownAccount,
  setOrganizationRequireMfa: change(),
  createInvitation: change(),
  revokeInvitation: change('invitation'),
  createAlertRule: change(), // Project.Admin (machine, project scopes) or Platform.Admin
  updateAlertRule: change('alertRule'),
  deleteAlertRule: change('alertRule'),
  acknowledgeAlert: change('alert'), // Machine.Config
  silenceAlert: change('alert'),
  createNotificationChannel: change(), // Organization.Admin or Platform.Admin
  updateNotificationChannel: change('notificationChannel'),
  deleteNotificationChannel: change('notificationChannel'),
};

export const SUBSCRIPTION_RULES: Record<string, Rule> = {
  jobProgress: tenantRead(),
  machineEvents: tenantRead(),
  machineMetricsLive: tenantRead(),
  projectMetricsLive: tenantRead(),
  nodeMetricsLive: platformAdmin(),
  alertEvents: tenantRead(),
};

export const RULES = { query: QUERY_RULES, mutation: MUTATION_RULES, subscription: SUBSCRIPTION_RULES } as const;

/** The rule of an operation, or an error telling the developer what to add. */
export function ruleFor(kind: keyof typeof RULES, name: string): Rule {
  const rule = RULES[kind][name];
  if (!rule) {
    const table = { query: 'QUERY_RULES', mutation: 'MUTATION_RULES', subscription: 'SUBSCRIPTION_RULES' }[kind];
    throw new Error(
      `${kind} ${name} has no authorisation rule. Add one to ${table} in server/src/auth/authorization-matrix.rules.ts ` +
        `(e.g. ${name}: { anonymous: 'refused', otherOrg: 'refused', viewer: 'allowed', id: 'machine' }), ` +
        'saying who may call it; the matrix then proves it.',
    );
  }
  return rule;
}
