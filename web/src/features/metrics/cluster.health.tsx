'use client';

import { useQuery } from '@apollo/client/react';
import { Alert, Badge, Card, Group, Progress, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ClusterStatusFieldsFragment } from '@/gql/graphql';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { ClustersHealthQuery, ClusterStatusQuery } from './metrics.documents';
import { formatBinary } from './metrics.range';
import { Select } from '@/components/lazy-select';
import { Table } from '@/components/table';

const REFRESH_MS = 15_000;

export const CEPH_COLOR: Record<string, string> = { HEALTH_OK: 'green', HEALTH_WARN: 'yellow', HEALTH_ERR: 'red' };

function cephLabel(ceph: ClusterStatusFieldsFragment['ceph']): { text: string; color: string } {
  if (!ceph) return { text: 'Ceph not collected yet', color: 'gray' };
  if (!ceph.available) return { text: ceph.error ? 'Ceph unreadable' : 'No Ceph', color: ceph.error ? 'red' : 'gray' };
  return { text: ceph.health ?? 'Ceph: unknown', color: CEPH_COLOR[ceph.health ?? ''] ?? 'gray' };
}

function ClusterCard({ clusterId, name }: { clusterId: string; name: string }) {
  const { data, error } = useQuery(ClusterStatusQuery, { variables: { clusterId }, pollInterval: REFRESH_MS });
  const status = data?.clusterStatus;
  return (
    <Card withBorder padding="md" component="article" aria-label={`Cluster ${name}`}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{name}</Text>
        {status && (
          <Badge color={cephLabel(status.ceph).color} variant="light">
            {cephLabel(status.ceph).text}
          </Badge>
        )}
      </Group>
      {error && (
        <Text c="red" size="sm">
          {describeApiError(error).message}
        </Text>
      )}
      {!status && !error && <Skeleton height={48} />}
      {status && (
        <Stack gap={4}>
          <Text size="sm">
            Nodes online: {status.nodes.filter((n) => n.status === 'online').length} of {status.nodes.length}
          </Text>
          <Text size="sm">
            Guests running: {status.guestsRunning} of {status.guestsTotal}
          </Text>
          {status.ceph?.available && (
            <Text size="sm">
              OSDs up: {status.ceph.osdsUp} of {status.ceph.osdsTotal} · {formatBinary(status.ceph.bytesUsed)} of{' '}
              {formatBinary(status.ceph.bytesTotal)}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {status.collectedAt
              ? `Collected ${new Date(status.collectedAt).toLocaleTimeString()}`
              : 'Not collected yet'}
          </Text>
        </Stack>
      )}
    </Card>
  );
}

/** The dashboard's cluster and Ceph health, one card per cluster (platform admins). */
export function ClusterHealthCards() {
  const { data, error, loading } = useQuery(ClustersHealthQuery);
  return (
    <section aria-labelledby="cluster-health">
      <Title order={2} size="h4" id="cluster-health" mb="sm">
        Cluster health
      </Title>
      {error && <Alert color="red">{describeApiError(error).message}</Alert>}
      {loading && !data && <Skeleton height={120} />}
      {data && data.clusters.length === 0 && <Text c="dimmed">No clusters yet.</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {data?.clusters.map((c) => (
          <ClusterCard key={c.id} clusterId={c.id} name={c.name} />
        ))}
      </SimpleGrid>
    </section>
  );
}

function CephDetail({ clusterId }: { clusterId: string }) {
  const { data, error } = useQuery(ClusterStatusQuery, { variables: { clusterId }, pollInterval: REFRESH_MS });
  if (error) return <Alert color="red">{describeApiError(error).message}</Alert>;
  if (!data) return <Skeleton height={200} />;
  const ceph = data.clusterStatus.ceph;
  if (!ceph)
    return (
      <Text c="dimmed">Ceph has not been collected on this cluster yet; the collector reads it on its next pass.</Text>
    );
  if (!ceph.available)
    return <Text c="dimmed">{ceph.error ? `Ceph could not be read: ${ceph.error}` : 'This cluster has no Ceph.'}</Text>;
  const label = cephLabel(ceph);
  return (
    <Stack gap="md">
      <Group gap="md">
        <Badge size="lg" color={label.color}>
          {label.text}
        </Badge>
        <Text size="sm">
          OSDs: {ceph.osdsUp} up, {ceph.osdsIn} in, of {ceph.osdsTotal}
        </Text>
        <Text size="sm">
          {formatBinary(ceph.bytesUsed)} of {formatBinary(ceph.bytesTotal)} used
        </Text>
        <Text size="xs" c="dimmed">
          Collected {new Date(ceph.collectedAt).toLocaleString()}
        </Text>
      </Group>
      <section aria-labelledby="ceph-checks">
        <Title order={3} size="h5" id="ceph-checks" mb="xs">
          Health checks
        </Title>
        {ceph.checks.length === 0 ? (
          <Text size="sm" c="dimmed">
            No health checks raised.
          </Text>
        ) : (
          <Stack gap="xs">
            {ceph.checks.map((c) => (
              <Alert key={c.name} color={c.severity === 'HEALTH_ERR' ? 'red' : 'yellow'} title={c.name}>
                {c.message}
              </Alert>
            ))}
          </Stack>
        )}
      </section>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <section aria-labelledby="ceph-pools">
          <Title order={3} size="h5" id="ceph-pools" mb="xs">
            Pools
          </Title>
          <Table aria-label="Ceph pools">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Pool</Table.Th>
                <Table.Th>Replicas</Table.Th>
                <Table.Th>PGs</Table.Th>
                <Table.Th>Used</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ceph.pools.map((p) => (
                <Table.Tr key={p.name}>
                  <Table.Td ff="monospace">{p.name}</Table.Td>
                  <Table.Td>{p.size}</Table.Td>
                  <Table.Td>{p.pgNum}</Table.Td>
                  <Table.Td>
                    <Text size="xs">
                      {formatBinary(p.bytesUsed)} ({(p.percentUsed * 100).toFixed(1)} %)
                    </Text>
                    <Progress value={p.percentUsed * 100} size="xs" aria-label={`${p.name} used`} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
        <section aria-labelledby="ceph-pgs">
          <Title order={3} size="h5" id="ceph-pgs" mb="xs">
            Placement groups ({ceph.pgsTotal})
          </Title>
          <Table aria-label="Ceph placement groups by state">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>State</Table.Th>
                <Table.Th>Count</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ceph.pgsByState.map((s) => (
                <Table.Tr key={s.state}>
                  <Table.Td ff="monospace">{s.state}</Table.Td>
                  <Table.Td>{s.count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      </SimpleGrid>
    </Stack>
  );
}

/** The admin panel's Ceph section: health checks, OSDs, pools and placement groups of one cluster. */
export function CephPanel() {
  const { data, error } = useQuery(ClustersHealthQuery);
  const [clusterId, setClusterId] = useState<string | null>(null);
  if (error) return <Alert color="red">{describeApiError(error).message}</Alert>;
  if (!data) return <Skeleton height={200} />;
  if (!data.clusters.length) return <Text c="dimmed">No clusters yet.</Text>;
  const chosen = clusterId ?? data.clusters[0]!.id;
  return (
    <Stack gap="md">
      <Select
        label="Cluster"
        maw={320}
        data={data.clusters.map((c) => ({ value: c.id, label: c.name }))}
        value={chosen}
        onChange={setClusterId}
        allowDeselect={false}
      />
      <CephDetail key={chosen} clusterId={chosen} />
    </Stack>
  );
}
