'use client';

import { useQuery } from '@apollo/client/react';
import { SimpleGrid, Stack } from '@mantine/core';
import { ClusterHealthCards } from '@/features/metrics/cluster.health';
import { AlertOwnersQuery } from './alerts.documents';
import { FiringAlertsCard } from './firing-alerts.card';

/** The dashboard's monitoring row: firing alerts for everyone, cluster and Ceph health for platform admins. */
export function DashboardMonitoring({ isPlatformAdmin }: { isPlatformAdmin: boolean }) {
  const { data } = useQuery(AlertOwnersQuery);
  const owners = [
    ...(isPlatformAdmin ? [{ organizationId: null, label: 'Platform' }] : []),
    ...(data?.organizations.edges.map((e) => ({ organizationId: e.node.id, label: e.node.name })) ?? []),
  ];
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, md: isPlatformAdmin ? 1 : 2 }}>
        <FiringAlertsCard owners={data || isPlatformAdmin ? owners : []} />
      </SimpleGrid>
      {isPlatformAdmin && <ClusterHealthCards />}
    </Stack>
  );
}
