'use client';

import { useQuery } from '@apollo/client/react';
import { SimpleGrid, Skeleton, Stack } from '@mantine/core';
import dynamic from 'next/dynamic';
import { DashboardAlertOwnersQuery } from './alerts.documents';
import { FiringAlertsCard } from './firing-alerts.card';

// Platform admins only: everyone else's dashboard never loads its code (it shares a module with the
// admin panel's Ceph section and its selects).
const ClusterHealthCards = dynamic(
  () => import('@/features/metrics/cluster.health').then((m) => m.ClusterHealthCards),
  {
    loading: () => <Skeleton height={160} />,
  },
);

/** The dashboard's monitoring row: firing alerts for everyone, cluster and Ceph health for platform admins. */
export function DashboardMonitoring({ isPlatformAdmin }: { isPlatformAdmin: boolean }) {
  const { data } = useQuery(DashboardAlertOwnersQuery);
  const owners = [
    ...(isPlatformAdmin ? [{ organizationId: null, label: 'Platform' }] : []),
    ...(data?.organizations.edges.map((e) => ({ organizationId: e.node.id, label: e.node.name })) ?? []),
  ];
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, md: isPlatformAdmin ? 1 : 2 }}>
        <FiringAlertsCard
          owners={owners}
          more={Math.max(0, (data?.organizations.totalCount ?? 0) - (data?.organizations.edges.length ?? 0))}
        />
      </SimpleGrid>
      {isPlatformAdmin && <ClusterHealthCards />}
    </Stack>
  );
}
