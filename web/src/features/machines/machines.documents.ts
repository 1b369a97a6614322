import { graphql } from '@/gql';
import type { MachinesQueryVariables } from '@/gql/graphql';

export const MachineRowFields = graphql(`
  fragment MachineRow on Machine {
    id
    name
    kind
    status
    cores
    memoryMiB
    diskGiB
    vmid
    ipAddresses
    createdAt
    project {
      id
      name
    }
    template {
      id
      name
    }
  }
`);

export const MachinesQuery = graphql(`
  query Machines($first: Int!, $after: String, $filter: MachineFilter, $orderBy: MachineOrder) {
    machines(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges {
        cursor
        node {
          ...MachineRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const MachineQuery = graphql(`
  query Machine($id: ID!) {
    machine(id: $id) {
      ...MachineRow
      tags
      updatedAt
      owner {
        id
        displayName
      }
      template {
        id
        name
        os
        kind
      }
      network {
        id
        name
        bridge
        cidr
        vlanTag
      }
      storage {
        id
        name
        storageId
      }
    }
  }
`);

export const JobFields = graphql(`
  fragment JobHistoryItem on Job {
    id
    kind
    status
    percent
    currentStep
    error
    createdAt
    startedAt
    finishedAt
    events {
      id
      seq
      step
      status
      message
      percent
      data
      createdAt
    }
  }
`);

export const MachineJobsQuery = graphql(`
  query MachineJobs($machineId: ID!) {
    jobs(first: 50, filter: { machineId: $machineId }) {
      totalCount
      edges {
        node {
          ...JobHistoryItem
        }
      }
    }
  }
`);

export const JobQuery = graphql(`
  query Job($id: ID!) {
    job(id: $id) {
      id
      status
      percent
      currentStep
      error
      machine {
        id
        name
        status
      }
    }
  }
`);

export const JobProgressSubscription = graphql(`
  subscription JobProgress($jobId: ID!) {
    jobProgress(jobId: $jobId) {
      jobId
      seq
      step
      status
      percent
      message
      data
      at
    }
  }
`);

/** What the create wizard chooses from. Templates are not per project; networks are (NetworksQuery). */
export const ProvisionOptionsQuery = graphql(`
  query ProvisionOptions {
    templates {
      id
      name
      kind
      os
      description
      cloudInit
      defaultCores
      defaultMemoryMiB
      defaultDiskGiB
    }
  }
`);

export const NetworksQuery = graphql(`
  query Networks($projectId: ID!) {
    networkConfigurations(projectId: $projectId) {
      id
      name
      bridge
      cidr
      vlanTag
      firewall
    }
  }
`);

export const ProvisionMachineMutation = graphql(`
  mutation ProvisionMachine($input: ProvisionMachineInput!) {
    provisionMachine(input: $input) {
      machine {
        ...MachineRow
      }
      job {
        id
        status
        percent
      }
    }
  }
`);

/** What the machines page asks for first; the server preloads exactly this, the list refetches from it. */
export const MACHINE_PAGE_SIZE = 20;
export const DEFAULT_MACHINES_VARIABLES = {
  first: MACHINE_PAGE_SIZE,
  after: null,
  filter: null,
  orderBy: { field: 'CREATED_AT', direction: 'DESC' },
} as const satisfies MachinesQueryVariables;

// Lifecycle: each mutation answers with the job it queued; the page follows it with jobProgress.
export const StartMachineMutation = graphql(`
  mutation StartMachine($input: MachineJobInput!) {
    startMachine(input: $input) {
      id
      kind
      status
    }
  }
`);

export const StopMachineMutation = graphql(`
  mutation StopMachine($input: MachineJobInput!) {
    stopMachine(input: $input) {
      id
      kind
      status
    }
  }
`);

export const RebootMachineMutation = graphql(`
  mutation RebootMachine($input: MachineJobInput!) {
    rebootMachine(input: $input) {
      id
      kind
      status
    }
  }
`);

export const DestroyMachineMutation = graphql(`
  mutation DestroyMachine($input: MachineJobInput!) {
    destroyMachine(input: $input) {
      id
      kind
      status
    }
  }
`);

export const MachineEventsSubscription = graphql(`
  subscription MachineEvents($projectId: ID!) {
    machineEvents(projectId: $projectId) {
      machineId
      projectId
      status
      node
      ipAddresses
      deleted
      at
    }
  }
`);
