'use client';

import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { AlertFieldsFragment, AlertSeverity, AlertState } from '@/gql/graphql';
import { ListTable } from '@/components/list-table';
import { toLocalInput } from '@/features/metrics/metrics.range';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { COMPARATOR_LABEL } from './alert-rule.validation';
import { SEVERITY_COLOR } from './alert-severity';
import {
  AcknowledgeAlertMutation,
  AlertEventsSubscription,
  AlertsQuery,
  SilenceAlertMutation,
} from './alerts.documents';
import { ListNotices } from './alerts.ui';
import { MultiSelect } from '@/components/lazy-select';
import { Modal } from '@/components/lazy-modal';
import { Table } from '@/components/table';

const PAGE = 25;
const MAX_SILENCE_MS = 30 * 86_400_000;
export const STATE_COLOR: Record<AlertState, string> = { FIRING: 'red', PENDING: 'yellow', RESOLVED: 'green' };

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** What is wrong with a silence's end, or null: in the future, at most 30 days ahead. */
export function silenceProblem(value: string, now: number): string | null {
  const until = Date.parse(value);
  if (Number.isNaN(until)) return 'Choose when the silence ends.';
  if (until <= now) return 'The silence must end in the future.';
  if (until - now > MAX_SILENCE_MS) return 'At most 30 days ahead.';
  return null;
}

function SilenceForm({ alert, onClose }: { alert: AlertFieldsFragment; onClose: () => void }) {
  const [until, setUntil] = useState(() => toLocalInput(Date.now() + 3_600_000));
  const [problem, setProblem] = useState<string | null>(null);
  const [silence, { loading }] = useMutation(SilenceAlertMutation);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const p = silenceProblem(until, Date.now());
    setProblem(p);
    if (p) return;
    try {
      await silence({ variables: { id: alert.id, until: new Date(until).toISOString() } });
      onClose();
    } catch (e) {
      const view = describeApiError(e);
      setProblem(view.fields['until'] ?? view.message);
    }
  }
  return (
    <Modal opened onClose={onClose} title={`Silence "${alert.rule.name}" on ${alert.subjectLabel}`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">No notifications until then; if it still fires then, it is notified again.</Text>
          <TextInput
            type="datetime-local"
            label="Silenced until"
            value={until}
            onChange={(e) => setUntil(e.currentTarget.value)}
            error={problem}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={loading}>
              Silence
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Firing and recent alerts of one owner, filtered by state and severity, live, with acknowledge and silence. */
export function AlertsList({ organizationId }: { organizationId: string | null }) {
  const [states, setStates] = useState<AlertState[]>(['FIRING', 'PENDING']);
  const [severities, setSeverities] = useState<AlertSeverity[]>([]);
  const [silencing, setSilencing] = useState<AlertFieldsFragment | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const filter = { states: states.length ? states : undefined, severities: severities.length ? severities : undefined };
  const { data, loading, error, refetch, fetchMore } = useQuery(AlertsQuery, {
    variables: { organizationId, filter, first: PAGE },
    fetchPolicy: 'cache-and-network',
  });
  // Any change of this owner's alerts: ask again (the filter decides whether it belongs here).
  useSubscription(AlertEventsSubscription, { variables: { organizationId }, onData: () => void refetch() });
  const [acknowledge] = useMutation(AcknowledgeAlertMutation);
  const alerts = data?.alerts.edges.map((e) => e.node) ?? [];

  return (
    <Stack gap="md">
      <Group gap="md" align="flex-end">
        <MultiSelect
          label="State"
          placeholder="Every state"
          data={['FIRING', 'PENDING', 'RESOLVED']}
          value={states}
          onChange={(v) => setStates(v as AlertState[])}
          clearable
          w={280}
        />
        <MultiSelect
          label="Severity"
          placeholder="Every severity"
          data={['CRITICAL', 'WARNING', 'INFO']}
          value={severities}
          onChange={(v) => setSeverities(v as AlertSeverity[])}
          clearable
          w={280}
        />
        {data && (
          <Text size="sm" c="dimmed">
            {data.alerts.totalCount} alert{data.alerts.totalCount === 1 ? '' : 's'}
          </Text>
        )}
      </Group>
      <ListNotices
        error={error}
        failure={failure}
        failureTitle="The alert was not changed"
        loading={loading}
        loaded={Boolean(data)}
        count={alerts.length}
        empty="No alerts match. Nothing needs attention."
        skeletonHeight={120}
      />
      {alerts.length > 0 && (
        <ListTable
          label="Alerts"
          columns={['State', 'Rule', 'Subject', 'Value', 'Since', 'Handled', '']}
          minWidth={760}
        >
          {alerts.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Badge color={STATE_COLOR[a.state]}>{a.state}</Badge>
                  <Badge color={SEVERITY_COLOR[a.severity]} variant="light">
                    {a.severity}
                  </Badge>
                </Group>
              </Table.Td>
              <Table.Td>
                {a.rule.name}
                <Text size="xs" c="dimmed" ff="monospace">
                  {a.rule.metric} {COMPARATOR_LABEL[a.rule.comparator]} {a.rule.threshold}
                </Text>
              </Table.Td>
              <Table.Td>{a.subjectLabel}</Table.Td>
              <Table.Td ff="monospace">{Number(a.value.toFixed(2))}</Table.Td>
              <Table.Td fz="sm">{when(a.firedAt ?? a.pendingSince)}</Table.Td>
              <Table.Td fz="sm">
                {a.acknowledgedAt && <div>Acknowledged {when(a.acknowledgedAt)}</div>}
                {a.silencedUntil && Date.parse(a.silencedUntil) > Date.now() && (
                  <div>Silenced until {when(a.silencedUntil)}</div>
                )}
                {a.resolvedAt && <div>Resolved {when(a.resolvedAt)}</div>}
              </Table.Td>
              <Table.Td>
                {a.state !== 'RESOLVED' && (
                  <Group gap="xs" wrap="nowrap" justify="flex-end">
                    <Button
                      size="xs"
                      variant="light"
                      disabled={Boolean(a.acknowledgedAt)}
                      onClick={() => {
                        setFailure(null);
                        acknowledge({ variables: { id: a.id } }).catch((e: unknown) =>
                          setFailure(describeApiError(e).message),
                        );
                      }}
                    >
                      Acknowledge
                    </Button>
                    <Button size="xs" variant="light" color="gray" onClick={() => setSilencing(a)}>
                      Silence
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
      {data?.alerts.pageInfo.hasNextPage && (
        <Button
          variant="default"
          onClick={() =>
            void fetchMore({
              variables: { after: data.alerts.pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) => ({
                alerts: { ...fetchMoreResult.alerts, edges: [...prev.alerts.edges, ...fetchMoreResult.alerts.edges] },
              }),
            })
          }
        >
          Load more
        </Button>
      )}
      {silencing && <SilenceForm alert={silencing} onClose={() => setSilencing(null)} />}
    </Stack>
  );
}
