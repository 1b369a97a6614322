'use client';

import { useQuery } from '@apollo/client/react';
import { Alert, Anchor, Group, Paper, SegmentedControl, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { UsageFiguresFieldsFragment } from '@/gql/graphql';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { PERIODS, type PeriodKey, csvHref, periodOf } from './report.period';
import { ReportOrganizationsQuery, UsageReportQuery } from './reports.documents';
import { Select } from '@/components/lazy-select';
import { Table } from '@/components/table';

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

function Figures({ f }: { f: UsageFiguresFieldsFragment }) {
  return (
    <>
      <Table.Td ta="right">{number.format(f.machineHours)}</Table.Td>
      <Table.Td ta="right">{number.format(f.coreHours)}</Table.Td>
      <Table.Td ta="right">{number.format(f.memoryGiBHours)}</Table.Td>
      <Table.Td ta="right">{number.format(f.diskGiBDays)}</Table.Td>
      <Table.Td ta="right">{number.format(f.gpuHours)}</Table.Td>
    </>
  );
}

function Report({ organizationId, from, to }: { organizationId: string; from: string; to: string }) {
  const { data, loading, error } = useQuery(UsageReportQuery, { variables: { organizationId, from, to } });
  if (error) return <Alert color="red">{describeApiError(error).message}</Alert>;
  if (loading && !data) return <Skeleton height={160} aria-label="Loading the report" />;
  if (!data) return null;
  const report = data.usageReport;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {new Date(report.from).toLocaleString()} to {new Date(report.to).toLocaleString()}
        </Text>
        <Anchor href={csvHref({ organizationId, from, to })} download>
          Download CSV (per machine)
        </Anchor>
      </Group>
      {report.projects.length === 0 ? (
        <Text c="dimmed">No projects in this organization.</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="Usage per project" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Project</Table.Th>
                <Table.Th ta="right">Machine-hours</Table.Th>
                <Table.Th ta="right">Core-hours</Table.Th>
                <Table.Th ta="right">Memory GiB-hours</Table.Th>
                <Table.Th ta="right">Disk GiB-days</Table.Th>
                <Table.Th ta="right">GPU-hours</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.projects.map((p) => (
                <Table.Tr key={p.projectId}>
                  <Table.Td>{p.name}</Table.Td>
                  <Figures f={p.totals} />
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr fw={700}>
                <Table.Td>Total</Table.Td>
                <Figures f={report.totals} />
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** Usage of an organization over a period, per project, with the same report as CSV. */
export function UsageReportScreen() {
  const orgs = useQuery(ReportOrganizationsQuery);
  const [picked, setPicked] = useState<string | null>(null);
  const [period, setPeriod] = useState<PeriodKey>('this-month');
  const [now] = useState(() => Date.now());
  const [custom, setCustom] = useState({ from: '', to: '' });
  const range = useMemo(() => periodOf(period, now, custom), [period, now, custom]);
  if (orgs.error) return <Alert color="red">{describeApiError(orgs.error).message}</Alert>;
  if (!orgs.data) return <Skeleton height={200} />;
  const options = orgs.data.organizations.edges.map((e) => ({ value: e.node.id, label: e.node.name }));
  if (!options.length) return <Text c="dimmed">You belong to no organization yet.</Text>;
  const organizationId = picked ?? options[0]!.value;
  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Group align="flex-end" gap="md" wrap="wrap">
          <Select
            label="Organization"
            data={options}
            value={organizationId}
            onChange={setPicked}
            allowDeselect={false}
            w={260}
          />
          <SegmentedControl
            aria-label="Period"
            value={period}
            onChange={(v) => setPeriod(v as PeriodKey)}
            data={[...PERIODS]}
          />
          {period === 'custom' && (
            <>
              <TextInput
                type="date"
                label="First day"
                value={custom.from}
                onChange={(e) => setCustom({ ...custom, from: e.currentTarget.value })}
              />
              <TextInput
                type="date"
                label="Last day"
                value={custom.to}
                onChange={(e) => setCustom({ ...custom, to: e.currentTarget.value })}
                error={range.problem}
              />
            </>
          )}
        </Group>
      </Paper>
      {range.from && <Report organizationId={organizationId} from={range.from} to={range.to} />}
    </Stack>
  );
}
