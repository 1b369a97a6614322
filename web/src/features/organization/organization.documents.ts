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

export const QuotaFields = graphql(`
  fragment QuotaFields on Quota {
    machines
    cores
    memoryMiB
    diskGiB
    gpus
  }
`);

export const UsageFields = graphql(`
  fragment UsageFields on ResourceUsage {
    machines
    cores
    memoryMiB
    diskGiB
  }
`);

/** One organization with its quota, usage and projects; members are asked separately (Organization.Audit). */
export const OrganizationQuery = graphql(`
  query Organization($id: ID!) {
    organization(id: $id) {
      id
      name
      slug
      createdAt
      quota {
        ...QuotaFields
      }
      usage {
        ...UsageFields
      }
      projects(first: 100) {
        totalCount
        edges {
          node {
            id
            name
            description
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
    myPrivileges(organizationId: $id)
    viewer {
      id
      isPlatformAdmin
    }
  }
`);

export const MembersQuery = graphql(`
  query Members($id: ID!) {
    organization(id: $id) {
      id
      members {
        id
        role
        createdAt
        user {
          id
          email
          displayName
        }
        project {
          id
          name
        }
      }
    }
  }
`);

export const AddMemberMutation = graphql(`
  mutation AddMember($input: AddMemberInput!) {
    addMember(input: $input) {
      id
      role
    }
  }
`);

export const UpdateMemberRoleMutation = graphql(`
  mutation UpdateMemberRole($id: ID!, $role: Role!) {
    updateMemberRole(id: $id, role: $role) {
      id
      role
    }
  }
`);

export const RemoveMemberMutation = graphql(`
  mutation RemoveMember($id: ID!) {
    removeMember(id: $id)
  }
`);

export const UpdateProjectMutation = graphql(`
  mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {
    updateProject(id: $id, input: $input) {
      id
      name
      description
      quota {
        ...QuotaFields
      }
    }
  }
`);

export const CreateProjectMutation = graphql(`
  mutation CreateProject($input: CreateProjectInput!) {
    createProject(input: $input) {
      id
      name
    }
  }
`);

export const UpdateOrganizationQuotaMutation = graphql(`
  mutation UpdateOrganizationQuota($id: ID!, $input: UpdateOrganizationInput!) {
    updateOrganization(id: $id, input: $input) {
      id
      quota {
        ...QuotaFields
      }
    }
  }
`);
