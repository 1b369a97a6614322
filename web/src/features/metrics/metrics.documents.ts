import { graphql } from '@/gql';

// Series come column-wise (an array per measure): a 24-hour chart's 288 points as objects cost the
// API a field resolution each and ~40% more bytes; metrics.range's samplesOf turns them into samples.
export const MetricColumnsFields = graphql(`
  fragment MetricColumnsFields on MetricColumns {
    atMs
    cpu
    memoryBytes
    memoryTotalBytes
    netIn
    netOut
    diskRead
    diskWrite
  }
`);

export const MachineMetricsQuery = graphql(`
  query MachineMetrics($machineId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {
    machineMetrics(machineId: $machineId, from: $from, to: $to, maxPoints: $maxPoints) {
      source
      stepSeconds
      columns {
        ...MetricColumnsFields
      }
    }
  }
`);

export const MachineMetricsLiveSubscription = graphql(`
  subscription MachineMetricsLive($machineIds: [ID!]!) {
    machineMetricsLive(machineIds: $machineIds) {
      machineId
      at
      cpu
      memoryBytes
      netIn
      netOut
      diskRead
      diskWrite
    }
  }
`);

export const ProjectMetricsQuery = graphql(`
  query ProjectMetrics($projectId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {
    projectMetrics(projectId: $projectId, from: $from, to: $to, maxPoints: $maxPoints) {
      source
      stepSeconds
      columns {
        ...MetricColumnsFields
      }
    }
  }
`);

export const ProjectMetricsLiveSubscription = graphql(`
  subscription ProjectMetricsLive($projectId: ID!) {
    projectMetricsLive(projectId: $projectId) {
      projectId
      at
      cpu
      memoryBytes
      netIn
      netOut
      diskRead
      diskWrite
      machines
    }
  }
`);

export const NodeMetricsQuery = graphql(`
  query NodeMetrics($clusterId: ID!, $node: String!, $from: DateTimeISO!, $to: DateTimeISO!, $maxPoints: Int!) {
    nodeMetrics(clusterId: $clusterId, node: $node, from: $from, to: $to, maxPoints: $maxPoints) {
      source
      stepSeconds
      columns {
        ...MetricColumnsFields
      }
    }
  }
`);

export const NodeMetricsLiveSubscription = graphql(`
  subscription NodeMetricsLive($clusterId: ID!, $node: String!) {
    nodeMetricsLive(clusterId: $clusterId, node: $node) {
      clusterId
      node
      at
      cpu
      memoryBytes
      memoryTotalBytes
      netIn
      netOut
      diskRead
      diskWrite
    }
  }
`);

export const ClusterStatusFields = graphql(`
  fragment ClusterStatusFields on ClusterStatus {
    clusterId
    collectedAt
    guestsRunning
    guestsTotal
    nodes {
      node
      status
      cpu
      cpus
      memoryBytes
      memoryTotalBytes
      at
    }
    ceph {
      available
      health
      error
      collectedAt
      bytesTotal
      bytesUsed
      osdsIn
      osdsUp
      osdsTotal
      pgsTotal
      pgsByState {
        state
        count
      }
      checks {
        name
        severity
        message
      }
      pools {
        name
        size
        pgNum
        bytesUsed
        percentUsed
      }
    }
  }
`);

/** Every cluster with its status as last collected (Platform.Admin). */
export const ClustersHealthQuery = graphql(`
  query ClustersHealth {
    clusters {
      id
      name
    }
  }
`);

export const ClusterStatusQuery = graphql(`
  query ClusterStatus($clusterId: ID!) {
    clusterStatus(clusterId: $clusterId) {
      ...ClusterStatusFields
    }
  }
`);
