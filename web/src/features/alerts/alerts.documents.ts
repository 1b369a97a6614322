import { graphql } from '@/gql';

export const AlertRuleFields = graphql(`
  fragment AlertRuleFields on AlertRule {
    id
    name
    scope
    metric
    comparator
    threshold
    clearThreshold
    durationSeconds
    severity
    enabled
    builtin
    machineId
    projectId
    clusterId
    node
    organizationId
  }
`);

export const AlertRulesQuery = graphql(`
  query AlertRules($organizationId: ID, $after: String) {
    alertRules(organizationId: $organizationId, first: 100, after: $after) {
      totalCount
      edges {
        node {
          ...AlertRuleFields
        }
      }
    }
  }
`);

export const CreateAlertRuleMutation = graphql(`
  mutation CreateAlertRule($input: CreateAlertRuleInput!) {
    createAlertRule(input: $input) {
      ...AlertRuleFields
    }
  }
`);

export const UpdateAlertRuleMutation = graphql(`
  mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {
    updateAlertRule(id: $id, input: $input) {
      ...AlertRuleFields
    }
  }
`);

export const DeleteAlertRuleMutation = graphql(`
  mutation DeleteAlertRule($id: ID!) {
    deleteAlertRule(id: $id)
  }
`);

export const AlertFields = graphql(`
  fragment AlertFields on Alert {
    id
    state
    severity
    subject
    subjectLabel
    value
    pendingSince
    firedAt
    resolvedAt
    acknowledgedAt
    silencedUntil
    machineId
    rule {
      id
      name
      metric
      comparator
      threshold
    }
  }
`);

export const AlertsQuery = graphql(`
  query Alerts($organizationId: ID, $filter: AlertFilter, $first: Int!, $after: String) {
    alerts(organizationId: $organizationId, filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...AlertFields
        }
      }
    }
  }
`);

export const AcknowledgeAlertMutation = graphql(`
  mutation AcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) {
      ...AlertFields
    }
  }
`);

export const SilenceAlertMutation = graphql(`
  mutation SilenceAlert($id: ID!, $until: DateTimeISO!) {
    silenceAlert(id: $id, until: $until) {
      ...AlertFields
    }
  }
`);

export const AlertEventsSubscription = graphql(`
  subscription AlertEvents($organizationId: ID) {
    alertEvents(organizationId: $organizationId) {
      alertId
      kind
      state
      severity
      ruleName
      subjectLabel
      value
      at
    }
  }
`);

export const NotificationChannelFields = graphql(`
  fragment NotificationChannelFields on NotificationChannel {
    id
    name
    kind
    enabled
    minSeverity
    url
    recipients
    organizationId
  }
`);

export const NotificationChannelsQuery = graphql(`
  query NotificationChannels($organizationId: ID) {
    notificationChannels(organizationId: $organizationId) {
      ...NotificationChannelFields
    }
  }
`);

export const CreateNotificationChannelMutation = graphql(`
  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      ...NotificationChannelFields
    }
  }
`);

export const UpdateNotificationChannelMutation = graphql(`
  mutation UpdateNotificationChannel($id: ID!, $input: UpdateNotificationChannelInput!) {
    updateNotificationChannel(id: $id, input: $input) {
      ...NotificationChannelFields
    }
  }
`);

export const DeleteNotificationChannelMutation = graphql(`
  mutation DeleteNotificationChannel($id: ID!) {
    deleteNotificationChannel(id: $id)
  }
`);

export const NotificationDeliveriesQuery = graphql(`
  query NotificationDeliveries($channelId: ID!, $after: String) {
    notificationDeliveries(channelId: $channelId, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          event
          status
          attempt
          statusCode
          error
          nextAttemptAt
          createdAt
          alertId
        }
      }
    }
  }
`);

/** Whose alerts the page shows: organisations the viewer belongs to. */
export const AlertOwnersQuery = graphql(`
  query AlertOwners {
    organizations(first: 50) {
      edges {
        node {
          id
          name
          projects(first: 50) {
            edges {
              node {
                id
                name
              }
            }
          }
        }
      }
    }
    machines(first: 100) {
      edges {
        node {
          id
          name
          project {
            id
          }
        }
      }
    }
  }
`);

/** The dashboard's firing-alerts card watches a few organisations; the rest are on the Alerts page. */
export const DashboardAlertOwnersQuery = graphql(`
  query DashboardAlertOwners {
    organizations(first: 5) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);
