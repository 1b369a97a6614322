'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { Table } from '@/components/table';
import { useState } from 'react';
import type { AlertComparator, AlertMetric, AlertRuleFieldsFragment, AlertScope, AlertSeverity } from '@/gql/graphql';
import { Confirm } from '@/components/confirm.modal';
import { ListTable } from '@/components/list-table';
import { useApiAction } from '@/lib/apollo/use-api-action';
import {
  COMPARATOR_LABEL,
  METRIC_LABEL,
  OWNER_SCOPES,
  type RuleDraft,
  SCOPE_METRICS,
  validateRule,
} from './alert-rule.validation';
import {
  AlertRulesQuery,
  CreateAlertRuleMutation,
  DeleteAlertRuleMutation,
  UpdateAlertRuleMutation,
} from './alerts.documents';
import { SEVERITY_COLOR } from './alert-severity';
import type { AlertOwner } from './alerts.screen';
import { EditorModal, ListNotices, RowActions, useConfirmedDelete } from './alerts.ui';

const SEVERITIES: AlertSeverity[] = ['INFO', 'WARNING', 'CRITICAL'];
const COMPARATORS = Object.keys(COMPARATOR_LABEL) as AlertComparator[];

function emptyDraft(owner: AlertOwner): RuleDraft {
  const scope = owner.organizationId ? 'MACHINE' : 'NODE';
  return {
    name: '',
    scope,
    metric: 'CPU',
    comparator: 'GT',
    threshold: 90,
    clearThreshold: null,
    durationSeconds: 300,
    severity: 'WARNING',
    enabled: true,
    machineId: null,
    projectId: null,
    clusterId: null,
    node: '',
  };
}

function draftOf(rule: AlertRuleFieldsFragment): RuleDraft {
  return {
    name: rule.name,
    scope: rule.scope,
    metric: rule.metric,
    comparator: rule.comparator,
    threshold: rule.threshold,
    clearThreshold: rule.clearThreshold,
    durationSeconds: rule.durationSeconds,
    severity: rule.severity,
    enabled: rule.enabled,
    machineId: rule.machineId,
    projectId: rule.projectId,
    clusterId: rule.clusterId,
    node: rule.node ?? '',
  };
}

function RuleForm({
  owner,
  editing,
  onClose,
  onSaved,
}: {
  owner: AlertOwner;
  editing: AlertRuleFieldsFragment | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState<RuleDraft>(() => (editing ? draftOf(editing) : emptyDraft(owner)));
  const { run, fields, failure, busy: saving } = useApiAction();
  const [create] = useMutation(CreateAlertRuleMutation);
  const [update] = useMutation(UpdateAlertRuleMutation);
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const scopes = owner.organizationId ? OWNER_SCOPES.organization : OWNER_SCOPES.platform;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const problems = validateRule(draft, !editing);
    const saved = await run(async () => {
      const common = {
        name: draft.name.trim(),
        metric: draft.metric,
        comparator: draft.comparator,
        threshold: draft.threshold!,
        clearThreshold: draft.clearThreshold,
        durationSeconds: draft.durationSeconds!,
        severity: draft.severity,
        enabled: draft.enabled,
      };
      if (editing) await update({ variables: { id: editing.id, input: common } });
      else
        await create({
          variables: {
            input: {
              ...common,
              scope: draft.scope,
              machineId: draft.scope === 'MACHINE' ? draft.machineId : null,
              projectId: draft.scope === 'PROJECT' ? draft.projectId : null,
              clusterId: ['NODE', 'CLUSTER', 'CEPH'].includes(draft.scope) ? draft.clusterId : null,
              node: draft.scope === 'NODE' && draft.node.trim() ? draft.node.trim() : null,
            },
          },
        });
    }, problems);
    if (saved) {
      onSaved();
      onClose();
    }
  }

  return (
    <EditorModal
      what="rule"
      title={editing ? `Edit rule "${editing.name}"` : 'New alert rule'}
      label="Alert rule"
      creating={!editing}
      saving={saving}
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      <TextInput
        label="Name"
        required
        value={draft.name}
        onChange={(e) => set('name', e.currentTarget.value)}
        error={fields['name']}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Scope"
          data={scopes}
          value={draft.scope}
          disabled={Boolean(editing)}
          allowDeselect={false}
          onChange={(v) => {
            const scope = (v ?? draft.scope) as AlertScope;
            setDraft((d) => ({
              ...d,
              scope,
              metric: SCOPE_METRICS[scope].includes(d.metric) ? d.metric : SCOPE_METRICS[scope][0]!,
            }));
          }}
          error={fields['scope']}
        />
        {draft.scope === 'MACHINE' && (
          <Select
            label="Machine"
            searchable
            disabled={Boolean(editing)}
            data={owner.machines.map((m) => ({ value: m.id, label: m.name }))}
            value={draft.machineId}
            onChange={(v) => set('machineId', v)}
            error={fields['machineId']}
            nothingFoundMessage="No machines"
          />
        )}
        {draft.scope === 'PROJECT' && (
          <Select
            label="Project"
            disabled={Boolean(editing)}
            data={owner.projects.map((p) => ({ value: p.id, label: p.name }))}
            value={draft.projectId}
            onChange={(v) => set('projectId', v)}
            error={fields['projectId']}
          />
        )}
        {['NODE', 'CLUSTER', 'CEPH'].includes(draft.scope) && (
          <Select
            label="Cluster"
            placeholder="Every cluster"
            clearable
            disabled={Boolean(editing)}
            data={owner.clusters.map((c) => ({ value: c.id, label: c.name }))}
            value={draft.clusterId}
            onChange={(v) => set('clusterId', v)}
            error={fields['clusterId']}
          />
        )}
        {draft.scope === 'NODE' && (
          <TextInput
            label="Node"
            placeholder="Every node"
            disabled={Boolean(editing)}
            value={draft.node}
            onChange={(e) => set('node', e.currentTarget.value)}
            error={fields['node']}
          />
        )}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label="Metric"
          data={SCOPE_METRICS[draft.scope].map((m) => ({ value: m, label: METRIC_LABEL[m] }))}
          value={draft.metric}
          allowDeselect={false}
          onChange={(v) => v && set('metric', v as AlertMetric)}
          error={fields['metric']}
        />
        <Select
          label="Comparator"
          data={COMPARATORS.map((c) => ({ value: c, label: COMPARATOR_LABEL[c] }))}
          value={draft.comparator}
          allowDeselect={false}
          onChange={(v) => v && set('comparator', v as AlertComparator)}
          error={fields['comparator']}
        />
        <NumberInput
          label="Threshold"
          value={draft.threshold ?? ''}
          onChange={(v) => set('threshold', typeof v === 'number' ? v : null)}
          error={fields['threshold']}
        />
        <NumberInput
          label="Clear threshold"
          description="Resolve only once back past this (optional)"
          value={draft.clearThreshold ?? ''}
          onChange={(v) => set('clearThreshold', typeof v === 'number' ? v : null)}
          error={fields['clearThreshold']}
        />
        <NumberInput
          label="For (seconds)"
          description="How long the condition must hold"
          allowDecimal={false}
          value={draft.durationSeconds ?? ''}
          onChange={(v) => set('durationSeconds', typeof v === 'number' ? v : null)}
          error={fields['durationSeconds']}
        />
        <Select
          label="Severity"
          data={SEVERITIES}
          value={draft.severity}
          allowDeselect={false}
          onChange={(v) => v && set('severity', v as AlertSeverity)}
          error={fields['severity']}
        />
      </SimpleGrid>
      <Switch label="Enabled" checked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
    </EditorModal>
  );
}

function describeCondition(r: AlertRuleFieldsFragment): string {
  const clear = r.clearThreshold !== null ? `, clears at ${r.clearThreshold}` : '';
  return `${r.metric} ${COMPARATOR_LABEL[r.comparator]} ${r.threshold} for ${r.durationSeconds} s${clear}`;
}

/** An owner's alert rules: list, create, edit, delete (with confirmation). */
export function AlertRulesPanel({ owner }: { owner: AlertOwner }) {
  const { data, loading, error, refetch } = useQuery(AlertRulesQuery, {
    variables: { organizationId: owner.organizationId },
    fetchPolicy: 'cache-and-network',
  });
  const [form, setForm] = useState<{ editing: AlertRuleFieldsFragment | null } | null>(null);
  const [remove, { loading: removing }] = useMutation(DeleteAlertRuleMutation);
  const deletion = useConfirmedDelete<AlertRuleFieldsFragment>((id) => remove({ variables: { id } }), refetch);
  const rules = data?.alertRules.edges.map((e) => e.node) ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          A rule fires an alert when its metric crosses the threshold for the given time.
        </Text>
        <Button onClick={() => setForm({ editing: null })}>New rule</Button>
      </Group>
      <ListNotices
        error={error}
        failure={deletion.failure}
        failureTitle="The rule was not deleted"
        loading={loading}
        loaded={Boolean(data)}
        count={rules.length}
        empty="No rules yet. Create one to be told when something needs attention."
        skeletonHeight={120}
      />
      {rules.length > 0 && (
        <ListTable label="Alert rules" columns={['Name', 'Scope', 'Condition', 'Severity', 'State', '']} minWidth={640}>
          {rules.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                {r.name}{' '}
                {r.builtin && (
                  <Badge size="xs" variant="outline">
                    built-in
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{r.scope}</Table.Td>
              <Table.Td ff="monospace" fz="sm">
                {describeCondition(r)}
              </Table.Td>
              <Table.Td>
                <Badge color={SEVERITY_COLOR[r.severity]} variant="light">
                  {r.severity}
                </Badge>
              </Table.Td>
              <Table.Td>{r.enabled ? 'Enabled' : 'Disabled'}</Table.Td>
              <Table.Td>
                <RowActions
                  noun="rule"
                  name={r.name}
                  onEdit={() => setForm({ editing: r })}
                  onDelete={() => deletion.ask(r)}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
      {form && (
        <RuleForm owner={owner} editing={form.editing} onClose={() => setForm(null)} onSaved={() => void refetch()} />
      )}
      <Confirm
        opened={Boolean(deletion.target)}
        title="Delete this rule?"
        action="Delete rule"
        loading={removing}
        onClose={deletion.cancel}
        onConfirm={() => void deletion.confirm()}
      >
        &quot;{deletion.target?.name}&quot; and its alerts are deleted. This cannot be undone.
      </Confirm>
    </Stack>
  );
}
