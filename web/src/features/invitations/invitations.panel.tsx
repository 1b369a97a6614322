'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Paper,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { Role } from '@/gql/graphql';
import { formatDateTime } from '@/features/machines/machine.format';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { invitationLink, invitationState } from './invitation.state';
import { CreateInvitationMutation, InvitationsQuery, RevokeInvitationMutation } from './invitations.documents';
import { Select } from '@/components/lazy-select';
import { Table } from '@/components/table';

const STATE_COLOR = { pending: 'blue', accepted: 'green', revoked: 'red', expired: 'gray' } as const;

/** Invite by email with a role: the link is shown once; pending invitations can be revoked. */
export function InvitationsPanel({ organizationId }: { organizationId: string }) {
  const { data, error, refetch } = useQuery(InvitationsQuery, { variables: { organizationId } });
  const [create, createState] = useMutation(CreateInvitationMutation);
  const [revoke] = useMutation(RevokeInvitationMutation);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const [hours, setHours] = useState<number>(168);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);

  async function run(action: () => Promise<void>) {
    setFailure(null);
    setFields({});
    try {
      await action();
      await refetch();
    } catch (err) {
      const view = describeApiError(err);
      setFields(view.fields);
      setFailure(view.message);
    }
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!email.includes('@')) {
      setFields({ email: 'Enter the email address to invite, e.g. ada@example.com.' });
      return;
    }
    await run(async () => {
      const { data: created } = await create({
        variables: { input: { organizationId, email: email.trim(), role, expiresInHours: hours } },
      });
      if (created) {
        setLink({
          email: created.createInvitation.invitation.email,
          url: invitationLink(window.location.origin, created.createInvitation.token),
        });
        setEmail('');
      }
    });
  }

  if (error) {
    return (
      <Alert color="yellow" title="Invitations are not visible to you">
        Inviting people needs the admin role in this organization; ask its owner.
      </Alert>
    );
  }
  const now = new Date();
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="org-invitations">
      <Title order={2} size="h4" id="org-invitations" mb="sm">
        Invitations
      </Title>
      <form onSubmit={submit} noValidate aria-label="Invite someone">
        <Group align="flex-start" gap="sm" wrap="wrap" mb="md">
          <TextInput
            label="Email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={fields['email']}
            w={260}
          />
          <Select
            label="Role"
            data={['VIEWER', 'OPERATOR', 'ADMIN', 'OWNER']}
            value={role}
            onChange={(v) => v && setRole(v as Role)}
            allowDeselect={false}
            w={160}
          />
          <NumberInput
            label="Valid for (hours)"
            min={1}
            max={720}
            allowDecimal={false}
            clampBehavior="none"
            value={hours}
            onChange={(v) => setHours(typeof v === 'number' ? v : 0)}
            error={fields['expiresInHours']}
            w={160}
          />
          <Button type="submit" mt={25} loading={createState.loading}>
            Invite
          </Button>
        </Group>
      </form>
      {failure && (
        <Alert color="red" title="The invitation was refused" role="alert" mb="sm">
          {failure}
        </Alert>
      )}
      {link && (
        <Alert color="yellow" title={`Send this link to ${link.email}: it is shown only now`} mb="sm" role="status">
          <Group wrap="nowrap" gap="xs">
            <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="invitation-link">
              {link.url}
            </Code>
            <CopyButton value={link.url}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" onClick={copy}>
                  {copied ? 'Copied' : 'Copy link'}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
      {data && data.invitations.length === 0 ? (
        <Text size="sm" c="dimmed">
          No invitations yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label="Invitations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data?.invitations.map((i) => {
                const state = invitationState(i, now);
                return (
                  <Table.Tr key={i.id}>
                    <Table.Td>{i.email}</Table.Td>
                    <Table.Td>{i.role}</Table.Td>
                    <Table.Td>{formatDateTime(i.expiresAt)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={STATE_COLOR[state]}>
                        {state}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {state === 'pending' && (
                        <Button
                          size="xs"
                          color="red"
                          variant="light"
                          aria-label={`Revoke the invitation of ${i.email}`}
                          onClick={() => void run(async () => void (await revoke({ variables: { id: i.id } })))}
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
  );
}
