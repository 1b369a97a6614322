'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Checkbox, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { JobProgress } from '@/features/machines/job.progress';
import { formatDateTime } from '@/features/machines/machine.format';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { snapshotNameProblem } from './snapshot.validation';
import {
  CreateSnapshotMutation,
  DeleteSnapshotMutation,
  MachineSnapshotsQuery,
  RollbackSnapshotMutation,
} from './snapshots.documents';
import { Table } from '@/components/table';

interface Props {
  machineId: string;
  /** The viewer holds Machine.Snapshot in the machine's project. */
  canManage: boolean;
  /** Another job runs on the machine: the API would refuse a second one. */
  busy: boolean;
  /** A job was queued (the page follows it) or finished. */
  onJob: () => void;
}

type Pending = { action: 'rollback' | 'delete'; name: string } | null;

/** The machine's snapshots as Proxmox lists them; take, roll back to and delete one, with the job's progress. */
export function MachineSnapshots({ machineId, canManage, busy, onJob }: Props) {
  const { data, loading, error, refetch } = useQuery(MachineSnapshotsQuery, {
    variables: { id: machineId },
    fetchPolicy: 'cache-and-network',
  });
  const [create, createState] = useMutation(CreateSnapshotMutation);
  const [rollback, rollbackState] = useMutation(RollbackSnapshotMutation);
  const [remove, removeState] = useMutation(DeleteSnapshotMutation);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [includeMemory, setIncludeMemory] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [job, setJob] = useState<{ id: string; label: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);

  const machine = data?.machine;
  const working = Boolean(job) || busy;

  async function queue(label: string, send: () => Promise<{ id: string } | undefined>) {
    setFailure(null);
    try {
      const queued = await send();
      if (queued) setJob({ id: queued.id, label });
      onJob();
      return true;
    } catch (err) {
      const view = describeApiError(err);
      if (view.fields['name']) setNameError(view.fields['name']);
      setFailure(view.message ?? (view.fields['name'] ? null : 'The snapshot request was refused.'));
      return false;
    }
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const problem = snapshotNameProblem(name);
    setNameError(problem);
    if (problem) return;
    const ok = await queue(`Taking snapshot ${name}`, async () => {
      const result = await create({
        variables: {
          input: { id: machineId, name, description: description || null, includeMemory },
        },
      });
      return result.data?.createSnapshot;
    });
    if (ok) {
      setName('');
      setDescription('');
      setIncludeMemory(false);
    }
  }

  async function confirm() {
    if (!pending) return;
    const { action, name: snapshot } = pending;
    setPending(null);
    const input = { id: machineId, name: snapshot };
    if (action === 'rollback')
      await queue(
        `Rolling back to ${snapshot}`,
        async () => (await rollback({ variables: { input } })).data?.rollbackSnapshot,
      );
    else
      await queue(
        `Deleting snapshot ${snapshot}`,
        async () => (await remove({ variables: { input } })).data?.deleteSnapshot,
      );
  }

  return (
    <Stack gap="md">
      {canManage && (
        <Paper withBorder p="lg" component="form" onSubmit={submit} aria-labelledby="snapshot-create">
          <Title order={2} size="h4" id="snapshot-create" mb="sm">
            Take a snapshot
          </Title>
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label="Name"
              description="A letter, then letters, digits, _ or -"
              value={name}
              onChange={(e) => {
                setName(e.currentTarget.value);
                setNameError(null);
              }}
              error={nameError}
              required
              w={240}
            />
            <TextInput
              label="Description"
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              w={320}
            />
          </Group>
          {machine?.kind === 'VM' && (
            <Checkbox
              mt="sm"
              label="Include the memory (a rollback resumes the running VM)"
              checked={includeMemory}
              onChange={(e) => setIncludeMemory(e.currentTarget.checked)}
            />
          )}
          <Group mt="md">
            <Button type="submit" loading={createState.loading} disabled={working}>
              Take snapshot
            </Button>
            {working && !job && (
              <Text size="sm" c="dimmed">
                Another job runs on this machine; wait for it to finish.
              </Text>
            )}
          </Group>
        </Paper>
      )}

      {failure && (
        <Alert color="red" title="The snapshot operation was refused" role="alert">
          {failure}
        </Alert>
      )}

      {job && (
        <Paper withBorder p="lg" aria-label={job.label}>
          <Title order={3} size="h5" mb="sm">
            {job.label}
          </Title>
          <JobProgress
            key={job.id}
            jobId={job.id}
            hideMachineLink
            onFinished={() => {
              setJob(null);
              void refetch();
              onJob();
            }}
          />
        </Paper>
      )}

      <Paper withBorder p="lg" component="section" aria-labelledby="snapshot-list">
        <Title order={2} size="h4" id="snapshot-list" mb="sm">
          Snapshots
        </Title>
        {error ? (
          <Alert color="red" title="Could not read the snapshots from Proxmox">
            {describeApiError(error).message} Reload the page to try again.
          </Alert>
        ) : !machine && loading ? (
          <Text size="sm" c="dimmed">
            Reading the snapshots from Proxmox…
          </Text>
        ) : machine && machine.snapshots.length === 0 ? (
          <Text size="sm" c="dimmed">
            No snapshots yet.{canManage ? ' Take one above before a risky change.' : ''}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped aria-label="Snapshots">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Description</Table.Th>
                  <Table.Th>Taken</Table.Th>
                  <Table.Th>Memory</Table.Th>
                  {canManage && <Table.Th>Actions</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {machine?.snapshots.map((snapshot) => (
                  <Table.Tr key={snapshot.name}>
                    <Table.Td ff="monospace">{snapshot.name}</Table.Td>
                    <Table.Td>{snapshot.description || '—'}</Table.Td>
                    <Table.Td>{formatDateTime(snapshot.createdAt)}</Table.Td>
                    <Table.Td>{snapshot.includesMemory ? 'Yes' : 'No'}</Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="default"
                            disabled={working}
                            loading={rollbackState.loading}
                            onClick={() => setPending({ action: 'rollback', name: snapshot.name })}
                            aria-label={`Roll back to ${snapshot.name}`}
                          >
                            Roll back
                          </Button>
                          <Button
                            size="xs"
                            color="red"
                            variant="light"
                            disabled={working}
                            loading={removeState.loading}
                            onClick={() => setPending({ action: 'delete', name: snapshot.name })}
                            aria-label={`Delete snapshot ${snapshot.name}`}
                          >
                            Delete
                          </Button>
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      <Modal
        opened={pending !== null}
        onClose={() => setPending(null)}
        title={pending?.action === 'rollback' ? `Roll back to ${pending.name}?` : `Delete snapshot ${pending?.name}?`}
      >
        <Stack>
          <Text size="sm">
            {pending?.action === 'rollback'
              ? 'Everything written since the snapshot is lost. A snapshot without memory leaves the machine stopped.'
              : 'The snapshot is removed from Proxmox; you cannot roll back to it afterwards.'}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPending(null)}>
              Cancel
            </Button>
            <Button color={pending?.action === 'delete' ? 'red' : undefined} onClick={() => void confirm()}>
              {pending?.action === 'rollback' ? 'Roll back' : 'Delete snapshot'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
