import { graphql } from '@/gql';

export const MachineSnapshotsQuery = graphql(`
  query MachineSnapshots($id: ID!) {
    machine(id: $id) {
      id
      kind
      status
      snapshots {
        name
        description
        createdAt
        includesMemory
        parent
      }
    }
  }
`);

export const CreateSnapshotMutation = graphql(`
  mutation CreateSnapshot($input: CreateSnapshotInput!) {
    createSnapshot(input: $input) {
      id
      kind
      status
    }
  }
`);

export const RollbackSnapshotMutation = graphql(`
  mutation RollbackSnapshot($input: SnapshotInput!) {
    rollbackSnapshot(input: $input) {
      id
      kind
      status
    }
  }
`);

export const DeleteSnapshotMutation = graphql(`
  mutation DeleteSnapshot($input: SnapshotInput!) {
    deleteSnapshot(input: $input) {
      id
      kind
      status
    }
  }
`);

export const ResizeMachineMutation = graphql(`
  mutation ResizeMachine($input: ResizeMachineInput!) {
    resizeMachine(input: $input) {
      id
      kind
      status
    }
  }
`);
