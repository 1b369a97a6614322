'use client';

import { useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Table } from '@/components/table';
import { ListTable } from '@/components/list-table';
import { GpuClustersQuery, GpuInventoryQuery } from './gpus.documents';
import { QueryFailure } from './admin.ui';

/** GPU inventory: per cluster, each node's display controllers as Proxmox reports them now. */
export function GpusPanel() {
  const { data, error } = useQuery(GpuClustersQuery);
  return (
    <Stack gap="md">
      <QueryFailure error={error} what="the clusters" />
      {data?.clusters.length === 0 && (
        <Text size="sm" c="dimmed">
          No cluster yet: add one under Clusters &amp; nodes, and its GPUs show here.
        </Text>
      )}
      {data?.clusters.map((c) => (
        <ClusterGpus key={c.id} clusterId={c.id} name={c.name} />
      ))}
    </Stack>
  );
}

function ClusterGpus({ clusterId, name }: { clusterId: string; name: string }) {
  // Read live from Proxmox (one call per node plus the GPU nodes' VM configurations): not polled.
  const { data, error, loading, refetch } = useQuery(GpuInventoryQuery, {
    variables: { clusterId },
    fetchPolicy: 'network-only',
    notifyOnNetworkStatusChange: true,
  });
  const inventory = data?.gpuInventory;
  const headingId = `gpus-${clusterId}`;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id={headingId}>
          {name}
        </Title>
        <Button size="xs" variant="default" loading={loading} onClick={() => void refetch()}>
          Read again
        </Button>
      </Group>
      <QueryFailure error={error} what={`the GPUs of ${name}`} />
      {inventory && inventory.unreadableNodes.length > 0 && (
        <Alert color="yellow" title="Some nodes could not be read" mb="sm">
          {inventory.unreadableNodes.join('; ')}. Their GPUs are missing from the list below; check the node is
          reachable and the token has Sys.Audit on it.
        </Alert>
      )}
      {inventory && inventory.devices.length === 0 && (
        <Text size="sm" c="dimmed">
          No GPU (PCI display controller) on the online nodes of this cluster.
        </Text>
      )}
      {inventory && inventory.devices.length > 0 && (
        <ListTable
          label={`GPUs of ${name}`}
          columns={['Node', 'PCI address', 'Model', 'IOMMU group', 'Mappings', 'Used by']}
          minWidth={760}
        >
          {inventory.devices.map((d) => (
            <Table.Tr key={`${d.node}/${d.pciId}`}>
              <Table.Td>{d.node}</Table.Td>
              <Table.Td ff="monospace">{d.pciId}</Table.Td>
              <Table.Td>
                <Text size="sm">{d.deviceName ?? d.deviceId}</Text>
                <Group gap={4}>
                  <Text size="xs" c="dimmed">
                    {d.vendorName ?? 'Unknown vendor'} · {d.deviceId}
                  </Text>
                  {d.mediated && (
                    <Badge size="xs" variant="light">
                      vGPU
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                {d.iommuGroup ?? (
                  <Text size="sm" c="red">
                    none: cannot be passed through
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{d.mappings.length > 0 ? d.mappings.join(', ') : '—'}</Table.Td>
              <Table.Td>
                {d.guests.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    Free
                  </Text>
                ) : (
                  d.guests.map((g) => (
                    <Text size="sm" key={g.vmid}>
                      {g.name ?? `VM ${g.vmid}`} ({g.vmid}, {g.status}) · {g.via}
                    </Text>
                  ))
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
    </Card>
  );
}
