import { graphql } from '@/gql';

export const ClustersQuery = graphql(`
  query AdminClusters {
    clusters {
      id
      name
      apiUrl
      tokenId
      tlsFingerprint
      createdAt
      nodes {
        id
        name
        status
        cpuCount
        memoryBytes
        maintenance
      }
    }
  }
`);

export const CreateClusterMutation = graphql(`
  mutation AdminCreateCluster($input: CreateClusterInput!) {
    createCluster(input: $input) {
      id
      name
    }
  }
`);

export const DeleteClusterMutation = graphql(`
  mutation AdminDeleteCluster($id: ID!) {
    deleteCluster(id: $id)
  }
`);

/** Reads the cluster's guests from Proxmox now: the check that the URL, certificate and token work. */
export const ClusterCheckQuery = graphql(`
  query AdminClusterCheck($clusterId: ID!) {
    orphanGuests(clusterId: $clusterId) {
      vmid
      name
      node
      status
      type
    }
  }
`);

export const SetNodeMaintenanceMutation = graphql(`
  mutation AdminSetNodeMaintenance($id: ID!, $maintenance: Boolean!) {
    setNodeMaintenance(id: $id, maintenance: $maintenance) {
      id
      maintenance
    }
  }
`);

export const StoragesQuery = graphql(`
  query AdminStorages {
    storageConfigurations {
      id
      name
      storageId
      type
      shared
      createdAt
    }
    clusters {
      id
      name
    }
  }
`);

export const CreateStorageMutation = graphql(`
  mutation AdminCreateStorage($input: CreateStorageConfigurationInput!) {
    createStorageConfiguration(input: $input) {
      id
    }
  }
`);

export const DeleteStorageMutation = graphql(`
  mutation AdminDeleteStorage($id: ID!) {
    deleteStorageConfiguration(id: $id)
  }
`);

export const TemplatesQuery = graphql(`
  query AdminTemplates {
    templates {
      id
      name
      kind
      os
      description
      sourceVmid
      osTemplate
      defaultCores
      defaultMemoryMiB
      defaultDiskGiB
      cloudInit
    }
    clusters {
      id
      name
    }
  }
`);

export const CreateTemplateMutation = graphql(`
  mutation AdminCreateTemplate($input: CreateTemplateInput!) {
    createTemplate(input: $input) {
      id
    }
  }
`);

export const DeleteTemplateMutation = graphql(`
  mutation AdminDeleteTemplate($id: ID!) {
    deleteTemplate(id: $id)
  }
`);

export const UsersQuery = graphql(`
  query AdminUsers($after: String) {
    users(first: 50, after: $after) {
      totalCount
      edges {
        node {
          id
          email
          displayName
          isPlatformAdmin
          disabledAt
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CreateUserMutation = graphql(`
  mutation AdminCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      id
    }
  }
`);

export const SetUserDisabledMutation = graphql(`
  mutation AdminSetUserDisabled($id: ID!, $disabled: Boolean!) {
    setUserDisabled(id: $id, disabled: $disabled) {
      id
      disabledAt
    }
  }
`);

export const AdminOrganizationsQuery = graphql(`
  query AdminOrganizations {
    organizations(first: 100) {
      totalCount
      edges {
        node {
          id
          name
          slug
          createdAt
          usage {
            machines
            cores
          }
          projects(first: 1) {
            totalCount
          }
        }
      }
    }
  }
`);

export const CreateOrganizationMutation = graphql(`
  mutation AdminCreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      id
    }
  }
`);
