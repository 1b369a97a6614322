import { graphql } from '@/gql';

export const ConsoleMachineQuery = graphql(`
  query ConsoleMachine($id: ID!) {
    machine(id: $id) {
      id
      name
      kind
      status
    }
  }
`);

export const OpenConsoleMutation = graphql(`
  mutation OpenConsole($machineId: ID!, $kind: ConsoleKind!) {
    openConsole(machineId: $machineId, kind: $kind) {
      kind
      path
      password
      expiresAt
    }
  }
`);
