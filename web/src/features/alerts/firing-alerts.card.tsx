'use client';

import { useQuery, useSubscription } from '@apollo/client/react';
import { Anchor, Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import Link from 'next/link';
import { AlertEventsSubscription, AlertsQuery } from './alerts.documents';
import { SEVERITY_COLOR } from './alert-severity';

function FiringOf({ organizationId, label }: { organizationId: string | null; label: string }) {
  const { data, refetch } = useQuery(AlertsQuery, {
    variables: { organizationId, filter: { states: ['FIRING'] }, first: 5 },
    fetchPolicy: 'cache-and-network',
  });
  // Each change of this owner's alerts may start or end one: ask again.
  useSubscription(AlertEventsSubscription, { variables: { organizationId }, onData: () => void refetch() });
  if (!data) return <Skeleton height={24} />;
  const alerts = data.alerts.edges.map((e) => e.node);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}: {data.alerts.totalCount === 0 ? 'nothing firing' : `${data.alerts.totalCount} firing`}
      </Text>
      {alerts.map((a) => (
        <Group key={a.id} gap="xs" wrap="nowrap">
          <Badge size="sm" color={SEVERITY_COLOR[a.severity]}>
            {a.severity}
          </Badge>
          <Text size="sm" truncate="end">
            {a.rule.name} on {a.subjectLabel}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

/** The dashboard's firing alerts, live over alertEvents: the platform's (admins) and each organisation's. */
export function FiringAlertsCard({
  owners,
  more,
}: {
  owners: { organizationId: string | null; label: string }[];
  /** Organisations not watched here (see the Alerts page). */
  more: number;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="firing-alerts">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="firing-alerts">
          Firing alerts
        </Title>
        <Anchor component={Link} href="/alerts" size="sm">
          All alerts
        </Anchor>
      </Group>
      <Stack gap="sm">
        {owners.length === 0 && <Text c="dimmed">No organizations yet.</Text>}
        {owners.map((o) => (
          <FiringOf key={o.organizationId ?? 'platform'} organizationId={o.organizationId} label={o.label} />
        ))}
        {more > 0 && (
          <Text size="xs" c="dimmed">
            {more} more organization{more === 1 ? '' : 's'} on the Alerts page.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
