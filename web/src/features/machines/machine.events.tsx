'use client';

import { useApolloClient, useSubscription } from '@apollo/client/react';
import type { MachineEventsSubscription as MachineEventResult } from '@/gql/graphql';
import { MachineEventsSubscription } from './machines.documents';

export type MachineEvent = MachineEventResult['machineEvents'];

// One subscription per project, multiplexed on the one graphql-ws socket. Past this many projects the
// pages fall back on polling alone.
export const MAX_LIVE_PROJECTS = 25;

/**
 * Live status, node and address changes of the machines in `projectIds` (machineEvents). Each event is
 * written into the cached Machine, so every table and page showing it updates; `onEvent` sees it too
 * (to refetch when a machine appears or is deleted).
 */
export function MachineEventsListener({
  projectIds,
  onEvent,
}: {
  projectIds: readonly string[];
  onEvent?: (event: MachineEvent) => void;
}) {
  if (projectIds.length > MAX_LIVE_PROJECTS) return null;
  return projectIds.map((projectId) => (
    <ProjectMachineEvents key={projectId} projectId={projectId} onEvent={onEvent} />
  ));
}

function ProjectMachineEvents({ projectId, onEvent }: { projectId: string; onEvent?: (event: MachineEvent) => void }) {
  const client = useApolloClient();
  useSubscription(MachineEventsSubscription, {
    variables: { projectId },
    // Nothing here renders the data; the cache and the callback carry it.
    ignoreResults: true,
    onData: ({ data }) => {
      const event = data.data?.machineEvents;
      if (!event) return;
      if (!event.deleted && event.status) {
        const status = event.status;
        client.cache.modify({
          id: client.cache.identify({ __typename: 'Machine', id: event.machineId }),
          fields: {
            status: () => status,
            ipAddresses: () => event.ipAddresses,
          },
        });
      }
      onEvent?.(event);
    },
    // A dropped subscription leaves the polling in place; nothing to show.
    onError: () => undefined,
  });
  return null;
}
