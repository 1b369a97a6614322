/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AuthProviders {\n    authProviders {\n      id\n      displayName\n      startPath\n    }\n  }\n": typeof types.AuthProvidersDocument,
    "\n  query MyPrivileges($organizationId: ID, $projectId: ID) {\n    myPrivileges(organizationId: $organizationId, projectId: $projectId)\n  }\n": typeof types.MyPrivilegesDocument,
    "\n  query VisibleProjects {\n    projects(first: 100) {\n      edges {\n        node {\n          id\n          name\n          organization {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.VisibleProjectsDocument,
    "\n  query AdminClusters {\n    clusters {\n      id\n      name\n      apiUrl\n      tokenId\n      tlsFingerprint\n      createdAt\n      nodes {\n        id\n        name\n        status\n        cpuCount\n        memoryBytes\n        maintenance\n      }\n    }\n  }\n": typeof types.AdminClustersDocument,
    "\n  mutation AdminCreateCluster($input: CreateClusterInput!) {\n    createCluster(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.AdminCreateClusterDocument,
    "\n  mutation AdminDeleteCluster($id: ID!) {\n    deleteCluster(id: $id)\n  }\n": typeof types.AdminDeleteClusterDocument,
    "\n  query AdminClusterCheck($clusterId: ID!) {\n    orphanGuests(clusterId: $clusterId) {\n      vmid\n      name\n      node\n      status\n      type\n    }\n  }\n": typeof types.AdminClusterCheckDocument,
    "\n  mutation AdminSetNodeMaintenance($id: ID!, $maintenance: Boolean!) {\n    setNodeMaintenance(id: $id, maintenance: $maintenance) {\n      id\n      maintenance\n    }\n  }\n": typeof types.AdminSetNodeMaintenanceDocument,
    "\n  query AdminStorages {\n    storageConfigurations {\n      id\n      name\n      storageId\n      type\n      shared\n      createdAt\n    }\n    clusters {\n      id\n      name\n    }\n  }\n": typeof types.AdminStoragesDocument,
    "\n  mutation AdminCreateStorage($input: CreateStorageConfigurationInput!) {\n    createStorageConfiguration(input: $input) {\n      id\n    }\n  }\n": typeof types.AdminCreateStorageDocument,
    "\n  mutation AdminDeleteStorage($id: ID!) {\n    deleteStorageConfiguration(id: $id)\n  }\n": typeof types.AdminDeleteStorageDocument,
    "\n  query AdminTemplates {\n    templates {\n      id\n      name\n      kind\n      os\n      description\n      sourceVmid\n      osTemplate\n      defaultCores\n      defaultMemoryMiB\n      defaultDiskGiB\n      cloudInit\n    }\n    clusters {\n      id\n      name\n    }\n  }\n": typeof types.AdminTemplatesDocument,
    "\n  mutation AdminCreateTemplate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      id\n    }\n  }\n": typeof types.AdminCreateTemplateDocument,
    "\n  mutation AdminDeleteTemplate($id: ID!) {\n    deleteTemplate(id: $id)\n  }\n": typeof types.AdminDeleteTemplateDocument,
    "\n  query AdminUsers($after: String) {\n    users(first: 50, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          email\n          displayName\n          isPlatformAdmin\n          disabledAt\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AdminUsersDocument,
    "\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n    }\n  }\n": typeof types.AdminCreateUserDocument,
    "\n  mutation AdminSetUserDisabled($id: ID!, $disabled: Boolean!) {\n    setUserDisabled(id: $id, disabled: $disabled) {\n      id\n      disabledAt\n    }\n  }\n": typeof types.AdminSetUserDisabledDocument,
    "\n  query AdminOrganizations {\n    organizations(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          slug\n          createdAt\n          usage {\n            machines\n            cores\n          }\n          projects(first: 1) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n": typeof types.AdminOrganizationsDocument,
    "\n  mutation AdminCreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n    }\n  }\n": typeof types.AdminCreateOrganizationDocument,
    "\n  query AdminGpuClusters {\n    clusters {\n      id\n      name\n    }\n  }\n": typeof types.AdminGpuClustersDocument,
    "\n  query AdminGpuInventory($clusterId: ID!) {\n    gpuInventory(clusterId: $clusterId) {\n      devices {\n        node\n        pciId\n        deviceId\n        vendorName\n        deviceName\n        iommuGroup\n        mediated\n        mappings\n        guests {\n          vmid\n          name\n          status\n          via\n        }\n      }\n      unreadableNodes\n    }\n  }\n": typeof types.AdminGpuInventoryDocument,
    "\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    scope\n    metric\n    comparator\n    threshold\n    clearThreshold\n    durationSeconds\n    severity\n    enabled\n    builtin\n    machineId\n    projectId\n    clusterId\n    node\n    organizationId\n  }\n": typeof types.AlertRuleFieldsFragmentDoc,
    "\n  query AlertRules($organizationId: ID, $after: String) {\n    alertRules(organizationId: $organizationId, first: 100, after: $after) {\n      totalCount\n      edges {\n        node {\n          ...AlertRuleFields\n        }\n      }\n    }\n  }\n": typeof types.AlertRulesDocument,
    "\n  mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n    createAlertRule(input: $input) {\n      ...AlertRuleFields\n    }\n  }\n": typeof types.CreateAlertRuleDocument,
    "\n  mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      ...AlertRuleFields\n    }\n  }\n": typeof types.UpdateAlertRuleDocument,
    "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n": typeof types.DeleteAlertRuleDocument,
    "\n  fragment AlertFields on Alert {\n    id\n    state\n    severity\n    subject\n    subjectLabel\n    value\n    pendingSince\n    firedAt\n    resolvedAt\n    acknowledgedAt\n    silencedUntil\n    machineId\n    rule {\n      id\n      name\n      metric\n      comparator\n      threshold\n    }\n  }\n": typeof types.AlertFieldsFragmentDoc,
    "\n  query Alerts($organizationId: ID, $filter: AlertFilter, $first: Int!, $after: String) {\n    alerts(organizationId: $organizationId, filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AlertFields\n        }\n      }\n    }\n  }\n": typeof types.AlertsDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n": typeof types.AcknowledgeAlertDocument,
    "\n  mutation SilenceAlert($id: ID!, $until: DateTimeISO!) {\n    silenceAlert(id: $id, until: $until) {\n      ...AlertFields\n    }\n  }\n": typeof types.SilenceAlertDocument,
    "\n  subscription AlertEvents($organizationId: ID) {\n    alertEvents(organizationId: $organizationId) {\n      alertId\n      kind\n      state\n      severity\n      ruleName\n      subjectLabel\n      value\n      at\n    }\n  }\n": typeof types.AlertEventsDocument,
    "\n  fragment NotificationChannelFields on NotificationChannel {\n    id\n    name\n    kind\n    enabled\n    minSeverity\n    url\n    recipients\n    organizationId\n  }\n": typeof types.NotificationChannelFieldsFragmentDoc,
    "\n  query NotificationChannels($organizationId: ID) {\n    notificationChannels(organizationId: $organizationId) {\n      ...NotificationChannelFields\n    }\n  }\n": typeof types.NotificationChannelsDocument,
    "\n  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {\n    createNotificationChannel(input: $input) {\n      ...NotificationChannelFields\n    }\n  }\n": typeof types.CreateNotificationChannelDocument,
    "\n  mutation UpdateNotificationChannel($id: ID!, $input: UpdateNotificationChannelInput!) {\n    updateNotificationChannel(id: $id, input: $input) {\n      ...NotificationChannelFields\n    }\n  }\n": typeof types.UpdateNotificationChannelDocument,
    "\n  mutation DeleteNotificationChannel($id: ID!) {\n    deleteNotificationChannel(id: $id)\n  }\n": typeof types.DeleteNotificationChannelDocument,
    "\n  query NotificationDeliveries($channelId: ID!, $after: String) {\n    notificationDeliveries(channelId: $channelId, first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          event\n          status\n          attempt\n          statusCode\n          error\n          nextAttemptAt\n          createdAt\n          alertId\n        }\n      }\n    }\n  }\n": typeof types.NotificationDeliveriesDocument,
    "\n  query AlertOwners {\n    organizations(first: 50) {\n      edges {\n        node {\n          id\n          name\n          projects(first: 50) {\n            edges {\n              node {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n    machines(first: 100) {\n      edges {\n        node {\n          id\n          name\n          project {\n            id\n          }\n        }\n      }\n    }\n  }\n": typeof types.AlertOwnersDocument,
    "\n  query DashboardAlertOwners {\n    organizations(first: 5) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.DashboardAlertOwnersDocument,
    "\n  query AuditLog($first: Int!, $after: String, $filter: AuditLogFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          at\n          action\n          result\n          actorId\n          organizationId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          hash\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query VerifyAuditLog {\n    verifyAuditLog {\n      valid\n      checkedRows\n      firstBrokenId\n      headHash\n      reason\n    }\n  }\n": typeof types.VerifyAuditLogDocument,
    "\n  query AuditScopes {\n    viewer {\n      id\n      isPlatformAdmin\n    }\n    organizations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AuditScopesDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      displayName\n      isPlatformAdmin\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      user {\n        id\n        email\n        displayName\n      }\n      mfaChallenge {\n        challengeToken\n        expiresAt\n      }\n      mfaEnrolmentRequired\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  query ConsoleMachine($id: ID!) {\n    machine(id: $id) {\n      id\n      name\n      kind\n      status\n    }\n  }\n": typeof types.ConsoleMachineDocument,
    "\n  mutation OpenConsole($machineId: ID!, $kind: ConsoleKind!) {\n    openConsole(machineId: $machineId, kind: $kind) {\n      kind\n      path\n      password\n      expiresAt\n    }\n  }\n": typeof types.OpenConsoleDocument,
    "\n  query Dashboard {\n    all: machines(first: 1) {\n      totalCount\n    }\n    running: machines(first: 1, filter: { status: [RUNNING] }) {\n      totalCount\n    }\n    stopped: machines(first: 1, filter: { status: [STOPPED] }) {\n      totalCount\n    }\n    busy: machines(first: 1, filter: { status: [PENDING, PROVISIONING, DELETING] }) {\n      totalCount\n    }\n    suspended: machines(first: 1, filter: { status: [SUSPENDED] }) {\n      totalCount\n    }\n    failed: machines(first: 1, filter: { status: [FAILED, MISSING] }) {\n      totalCount\n    }\n    jobs(first: 8) {\n      edges {\n        node {\n          id\n          kind\n          status\n          percent\n          currentStep\n          createdAt\n          error\n          machine {\n            id\n            name\n          }\n        }\n      }\n    }\n    organizations(first: 20) {\n      edges {\n        node {\n          id\n          name\n          quota {\n            ...QuotaFields\n          }\n          usage {\n            ...UsageFields\n          }\n        }\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query Invitations($organizationId: ID!) {\n    invitations(organizationId: $organizationId) {\n      id\n      email\n      role\n      createdAt\n      expiresAt\n      acceptedAt\n      revokedAt\n    }\n  }\n": typeof types.InvitationsDocument,
    "\n  mutation CreateInvitation($input: CreateInvitationInput!) {\n    createInvitation(input: $input) {\n      token\n      invitation {\n        id\n        email\n      }\n    }\n  }\n": typeof types.CreateInvitationDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accountCreated\n      role\n      organization {\n        id\n        name\n      }\n      user {\n        email\n      }\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  fragment MachineRow on Machine {\n    id\n    name\n    kind\n    status\n    cores\n    memoryMiB\n    diskGiB\n    vmid\n    ipAddresses\n    createdAt\n    project {\n      id\n      name\n    }\n    template {\n      id\n      name\n    }\n  }\n": typeof types.MachineRowFragmentDoc,
    "\n  query Machines($first: Int!, $after: String, $filter: MachineFilter, $orderBy: MachineOrder) {\n    machines(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...MachineRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.MachinesDocument,
    "\n  query Machine($id: ID!) {\n    machine(id: $id) {\n      ...MachineRow\n      tags\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      template {\n        id\n        name\n        os\n        kind\n      }\n      network {\n        id\n        name\n        bridge\n        cidr\n        vlanTag\n      }\n      storage {\n        id\n        name\n        storageId\n      }\n    }\n  }\n": typeof types.MachineDocument,
    "\n  fragment JobHistoryItem on Job {\n    id\n    kind\n    status\n    percent\n    currentStep\n    error\n    createdAt\n    startedAt\n    finishedAt\n    events {\n      id\n      seq\n      step\n      status\n      message\n      percent\n      data\n      createdAt\n    }\n  }\n": typeof types.JobHistoryItemFragmentDoc,
    "\n  query MachineJobs($machineId: ID!) {\n    jobs(first: 50, filter: { machineId: $machineId }) {\n      totalCount\n      edges {\n        node {\n          ...JobHistoryItem\n        }\n      }\n    }\n  }\n": typeof types.MachineJobsDocument,
    "\n  query Job($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      percent\n      currentStep\n      error\n      machine {\n        id\n        name\n        status\n      }\n    }\n  }\n": typeof types.JobDocument,
    "\n  subscription JobProgress($jobId: ID!) {\n    jobProgress(jobId: $jobId) {\n      jobId\n      seq\n      step\n      status\n      percent\n      message\n      data\n      at\n    }\n  }\n": typeof types.JobProgressDocument,
    "\n  query ProvisionOptions {\n    templates {\n      id\n      name\n      kind\n      os\n      description\n      cloudInit\n      defaultCores\n      defaultMemoryMiB\n      defaultDiskGiB\n    }\n  }\n": typeof types.ProvisionOptionsDocument,
    "\n  query Networks($projectId: ID!) {\n    networkConfigurations(projectId: $projectId) {\n      id\n      name\n      bridge\n      cidr\n      vlanTag\n      firewall\n    }\n  }\n": typeof types.NetworksDocument,
    "\n  mutation ProvisionMachine($input: ProvisionMachineInput!) {\n    provisionMachine(input: $input) {\n      machine {\n        ...MachineRow\n      }\n      job {\n        id\n        status\n        percent\n      }\n    }\n  }\n": typeof types.ProvisionMachineDocument,
    "\n  mutation StartMachine($input: MachineJobInput!) {\n    startMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": typeof types.StartMachineDocument,
    "\n  mutation StopMachine($input: MachineJobInput!) {\n    stopMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": typeof types.StopMachineDocument,
    "\n  mutation RebootMachine($input: MachineJobInput!) {\n    rebootMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": typeof types.RebootMachineDocument,
    "\n  mutation DestroyMachine($input: MachineJobInput!) {\n    destroyMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": typeof types.DestroyMachineDocument,
    "\n  subscription MachineEvents($projectId: ID!) {\n    machineEvents(projectId: $projectId) {\n      machineId\n      projectId\n      status\n      node\n      ipAddresses\n      deleted\n      at\n    }\n  }\n": typeof types.MachineEventsDocument,
    "\n  fragment MetricColumnsFields on MetricColumns {\n    atMs\n    cpu\n    memoryBytes\n    memoryTotalBytes\n    netIn\n    netOut\n    diskRead\n    diskWrite\n  }\n": typeof types.MetricColumnsFieldsFragmentDoc,
    "\n  query MachineMetrics($machineId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    machineMetrics(machineId: $machineId, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n": typeof types.MachineMetricsDocument,
    "\n  subscription MachineMetricsLive($machineIds: [ID!]!) {\n    machineMetricsLive(machineIds: $machineIds) {\n      machineId\n      at\n      cpu\n      memoryBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n    }\n  }\n": typeof types.MachineMetricsLiveDocument,
    "\n  query ProjectMetrics($projectId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    projectMetrics(projectId: $projectId, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n": typeof types.ProjectMetricsDocument,
    "\n  subscription ProjectMetricsLive($projectId: ID!) {\n    projectMetricsLive(projectId: $projectId) {\n      projectId\n      at\n      cpu\n      memoryBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n      machines\n    }\n  }\n": typeof types.ProjectMetricsLiveDocument,
    "\n  query NodeMetrics($clusterId: ID!, $node: String!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    nodeMetrics(clusterId: $clusterId, node: $node, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n": typeof types.NodeMetricsDocument,
    "\n  subscription NodeMetricsLive($clusterId: ID!, $node: String!) {\n    nodeMetricsLive(clusterId: $clusterId, node: $node) {\n      clusterId\n      node\n      at\n      cpu\n      memoryBytes\n      memoryTotalBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n    }\n  }\n": typeof types.NodeMetricsLiveDocument,
    "\n  fragment ClusterStatusFields on ClusterStatus {\n    clusterId\n    collectedAt\n    guestsRunning\n    guestsTotal\n    nodes {\n      node\n      status\n      cpu\n      cpus\n      memoryBytes\n      memoryTotalBytes\n      at\n    }\n    ceph {\n      available\n      health\n      error\n      collectedAt\n      bytesTotal\n      bytesUsed\n      osdsIn\n      osdsUp\n      osdsTotal\n      pgsTotal\n      pgsByState {\n        state\n        count\n      }\n      checks {\n        name\n        severity\n        message\n      }\n      pools {\n        name\n        size\n        pgNum\n        bytesUsed\n        percentUsed\n      }\n    }\n  }\n": typeof types.ClusterStatusFieldsFragmentDoc,
    "\n  query ClustersHealth {\n    clusters {\n      id\n      name\n    }\n  }\n": typeof types.ClustersHealthDocument,
    "\n  query ClusterStatus($clusterId: ID!) {\n    clusterStatus(clusterId: $clusterId) {\n      ...ClusterStatusFields\n    }\n  }\n": typeof types.ClusterStatusDocument,
    "\n  mutation CompleteSignIn($input: CompleteSignInInput!) {\n    completeSignIn(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n": typeof types.CompleteSignInDocument,
    "\n  query OrganizationRequireMfa($id: ID!) {\n    organization(id: $id) {\n      id\n      requireMfa\n    }\n  }\n": typeof types.OrganizationRequireMfaDocument,
    "\n  mutation SetOrganizationRequireMfa($organizationId: ID!, $required: Boolean!) {\n    setOrganizationRequireMfa(organizationId: $organizationId, required: $required) {\n      id\n      requireMfa\n    }\n  }\n": typeof types.SetOrganizationRequireMfaDocument,
    "\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          slug\n          createdAt\n          projects(first: 50) {\n            totalCount\n            edges {\n              node {\n                id\n                name\n                description\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.OrganizationsDocument,
    "\n  fragment QuotaFields on Quota {\n    machines\n    cores\n    memoryMiB\n    diskGiB\n    gpus\n  }\n": typeof types.QuotaFieldsFragmentDoc,
    "\n  fragment UsageFields on ResourceUsage {\n    machines\n    cores\n    memoryMiB\n    diskGiB\n  }\n": typeof types.UsageFieldsFragmentDoc,
    "\n  query Organization($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      slug\n      createdAt\n      quota {\n        ...QuotaFields\n      }\n      usage {\n        ...UsageFields\n      }\n      projects(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            name\n            description\n            quota {\n              ...QuotaFields\n            }\n            usage {\n              ...UsageFields\n            }\n          }\n        }\n      }\n    }\n    myPrivileges(organizationId: $id)\n    viewer {\n      id\n      isPlatformAdmin\n    }\n  }\n": typeof types.OrganizationDocument,
    "\n  query Members($id: ID!) {\n    organization(id: $id) {\n      id\n      members {\n        id\n        role\n        createdAt\n        user {\n          id\n          email\n          displayName\n        }\n        project {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.MembersDocument,
    "\n  mutation AddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n    }\n  }\n": typeof types.AddMemberDocument,
    "\n  mutation UpdateMemberRole($id: ID!, $role: Role!) {\n    updateMemberRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n": typeof types.UpdateMemberRoleDocument,
    "\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id)\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {\n    updateProject(id: $id, input: $input) {\n      id\n      name\n      description\n      quota {\n        ...QuotaFields\n      }\n    }\n  }\n": typeof types.UpdateProjectDocument,
    "\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateProjectDocument,
    "\n  mutation UpdateOrganizationQuota($id: ID!, $input: UpdateOrganizationInput!) {\n    updateOrganization(id: $id, input: $input) {\n      id\n      quota {\n        ...QuotaFields\n      }\n    }\n  }\n": typeof types.UpdateOrganizationQuotaDocument,
    "\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      prefix\n      scopes\n      createdAt\n      expiresAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n": typeof types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        prefix\n        scopes\n        createdAt\n        expiresAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  query MfaStatus {\n    mfaStatus {\n      totpEnabled\n      recoveryCodesRemaining\n      enrolmentRequired\n    }\n  }\n": typeof types.MfaStatusDocument,
    "\n  mutation BeginTotpEnrolment {\n    beginTotpEnrolment {\n      otpauthUri\n      qrCodeDataUrl\n      secret\n    }\n  }\n": typeof types.BeginTotpEnrolmentDocument,
    "\n  mutation ConfirmTotpEnrolment($code: String!) {\n    confirmTotpEnrolment(code: $code) {\n      recoveryCodes\n    }\n  }\n": typeof types.ConfirmTotpEnrolmentDocument,
    "\n  mutation RegenerateRecoveryCodes($code: String!) {\n    regenerateRecoveryCodes(code: $code) {\n      recoveryCodes\n    }\n  }\n": typeof types.RegenerateRecoveryCodesDocument,
    "\n  mutation DisableTotp($input: DisableTotpInput!) {\n    disableTotp(input: $input) {\n      id\n    }\n  }\n": typeof types.DisableTotpDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  fragment UsageFiguresFields on UsageFigures {\n    machineHours\n    coreHours\n    memoryGiBHours\n    diskGiBDays\n    gpuHours\n  }\n": typeof types.UsageFiguresFieldsFragmentDoc,
    "\n  query UsageReport($organizationId: ID, $projectId: ID, $from: DateTimeISO!, $to: DateTimeISO!) {\n    usageReport(organizationId: $organizationId, projectId: $projectId, from: $from, to: $to) {\n      from\n      to\n      totals {\n        ...UsageFiguresFields\n      }\n      projects {\n        projectId\n        name\n        totals {\n          ...UsageFiguresFields\n        }\n      }\n    }\n  }\n": typeof types.UsageReportDocument,
    "\n  query ReportOrganizations {\n    organizations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ReportOrganizationsDocument,
    "\n  query MachineSnapshots($id: ID!) {\n    machine(id: $id) {\n      id\n      kind\n      status\n      snapshots {\n        name\n        description\n        createdAt\n        includesMemory\n        parent\n      }\n    }\n  }\n": typeof types.MachineSnapshotsDocument,
    "\n  mutation CreateSnapshot($input: CreateSnapshotInput!) {\n    createSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": typeof types.CreateSnapshotDocument,
    "\n  mutation RollbackSnapshot($input: SnapshotInput!) {\n    rollbackSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": typeof types.RollbackSnapshotDocument,
    "\n  mutation DeleteSnapshot($input: SnapshotInput!) {\n    deleteSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": typeof types.DeleteSnapshotDocument,
    "\n  mutation ResizeMachine($input: ResizeMachineInput!) {\n    resizeMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": typeof types.ResizeMachineDocument,
};
const documents: Documents = {
    "\n  query AuthProviders {\n    authProviders {\n      id\n      displayName\n      startPath\n    }\n  }\n": types.AuthProvidersDocument,
    "\n  query MyPrivileges($organizationId: ID, $projectId: ID) {\n    myPrivileges(organizationId: $organizationId, projectId: $projectId)\n  }\n": types.MyPrivilegesDocument,
    "\n  query VisibleProjects {\n    projects(first: 100) {\n      edges {\n        node {\n          id\n          name\n          organization {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.VisibleProjectsDocument,
    "\n  query AdminClusters {\n    clusters {\n      id\n      name\n      apiUrl\n      tokenId\n      tlsFingerprint\n      createdAt\n      nodes {\n        id\n        name\n        status\n        cpuCount\n        memoryBytes\n        maintenance\n      }\n    }\n  }\n": types.AdminClustersDocument,
    "\n  mutation AdminCreateCluster($input: CreateClusterInput!) {\n    createCluster(input: $input) {\n      id\n      name\n    }\n  }\n": types.AdminCreateClusterDocument,
    "\n  mutation AdminDeleteCluster($id: ID!) {\n    deleteCluster(id: $id)\n  }\n": types.AdminDeleteClusterDocument,
    "\n  query AdminClusterCheck($clusterId: ID!) {\n    orphanGuests(clusterId: $clusterId) {\n      vmid\n      name\n      node\n      status\n      type\n    }\n  }\n": types.AdminClusterCheckDocument,
    "\n  mutation AdminSetNodeMaintenance($id: ID!, $maintenance: Boolean!) {\n    setNodeMaintenance(id: $id, maintenance: $maintenance) {\n      id\n      maintenance\n    }\n  }\n": types.AdminSetNodeMaintenanceDocument,
    "\n  query AdminStorages {\n    storageConfigurations {\n      id\n      name\n      storageId\n      type\n      shared\n      createdAt\n    }\n    clusters {\n      id\n      name\n    }\n  }\n": types.AdminStoragesDocument,
    "\n  mutation AdminCreateStorage($input: CreateStorageConfigurationInput!) {\n    createStorageConfiguration(input: $input) {\n      id\n    }\n  }\n": types.AdminCreateStorageDocument,
    "\n  mutation AdminDeleteStorage($id: ID!) {\n    deleteStorageConfiguration(id: $id)\n  }\n": types.AdminDeleteStorageDocument,
    "\n  query AdminTemplates {\n    templates {\n      id\n      name\n      kind\n      os\n      description\n      sourceVmid\n      osTemplate\n      defaultCores\n      defaultMemoryMiB\n      defaultDiskGiB\n      cloudInit\n    }\n    clusters {\n      id\n      name\n    }\n  }\n": types.AdminTemplatesDocument,
    "\n  mutation AdminCreateTemplate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      id\n    }\n  }\n": types.AdminCreateTemplateDocument,
    "\n  mutation AdminDeleteTemplate($id: ID!) {\n    deleteTemplate(id: $id)\n  }\n": types.AdminDeleteTemplateDocument,
    "\n  query AdminUsers($after: String) {\n    users(first: 50, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          email\n          displayName\n          isPlatformAdmin\n          disabledAt\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AdminUsersDocument,
    "\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n    }\n  }\n": types.AdminCreateUserDocument,
    "\n  mutation AdminSetUserDisabled($id: ID!, $disabled: Boolean!) {\n    setUserDisabled(id: $id, disabled: $disabled) {\n      id\n      disabledAt\n    }\n  }\n": types.AdminSetUserDisabledDocument,
    "\n  query AdminOrganizations {\n    organizations(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          slug\n          createdAt\n          usage {\n            machines\n            cores\n          }\n          projects(first: 1) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n": types.AdminOrganizationsDocument,
    "\n  mutation AdminCreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n    }\n  }\n": types.AdminCreateOrganizationDocument,
    "\n  query AdminGpuClusters {\n    clusters {\n      id\n      name\n    }\n  }\n": types.AdminGpuClustersDocument,
    "\n  query AdminGpuInventory($clusterId: ID!) {\n    gpuInventory(clusterId: $clusterId) {\n      devices {\n        node\n        pciId\n        deviceId\n        vendorName\n        deviceName\n        iommuGroup\n        mediated\n        mappings\n        guests {\n          vmid\n          name\n          status\n          via\n        }\n      }\n      unreadableNodes\n    }\n  }\n": types.AdminGpuInventoryDocument,
    "\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    scope\n    metric\n    comparator\n    threshold\n    clearThreshold\n    durationSeconds\n    severity\n    enabled\n    builtin\n    machineId\n    projectId\n    clusterId\n    node\n    organizationId\n  }\n": types.AlertRuleFieldsFragmentDoc,
    "\n  query AlertRules($organizationId: ID, $after: String) {\n    alertRules(organizationId: $organizationId, first: 100, after: $after) {\n      totalCount\n      edges {\n        node {\n          ...AlertRuleFields\n        }\n      }\n    }\n  }\n": types.AlertRulesDocument,
    "\n  mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n    createAlertRule(input: $input) {\n      ...AlertRuleFields\n    }\n  }\n": types.CreateAlertRuleDocument,
    "\n  mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      ...AlertRuleFields\n    }\n  }\n": types.UpdateAlertRuleDocument,
    "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n": types.DeleteAlertRuleDocument,
    "\n  fragment AlertFields on Alert {\n    id\n    state\n    severity\n    subject\n    subjectLabel\n    value\n    pendingSince\n    firedAt\n    resolvedAt\n    acknowledgedAt\n    silencedUntil\n    machineId\n    rule {\n      id\n      name\n      metric\n      comparator\n      threshold\n    }\n  }\n": types.AlertFieldsFragmentDoc,
    "\n  query Alerts($organizationId: ID, $filter: AlertFilter, $first: Int!, $after: String) {\n    alerts(organizationId: $organizationId, filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AlertFields\n        }\n      }\n    }\n  }\n": types.AlertsDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n": types.AcknowledgeAlertDocument,
    "\n  mutation SilenceAlert($id: ID!, $until: DateTimeISO!) {\n    silenceAlert(id: $id, until: $until) {\n      ...AlertFields\n    }\n  }\n": types.SilenceAlertDocument,
    "\n  subscription AlertEvents($organizationId: ID) {\n    alertEvents(organizationId: $organizationId) {\n      alertId\n      kind\n      state\n      severity\n      ruleName\n      subjectLabel\n      value\n      at\n    }\n  }\n": types.AlertEventsDocument,
    "\n  fragment NotificationChannelFields on NotificationChannel {\n    id\n    name\n    kind\n    enabled\n    minSeverity\n    url\n    recipients\n    organizationId\n  }\n": types.NotificationChannelFieldsFragmentDoc,
    "\n  query NotificationChannels($organizationId: ID) {\n    notificationChannels(organizationId: $organizationId) {\n      ...NotificationChannelFields\n    }\n  }\n": types.NotificationChannelsDocument,
    "\n  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {\n    createNotificationChannel(input: $input) {\n      ...NotificationChannelFields\n    }\n  }\n": types.CreateNotificationChannelDocument,
    "\n  mutation UpdateNotificationChannel($id: ID!, $input: UpdateNotificationChannelInput!) {\n    updateNotificationChannel(id: $id, input: $input) {\n      ...NotificationChannelFields\n    }\n  }\n": types.UpdateNotificationChannelDocument,
    "\n  mutation DeleteNotificationChannel($id: ID!) {\n    deleteNotificationChannel(id: $id)\n  }\n": types.DeleteNotificationChannelDocument,
    "\n  query NotificationDeliveries($channelId: ID!, $after: String) {\n    notificationDeliveries(channelId: $channelId, first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          event\n          status\n          attempt\n          statusCode\n          error\n          nextAttemptAt\n          createdAt\n          alertId\n        }\n      }\n    }\n  }\n": types.NotificationDeliveriesDocument,
    "\n  query AlertOwners {\n    organizations(first: 50) {\n      edges {\n        node {\n          id\n          name\n          projects(first: 50) {\n            edges {\n              node {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n    machines(first: 100) {\n      edges {\n        node {\n          id\n          name\n          project {\n            id\n          }\n        }\n      }\n    }\n  }\n": types.AlertOwnersDocument,
    "\n  query DashboardAlertOwners {\n    organizations(first: 5) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.DashboardAlertOwnersDocument,
    "\n  query AuditLog($first: Int!, $after: String, $filter: AuditLogFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          at\n          action\n          result\n          actorId\n          organizationId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          hash\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditLogDocument,
    "\n  query VerifyAuditLog {\n    verifyAuditLog {\n      valid\n      checkedRows\n      firstBrokenId\n      headHash\n      reason\n    }\n  }\n": types.VerifyAuditLogDocument,
    "\n  query AuditScopes {\n    viewer {\n      id\n      isPlatformAdmin\n    }\n    organizations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AuditScopesDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      displayName\n      isPlatformAdmin\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      user {\n        id\n        email\n        displayName\n      }\n      mfaChallenge {\n        challengeToken\n        expiresAt\n      }\n      mfaEnrolmentRequired\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  query ConsoleMachine($id: ID!) {\n    machine(id: $id) {\n      id\n      name\n      kind\n      status\n    }\n  }\n": types.ConsoleMachineDocument,
    "\n  mutation OpenConsole($machineId: ID!, $kind: ConsoleKind!) {\n    openConsole(machineId: $machineId, kind: $kind) {\n      kind\n      path\n      password\n      expiresAt\n    }\n  }\n": types.OpenConsoleDocument,
    "\n  query Dashboard {\n    all: machines(first: 1) {\n      totalCount\n    }\n    running: machines(first: 1, filter: { status: [RUNNING] }) {\n      totalCount\n    }\n    stopped: machines(first: 1, filter: { status: [STOPPED] }) {\n      totalCount\n    }\n    busy: machines(first: 1, filter: { status: [PENDING, PROVISIONING, DELETING] }) {\n      totalCount\n    }\n    suspended: machines(first: 1, filter: { status: [SUSPENDED] }) {\n      totalCount\n    }\n    failed: machines(first: 1, filter: { status: [FAILED, MISSING] }) {\n      totalCount\n    }\n    jobs(first: 8) {\n      edges {\n        node {\n          id\n          kind\n          status\n          percent\n          currentStep\n          createdAt\n          error\n          machine {\n            id\n            name\n          }\n        }\n      }\n    }\n    organizations(first: 20) {\n      edges {\n        node {\n          id\n          name\n          quota {\n            ...QuotaFields\n          }\n          usage {\n            ...UsageFields\n          }\n        }\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  query Invitations($organizationId: ID!) {\n    invitations(organizationId: $organizationId) {\n      id\n      email\n      role\n      createdAt\n      expiresAt\n      acceptedAt\n      revokedAt\n    }\n  }\n": types.InvitationsDocument,
    "\n  mutation CreateInvitation($input: CreateInvitationInput!) {\n    createInvitation(input: $input) {\n      token\n      invitation {\n        id\n        email\n      }\n    }\n  }\n": types.CreateInvitationDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeInvitationDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accountCreated\n      role\n      organization {\n        id\n        name\n      }\n      user {\n        email\n      }\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  fragment MachineRow on Machine {\n    id\n    name\n    kind\n    status\n    cores\n    memoryMiB\n    diskGiB\n    vmid\n    ipAddresses\n    createdAt\n    project {\n      id\n      name\n    }\n    template {\n      id\n      name\n    }\n  }\n": types.MachineRowFragmentDoc,
    "\n  query Machines($first: Int!, $after: String, $filter: MachineFilter, $orderBy: MachineOrder) {\n    machines(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...MachineRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.MachinesDocument,
    "\n  query Machine($id: ID!) {\n    machine(id: $id) {\n      ...MachineRow\n      tags\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      template {\n        id\n        name\n        os\n        kind\n      }\n      network {\n        id\n        name\n        bridge\n        cidr\n        vlanTag\n      }\n      storage {\n        id\n        name\n        storageId\n      }\n    }\n  }\n": types.MachineDocument,
    "\n  fragment JobHistoryItem on Job {\n    id\n    kind\n    status\n    percent\n    currentStep\n    error\n    createdAt\n    startedAt\n    finishedAt\n    events {\n      id\n      seq\n      step\n      status\n      message\n      percent\n      data\n      createdAt\n    }\n  }\n": types.JobHistoryItemFragmentDoc,
    "\n  query MachineJobs($machineId: ID!) {\n    jobs(first: 50, filter: { machineId: $machineId }) {\n      totalCount\n      edges {\n        node {\n          ...JobHistoryItem\n        }\n      }\n    }\n  }\n": types.MachineJobsDocument,
    "\n  query Job($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      percent\n      currentStep\n      error\n      machine {\n        id\n        name\n        status\n      }\n    }\n  }\n": types.JobDocument,
    "\n  subscription JobProgress($jobId: ID!) {\n    jobProgress(jobId: $jobId) {\n      jobId\n      seq\n      step\n      status\n      percent\n      message\n      data\n      at\n    }\n  }\n": types.JobProgressDocument,
    "\n  query ProvisionOptions {\n    templates {\n      id\n      name\n      kind\n      os\n      description\n      cloudInit\n      defaultCores\n      defaultMemoryMiB\n      defaultDiskGiB\n    }\n  }\n": types.ProvisionOptionsDocument,
    "\n  query Networks($projectId: ID!) {\n    networkConfigurations(projectId: $projectId) {\n      id\n      name\n      bridge\n      cidr\n      vlanTag\n      firewall\n    }\n  }\n": types.NetworksDocument,
    "\n  mutation ProvisionMachine($input: ProvisionMachineInput!) {\n    provisionMachine(input: $input) {\n      machine {\n        ...MachineRow\n      }\n      job {\n        id\n        status\n        percent\n      }\n    }\n  }\n": types.ProvisionMachineDocument,
    "\n  mutation StartMachine($input: MachineJobInput!) {\n    startMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": types.StartMachineDocument,
    "\n  mutation StopMachine($input: MachineJobInput!) {\n    stopMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": types.StopMachineDocument,
    "\n  mutation RebootMachine($input: MachineJobInput!) {\n    rebootMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": types.RebootMachineDocument,
    "\n  mutation DestroyMachine($input: MachineJobInput!) {\n    destroyMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": types.DestroyMachineDocument,
    "\n  subscription MachineEvents($projectId: ID!) {\n    machineEvents(projectId: $projectId) {\n      machineId\n      projectId\n      status\n      node\n      ipAddresses\n      deleted\n      at\n    }\n  }\n": types.MachineEventsDocument,
    "\n  fragment MetricColumnsFields on MetricColumns {\n    atMs\n    cpu\n    memoryBytes\n    memoryTotalBytes\n    netIn\n    netOut\n    diskRead\n    diskWrite\n  }\n": types.MetricColumnsFieldsFragmentDoc,
    "\n  query MachineMetrics($machineId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    machineMetrics(machineId: $machineId, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n": types.MachineMetricsDocument,
    "\n  subscription MachineMetricsLive($machineIds: [ID!]!) {\n    machineMetricsLive(machineIds: $machineIds) {\n      machineId\n      at\n      cpu\n      memoryBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n    }\n  }\n": types.MachineMetricsLiveDocument,
    "\n  query ProjectMetrics($projectId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    projectMetrics(projectId: $projectId, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n": types.ProjectMetricsDocument,
    "\n  subscription ProjectMetricsLive($projectId: ID!) {\n    projectMetricsLive(projectId: $projectId) {\n      projectId\n      at\n      cpu\n      memoryBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n      machines\n    }\n  }\n": types.ProjectMetricsLiveDocument,
    "\n  query NodeMetrics($clusterId: ID!, $node: String!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    nodeMetrics(clusterId: $clusterId, node: $node, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n": types.NodeMetricsDocument,
    "\n  subscription NodeMetricsLive($clusterId: ID!, $node: String!) {\n    nodeMetricsLive(clusterId: $clusterId, node: $node) {\n      clusterId\n      node\n      at\n      cpu\n      memoryBytes\n      memoryTotalBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n    }\n  }\n": types.NodeMetricsLiveDocument,
    "\n  fragment ClusterStatusFields on ClusterStatus {\n    clusterId\n    collectedAt\n    guestsRunning\n    guestsTotal\n    nodes {\n      node\n      status\n      cpu\n      cpus\n      memoryBytes\n      memoryTotalBytes\n      at\n    }\n    ceph {\n      available\n      health\n      error\n      collectedAt\n      bytesTotal\n      bytesUsed\n      osdsIn\n      osdsUp\n      osdsTotal\n      pgsTotal\n      pgsByState {\n        state\n        count\n      }\n      checks {\n        name\n        severity\n        message\n      }\n      pools {\n        name\n        size\n        pgNum\n        bytesUsed\n        percentUsed\n      }\n    }\n  }\n": types.ClusterStatusFieldsFragmentDoc,
    "\n  query ClustersHealth {\n    clusters {\n      id\n      name\n    }\n  }\n": types.ClustersHealthDocument,
    "\n  query ClusterStatus($clusterId: ID!) {\n    clusterStatus(clusterId: $clusterId) {\n      ...ClusterStatusFields\n    }\n  }\n": types.ClusterStatusDocument,
    "\n  mutation CompleteSignIn($input: CompleteSignInInput!) {\n    completeSignIn(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n": types.CompleteSignInDocument,
    "\n  query OrganizationRequireMfa($id: ID!) {\n    organization(id: $id) {\n      id\n      requireMfa\n    }\n  }\n": types.OrganizationRequireMfaDocument,
    "\n  mutation SetOrganizationRequireMfa($organizationId: ID!, $required: Boolean!) {\n    setOrganizationRequireMfa(organizationId: $organizationId, required: $required) {\n      id\n      requireMfa\n    }\n  }\n": types.SetOrganizationRequireMfaDocument,
    "\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          slug\n          createdAt\n          projects(first: 50) {\n            totalCount\n            edges {\n              node {\n                id\n                name\n                description\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.OrganizationsDocument,
    "\n  fragment QuotaFields on Quota {\n    machines\n    cores\n    memoryMiB\n    diskGiB\n    gpus\n  }\n": types.QuotaFieldsFragmentDoc,
    "\n  fragment UsageFields on ResourceUsage {\n    machines\n    cores\n    memoryMiB\n    diskGiB\n  }\n": types.UsageFieldsFragmentDoc,
    "\n  query Organization($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      slug\n      createdAt\n      quota {\n        ...QuotaFields\n      }\n      usage {\n        ...UsageFields\n      }\n      projects(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            name\n            description\n            quota {\n              ...QuotaFields\n            }\n            usage {\n              ...UsageFields\n            }\n          }\n        }\n      }\n    }\n    myPrivileges(organizationId: $id)\n    viewer {\n      id\n      isPlatformAdmin\n    }\n  }\n": types.OrganizationDocument,
    "\n  query Members($id: ID!) {\n    organization(id: $id) {\n      id\n      members {\n        id\n        role\n        createdAt\n        user {\n          id\n          email\n          displayName\n        }\n        project {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.MembersDocument,
    "\n  mutation AddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n    }\n  }\n": types.AddMemberDocument,
    "\n  mutation UpdateMemberRole($id: ID!, $role: Role!) {\n    updateMemberRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n": types.UpdateMemberRoleDocument,
    "\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id)\n  }\n": types.RemoveMemberDocument,
    "\n  mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {\n    updateProject(id: $id, input: $input) {\n      id\n      name\n      description\n      quota {\n        ...QuotaFields\n      }\n    }\n  }\n": types.UpdateProjectDocument,
    "\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateProjectDocument,
    "\n  mutation UpdateOrganizationQuota($id: ID!, $input: UpdateOrganizationInput!) {\n    updateOrganization(id: $id, input: $input) {\n      id\n      quota {\n        ...QuotaFields\n      }\n    }\n  }\n": types.UpdateOrganizationQuotaDocument,
    "\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      prefix\n      scopes\n      createdAt\n      expiresAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n": types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        prefix\n        scopes\n        createdAt\n        expiresAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiTokenDocument,
    "\n  query MfaStatus {\n    mfaStatus {\n      totpEnabled\n      recoveryCodesRemaining\n      enrolmentRequired\n    }\n  }\n": types.MfaStatusDocument,
    "\n  mutation BeginTotpEnrolment {\n    beginTotpEnrolment {\n      otpauthUri\n      qrCodeDataUrl\n      secret\n    }\n  }\n": types.BeginTotpEnrolmentDocument,
    "\n  mutation ConfirmTotpEnrolment($code: String!) {\n    confirmTotpEnrolment(code: $code) {\n      recoveryCodes\n    }\n  }\n": types.ConfirmTotpEnrolmentDocument,
    "\n  mutation RegenerateRecoveryCodes($code: String!) {\n    regenerateRecoveryCodes(code: $code) {\n      recoveryCodes\n    }\n  }\n": types.RegenerateRecoveryCodesDocument,
    "\n  mutation DisableTotp($input: DisableTotpInput!) {\n    disableTotp(input: $input) {\n      id\n    }\n  }\n": types.DisableTotpDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n": types.ChangePasswordDocument,
    "\n  fragment UsageFiguresFields on UsageFigures {\n    machineHours\n    coreHours\n    memoryGiBHours\n    diskGiBDays\n    gpuHours\n  }\n": types.UsageFiguresFieldsFragmentDoc,
    "\n  query UsageReport($organizationId: ID, $projectId: ID, $from: DateTimeISO!, $to: DateTimeISO!) {\n    usageReport(organizationId: $organizationId, projectId: $projectId, from: $from, to: $to) {\n      from\n      to\n      totals {\n        ...UsageFiguresFields\n      }\n      projects {\n        projectId\n        name\n        totals {\n          ...UsageFiguresFields\n        }\n      }\n    }\n  }\n": types.UsageReportDocument,
    "\n  query ReportOrganizations {\n    organizations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ReportOrganizationsDocument,
    "\n  query MachineSnapshots($id: ID!) {\n    machine(id: $id) {\n      id\n      kind\n      status\n      snapshots {\n        name\n        description\n        createdAt\n        includesMemory\n        parent\n      }\n    }\n  }\n": types.MachineSnapshotsDocument,
    "\n  mutation CreateSnapshot($input: CreateSnapshotInput!) {\n    createSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": types.CreateSnapshotDocument,
    "\n  mutation RollbackSnapshot($input: SnapshotInput!) {\n    rollbackSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": types.RollbackSnapshotDocument,
    "\n  mutation DeleteSnapshot($input: SnapshotInput!) {\n    deleteSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": types.DeleteSnapshotDocument,
    "\n  mutation ResizeMachine($input: ResizeMachineInput!) {\n    resizeMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n": types.ResizeMachineDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthProviders {\n    authProviders {\n      id\n      displayName\n      startPath\n    }\n  }\n"): (typeof documents)["\n  query AuthProviders {\n    authProviders {\n      id\n      displayName\n      startPath\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyPrivileges($organizationId: ID, $projectId: ID) {\n    myPrivileges(organizationId: $organizationId, projectId: $projectId)\n  }\n"): (typeof documents)["\n  query MyPrivileges($organizationId: ID, $projectId: ID) {\n    myPrivileges(organizationId: $organizationId, projectId: $projectId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VisibleProjects {\n    projects(first: 100) {\n      edges {\n        node {\n          id\n          name\n          organization {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query VisibleProjects {\n    projects(first: 100) {\n      edges {\n        node {\n          id\n          name\n          organization {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminClusters {\n    clusters {\n      id\n      name\n      apiUrl\n      tokenId\n      tlsFingerprint\n      createdAt\n      nodes {\n        id\n        name\n        status\n        cpuCount\n        memoryBytes\n        maintenance\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminClusters {\n    clusters {\n      id\n      name\n      apiUrl\n      tokenId\n      tlsFingerprint\n      createdAt\n      nodes {\n        id\n        name\n        status\n        cpuCount\n        memoryBytes\n        maintenance\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateCluster($input: CreateClusterInput!) {\n    createCluster(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateCluster($input: CreateClusterInput!) {\n    createCluster(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminDeleteCluster($id: ID!) {\n    deleteCluster(id: $id)\n  }\n"): (typeof documents)["\n  mutation AdminDeleteCluster($id: ID!) {\n    deleteCluster(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminClusterCheck($clusterId: ID!) {\n    orphanGuests(clusterId: $clusterId) {\n      vmid\n      name\n      node\n      status\n      type\n    }\n  }\n"): (typeof documents)["\n  query AdminClusterCheck($clusterId: ID!) {\n    orphanGuests(clusterId: $clusterId) {\n      vmid\n      name\n      node\n      status\n      type\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetNodeMaintenance($id: ID!, $maintenance: Boolean!) {\n    setNodeMaintenance(id: $id, maintenance: $maintenance) {\n      id\n      maintenance\n    }\n  }\n"): (typeof documents)["\n  mutation AdminSetNodeMaintenance($id: ID!, $maintenance: Boolean!) {\n    setNodeMaintenance(id: $id, maintenance: $maintenance) {\n      id\n      maintenance\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminStorages {\n    storageConfigurations {\n      id\n      name\n      storageId\n      type\n      shared\n      createdAt\n    }\n    clusters {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query AdminStorages {\n    storageConfigurations {\n      id\n      name\n      storageId\n      type\n      shared\n      createdAt\n    }\n    clusters {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateStorage($input: CreateStorageConfigurationInput!) {\n    createStorageConfiguration(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateStorage($input: CreateStorageConfigurationInput!) {\n    createStorageConfiguration(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminDeleteStorage($id: ID!) {\n    deleteStorageConfiguration(id: $id)\n  }\n"): (typeof documents)["\n  mutation AdminDeleteStorage($id: ID!) {\n    deleteStorageConfiguration(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminTemplates {\n    templates {\n      id\n      name\n      kind\n      os\n      description\n      sourceVmid\n      osTemplate\n      defaultCores\n      defaultMemoryMiB\n      defaultDiskGiB\n      cloudInit\n    }\n    clusters {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query AdminTemplates {\n    templates {\n      id\n      name\n      kind\n      os\n      description\n      sourceVmid\n      osTemplate\n      defaultCores\n      defaultMemoryMiB\n      defaultDiskGiB\n      cloudInit\n    }\n    clusters {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateTemplate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateTemplate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminDeleteTemplate($id: ID!) {\n    deleteTemplate(id: $id)\n  }\n"): (typeof documents)["\n  mutation AdminDeleteTemplate($id: ID!) {\n    deleteTemplate(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUsers($after: String) {\n    users(first: 50, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          email\n          displayName\n          isPlatformAdmin\n          disabledAt\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminUsers($after: String) {\n    users(first: 50, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          email\n          displayName\n          isPlatformAdmin\n          disabledAt\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetUserDisabled($id: ID!, $disabled: Boolean!) {\n    setUserDisabled(id: $id, disabled: $disabled) {\n      id\n      disabledAt\n    }\n  }\n"): (typeof documents)["\n  mutation AdminSetUserDisabled($id: ID!, $disabled: Boolean!) {\n    setUserDisabled(id: $id, disabled: $disabled) {\n      id\n      disabledAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminOrganizations {\n    organizations(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          slug\n          createdAt\n          usage {\n            machines\n            cores\n          }\n          projects(first: 1) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminOrganizations {\n    organizations(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          slug\n          createdAt\n          usage {\n            machines\n            cores\n          }\n          projects(first: 1) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminGpuClusters {\n    clusters {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query AdminGpuClusters {\n    clusters {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminGpuInventory($clusterId: ID!) {\n    gpuInventory(clusterId: $clusterId) {\n      devices {\n        node\n        pciId\n        deviceId\n        vendorName\n        deviceName\n        iommuGroup\n        mediated\n        mappings\n        guests {\n          vmid\n          name\n          status\n          via\n        }\n      }\n      unreadableNodes\n    }\n  }\n"): (typeof documents)["\n  query AdminGpuInventory($clusterId: ID!) {\n    gpuInventory(clusterId: $clusterId) {\n      devices {\n        node\n        pciId\n        deviceId\n        vendorName\n        deviceName\n        iommuGroup\n        mediated\n        mappings\n        guests {\n          vmid\n          name\n          status\n          via\n        }\n      }\n      unreadableNodes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    scope\n    metric\n    comparator\n    threshold\n    clearThreshold\n    durationSeconds\n    severity\n    enabled\n    builtin\n    machineId\n    projectId\n    clusterId\n    node\n    organizationId\n  }\n"): (typeof documents)["\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    scope\n    metric\n    comparator\n    threshold\n    clearThreshold\n    durationSeconds\n    severity\n    enabled\n    builtin\n    machineId\n    projectId\n    clusterId\n    node\n    organizationId\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertRules($organizationId: ID, $after: String) {\n    alertRules(organizationId: $organizationId, first: 100, after: $after) {\n      totalCount\n      edges {\n        node {\n          ...AlertRuleFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AlertRules($organizationId: ID, $after: String) {\n    alertRules(organizationId: $organizationId, first: 100, after: $after) {\n      totalCount\n      edges {\n        node {\n          ...AlertRuleFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n    createAlertRule(input: $input) {\n      ...AlertRuleFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n    createAlertRule(input: $input) {\n      ...AlertRuleFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      ...AlertRuleFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      ...AlertRuleFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertFields on Alert {\n    id\n    state\n    severity\n    subject\n    subjectLabel\n    value\n    pendingSince\n    firedAt\n    resolvedAt\n    acknowledgedAt\n    silencedUntil\n    machineId\n    rule {\n      id\n      name\n      metric\n      comparator\n      threshold\n    }\n  }\n"): (typeof documents)["\n  fragment AlertFields on Alert {\n    id\n    state\n    severity\n    subject\n    subjectLabel\n    value\n    pendingSince\n    firedAt\n    resolvedAt\n    acknowledgedAt\n    silencedUntil\n    machineId\n    rule {\n      id\n      name\n      metric\n      comparator\n      threshold\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Alerts($organizationId: ID, $filter: AlertFilter, $first: Int!, $after: String) {\n    alerts(organizationId: $organizationId, filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AlertFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Alerts($organizationId: ID, $filter: AlertFilter, $first: Int!, $after: String) {\n    alerts(organizationId: $organizationId, filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AlertFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SilenceAlert($id: ID!, $until: DateTimeISO!) {\n    silenceAlert(id: $id, until: $until) {\n      ...AlertFields\n    }\n  }\n"): (typeof documents)["\n  mutation SilenceAlert($id: ID!, $until: DateTimeISO!) {\n    silenceAlert(id: $id, until: $until) {\n      ...AlertFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AlertEvents($organizationId: ID) {\n    alertEvents(organizationId: $organizationId) {\n      alertId\n      kind\n      state\n      severity\n      ruleName\n      subjectLabel\n      value\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription AlertEvents($organizationId: ID) {\n    alertEvents(organizationId: $organizationId) {\n      alertId\n      kind\n      state\n      severity\n      ruleName\n      subjectLabel\n      value\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NotificationChannelFields on NotificationChannel {\n    id\n    name\n    kind\n    enabled\n    minSeverity\n    url\n    recipients\n    organizationId\n  }\n"): (typeof documents)["\n  fragment NotificationChannelFields on NotificationChannel {\n    id\n    name\n    kind\n    enabled\n    minSeverity\n    url\n    recipients\n    organizationId\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationChannels($organizationId: ID) {\n    notificationChannels(organizationId: $organizationId) {\n      ...NotificationChannelFields\n    }\n  }\n"): (typeof documents)["\n  query NotificationChannels($organizationId: ID) {\n    notificationChannels(organizationId: $organizationId) {\n      ...NotificationChannelFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {\n    createNotificationChannel(input: $input) {\n      ...NotificationChannelFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {\n    createNotificationChannel(input: $input) {\n      ...NotificationChannelFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNotificationChannel($id: ID!, $input: UpdateNotificationChannelInput!) {\n    updateNotificationChannel(id: $id, input: $input) {\n      ...NotificationChannelFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateNotificationChannel($id: ID!, $input: UpdateNotificationChannelInput!) {\n    updateNotificationChannel(id: $id, input: $input) {\n      ...NotificationChannelFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteNotificationChannel($id: ID!) {\n    deleteNotificationChannel(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteNotificationChannel($id: ID!) {\n    deleteNotificationChannel(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationDeliveries($channelId: ID!, $after: String) {\n    notificationDeliveries(channelId: $channelId, first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          event\n          status\n          attempt\n          statusCode\n          error\n          nextAttemptAt\n          createdAt\n          alertId\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query NotificationDeliveries($channelId: ID!, $after: String) {\n    notificationDeliveries(channelId: $channelId, first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          event\n          status\n          attempt\n          statusCode\n          error\n          nextAttemptAt\n          createdAt\n          alertId\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertOwners {\n    organizations(first: 50) {\n      edges {\n        node {\n          id\n          name\n          projects(first: 50) {\n            edges {\n              node {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n    machines(first: 100) {\n      edges {\n        node {\n          id\n          name\n          project {\n            id\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AlertOwners {\n    organizations(first: 50) {\n      edges {\n        node {\n          id\n          name\n          projects(first: 50) {\n            edges {\n              node {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n    machines(first: 100) {\n      edges {\n        node {\n          id\n          name\n          project {\n            id\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardAlertOwners {\n    organizations(first: 5) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DashboardAlertOwners {\n    organizations(first: 5) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($first: Int!, $after: String, $filter: AuditLogFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          at\n          action\n          result\n          actorId\n          organizationId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          hash\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($first: Int!, $after: String, $filter: AuditLogFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          at\n          action\n          result\n          actorId\n          organizationId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          hash\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VerifyAuditLog {\n    verifyAuditLog {\n      valid\n      checkedRows\n      firstBrokenId\n      headHash\n      reason\n    }\n  }\n"): (typeof documents)["\n  query VerifyAuditLog {\n    verifyAuditLog {\n      valid\n      checkedRows\n      firstBrokenId\n      headHash\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditScopes {\n    viewer {\n      id\n      isPlatformAdmin\n    }\n    organizations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditScopes {\n    viewer {\n      id\n      isPlatformAdmin\n    }\n    organizations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      email\n      displayName\n      isPlatformAdmin\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      email\n      displayName\n      isPlatformAdmin\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      user {\n        id\n        email\n        displayName\n      }\n      mfaChallenge {\n        challengeToken\n        expiresAt\n      }\n      mfaEnrolmentRequired\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      user {\n        id\n        email\n        displayName\n      }\n      mfaChallenge {\n        challengeToken\n        expiresAt\n      }\n      mfaEnrolmentRequired\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleMachine($id: ID!) {\n    machine(id: $id) {\n      id\n      name\n      kind\n      status\n    }\n  }\n"): (typeof documents)["\n  query ConsoleMachine($id: ID!) {\n    machine(id: $id) {\n      id\n      name\n      kind\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenConsole($machineId: ID!, $kind: ConsoleKind!) {\n    openConsole(machineId: $machineId, kind: $kind) {\n      kind\n      path\n      password\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation OpenConsole($machineId: ID!, $kind: ConsoleKind!) {\n    openConsole(machineId: $machineId, kind: $kind) {\n      kind\n      path\n      password\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard {\n    all: machines(first: 1) {\n      totalCount\n    }\n    running: machines(first: 1, filter: { status: [RUNNING] }) {\n      totalCount\n    }\n    stopped: machines(first: 1, filter: { status: [STOPPED] }) {\n      totalCount\n    }\n    busy: machines(first: 1, filter: { status: [PENDING, PROVISIONING, DELETING] }) {\n      totalCount\n    }\n    suspended: machines(first: 1, filter: { status: [SUSPENDED] }) {\n      totalCount\n    }\n    failed: machines(first: 1, filter: { status: [FAILED, MISSING] }) {\n      totalCount\n    }\n    jobs(first: 8) {\n      edges {\n        node {\n          id\n          kind\n          status\n          percent\n          currentStep\n          createdAt\n          error\n          machine {\n            id\n            name\n          }\n        }\n      }\n    }\n    organizations(first: 20) {\n      edges {\n        node {\n          id\n          name\n          quota {\n            ...QuotaFields\n          }\n          usage {\n            ...UsageFields\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Dashboard {\n    all: machines(first: 1) {\n      totalCount\n    }\n    running: machines(first: 1, filter: { status: [RUNNING] }) {\n      totalCount\n    }\n    stopped: machines(first: 1, filter: { status: [STOPPED] }) {\n      totalCount\n    }\n    busy: machines(first: 1, filter: { status: [PENDING, PROVISIONING, DELETING] }) {\n      totalCount\n    }\n    suspended: machines(first: 1, filter: { status: [SUSPENDED] }) {\n      totalCount\n    }\n    failed: machines(first: 1, filter: { status: [FAILED, MISSING] }) {\n      totalCount\n    }\n    jobs(first: 8) {\n      edges {\n        node {\n          id\n          kind\n          status\n          percent\n          currentStep\n          createdAt\n          error\n          machine {\n            id\n            name\n          }\n        }\n      }\n    }\n    organizations(first: 20) {\n      edges {\n        node {\n          id\n          name\n          quota {\n            ...QuotaFields\n          }\n          usage {\n            ...UsageFields\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Invitations($organizationId: ID!) {\n    invitations(organizationId: $organizationId) {\n      id\n      email\n      role\n      createdAt\n      expiresAt\n      acceptedAt\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  query Invitations($organizationId: ID!) {\n    invitations(organizationId: $organizationId) {\n      id\n      email\n      role\n      createdAt\n      expiresAt\n      acceptedAt\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateInvitation($input: CreateInvitationInput!) {\n    createInvitation(input: $input) {\n      token\n      invitation {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateInvitation($input: CreateInvitationInput!) {\n    createInvitation(input: $input) {\n      token\n      invitation {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accountCreated\n      role\n      organization {\n        id\n        name\n      }\n      user {\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accountCreated\n      role\n      organization {\n        id\n        name\n      }\n      user {\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MachineRow on Machine {\n    id\n    name\n    kind\n    status\n    cores\n    memoryMiB\n    diskGiB\n    vmid\n    ipAddresses\n    createdAt\n    project {\n      id\n      name\n    }\n    template {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment MachineRow on Machine {\n    id\n    name\n    kind\n    status\n    cores\n    memoryMiB\n    diskGiB\n    vmid\n    ipAddresses\n    createdAt\n    project {\n      id\n      name\n    }\n    template {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Machines($first: Int!, $after: String, $filter: MachineFilter, $orderBy: MachineOrder) {\n    machines(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...MachineRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Machines($first: Int!, $after: String, $filter: MachineFilter, $orderBy: MachineOrder) {\n    machines(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...MachineRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Machine($id: ID!) {\n    machine(id: $id) {\n      ...MachineRow\n      tags\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      template {\n        id\n        name\n        os\n        kind\n      }\n      network {\n        id\n        name\n        bridge\n        cidr\n        vlanTag\n      }\n      storage {\n        id\n        name\n        storageId\n      }\n    }\n  }\n"): (typeof documents)["\n  query Machine($id: ID!) {\n    machine(id: $id) {\n      ...MachineRow\n      tags\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      template {\n        id\n        name\n        os\n        kind\n      }\n      network {\n        id\n        name\n        bridge\n        cidr\n        vlanTag\n      }\n      storage {\n        id\n        name\n        storageId\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobHistoryItem on Job {\n    id\n    kind\n    status\n    percent\n    currentStep\n    error\n    createdAt\n    startedAt\n    finishedAt\n    events {\n      id\n      seq\n      step\n      status\n      message\n      percent\n      data\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  fragment JobHistoryItem on Job {\n    id\n    kind\n    status\n    percent\n    currentStep\n    error\n    createdAt\n    startedAt\n    finishedAt\n    events {\n      id\n      seq\n      step\n      status\n      message\n      percent\n      data\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MachineJobs($machineId: ID!) {\n    jobs(first: 50, filter: { machineId: $machineId }) {\n      totalCount\n      edges {\n        node {\n          ...JobHistoryItem\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MachineJobs($machineId: ID!) {\n    jobs(first: 50, filter: { machineId: $machineId }) {\n      totalCount\n      edges {\n        node {\n          ...JobHistoryItem\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Job($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      percent\n      currentStep\n      error\n      machine {\n        id\n        name\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  query Job($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      percent\n      currentStep\n      error\n      machine {\n        id\n        name\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobProgress($jobId: ID!) {\n    jobProgress(jobId: $jobId) {\n      jobId\n      seq\n      step\n      status\n      percent\n      message\n      data\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription JobProgress($jobId: ID!) {\n    jobProgress(jobId: $jobId) {\n      jobId\n      seq\n      step\n      status\n      percent\n      message\n      data\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProvisionOptions {\n    templates {\n      id\n      name\n      kind\n      os\n      description\n      cloudInit\n      defaultCores\n      defaultMemoryMiB\n      defaultDiskGiB\n    }\n  }\n"): (typeof documents)["\n  query ProvisionOptions {\n    templates {\n      id\n      name\n      kind\n      os\n      description\n      cloudInit\n      defaultCores\n      defaultMemoryMiB\n      defaultDiskGiB\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Networks($projectId: ID!) {\n    networkConfigurations(projectId: $projectId) {\n      id\n      name\n      bridge\n      cidr\n      vlanTag\n      firewall\n    }\n  }\n"): (typeof documents)["\n  query Networks($projectId: ID!) {\n    networkConfigurations(projectId: $projectId) {\n      id\n      name\n      bridge\n      cidr\n      vlanTag\n      firewall\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProvisionMachine($input: ProvisionMachineInput!) {\n    provisionMachine(input: $input) {\n      machine {\n        ...MachineRow\n      }\n      job {\n        id\n        status\n        percent\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ProvisionMachine($input: ProvisionMachineInput!) {\n    provisionMachine(input: $input) {\n      machine {\n        ...MachineRow\n      }\n      job {\n        id\n        status\n        percent\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartMachine($input: MachineJobInput!) {\n    startMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation StartMachine($input: MachineJobInput!) {\n    startMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StopMachine($input: MachineJobInput!) {\n    stopMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation StopMachine($input: MachineJobInput!) {\n    stopMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RebootMachine($input: MachineJobInput!) {\n    rebootMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RebootMachine($input: MachineJobInput!) {\n    rebootMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DestroyMachine($input: MachineJobInput!) {\n    destroyMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation DestroyMachine($input: MachineJobInput!) {\n    destroyMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MachineEvents($projectId: ID!) {\n    machineEvents(projectId: $projectId) {\n      machineId\n      projectId\n      status\n      node\n      ipAddresses\n      deleted\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription MachineEvents($projectId: ID!) {\n    machineEvents(projectId: $projectId) {\n      machineId\n      projectId\n      status\n      node\n      ipAddresses\n      deleted\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MetricColumnsFields on MetricColumns {\n    atMs\n    cpu\n    memoryBytes\n    memoryTotalBytes\n    netIn\n    netOut\n    diskRead\n    diskWrite\n  }\n"): (typeof documents)["\n  fragment MetricColumnsFields on MetricColumns {\n    atMs\n    cpu\n    memoryBytes\n    memoryTotalBytes\n    netIn\n    netOut\n    diskRead\n    diskWrite\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MachineMetrics($machineId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    machineMetrics(machineId: $machineId, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query MachineMetrics($machineId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    machineMetrics(machineId: $machineId, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MachineMetricsLive($machineIds: [ID!]!) {\n    machineMetricsLive(machineIds: $machineIds) {\n      machineId\n      at\n      cpu\n      memoryBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n    }\n  }\n"): (typeof documents)["\n  subscription MachineMetricsLive($machineIds: [ID!]!) {\n    machineMetricsLive(machineIds: $machineIds) {\n      machineId\n      at\n      cpu\n      memoryBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectMetrics($projectId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    projectMetrics(projectId: $projectId, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query ProjectMetrics($projectId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    projectMetrics(projectId: $projectId, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ProjectMetricsLive($projectId: ID!) {\n    projectMetricsLive(projectId: $projectId) {\n      projectId\n      at\n      cpu\n      memoryBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n      machines\n    }\n  }\n"): (typeof documents)["\n  subscription ProjectMetricsLive($projectId: ID!) {\n    projectMetricsLive(projectId: $projectId) {\n      projectId\n      at\n      cpu\n      memoryBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n      machines\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeMetrics($clusterId: ID!, $node: String!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    nodeMetrics(clusterId: $clusterId, node: $node, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query NodeMetrics($clusterId: ID!, $node: String!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {\n    nodeMetrics(clusterId: $clusterId, node: $node, from: $from, to: $to, maxPoints: $maxPoints) {\n      source\n      stepSeconds\n      columns {\n        ...MetricColumnsFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription NodeMetricsLive($clusterId: ID!, $node: String!) {\n    nodeMetricsLive(clusterId: $clusterId, node: $node) {\n      clusterId\n      node\n      at\n      cpu\n      memoryBytes\n      memoryTotalBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n    }\n  }\n"): (typeof documents)["\n  subscription NodeMetricsLive($clusterId: ID!, $node: String!) {\n    nodeMetricsLive(clusterId: $clusterId, node: $node) {\n      clusterId\n      node\n      at\n      cpu\n      memoryBytes\n      memoryTotalBytes\n      netIn\n      netOut\n      diskRead\n      diskWrite\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ClusterStatusFields on ClusterStatus {\n    clusterId\n    collectedAt\n    guestsRunning\n    guestsTotal\n    nodes {\n      node\n      status\n      cpu\n      cpus\n      memoryBytes\n      memoryTotalBytes\n      at\n    }\n    ceph {\n      available\n      health\n      error\n      collectedAt\n      bytesTotal\n      bytesUsed\n      osdsIn\n      osdsUp\n      osdsTotal\n      pgsTotal\n      pgsByState {\n        state\n        count\n      }\n      checks {\n        name\n        severity\n        message\n      }\n      pools {\n        name\n        size\n        pgNum\n        bytesUsed\n        percentUsed\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ClusterStatusFields on ClusterStatus {\n    clusterId\n    collectedAt\n    guestsRunning\n    guestsTotal\n    nodes {\n      node\n      status\n      cpu\n      cpus\n      memoryBytes\n      memoryTotalBytes\n      at\n    }\n    ceph {\n      available\n      health\n      error\n      collectedAt\n      bytesTotal\n      bytesUsed\n      osdsIn\n      osdsUp\n      osdsTotal\n      pgsTotal\n      pgsByState {\n        state\n        count\n      }\n      checks {\n        name\n        severity\n        message\n      }\n      pools {\n        name\n        size\n        pgNum\n        bytesUsed\n        percentUsed\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClustersHealth {\n    clusters {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query ClustersHealth {\n    clusters {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClusterStatus($clusterId: ID!) {\n    clusterStatus(clusterId: $clusterId) {\n      ...ClusterStatusFields\n    }\n  }\n"): (typeof documents)["\n  query ClusterStatus($clusterId: ID!) {\n    clusterStatus(clusterId: $clusterId) {\n      ...ClusterStatusFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteSignIn($input: CompleteSignInInput!) {\n    completeSignIn(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteSignIn($input: CompleteSignInInput!) {\n    completeSignIn(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationRequireMfa($id: ID!) {\n    organization(id: $id) {\n      id\n      requireMfa\n    }\n  }\n"): (typeof documents)["\n  query OrganizationRequireMfa($id: ID!) {\n    organization(id: $id) {\n      id\n      requireMfa\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetOrganizationRequireMfa($organizationId: ID!, $required: Boolean!) {\n    setOrganizationRequireMfa(organizationId: $organizationId, required: $required) {\n      id\n      requireMfa\n    }\n  }\n"): (typeof documents)["\n  mutation SetOrganizationRequireMfa($organizationId: ID!, $required: Boolean!) {\n    setOrganizationRequireMfa(organizationId: $organizationId, required: $required) {\n      id\n      requireMfa\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          slug\n          createdAt\n          projects(first: 50) {\n            totalCount\n            edges {\n              node {\n                id\n                name\n                description\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          slug\n          createdAt\n          projects(first: 50) {\n            totalCount\n            edges {\n              node {\n                id\n                name\n                description\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment QuotaFields on Quota {\n    machines\n    cores\n    memoryMiB\n    diskGiB\n    gpus\n  }\n"): (typeof documents)["\n  fragment QuotaFields on Quota {\n    machines\n    cores\n    memoryMiB\n    diskGiB\n    gpus\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UsageFields on ResourceUsage {\n    machines\n    cores\n    memoryMiB\n    diskGiB\n  }\n"): (typeof documents)["\n  fragment UsageFields on ResourceUsage {\n    machines\n    cores\n    memoryMiB\n    diskGiB\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Organization($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      slug\n      createdAt\n      quota {\n        ...QuotaFields\n      }\n      usage {\n        ...UsageFields\n      }\n      projects(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            name\n            description\n            quota {\n              ...QuotaFields\n            }\n            usage {\n              ...UsageFields\n            }\n          }\n        }\n      }\n    }\n    myPrivileges(organizationId: $id)\n    viewer {\n      id\n      isPlatformAdmin\n    }\n  }\n"): (typeof documents)["\n  query Organization($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      slug\n      createdAt\n      quota {\n        ...QuotaFields\n      }\n      usage {\n        ...UsageFields\n      }\n      projects(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            name\n            description\n            quota {\n              ...QuotaFields\n            }\n            usage {\n              ...UsageFields\n            }\n          }\n        }\n      }\n    }\n    myPrivileges(organizationId: $id)\n    viewer {\n      id\n      isPlatformAdmin\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Members($id: ID!) {\n    organization(id: $id) {\n      id\n      members {\n        id\n        role\n        createdAt\n        user {\n          id\n          email\n          displayName\n        }\n        project {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Members($id: ID!) {\n    organization(id: $id) {\n      id\n      members {\n        id\n        role\n        createdAt\n        user {\n          id\n          email\n          displayName\n        }\n        project {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation AddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMemberRole($id: ID!, $role: Role!) {\n    updateMemberRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateMemberRole($id: ID!, $role: Role!) {\n    updateMemberRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {\n    updateProject(id: $id, input: $input) {\n      id\n      name\n      description\n      quota {\n        ...QuotaFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {\n    updateProject(id: $id, input: $input) {\n      id\n      name\n      description\n      quota {\n        ...QuotaFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateOrganizationQuota($id: ID!, $input: UpdateOrganizationInput!) {\n    updateOrganization(id: $id, input: $input) {\n      id\n      quota {\n        ...QuotaFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateOrganizationQuota($id: ID!, $input: UpdateOrganizationInput!) {\n    updateOrganization(id: $id, input: $input) {\n      id\n      quota {\n        ...QuotaFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      prefix\n      scopes\n      createdAt\n      expiresAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      prefix\n      scopes\n      createdAt\n      expiresAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        prefix\n        scopes\n        createdAt\n        expiresAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        prefix\n        scopes\n        createdAt\n        expiresAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MfaStatus {\n    mfaStatus {\n      totpEnabled\n      recoveryCodesRemaining\n      enrolmentRequired\n    }\n  }\n"): (typeof documents)["\n  query MfaStatus {\n    mfaStatus {\n      totpEnabled\n      recoveryCodesRemaining\n      enrolmentRequired\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeginTotpEnrolment {\n    beginTotpEnrolment {\n      otpauthUri\n      qrCodeDataUrl\n      secret\n    }\n  }\n"): (typeof documents)["\n  mutation BeginTotpEnrolment {\n    beginTotpEnrolment {\n      otpauthUri\n      qrCodeDataUrl\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotpEnrolment($code: String!) {\n    confirmTotpEnrolment(code: $code) {\n      recoveryCodes\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmTotpEnrolment($code: String!) {\n    confirmTotpEnrolment(code: $code) {\n      recoveryCodes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegenerateRecoveryCodes($code: String!) {\n    regenerateRecoveryCodes(code: $code) {\n      recoveryCodes\n    }\n  }\n"): (typeof documents)["\n  mutation RegenerateRecoveryCodes($code: String!) {\n    regenerateRecoveryCodes(code: $code) {\n      recoveryCodes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableTotp($input: DisableTotpInput!) {\n    disableTotp(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation DisableTotp($input: DisableTotpInput!) {\n    disableTotp(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UsageFiguresFields on UsageFigures {\n    machineHours\n    coreHours\n    memoryGiBHours\n    diskGiBDays\n    gpuHours\n  }\n"): (typeof documents)["\n  fragment UsageFiguresFields on UsageFigures {\n    machineHours\n    coreHours\n    memoryGiBHours\n    diskGiBDays\n    gpuHours\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsageReport($organizationId: ID, $projectId: ID, $from: DateTimeISO!, $to: DateTimeISO!) {\n    usageReport(organizationId: $organizationId, projectId: $projectId, from: $from, to: $to) {\n      from\n      to\n      totals {\n        ...UsageFiguresFields\n      }\n      projects {\n        projectId\n        name\n        totals {\n          ...UsageFiguresFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query UsageReport($organizationId: ID, $projectId: ID, $from: DateTimeISO!, $to: DateTimeISO!) {\n    usageReport(organizationId: $organizationId, projectId: $projectId, from: $from, to: $to) {\n      from\n      to\n      totals {\n        ...UsageFiguresFields\n      }\n      projects {\n        projectId\n        name\n        totals {\n          ...UsageFiguresFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportOrganizations {\n    organizations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReportOrganizations {\n    organizations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MachineSnapshots($id: ID!) {\n    machine(id: $id) {\n      id\n      kind\n      status\n      snapshots {\n        name\n        description\n        createdAt\n        includesMemory\n        parent\n      }\n    }\n  }\n"): (typeof documents)["\n  query MachineSnapshots($id: ID!) {\n    machine(id: $id) {\n      id\n      kind\n      status\n      snapshots {\n        name\n        description\n        createdAt\n        includesMemory\n        parent\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSnapshot($input: CreateSnapshotInput!) {\n    createSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSnapshot($input: CreateSnapshotInput!) {\n    createSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RollbackSnapshot($input: SnapshotInput!) {\n    rollbackSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RollbackSnapshot($input: SnapshotInput!) {\n    rollbackSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSnapshot($input: SnapshotInput!) {\n    deleteSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteSnapshot($input: SnapshotInput!) {\n    deleteSnapshot(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResizeMachine($input: ResizeMachineInput!) {\n    resizeMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation ResizeMachine($input: ResizeMachineInput!) {\n    resizeMachine(input: $input) {\n      id\n      kind\n      status\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;