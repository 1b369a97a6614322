'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { Table } from '@/components/table';
import Link from 'next/link';
import { formatDateTime } from '@/features/machines/machine.format';
import {
  AdminOrganizationsQuery,
  CreateOrganizationMutation,
  CreateUserMutation,
  SetUserDisabledMutation,
  UsersQuery,
} from './admin.documents';
import { ListTable } from '@/components/list-table';
import { useApiAction } from '@/lib/apollo/use-api-action';
import { AdminForm, useFormValues } from './admin.form';
import { Failure, QueryFailure } from './admin.ui';

/** Every account: create a local one, disable or re-enable. */
export function UsersPanel() {
  const { data, error, refetch, fetchMore } = useQuery(UsersQuery);
  const [create] = useMutation(CreateUserMutation);
  const [setDisabled] = useMutation(SetUserDisabledMutation);
  const { run, failure, fields, busy, setFields } = useApiAction();
  const { form, setForm, text, checkbox } = useFormValues(
    { email: '', displayName: '', password: '', isPlatformAdmin: false },
    fields,
  );

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (form.password.length < 12) {
      setFields({ password: 'Use at least 12 characters; a passphrase of a few words works well.' });
      return;
    }
    const ok = await run(() => create({ variables: { input: { ...form, email: form.email.trim() } } }));
    if (ok) {
      setForm({ email: '', displayName: '', password: '', isPlatformAdmin: false });
      await refetch();
    }
  }

  const users = data?.users.edges.map((e) => e.node) ?? [];
  return (
    <Stack gap="md">
      <QueryFailure error={error} what="the users" />
      <Text size="sm" c="dimmed">
        {data ? `${data.users.totalCount} accounts` : 'Loading the accounts…'}
      </Text>
      <ListTable label="Users" columns={['Name', 'Email', 'Role', 'Created', 'State', 'Actions']} minWidth={640}>
        {users.map((u) => (
          <Table.Tr key={u.id}>
            <Table.Td>{u.displayName}</Table.Td>
            <Table.Td>{u.email}</Table.Td>
            <Table.Td>{u.isPlatformAdmin ? <Badge variant="light">Platform admin</Badge> : 'User'}</Table.Td>
            <Table.Td>{formatDateTime(u.createdAt)}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={u.disabledAt ? 'red' : 'green'}>
                {u.disabledAt ? 'disabled' : 'active'}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Button
                size="xs"
                variant="light"
                color={u.disabledAt ? 'green' : 'red'}
                onClick={() => void run(() => setDisabled({ variables: { id: u.id, disabled: !u.disabledAt } }))}
                aria-label={`${u.disabledAt ? 'Enable' : 'Disable'} ${u.email}`}
              >
                {u.disabledAt ? 'Enable' : 'Disable'}
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      {data?.users.pageInfo.hasNextPage && (
        <Button
          variant="default"
          onClick={() =>
            void fetchMore({
              variables: { after: data.users.pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) => ({
                users: { ...fetchMoreResult.users, edges: [...prev.users.edges, ...fetchMoreResult.users.edges] },
              }),
            })
          }
        >
          Show more users
        </Button>
      )}
      <Failure message={failure} />
      <AdminForm id="user-add" title="Create a local account" submit="Create account" busy={busy} onSubmit={submit}>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Email" type="email" required {...text('email')} />
          <TextInput label="Display name" required {...text('displayName')} />
          <PasswordInput label="Initial password" description="At least 12 characters" required {...text('password')} />
        </SimpleGrid>
        <Checkbox
          mt="sm"
          label="Platform administrator (clusters, templates, all tenants)"
          {...checkbox('isPlatformAdmin')}
        />
      </AdminForm>
    </Stack>
  );
}

/** Every organization with its use; create one (the creator becomes its owner). */
export function OrganizationsPanel() {
  const { data, error, refetch } = useQuery(AdminOrganizationsQuery);
  const [create] = useMutation(CreateOrganizationMutation);
  const { run, failure, fields, busy } = useApiAction();
  const { form, setForm, text } = useFormValues({ name: '', slug: '' }, fields);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const ok = await run(() => create({ variables: { input: { name: form.name.trim(), slug: form.slug.trim() } } }));
    if (ok) {
      setForm({ name: '', slug: '' });
      await refetch();
    }
  }

  return (
    <Stack gap="md">
      <QueryFailure error={error} what="the organizations" />
      <ListTable label="All organizations" columns={['Name', 'Slug', 'Projects', 'Machines', 'Cores']} minWidth={560}>
        {data?.organizations.edges.map(({ node: o }) => (
          <Table.Tr key={o.id}>
            <Table.Td>
              <Anchor component={Link} href={`/organizations/${o.id}`}>
                {o.name}
              </Anchor>
            </Table.Td>
            <Table.Td ff="monospace">{o.slug}</Table.Td>
            <Table.Td>{o.projects.totalCount}</Table.Td>
            <Table.Td>{o.usage.machines}</Table.Td>
            <Table.Td>{o.usage.cores}</Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      <Failure message={failure} />
      <AdminForm id="org-add" title="Create an organization" onSubmit={submit}>
        <Group align="flex-start">
          <TextInput label="Name" required {...text('name')} />
          <TextInput label="Slug" description="Lowercase letters, digits and -" required {...text('slug')} />
          <Button type="submit" mt={25} loading={busy}>
            Create organization
          </Button>
        </Group>
      </AdminForm>
    </Stack>
  );
}
