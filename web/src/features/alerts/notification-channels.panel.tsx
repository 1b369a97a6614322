'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import {
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { Table } from '@/components/table';
import { useState } from 'react';
import type { AlertSeverity, NotificationChannelFieldsFragment } from '@/gql/graphql';
import { Confirm } from '@/components/confirm.modal';
import { ListTable } from '@/components/list-table';
import { useApiAction } from '@/lib/apollo/use-api-action';
import { recipientsOf, validateChannel } from './alert-rule.validation';
import {
  CreateNotificationChannelMutation,
  DeleteNotificationChannelMutation,
  NotificationChannelsQuery,
  NotificationDeliveriesQuery,
  UpdateNotificationChannelMutation,
} from './alerts.documents';
import { EditorModal, ListNotices, RowActions, useConfirmedDelete } from './alerts.ui';

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
  const { run, fields, failure, busy: saving } = useApiAction();
  const [create] = useMutation(CreateNotificationChannelMutation);
  const [update] = useMutation(UpdateNotificationChannelMutation);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const problems = validateChannel({ name, kind, url, webhookSecret, recipients, creating: !editing });
    const saved = await run(async () => {
      const target =
        kind === 'WEBHOOK'
          ? { url: url.trim(), ...(webhookSecret ? { webhookSecret } : {}) }
          : { recipients: recipientsOf(recipients) };
      if (editing)
        await update({ variables: { id: editing.id, input: { name: name.trim(), minSeverity, enabled, ...target } } });
      else await create({ variables: { input: { organizationId, kind, name: name.trim(), minSeverity, ...target } } });
    }, problems);
    if (saved) {
      onSaved();
      onClose();
    }
  }

  return (
    <EditorModal
      what="channel"
      title={editing ? `Edit channel "${editing.name}"` : 'New notification channel'}
      label="Notification channel"
      creating={!editing}
      saving={saving}
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
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
      {editing && <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />}
    </EditorModal>
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
      <ListNotices
        error={error}
        loading={loading}
        loaded={Boolean(data)}
        count={rows.length}
        empty="Nothing sent yet: deliveries appear when an alert fires or resolves."
        skeletonHeight={120}
      />
      {rows.length > 0 && (
        <ListTable
          label="Delivery attempts"
          columns={['When', 'Event', 'Attempt', 'Status', 'Detail']}
          minWidth={600}
          striped={false}
        >
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
        </ListTable>
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
  const [remove, { loading: removing }] = useMutation(DeleteNotificationChannelMutation);
  const deletion = useConfirmedDelete<NotificationChannelFieldsFragment>(
    (id) => remove({ variables: { id } }),
    refetch,
  );
  const channels = data?.notificationChannels ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Firing, resolved and expired-silence alerts are sent to every enabled channel at or above its severity.
        </Text>
        <Button onClick={() => setForm({ editing: null })}>New channel</Button>
      </Group>
      <ListNotices
        error={error}
        failure={deletion.failure}
        failureTitle="The channel was not deleted"
        loading={loading}
        loaded={Boolean(data)}
        count={channels.length}
        empty="No channels yet: alerts show here only."
        skeletonHeight={100}
      />
      {channels.length > 0 && (
        <ListTable
          label="Notification channels"
          columns={['Name', 'Kind', 'Target', 'Minimum severity', 'State', '']}
          minWidth={640}
        >
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
                <RowActions
                  noun="channel"
                  name={c.name}
                  onEdit={() => setForm({ editing: c })}
                  onDelete={() => deletion.ask(c)}
                >
                  <Button size="xs" variant="light" onClick={() => setLog(c)} aria-label={`Deliveries of ${c.name}`}>
                    Deliveries
                  </Button>
                </RowActions>
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
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
      <Confirm
        opened={Boolean(deletion.target)}
        title="Delete this channel?"
        action="Delete channel"
        loading={removing}
        onClose={deletion.cancel}
        onConfirm={() => void deletion.confirm()}
      >
        Nothing more is sent to &quot;{deletion.target?.name}&quot;; its delivery log goes with it.
      </Confirm>
    </Stack>
  );
}
