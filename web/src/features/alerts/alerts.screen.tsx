'use client';

import { useQuery } from '@apollo/client/react';
import { Alert, Skeleton, Stack, Tabs } from '@mantine/core';
import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { ClustersHealthQuery } from '@/features/metrics/metrics.documents';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { AlertOwnersQuery } from './alerts.documents';
import { Select } from '@/components/lazy-select';

// The alerts list (its table, filters and silence dialog) renders only once the owners query has
// answered in the browser: it is fetched meanwhile (the effect in AlertsScreen), not with the page.
const loadList = () => import('./alerts.list');
const AlertsList = dynamic(() => loadList().then((m) => m.AlertsList), {
  loading: () => <Skeleton height={120} />,
});

// The rules and channels tabs (their forms, selects and modals) load when opened, not with the page.
const tabLoading = () => <Skeleton height={240} />;
const AlertRulesPanel = dynamic(() => import('./alert-rules.panel').then((m) => m.AlertRulesPanel), {
  loading: tabLoading,
});
const NotificationChannelsPanel = dynamic(
  () => import('./notification-channels.panel').then((m) => m.NotificationChannelsPanel),
  { loading: tabLoading },
);

/** Whose alerts are shown: an organisation (its machines and projects) or the platform (null id). */
export interface AlertOwner {
  organizationId: string | null;
  projects: { id: string; name: string }[];
  machines: { id: string; name: string }[];
  clusters: { id: string; name: string }[];
}

const PLATFORM = 'platform';

/** The alerts page: the owner picker, then alerts, rules and notification channels. */
export function AlertsScreen({ isPlatformAdmin }: { isPlatformAdmin: boolean }) {
  const { data, error } = useQuery(AlertOwnersQuery);
  const clusters = useQuery(ClustersHealthQuery, { skip: !isPlatformAdmin });
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => {
    void loadList();
  }, []);
  if (error) return <Alert color="red">{describeApiError(error).message}</Alert>;
  if (!data) return <Skeleton height={240} aria-label="Loading the alerts" />;

  const orgs = data.organizations.edges.map((e) => e.node);
  const options = [
    ...(isPlatformAdmin ? [{ value: PLATFORM, label: 'Platform (nodes, clusters, Ceph)' }] : []),
    ...orgs.map((o) => ({ value: o.id, label: o.name })),
  ];
  if (!options.length)
    return <Alert color="gray">You belong to no organization yet, so there are no alerts to show.</Alert>;
  const value = picked ?? options[0]!.value;
  const org = orgs.find((o) => o.id === value);
  const projectIds = new Set(org?.projects.edges.map((e) => e.node.id) ?? []);
  const owner: AlertOwner = {
    organizationId: org ? org.id : null,
    projects: org?.projects.edges.map((e) => e.node) ?? [],
    machines: data.machines.edges.map((e) => e.node).filter((m) => projectIds.has(m.project.id)),
    clusters: clusters.data?.clusters ?? [],
  };

  return (
    <Stack gap="md">
      <Select label="Alerts of" maw={360} data={options} value={value} onChange={setPicked} allowDeselect={false} />
      <Tabs defaultValue="alerts" keepMounted={false} key={value}>
        <Tabs.List mb="md">
          <Tabs.Tab value="alerts">Alerts</Tabs.Tab>
          <Tabs.Tab value="rules">Rules</Tabs.Tab>
          <Tabs.Tab value="channels">Notification channels</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="alerts">
          <AlertsList organizationId={owner.organizationId} />
        </Tabs.Panel>
        <Tabs.Panel value="rules">
          <AlertRulesPanel owner={owner} />
        </Tabs.Panel>
        <Tabs.Panel value="channels">
          <NotificationChannelsPanel organizationId={owner.organizationId} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
