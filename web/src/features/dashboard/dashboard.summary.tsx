'use client';

import { type QueryRef, useQueryRefHandlers, useReadQuery } from '@apollo/client/react';
import { Anchor, Badge, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useTransition } from 'react';
import type { DashboardQuery } from '@/gql/graphql';
import { formatDateTime, JOB_STATUS_COLOR, titleCase } from '@/features/machines/machine.format';
import { QuotaUsage } from '@/features/organization/quota.usage';
import { Table } from '@/components/table';

// A running job's live bar (its subscription and step labels) only when a recent job is running.
const JobLiveBar = dynamic(() => import('./job.live-bar').then((m) => m.JobLiveBar));

const ACTIVE = new Set(['QUEUED', 'RUNNING', 'ROLLING_BACK', 'CANCELLING']);

/** Machines by status, recent jobs (live while they run), and usage against quota per organization. */
export function DashboardSummary({ queryRef }: { queryRef: QueryRef<DashboardQuery> }) {
  const { data } = useReadQuery(queryRef);
  const { refetch } = useQueryRefHandlers(queryRef);
  const [, startTransition] = useTransition();
  const refresh = () =>
    startTransition(async () => {
      await refetch().catch(() => undefined);
    });

  const statuses = [
    { label: 'Machines', value: data.all.totalCount, color: undefined, href: '/machines' },
    { label: 'Running', value: data.running.totalCount, color: 'green' },
    { label: 'Stopped', value: data.stopped.totalCount, color: 'gray' },
    { label: 'In progress', value: data.busy.totalCount, color: 'blue' },
    { label: 'Suspended', value: data.suspended.totalCount, color: 'yellow' },
    { label: 'Failed or missing', value: data.failed.totalCount, color: 'red' },
  ];
  const jobs = data.jobs.edges.map((e) => e.node);
  const organizations = data.organizations.edges.map((e) => e.node);

  return (
    <Stack gap="lg">
      <section aria-labelledby="dash-status">
        <Title order={2} size="h4" id="dash-status" mb="sm">
          Machines by status
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
          {statuses.map((s) => (
            <Paper key={s.label} withBorder p="md" component="dl" m={0}>
              <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
                {s.label}
              </Text>
              <Text component="dd" size="xl" fw={700} m={0} c={s.value > 0 ? s.color : undefined}>
                {s.value}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      </section>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Paper withBorder p="lg" component="section" aria-labelledby="dash-jobs">
          <Title order={2} size="h4" id="dash-jobs" mb="sm">
            Recent jobs
          </Title>
          {jobs.length === 0 ? (
            <Text size="sm" c="dimmed">
              No jobs yet: creating, starting or resizing a machine runs one.
            </Text>
          ) : (
            <Table aria-label="Recent jobs" verticalSpacing="xs">
              <Table.Tbody>
                {jobs.map((job) => (
                  <Table.Tr key={job.id}>
                    <Table.Td w="40%">
                      <Text size="sm" fw={500}>
                        {job.kind}{' '}
                        {job.machine && (
                          <Anchor component={Link} href={`/machines/${job.machine.id}`} size="sm">
                            {job.machine.name}
                          </Anchor>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {formatDateTime(job.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {ACTIVE.has(job.status) ? (
                        <JobLiveBar
                          jobId={job.id}
                          initial={{ percent: job.percent, step: job.currentStep }}
                          label={`${job.kind} ${job.machine?.name ?? ''}`}
                          onFinished={refresh}
                        />
                      ) : (
                        <Group gap="xs">
                          <Badge color={JOB_STATUS_COLOR[job.status]} variant="light">
                            {titleCase(job.status)}
                          </Badge>
                          {job.error && (
                            <Text size="xs" c="red" lineClamp={1} title={job.error}>
                              {job.error}
                            </Text>
                          )}
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>

        <Paper withBorder p="lg" component="section" aria-labelledby="dash-quota">
          <Title order={2} size="h4" id="dash-quota" mb="sm">
            Usage against quota
          </Title>
          {organizations.length === 0 ? (
            <Text size="sm" c="dimmed">
              No organization yet.
            </Text>
          ) : (
            <Stack gap="md">
              {organizations.map((org) => (
                <Card key={org.id} withBorder padding="sm">
                  <Anchor component={Link} href={`/organizations/${org.id}`} fw={500} size="sm" mb={6}>
                    {org.name}
                  </Anchor>
                  <QuotaUsage quota={org.quota} usage={org.usage} label={`Usage of ${org.name} against its quota`} />
                </Card>
              ))}
            </Stack>
          )}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
