import { graphql } from '@/gql';

export const OrganizationsQuery = graphql(`
  query Organizations {
    organizations(first: 50) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          slug
          createdAt
          projects(first: 50) {
            totalCount
            edges {
              node {
                id
                name
                description
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
