'use client';

import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  PasswordInput,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { Table } from '@/components/table';
import { useState } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import {
  ClusterCheckQuery,
  ClustersQuery,
  CreateClusterMutation,
  DeleteClusterMutation,
  SetNodeMaintenanceMutation,
} from './admin.documents';
import { ListTable } from '@/components/list-table';
import { useApiAction } from '@/lib/apollo/use-api-action';
import { AdminForm, DeleteWithConfirm, useFormValues } from './admin.form';
import { Failure, formatBytes, QueryFailure } from './admin.ui';
import { NodeMetricsSection } from '@/features/metrics/node-metrics.section';

type Check = { ok: true; message: string } | { ok: false; message: string };

const EMPTY = { name: '', apiUrl: '', tokenId: '', tokenSecret: '', tlsFingerprint: '', caPem: '' };

/** Clusters: add one (then its permission check runs), nodes with capacity and maintenance, delete. */
export function ClustersPanel() {
  const client = useApolloClient();
  const { data, error, refetch } = useQuery(ClustersQuery);
  const [create] = useMutation(CreateClusterMutation);
  const [remove] = useMutation(DeleteClusterMutation);
  const [maintenance] = useMutation(SetNodeMaintenanceMutation);
  const { run, runThen, failure, fields, busy } = useApiAction();
  const { form, setForm, text } = useFormValues(EMPTY, fields);
  const [checks, setChecks] = useState<Record<string, Check | 'running'>>({});

  /** Asks Proxmox through the cluster's token: the URL, the certificate and the token's privileges. */
  async function check(clusterId: string) {
    setChecks((c) => ({ ...c, [clusterId]: 'running' }));
    try {
      const { data: answer } = await client.query({
        query: ClusterCheckQuery,
        variables: { clusterId },
        fetchPolicy: 'network-only',
      });
      const orphans = answer?.orphanGuests.length ?? 0;
      setChecks((c) => ({
        ...c,
        [clusterId]: {
          ok: true,
          message: `Proxmox answered with this token: it can list the cluster's guests (${orphans} untracked pvepaas guest${orphans === 1 ? '' : 's'}).`,
        },
      }));
    } catch (err) {
      setChecks((c) => ({
        ...c,
        [clusterId]: {
          ok: false,
          message: `${describeApiError(err).message ?? 'The check failed.'} Check the API URL, the TLS fingerprint or CA, and that the token has the PVEVMAdmin and Sys.Audit privileges.`,
        },
      }));
    }
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const input = {
      name: form.name.trim(),
      apiUrl: form.apiUrl.trim(),
      tokenId: form.tokenId.trim(),
      tokenSecret: form.tokenSecret,
      tlsFingerprint: form.tlsFingerprint.trim() || null,
      caPem: form.caPem.trim() || null,
    };
    let created: string | undefined;
    const ok = await run(async () => {
      const result = await create({ variables: { input } });
      created = result.data?.createCluster.id;
    });
    if (ok) {
      setForm(EMPTY);
      await refetch();
      if (created) await check(created);
    }
  }

  return (
    <Stack gap="md">
      <QueryFailure error={error} what="the clusters" />
      {data?.clusters.length === 0 && (
        <Text size="sm" c="dimmed">
          No cluster yet. Add one below; machines are placed on its nodes.
        </Text>
      )}
      {data?.clusters.map((cluster) => {
        const result = checks[cluster.id];
        const cpus = cluster.nodes.reduce((s, n) => s + n.cpuCount, 0);
        const memory = cluster.nodes.reduce((s, n) => s + n.memoryBytes, 0);
        return (
          <Card key={cluster.id} withBorder padding="lg" component="section" aria-labelledby={`cluster-${cluster.id}`}>
            <Group justify="space-between" mb="xs">
              <div>
                <Title order={3} size="h4" id={`cluster-${cluster.id}`}>
                  {cluster.name}
                </Title>
                <Text size="xs" c="dimmed" ff="monospace">
                  {cluster.apiUrl} · {cluster.tokenId}
                </Text>
              </div>
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="default"
                  loading={result === 'running'}
                  onClick={() => void check(cluster.id)}
                >
                  Check connection
                </Button>
                <DeleteWithConfirm
                  noun="cluster"
                  name={cluster.name}
                  consequence={
                    <>
                      The platform forgets the cluster and its token. Guests on Proxmox are not touched. Refused while
                      machines use it.
                    </>
                  }
                  onConfirm={() => void runThen(() => remove({ variables: { id: cluster.id } }), refetch)}
                />
              </Group>
            </Group>
            {result && result !== 'running' && (
              <Alert
                color={result.ok ? 'green' : 'red'}
                title={result.ok ? 'Permission check passed' : 'Permission check failed'}
                role="status"
                mb="sm"
              >
                {result.message}
              </Alert>
            )}
            <Text size="sm" mb="xs">
              {cluster.nodes.length} node{cluster.nodes.length === 1 ? '' : 's'} · {cpus} CPUs · {formatBytes(memory)}{' '}
              memory
            </Text>
            <ListTable
              label={`Nodes of ${cluster.name}`}
              columns={['Node', 'Status', 'CPUs', 'Memory', 'Maintenance']}
              minWidth={520}
              striped={false}
            >
              {cluster.nodes.map((node) => (
                <Table.Tr key={node.id}>
                  <Table.Td ff="monospace">{node.name}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={node.status === 'online' ? 'green' : 'red'}>
                      {node.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{node.cpuCount}</Table.Td>
                  <Table.Td>{formatBytes(node.memoryBytes)}</Table.Td>
                  <Table.Td>
                    <Switch
                      checked={node.maintenance}
                      aria-label={`Maintenance mode of ${node.name}`}
                      label={node.maintenance ? 'No new guests' : 'Accepting guests'}
                      onChange={(e) => {
                        const value = e.currentTarget.checked;
                        void run(() => maintenance({ variables: { id: node.id, maintenance: value } }));
                      }}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </ListTable>
            <NodeMetricsSection
              clusterId={cluster.id}
              clusterName={cluster.name}
              nodes={cluster.nodes.map((n) => n.name)}
            />
          </Card>
        );
      })}

      <Failure message={failure} />

      <AdminForm
        id="cluster-add"
        title="Add a cluster"
        intro={
          <>
            A Proxmox VE API token (user@realm!name) with PVEVMAdmin and Sys.Audit on /. The secret goes to the secret
            store, never the database. After adding, the platform asks Proxmox with the token and shows the result.
          </>
        }
        submit="Add cluster"
        busy={busy}
        onSubmit={submit}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Name" required {...text('name')} />
          <TextInput label="API URL" placeholder="https://pve1.example.com:8006" required {...text('apiUrl')} />
          <TextInput label="Token id" placeholder="paas@pve!platform" required {...text('tokenId')} />
          <PasswordInput label="Token secret" required {...text('tokenSecret')} />
          <TextInput
            label="TLS fingerprint (SHA-256)"
            description="Pins the certificate; or give the CA below"
            {...text('tlsFingerprint')}
          />
          <Textarea label="CA certificate (PEM)" autosize minRows={2} {...text('caPem')} />
        </SimpleGrid>
      </AdminForm>
    </Stack>
  );
}
