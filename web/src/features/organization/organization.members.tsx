'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Role } from '@/gql/graphql';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import {
  AddMemberMutation,
  MembersQuery,
  RemoveMemberMutation,
  UpdateMemberRoleMutation,
} from './organization.documents';
import { Select } from '@/components/lazy-select';
import { Modal } from '@/components/lazy-modal';
import { Table } from '@/components/table';

const ROLES: { value: Role; label: string }[] = [
  { value: 'VIEWER', label: 'Viewer (read)' },
  { value: 'OPERATOR', label: 'Operator (machines)' },
  { value: 'ADMIN', label: 'Admin (projects, members)' },
  { value: 'OWNER', label: 'Owner (everything)' },
];

interface Props {
  organizationId: string;
  projects: { id: string; name: string }[];
  /** Organization.Admin: may add, change and remove members (owners only by owners; the API checks). */
  canManage: boolean;
}

/** Members and their roles, organization-wide or in one project; add, change, remove. */
export function OrganizationMembers({ organizationId, projects, canManage }: Props) {
  const { data, error, loading, refetch } = useQuery(MembersQuery, { variables: { id: organizationId } });
  const [add, addState] = useMutation(AddMemberMutation);
  const [update] = useMutation(UpdateMemberRoleMutation);
  const [remove, removeState] = useMutation(RemoveMemberMutation);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const [projectId, setProjectId] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setFailure(null);
    setFields({});
    try {
      await action();
      await refetch();
      return true;
    } catch (err) {
      const view = describeApiError(err);
      setFields(view.fields);
      setFailure(view.message);
      return false;
    }
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!email.includes('@')) {
      setFields({ email: 'Enter the email of an existing account, e.g. ada@example.com.' });
      return;
    }
    const ok = await run(() => add({ variables: { input: { organizationId, email: email.trim(), role, projectId } } }));
    if (ok) setEmail('');
  }

  if (error) {
    const view = describeApiError(error);
    return (
      <Alert color="yellow" title="Members are not visible to you">
        {view.codes.includes('FORBIDDEN')
          ? 'Reading the members needs a role in the whole organization; ask an organization admin.'
          : `${view.message} Reload the page to try again.`}
      </Alert>
    );
  }

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="org-members">
      <Title order={2} size="h4" id="org-members" mb="sm">
        Members
      </Title>
      {failure && (
        <Alert color="red" title="The change was refused" role="alert" mb="sm">
          {failure}
        </Alert>
      )}
      {canManage && (
        <form onSubmit={submit} noValidate aria-label="Add a member">
          <Group align="flex-start" gap="sm" wrap="wrap" mb="md">
            <TextInput
              label="Email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={fields['email']}
              w={260}
            />
            <Select
              label="Role"
              data={ROLES}
              value={role}
              onChange={(v) => v && setRole(v as Role)}
              allowDeselect={false}
              w={220}
            />
            <Select
              label="Where"
              data={[
                { value: '', label: 'Whole organization' },
                ...projects.map((p) => ({ value: p.id, label: `Project ${p.name}` })),
              ]}
              value={projectId ?? ''}
              onChange={(v) => setProjectId(v ? v : null)}
              error={fields['projectId']}
              allowDeselect={false}
              w={220}
            />
            <Button type="submit" mt={25} loading={addState.loading}>
              Add member
            </Button>
          </Group>
        </form>
      )}
      {!data && loading ? (
        <Text size="sm" c="dimmed">
          Loading the members…
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table striped aria-label="Members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Where</Table.Th>
                <Table.Th>Role</Table.Th>
                {canManage && <Table.Th>Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data?.organization.members.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{m.user.displayName}</Table.Td>
                  <Table.Td>{m.user.email}</Table.Td>
                  <Table.Td>{m.project ? `Project ${m.project.name}` : 'Whole organization'}</Table.Td>
                  <Table.Td>
                    {canManage ? (
                      <Select
                        aria-label={`Role of ${m.user.displayName}`}
                        data={ROLES}
                        value={m.role}
                        allowDeselect={false}
                        size="xs"
                        w={200}
                        onChange={(v) =>
                          v && v !== m.role && void run(() => update({ variables: { id: m.id, role: v as Role } }))
                        }
                      />
                    ) : (
                      m.role
                    )}
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        onClick={() => setRemoving({ id: m.id, name: m.user.displayName })}
                        aria-label={`Remove ${m.user.displayName}`}
                      >
                        Remove
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={`Remove ${removing?.name}?`}>
        <Stack>
          <Text size="sm">They lose this role at once. Their machines stay in their projects.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={removeState.loading}
              onClick={() => {
                const target = removing;
                setRemoving(null);
                if (target) void run(() => remove({ variables: { id: target.id } }));
              }}
            >
              Remove member
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
