'use client';

import { type QueryRef, useApolloClient, useQueryRefHandlers, useReadQuery } from '@apollo/client/react';
import { Anchor, Button, Group, Paper, SegmentedControl, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import Link from 'next/link';
import { useEffect, useMemo, useState, useTransition } from 'react';
import type {
  MachineFilter,
  MachineKind,
  MachineOrder,
  MachineSortField,
  MachineStatus,
  MachinesQuery as MachinesResult,
  MachinesQueryVariables,
} from '@/gql/graphql';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { formatDateTime, formatSize, KIND_SHORT, MACHINE_STATUSES, TRANSITIONAL } from './machine.format';
import { type MachineEvent, MachineEventsListener } from './machine.events';
import { MachineStatusBadge } from './machine.status-badge';
import { DEFAULT_MACHINES_VARIABLES, MACHINE_PAGE_SIZE, MachinesQuery } from './machines.documents';
import { MultiSelect } from '@/components/lazy-select';
import { Table } from '@/components/table';

// How often the shown rows' statuses are refreshed: quickly while one is changing by itself.
const POLL_BUSY_MS = 3_000;
// Otherwise machineEvents carries the changes; the slow poll only catches what it cannot (new machines
// made elsewhere, more projects than MAX_LIVE_PROJECTS).
const POLL_IDLE_MS = 30_000;

interface Props {
  queryRef: QueryRef<MachinesResult, MachinesQueryVariables>;
  /** Whether the viewer may create a machine in at least one project. */
  canCreate: boolean;
  /** The projects whose machineEvents keep the rows live. */
  projectIds: readonly string[];
}

/** The machines table: filter by name, status and kind, sort by column, load more, statuses kept fresh. */
export function MachineList({ queryRef, canCreate, projectIds }: Props) {
  const { data } = useReadQuery(queryRef);
  const { refetch, fetchMore } = useQueryRefHandlers(queryRef);
  const client = useApolloClient();
  const [pending, startTransition] = useTransition();
  const [loadingMore, setLoadingMore] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const [name, setName] = useState('');
  const [debouncedName] = useDebouncedValue(name.trim(), 300);
  const [statuses, setStatuses] = useState<MachineStatus[]>([]);
  const [kind, setKind] = useState<MachineKind | 'ALL'>('ALL');
  const [order, setOrder] = useState<MachineOrder>(DEFAULT_MACHINES_VARIABLES.orderBy);

  const filter = useMemo<MachineFilter | null>(() => {
    const f: MachineFilter = {};
    if (debouncedName) f.nameContains = debouncedName;
    if (statuses.length > 0) f.status = statuses;
    if (kind !== 'ALL') f.kind = kind;
    return Object.keys(f).length > 0 ? f : null;
  }, [debouncedName, statuses, kind]);
  const filtered = filter !== null;

  // New filter or order: ask again from the first page, keeping the old rows on screen meanwhile.
  const variablesKey = JSON.stringify({ filter, order });
  const [appliedKey, setAppliedKey] = useState(
    JSON.stringify({ filter: DEFAULT_MACHINES_VARIABLES.filter, order: DEFAULT_MACHINES_VARIABLES.orderBy }),
  );
  useEffect(() => {
    if (variablesKey === appliedKey) return;
    setAppliedKey(variablesKey);
    setFailure(null);
    startTransition(async () => {
      try {
        await refetch({ first: MACHINE_PAGE_SIZE, after: null, filter, orderBy: order });
      } catch (error) {
        setFailure(describeApiError(error).message);
      }
    });
  }, [variablesKey, appliedKey, filter, order, refetch]);

  const { edges, totalCount, pageInfo } = data.machines;
  const busy = edges.some(({ node }) => TRANSITIONAL.has(node.status));

  // Live status: re-read the rows on screen; the cache updates every machine it gets back by id.
  useEffect(() => {
    const timer = setInterval(
      () => {
        if (document.visibilityState !== 'visible') return;
        client
          .query({
            query: MachinesQuery,
            variables: { first: Math.max(edges.length, 1), after: null, filter, orderBy: order },
            fetchPolicy: 'network-only',
          })
          .catch(() => undefined); // the next tick tries again; the page keeps what it has
      },
      busy ? POLL_BUSY_MS : POLL_IDLE_MS,
    );
    return () => clearInterval(timer);
  }, [client, busy, edges.length, filter, order]);

  // A machine deleted, or one the table does not show yet: ask again for what is on screen.
  function onMachineEvent(event: MachineEvent) {
    if (!event.deleted && edges.some(({ node }) => node.id === event.machineId)) return;
    startTransition(async () => {
      await refetch({ first: Math.max(edges.length, MACHINE_PAGE_SIZE), after: null, filter, orderBy: order }).catch(
        () => undefined,
      );
    });
  }

  async function loadMore() {
    if (!pageInfo.endCursor) return;
    setLoadingMore(true);
    setFailure(null);
    try {
      await fetchMore({
        variables: { after: pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          machines: {
            ...fetchMoreResult.machines,
            edges: [...(previous?.machines.edges ?? []), ...fetchMoreResult.machines.edges],
          },
        }),
      });
    } catch (error) {
      setFailure(describeApiError(error).message);
    } finally {
      setLoadingMore(false);
    }
  }

  function sortBy(field: MachineSortField) {
    setOrder((current) =>
      current.field === field
        ? { field, direction: current.direction === 'ASC' ? 'DESC' : 'ASC' }
        : { field, direction: field === 'CREATED_AT' ? 'DESC' : 'ASC' },
    );
  }

  const live = <MachineEventsListener projectIds={projectIds} onEvent={onMachineEvent} />;

  if (totalCount === 0 && !filtered && !pending) {
    return (
      <Paper withBorder p="xl">
        {live}
        <Stack align="flex-start" gap="xs">
          <Text fw={500}>No machines yet.</Text>
          <Text size="sm" c="dimmed">
            {canCreate
              ? 'Create a virtual machine or a container from one of the templates.'
              : 'Machines that you may see will show here. Creating one needs the operator role in a project; ask a project administrator.'}
          </Text>
          {canCreate && (
            <Button component={Link} href="/machines/new" mt="xs">
              Create machine
            </Button>
          )}
        </Stack>
      </Paper>
    );
  }

  return (
    <Stack gap="md">
      {live}
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Name"
          placeholder="Contains…"
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          w={220}
        />
        <MultiSelect
          label="Status"
          placeholder={statuses.length ? undefined : 'Any'}
          data={MACHINE_STATUSES.map((s) => ({ value: s, label: s }))}
          value={statuses}
          onChange={(value) => setStatuses(value as MachineStatus[])}
          clearable
          w={260}
        />
        <div>
          <Text component="span" size="sm" fw={500} display="block" mb={3} id="machine-kind-filter">
            Kind
          </Text>
          <SegmentedControl
            aria-labelledby="machine-kind-filter"
            value={kind}
            onChange={(value) => setKind(value as MachineKind | 'ALL')}
            data={[
              { value: 'ALL', label: 'All' },
              { value: 'VM', label: 'VMs' },
              { value: 'LXC', label: 'Containers' },
            ]}
          />
        </div>
      </Group>

      {failure && (
        <Text c="red" size="sm" role="alert">
          {failure}
        </Text>
      )}

      <Paper withBorder style={{ opacity: pending ? 0.6 : 1, transition: 'opacity 150ms' }} aria-busy={pending}>
        <Table.ScrollContainer minWidth={1040}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Caption>
              {edges.length < totalCount
                ? `${edges.length} of ${totalCount} machines`
                : `${totalCount} ${totalCount === 1 ? 'machine' : 'machines'}`}
              {filtered ? ' matching the filter' : ''}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <SortHeader label="Name" field="NAME" order={order} onSort={sortBy} />
                <SortHeader label="Status" field="STATUS" order={order} onSort={sortBy} />
                <Table.Th scope="col">Kind</Table.Th>
                <Table.Th scope="col">Project</Table.Th>
                <Table.Th scope="col">Template</Table.Th>
                <SortHeader label="Size" field="CORES" order={order} onSort={sortBy} />
                <Table.Th scope="col">Addresses</Table.Th>
                <SortHeader label="Created" field="CREATED_AT" order={order} onSort={sortBy} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {edges.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text size="sm" c="dimmed" ta="center" py="md">
                      No machines match the filter.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {edges.map(({ node: machine }) => (
                <Table.Tr key={machine.id}>
                  <Table.Th scope="row" fw={500} style={{ whiteSpace: 'nowrap' }}>
                    <Anchor component={Link} href={`/machines/${machine.id}`}>
                      {machine.name}
                    </Anchor>
                  </Table.Th>
                  <Table.Td>
                    <MachineStatusBadge status={machine.status} />
                  </Table.Td>
                  <Table.Td>{KIND_SHORT[machine.kind]}</Table.Td>
                  <Table.Td>{machine.project.name}</Table.Td>
                  <Table.Td>{machine.template.name}</Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatSize(machine)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {machine.ipAddresses.length > 0 ? machine.ipAddresses.join(', ') : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <time dateTime={machine.createdAt} style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(machine.createdAt)}
                    </time>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      {pageInfo.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={loadMore} loading={loadingMore} disabled={pending}>
            Load more
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function SortHeader({
  label,
  field,
  order,
  onSort,
}: {
  label: string;
  field: MachineSortField;
  order: MachineOrder;
  onSort: (field: MachineSortField) => void;
}) {
  const active = order.field === field;
  const direction = order.direction === 'ASC' ? 'ascending' : 'descending';
  return (
    <Table.Th scope="col" aria-sort={active ? direction : 'none'}>
      <UnstyledButton onClick={() => onSort(field)} fw={700} fz="sm" aria-label={`Sort by ${label.toLowerCase()}`}>
        {label} {active ? (order.direction === 'ASC' ? '↑' : '↓') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}
