import { graphql } from '@/gql';

export const GpuClustersQuery = graphql(`
  query AdminGpuClusters {
    clusters {
      id
      name
    }
  }
`);

export const GpuInventoryQuery = graphql(`
  query AdminGpuInventory($clusterId: ID!) {
    gpuInventory(clusterId: $clusterId) {
      devices {
        node
        pciId
        deviceId
        vendorName
        deviceName
        iommuGroup
        mediated
        mappings
        guests {
          vmid
          name
          status
          via
        }
      }
      unreadableNodes
    }
  }
`);
