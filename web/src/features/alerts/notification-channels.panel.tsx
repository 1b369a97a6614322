'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import type { AlertSeverity, NotificationChannelFieldsFragment } from '@/gql/graphql';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { recipientsOf, validateChannel } from './alert-rule.validation';
import {
  CreateNotificationChannelMutation,
  DeleteNotificationChannelMutation,
  NotificationChannelsQuery,
  NotificationDeliveriesQuery,
  UpdateNotificationChannelMutation,
} from './alerts.documents';

type Kind = 'WEBHOOK' | 'EMAIL';

function ChannelForm({
  organizationId,
  editing,
  onClose,
  onSaved,
}: {
  organizationId: string | null;
  editing: NotificationChannelFieldsFragment | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [kind, setKind] = useState<Kind>(editing?.kind ?? 'WEBHOOK');
  const [name, setName] = useState(editing?.name ?? '');
  const [url, setUrl] = useState(editing?.url ?? '');
  const [webhookSecret, setSecret] = useState('');
  const [recipients, setRecipients] = useState(editing?.recipients.join('\n') ?? '');
  const [minSeverity, setMinSeverity] = useState<AlertSeverity>(editing?.minSeverity ?? 'WARNING');
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [create] = useMutation(CreateNotificationChannelMutation);
  const [update] = useMutation(UpdateNotificationChannelMutation);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const problems = validateChannel({ name, kind, url, webhookSecret, recipients, creating: !editing });
    setFields(problems);
    setFailure(null);
    if (Object.keys(problems).length) return;
    setSaving(true);
    try {
      const target =
        kind === 'WEBHOOK'
          ? { url: url.trim(), ...(webhookSecret ? { webhookSecret } : {}) }
          : { recipients: recipientsOf(recipients) };
      if (editing)
        await update({ variables: { id: editing.id, input: { name: name.trim(), minSeverity, enabled, ...target } } });
      else await create({ variables: { input: { organizationId, kind, name: name.trim(), minSeverity, ...target } } });
      onSaved();
      onClose();
    } catch (e) {
      const view = describeApiError(e);
      setFields(view.fields);
      setFailure(view.message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      opened
      onClose={onClose}
      title={editing ? `Edit channel "${editing.name}"` : 'New notification channel'}
      size="lg"
    >
      <form onSubmit={submit} noValidate aria-label="Notification channel">
        <Stack>
          {!editing && (
            <SegmentedControl
              aria-label="Kind"
              value={kind}
              onChange={(v) => setKind(v as Kind)}
              data={[
                { value: 'WEBHOOK', label: 'Webhook' },
                { value: 'EMAIL', label: 'E-mail' },
              ]}
            />
          )}
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fields['name']}
          />
          {kind === 'WEBHOOK' ? (
            <>
              <TextInput
                label="URL"
                required
                placeholder="https://hooks.example.com/pvepaas"
                value={url}
                onChange={(e) => setUrl(e.currentTarget.value)}
                error={fields['url']}
              />
              <PasswordInput
                label="Signing secret"
                description={
                  editing
                    ? 'Leave empty to keep the current secret. Kept in the secret store; never shown again.'
                    : 'Each POST carries an HMAC-SHA256 signature made with it. Kept in the secret store; never shown again.'
                }
                required={!editing}
                value={webhookSecret}
                onChange={(e) => setSecret(e.currentTarget.value)}
                error={fields['webhookSecret']}
              />
            </>
          ) : (
            <Textarea
              label="Recipients"
              description="E-mail addresses, one per line or separated by commas (up to 50)"
              required
              autosize
              minRows={2}
              value={recipients}
              onChange={(e) => setRecipients(e.currentTarget.value)}
              error={fields['recipients']}
            />
          )}
          <Select
            label="Send alerts of at least"
            data={['INFO', 'WARNING', 'CRITICAL']}
            value={minSeverity}
            allowDeselect={false}
            onChange={(v) => v && setMinSeverity(v as AlertSeverity)}
            error={fields['minSeverity']}
          />
          {editing && (
            <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          )}
          {failure && (
            <Alert color="red" title="The channel was not saved">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {editing ? 'Save channel' : 'Create channel'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const DELIVERY_COLOR = { SUCCEEDED: 'green', RETRYING: 'yellow', FAILED: 'red' } as const;

function DeliveryLog({ channel, onClose }: { channel: NotificationChannelFieldsFragment; onClose: () => void }) {
  const { data, loading, error } = useQuery(NotificationDeliveriesQuery, {
    variables: { channelId: channel.id },
    fetchPolicy: 'network-only',
  });
  const rows = data?.notificationDeliveries.edges.map((e) => e.node) ?? [];
  return (
    <Modal opened onClose={onClose} title={`Deliveries of "${channel.name}"`} size="xl">
      {error && <Alert color="red">{describeApiError(error).message}</Alert>}
      {loading && !data && <Skeleton height={120} />}
      {data && rows.length === 0 && (
        <Text c="dimmed">Nothing sent yet: deliveries appear when an alert fires or resolves.</Text>
      )}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label="Delivery attempts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Event</Table.Th>
                <Table.Th>Attempt</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Detail</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td fz="sm">{new Date(d.createdAt).toLocaleString()}</Table.Td>
                  <Table.Td>{d.event}</Table.Td>
                  <Table.Td>{d.attempt}</Table.Td>
                  <Table.Td>
                    <Badge color={DELIVERY_COLOR[d.status]}>{d.status}</Badge>
                  </Table.Td>
                  <Table.Td fz="sm">
                    {d.statusCode !== null && <div>HTTP {d.statusCode}</div>}
                    {d.error && <div>{d.error}</div>}
                    {d.nextAttemptAt && <div>Next attempt {new Date(d.nextAttemptAt).toLocaleTimeString()}</div>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Modal>
  );
}

/** Where an owner's alerts are sent: webhooks (signed) and e-mail, each with its delivery log. */
export function NotificationChannelsPanel({ organizationId }: { organizationId: string | null }) {
  const { data, loading, error, refetch } = useQuery(NotificationChannelsQuery, {
    variables: { organizationId },
    fetchPolicy: 'cache-and-network',
  });
  const [form, setForm] = useState<{ editing: NotificationChannelFieldsFragment | null } | null>(null);
  const [log, setLog] = useState<NotificationChannelFieldsFragment | null>(null);
  const [deleting, setDeleting] = useState<NotificationChannelFieldsFragment | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [remove, { loading: removing }] = useMutation(DeleteNotificationChannelMutation);
  const channels = data?.notificationChannels ?? [];

  async function confirmDelete() {
    if (!deleting) return;
    try {
      await remove({ variables: { id: deleting.id } });
      await refetch();
    } catch (e) {
      setFailure(describeApiError(e).message);
    } finally {
      setDeleting(null);
    }
  }

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Firing, resolved and expired-silence alerts are sent to every enabled channel at or above its severity.
        </Text>
        <Button onClick={() => setForm({ editing: null })}>New channel</Button>
      </Group>
      {error && <Alert color="red">{describeApiError(error).message}</Alert>}
      {failure && (
        <Alert color="red" title="The channel was not deleted">
          {failure}
        </Alert>
      )}
      {loading && !data && <Skeleton height={100} />}
      {data && channels.length === 0 && <Text c="dimmed">No channels yet: alerts show here only.</Text>}
      {channels.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="Notification channels" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Minimum severity</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {channels.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{c.kind === 'WEBHOOK' ? 'Webhook' : 'E-mail'}</Table.Td>
                  <Table.Td fz="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {c.kind === 'WEBHOOK' ? c.url : c.recipients.join(', ')}
                  </Table.Td>
                  <Table.Td>{c.minSeverity}</Table.Td>
                  <Table.Td>{c.enabled ? 'Enabled' : 'Disabled'}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => setLog(c)}
                        aria-label={`Deliveries of ${c.name}`}
                      >
                        Deliveries
                      </Button>
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => setForm({ editing: c })}
                        aria-label={`Edit channel ${c.name}`}
                      >
                        Edit
                      </Button>
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        onClick={() => setDeleting(c)}
                        aria-label={`Delete channel ${c.name}`}
                      >
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {form && (
        <ChannelForm
          organizationId={organizationId}
          editing={form.editing}
          onClose={() => setForm(null)}
          onSaved={() => void refetch()}
        />
      )}
      {log && <DeliveryLog channel={log} onClose={() => setLog(null)} />}
      <Modal opened={Boolean(deleting)} onClose={() => setDeleting(null)} title="Delete this channel?">
        <Stack>
          <Text size="sm">Nothing more is sent to &quot;{deleting?.name}&quot;; its delivery log goes with it.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button color="red" loading={removing} onClick={() => void confirmDelete()}>
              Delete channel
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
