import { graphql } from '@/gql';

/**
 * Everything the dashboard shows but the organization cards: counts per machine status (aliases of one
 * cheap page each: only totalCount is read), recent jobs, and each organization's usage against quota.
 */
export const DashboardQuery = graphql(`
  query Dashboard {
    all: machines(first: 1) {
      totalCount
    }
    running: machines(first: 1, filter: { status: [RUNNING] }) {
      totalCount
    }
    stopped: machines(first: 1, filter: { status: [STOPPED] }) {
      totalCount
    }
    busy: machines(first: 1, filter: { status: [PENDING, PROVISIONING, DELETING] }) {
      totalCount
    }
    suspended: machines(first: 1, filter: { status: [SUSPENDED] }) {
      totalCount
    }
    failed: machines(first: 1, filter: { status: [FAILED, MISSING] }) {
      totalCount
    }
    jobs(first: 8) {
      edges {
        node {
          id
          kind
          status
          percent
          currentStep
          createdAt
          error
          machine {
            id
            name
          }
        }
      }
    }
    organizations(first: 20) {
      edges {
        node {
          id
          name
          quota {
            ...QuotaFields
          }
          usage {
            ...UsageFields
          }
        }
      }
    }
  }
`);
