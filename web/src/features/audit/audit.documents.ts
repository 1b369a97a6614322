import { graphql } from '@/gql';

export const AuditLogQuery = graphql(`
  query AuditLog($first: Int!, $after: String, $filter: AuditLogFilter) {
    auditLog(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        cursor
        node {
          id
          at
          action
          result
          actorId
          organizationId
          targetType
          targetId
          ip
          userAgent
          details
          hash
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const VerifyAuditLogQuery = graphql(`
  query VerifyAuditLog {
    verifyAuditLog {
      valid
      checkedRows
      firstBrokenId
      headHash
      reason
    }
  }
`);

/** Where the viewer may read the log: every organization it sees, and whether it is a platform admin. */
export const AuditScopesQuery = graphql(`
  query AuditScopes {
    viewer {
      id
      isPlatformAdmin
    }
    organizations(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);
