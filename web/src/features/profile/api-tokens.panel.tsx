'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Code, Group, Paper, Stack, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import { ALL_PRIVILEGES } from '@/features/access/access';
import { formatDateTime } from '@/features/machines/machine.format';
import { Notice } from '@/components/notice';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { expiryFromInput, tokenState } from './api-token.status';
import { ApiTokensQuery, CreateApiTokenMutation, RevokeApiTokenMutation } from './profile.documents';
import { MultiSelect } from '@/components/lazy-select';
import { Modal } from '@/components/lazy-modal';
import { Table } from '@/components/table';

// Loaded when a token is created (its copy button's tooltip brings @floating-ui).
const NewTokenDialog = dynamic(() => import('./new-token.dialog').then((m) => m.NewTokenDialog));

const STATE_COLOR = { active: 'green', expired: 'gray', revoked: 'red' } as const;

/** Personal API tokens: create (the secret is shown once), list with last use, revoke. */
export function ApiTokensPanel() {
  const { data, loading, error, refetch } = useQuery(ApiTokensQuery, { fetchPolicy: 'cache-and-network' });
  const [create, createState] = useMutation(CreateApiTokenMutation);
  const [revoke, revokeState] = useMutation(RevokeApiTokenMutation);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiry, setExpiry] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setFailure(null);
    const errors: Record<string, string> = {};
    if (name.trim() === '') errors['name'] = 'Name the token after what will use it, e.g. "CI deploys".';
    const parsed = expiryFromInput(expiry, new Date());
    if ('error' in parsed) errors['expiresAt'] = parsed.error;
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0 || 'error' in parsed) return;
    try {
      const { data: created } = await create({
        variables: { input: { name: name.trim(), scopes, expiresAt: parsed.expiresAt } },
      });
      if (created) setSecret({ name: created.createApiToken.apiToken.name, token: created.createApiToken.token });
      setName('');
      setScopes([]);
      setExpiry('');
      await refetch();
    } catch (err) {
      const view = describeApiError(err);
      setFieldErrors(view.fields);
      setFailure(view.message);
    }
  }

  async function confirmRevoke() {
    if (!revoking) return;
    setFailure(null);
    try {
      await revoke({ variables: { id: revoking.id } });
      setRevoking(null);
    } catch (err) {
      setRevoking(null);
      setFailure(describeApiError(err).message);
    }
  }

  const now = new Date();
  return (
    <Stack gap="md">
      <Paper withBorder p="lg" component="form" onSubmit={submit} aria-labelledby="token-create" noValidate>
        <Title order={2} size="h4" id="token-create" mb="xs">
          Create an API token
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Send it as <Code>Authorization: Bearer …</Code>. A token acts as you, narrowed to its scopes; without scopes
          it can only read.
        </Text>
        <Group align="flex-start" gap="md" wrap="wrap">
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldErrors['name']}
            w={260}
          />
          <MultiSelect
            label="Scopes"
            description="Privileges on top of reading"
            data={ALL_PRIVILEGES.map((p) => ({ value: p, label: p }))}
            value={scopes}
            onChange={setScopes}
            error={fieldErrors['scopes']}
            searchable
            clearable
            w={360}
          />
          <TextInput
            type="date"
            label="Expires"
            description="Empty: never"
            value={expiry}
            onChange={(e) => setExpiry(e.currentTarget.value)}
            error={fieldErrors['expiresAt']}
            w={200}
          />
        </Group>
        <Button type="submit" mt="md" loading={createState.loading}>
          Create token
        </Button>
      </Paper>

      {failure && (
        <Notice color="red" title="The token operation failed">
          {failure}
        </Notice>
      )}

      <Paper withBorder p="lg" component="section" aria-labelledby="token-list">
        <Title order={2} size="h4" id="token-list" mb="sm">
          Your API tokens
        </Title>
        {error ? (
          <Notice color="red" title="Could not load your tokens">
            {describeApiError(error).message} Reload the page to try again.
          </Notice>
        ) : !data && loading ? (
          <Text size="sm" c="dimmed">
            Loading your tokens…
          </Text>
        ) : data?.apiTokens.length === 0 ? (
          <Text size="sm" c="dimmed">
            No tokens yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-label="API tokens">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Token</Table.Th>
                  <Table.Th>Scopes</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data?.apiTokens.map((token) => {
                  const state = tokenState(token, now);
                  return (
                    <Table.Tr key={token.id}>
                      <Table.Td>{token.name}</Table.Td>
                      <Table.Td ff="monospace">{token.prefix}…</Table.Td>
                      <Table.Td>{token.scopes.length ? token.scopes.join(', ') : 'read-only'}</Table.Td>
                      <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
                      <Table.Td>{token.expiresAt ? formatDateTime(token.expiresAt) : 'Never'}</Table.Td>
                      <Table.Td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never used'}</Table.Td>
                      <Table.Td>
                        <Badge color={STATE_COLOR[state]} variant="light">
                          {state}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {state === 'active' && (
                          <Button
                            size="xs"
                            color="red"
                            variant="light"
                            onClick={() => setRevoking({ id: token.id, name: token.name })}
                            aria-label={`Revoke ${token.name}`}
                          >
                            Revoke
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      {secret && <NewTokenDialog secret={secret} onClose={() => setSecret(null)} />}

      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title={`Revoke "${revoking?.name}"?`}>
        <Stack>
          <Text size="sm">It stops working at once; whatever uses it will be refused.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>
              Cancel
            </Button>
            <Button color="red" loading={revokeState.loading} onClick={() => void confirmRevoke()}>
              Revoke token
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
