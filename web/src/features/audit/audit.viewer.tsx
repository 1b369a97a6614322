'use client';

import { useLazyQuery, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Code, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '@/features/machines/machine.format';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { AuditLogQuery, AuditScopesQuery, VerifyAuditLogQuery } from './audit.documents';
import { auditFilterOf, EMPTY_AUDIT_FILTER, type AuditFilterForm } from './audit.filter';
import { Select } from '@/components/lazy-select';
import { Modal } from '@/components/lazy-modal';
import { Table } from '@/components/table';

const PAGE_SIZES = ['10', '25', '50', '100'];
const RESULT_COLOR: Record<string, string> = { success: 'green', failure: 'orange', denied: 'red' };

/** The audit log, newest first, filtered and paged by cursor; platform admins can verify the hash chain. */
export function AuditViewer() {
  const scopes = useQuery(AuditScopesQuery);
  const isPlatformAdmin = Boolean(scopes.data?.viewer?.isPlatformAdmin);
  const organizations = scopes.data?.organizations.edges.map((e) => e.node) ?? [];
  const [form, setForm] = useState<AuditFilterForm>(EMPTY_AUDIT_FILTER);
  const [errors, setErrors] = useState<Partial<Record<keyof AuditFilterForm, string>>>({});
  // The applied filter, and the cursors of the pages before this one (for "Previous").
  const [applied, setApplied] = useState<ReturnType<typeof auditFilterOf>['filter']>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [pageSize, setPageSize] = useState('25');
  const [details, setDetails] = useState<{ action: string; json: string } | null>(null);

  // Organization admins must name their organization; start with the first one they see.
  const effective =
    applied ?? (isPlatformAdmin || organizations.length === 0 ? {} : { organizationId: organizations[0]!.id });
  const after = cursors.at(-1) ?? null;
  const log = useQuery(AuditLogQuery, {
    variables: { first: Number(pageSize), after, filter: effective },
    skip: scopes.loading,
    fetchPolicy: 'network-only',
  });
  const [verify, verification] = useLazyQuery(VerifyAuditLogQuery, { fetchPolicy: 'network-only' });

  function apply(event: React.FormEvent) {
    event.preventDefault();
    const result = auditFilterOf(form);
    setErrors(result.errors ?? {});
    if (result.filter) {
      if (!isPlatformAdmin && !result.filter.organizationId && organizations[0])
        result.filter.organizationId = organizations[0].id;
      setApplied(result.filter);
      setCursors([null]);
    }
  }

  const set = (key: keyof AuditFilterForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const connection = log.data?.auditLog;
  const page = cursors.length;
  const logError = log.error ? describeApiError(log.error) : null;

  return (
    <Stack gap="md">
      <Paper withBorder p="lg" component="form" onSubmit={apply} aria-labelledby="audit-filters" noValidate>
        <Title order={2} size="h4" id="audit-filters" mb="sm">
          Filters
        </Title>
        <Group align="flex-start" gap="sm" wrap="wrap">
          <Select
            label="Organization"
            data={[
              ...(isPlatformAdmin ? [{ value: '', label: 'All (platform)' }] : []),
              ...organizations.map((o) => ({ value: o.id, label: o.name })),
            ]}
            value={form.organizationId || (isPlatformAdmin ? '' : (organizations[0]?.id ?? ''))}
            onChange={(v) => set('organizationId')(v ?? '')}
            allowDeselect={false}
            w={220}
          />
          <TextInput
            label="Action"
            placeholder="mutation.createMachine"
            value={form.action}
            onChange={(e) => set('action')(e.currentTarget.value)}
            w={220}
          />
          <TextInput
            label="Actor id"
            value={form.actorId}
            onChange={(e) => set('actorId')(e.currentTarget.value)}
            error={errors.actorId}
            w={300}
          />
          <TextInput
            type="datetime-local"
            label="From (UTC)"
            value={form.from}
            onChange={(e) => set('from')(e.currentTarget.value)}
            error={errors.from}
            w={210}
          />
          <TextInput
            type="datetime-local"
            label="To (UTC)"
            value={form.to}
            onChange={(e) => set('to')(e.currentTarget.value)}
            error={errors.to}
            w={210}
          />
        </Group>
        <Group mt="md" gap="sm">
          <Button type="submit">Apply filters</Button>
          <Button
            variant="default"
            onClick={() => {
              setForm(EMPTY_AUDIT_FILTER);
              setErrors({});
              setApplied(null);
              setCursors([null]);
            }}
          >
            Clear
          </Button>
        </Group>
      </Paper>

      {isPlatformAdmin && (
        <Paper withBorder p="lg" component="section" aria-labelledby="audit-verify">
          <Group justify="space-between">
            <div>
              <Title order={2} size="h4" id="audit-verify">
                Integrity
              </Title>
              <Text size="sm" c="dimmed">
                Recomputes the hash chain over every row. Keep the head hash elsewhere to detect later truncation.
              </Text>
            </div>
            <Button variant="default" loading={verification.loading} onClick={() => void verify()}>
              Verify the audit log
            </Button>
          </Group>
          {verification.error && (
            <Alert color="red" mt="sm" title="Verification could not run" role="alert">
              {describeApiError(verification.error).message}
            </Alert>
          )}
          {verification.data && (
            <Alert
              mt="sm"
              role="status"
              color={verification.data.verifyAuditLog.valid ? 'green' : 'red'}
              title={
                verification.data.verifyAuditLog.valid
                  ? `The chain holds: ${verification.data.verifyAuditLog.checkedRows} rows checked`
                  : `The chain is broken at row ${verification.data.verifyAuditLog.firstBrokenId}`
              }
            >
              {verification.data.verifyAuditLog.reason && (
                <Text size="sm">{verification.data.verifyAuditLog.reason}</Text>
              )}
              <Text size="sm">
                Head hash: <Code>{verification.data.verifyAuditLog.headHash}</Code>
              </Text>
              {!verification.data.verifyAuditLog.valid && (
                <Text size="sm">
                  Rows were changed or removed outside the platform: restore from backup and investigate.
                </Text>
              )}
            </Alert>
          )}
        </Paper>
      )}

      <Paper withBorder p="lg" component="section" aria-labelledby="audit-rows">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="audit-rows">
            Records{connection ? ` (${connection.totalCount})` : ''}
          </Title>
          <Group gap="xs">
            <Select
              aria-label="Rows per page"
              data={PAGE_SIZES}
              value={pageSize}
              onChange={(v) => {
                setPageSize(v ?? '25');
                setCursors([null]);
              }}
              allowDeselect={false}
              size="xs"
              w={80}
            />
            <Button size="xs" variant="default" disabled={page === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Previous
            </Button>
            <Text size="sm" aria-live="polite">
              Page {page}
            </Text>
            <Button
              size="xs"
              variant="default"
              disabled={!connection?.pageInfo.hasNextPage}
              onClick={() => setCursors((c) => [...c, connection?.pageInfo.endCursor ?? null])}
            >
              Next
            </Button>
          </Group>
        </Group>
        {logError ? (
          <Alert color="red" title="Could not read the audit log" role="alert">
            {logError.codes.includes('FORBIDDEN')
              ? 'The audit log is for organization admins (their organization) and platform admins. Pick an organization you administer, or ask its owner for the admin role.'
              : `${logError.message} Try again.`}
          </Alert>
        ) : !connection ? (
          <Text size="sm" c="dimmed">
            Loading the records…
          </Text>
        ) : connection.edges.length === 0 ? (
          <Text size="sm" c="dimmed">
            No records match these filters. Widen the time range or clear the filters.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table striped aria-label="Audit records">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Result</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Target</Table.Th>
                  <Table.Th>IP</Table.Th>
                  <Table.Th>Details</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {connection.edges.map(({ node }) => (
                  <Table.Tr key={node.id}>
                    <Table.Td>{formatDateTime(node.at)}</Table.Td>
                    <Table.Td ff="monospace">{node.action}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={RESULT_COLOR[node.result] ?? 'gray'}>
                        {node.result}
                      </Badge>
                    </Table.Td>
                    <Table.Td ff="monospace" fz="xs">
                      {node.actorId ?? 'anonymous'}
                    </Table.Td>
                    <Table.Td fz="xs">{node.targetType ? `${node.targetType} ${node.targetId ?? ''}` : '—'}</Table.Td>
                    <Table.Td fz="xs">{node.ip ?? '—'}</Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="subtle"
                        onClick={() => setDetails({ action: node.action, json: JSON.stringify(node.details, null, 2) })}
                        aria-label={`Details of ${node.action} at ${formatDateTime(node.at)}`}
                      >
                        Show
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      <Modal opened={details !== null} onClose={() => setDetails(null)} title={details?.action} size="lg">
        <Code block>{details?.json}</Code>
      </Modal>
    </Stack>
  );
}
