import { graphql } from '@/gql';

/** The caller's privileges in one project, one organization (organization-wide) or on the platform. */
export const MyPrivilegesQuery = graphql(`
  query MyPrivileges($organizationId: ID, $projectId: ID) {
    myPrivileges(organizationId: $organizationId, projectId: $projectId)
  }
`);

/** The projects the caller can see, with their organization: the places privileges are asked about. */
export const VisibleProjectsQuery = graphql(`
  query VisibleProjects {
    projects(first: 100) {
      edges {
        node {
          id
          name
          organization {
            id
            name
          }
        }
      }
    }
  }
`);
