'use client';

import { type QueryRef, useQueryRefHandlers, useReadQuery } from '@apollo/client/react';
import { Group, Paper, SimpleGrid, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useEffect, useTransition } from 'react';
import type { JobStatus, MachineJobsQuery as MachineJobs, MachineQuery as MachineResult } from '@/gql/graphql';
import { MachineActions } from './machine.actions';
import { MachineEventsListener } from './machine.events';
import { formatDateTime, formatMemory, KIND_LABEL, TRANSITIONAL } from './machine.format';
import { MachineStatusBadge } from './machine.status-badge';

// The metrics, snapshots and settings tabs (their forms, tables and modals) load when opened.
const tabLoading = () => <Skeleton height={240} />;
const MachineMetrics = dynamic(() => import('@/features/metrics/machine.metrics').then((m) => m.MachineMetrics), {
  loading: tabLoading,
});
const MachineSnapshots = dynamic(
  () => import('@/features/snapshots/machine.snapshots').then((m) => m.MachineSnapshots),
  { loading: tabLoading },
);
const MachineSettings = dynamic(() => import('@/features/snapshots/machine.settings').then((m) => m.MachineSettings), {
  loading: tabLoading,
});
// The job history (an accordion of every job's steps and logs) when its tab opens; the running job's
// progress (bar, steps, log) only when there is one.
const JobHistory = dynamic(() => import('./machine.job-history').then((m) => m.JobHistory), { loading: tabLoading });
const JobProgress = dynamic(() => import('./job.progress').then((m) => m.JobProgress), {
  loading: () => <Skeleton height={120} />,
});

const ACTIVE_JOB: ReadonlySet<JobStatus> = new Set(['QUEUED', 'RUNNING', 'ROLLING_BACK', 'CANCELLING']);
const POLL_MS = 5_000;

interface Props {
  machineRef: QueryRef<MachineResult>;
  jobsRef: QueryRef<MachineJobs>;
  /** What the viewer may do to this machine (myPrivileges in its project). */
  can: { power: boolean; snapshot: boolean; config: boolean };
}

/** One machine: what it is and where it runs, the job running on it now, and every job it had. */
export function MachineDetail({ machineRef, jobsRef, can }: Props) {
  const router = useRouter();
  const { data } = useReadQuery(machineRef);
  const { data: jobsData } = useReadQuery(jobsRef);
  const { refetch: refetchMachine } = useQueryRefHandlers(machineRef);
  const { refetch: refetchJobs } = useQueryRefHandlers(jobsRef);
  const [, startTransition] = useTransition();
  const machine = data.machine;
  const jobs = jobsData.jobs.edges.map(({ node }) => node);
  const activeJob = jobs.find((job) => ACTIVE_JOB.has(job.status));

  // While it is being deleted the machine may vanish at any moment: asking for it again would answer
  // NOT_FOUND and replace the page (and the delete job's progress) with an error.
  const deleting = activeJob?.kind === 'delete';

  function refresh() {
    // In a transition: the page keeps showing what it has until the new answers arrive.
    startTransition(async () => {
      await Promise.all([refetchMachine(), refetchJobs()]).catch(() => undefined);
    });
  }

  function jobFinished(kind: string, status: string) {
    // A deleted machine has no page left to refresh.
    if (kind === 'delete' && status === 'SUCCEEDED') router.replace('/machines');
    else refresh();
  }

  // A status that changes by itself (provisioning, deleting) is watched until it settles.
  const transitional = TRANSITIONAL.has(machine.status);
  useEffect(() => {
    if (!transitional || activeJob || machine.status === 'DELETING') return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, POLL_MS);
    return () => clearInterval(timer);
    // `refresh` only closes over the query handlers, which keep their identity; listing it would re-arm
    // the timer on every render.
  }, [transitional, activeJob]);

  // Where it runs: the placement step records the node (the Machine type does not expose it yet).
  const node = jobs
    .flatMap((job) => job.events)
    .map((event) => (event.data as { node?: unknown } | null)?.node)
    .find((value): value is string => typeof value === 'string');

  return (
    <Stack gap="lg">
      <Group gap="sm" align="center">
        <Title order={1} size="h2">
          {machine.name}
        </Title>
        <MachineStatusBadge status={machine.status} />
      </Group>
      <MachineEventsListener
        projectIds={[machine.project.id]}
        onEvent={(event) => {
          if (event.machineId === machine.id && !event.deleted && !deleting) refresh();
        }}
      />
      {can.power && <MachineActions machine={machine} busy={Boolean(activeJob)} onJob={refresh} />}

      {activeJob && (
        <Paper withBorder p="lg" component="section" aria-labelledby="machine-active-job">
          <Title order={2} size="h4" id="machine-active-job" mb="md">
            Running now: {activeJob.kind}
          </Title>
          <JobProgress
            key={activeJob.id}
            jobId={activeJob.id}
            hideMachineLink
            onFinished={(status) => jobFinished(activeJob.kind, status)}
          />
        </Paper>
      )}

      <Tabs defaultValue="overview" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="metrics">Metrics</Tabs.Tab>
          <Tabs.Tab value="snapshots">Snapshots</Tabs.Tab>
          <Tabs.Tab value="settings">Settings</Tabs.Tab>
          <Tabs.Tab value="jobs">Job history</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="metrics">
          <MachineMetrics machineId={machine.id} />
        </Tabs.Panel>
        <Tabs.Panel value="snapshots">
          <MachineSnapshots machineId={machine.id} canManage={can.snapshot} busy={Boolean(activeJob)} onJob={refresh} />
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          <MachineSettings machine={machine} canConfigure={can.config} busy={Boolean(activeJob)} onJob={refresh} />
        </Tabs.Panel>
        <Tabs.Panel value="overview">
          <Paper withBorder p="lg" component="section" aria-labelledby="machine-overview">
            <Title order={2} size="h4" id="machine-overview" mb="md">
              Overview
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" component="dl" m={0}>
              <Fact label="Status" value={machine.status} />
              <Fact label="Kind" value={KIND_LABEL[machine.kind]} />
              <Fact label="Node" value={node ?? 'Not placed yet'} />
              <Fact label="VMID" value={machine.vmid?.toString() ?? 'Not reserved yet'} mono />
              <Fact
                label="Addresses"
                value={machine.ipAddresses.length ? machine.ipAddresses.join(', ') : 'None reported yet'}
                mono
              />
              <Fact
                label="Size"
                value={`${machine.cores} ${machine.cores === 1 ? 'core' : 'cores'} · ${formatMemory(machine.memoryMiB)} · ${machine.diskGiB} GiB disk`}
              />
              <Fact label="Template" value={`${machine.template.name} (${machine.template.os})`} />
              <Fact
                label="Network"
                value={
                  machine.network
                    ? `${machine.network.name} (${machine.network.bridge}${machine.network.vlanTag ? `, VLAN ${machine.network.vlanTag}` : ''})`
                    : 'None (vmbr0, DHCP)'
                }
              />
              <Fact
                label="Storage"
                value={machine.storage ? `${machine.storage.name} (${machine.storage.storageId})` : 'Cluster default'}
              />
              <Fact label="Project" value={machine.project.name} />
              <Fact label="Owner" value={machine.owner.displayName} />
              <Fact label="Created" value={formatDateTime(machine.createdAt)} />
            </SimpleGrid>
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="jobs">
          <JobHistory jobs={jobs} activeJob={activeJob} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Fact({ label, value, mono = false }: { label: string; value: string; mono?: boolean }) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} ff={mono ? 'monospace' : undefined}>
        {value}
      </Text>
    </div>
  );
}
