'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Paper, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { MfaStatusQuery } from '@/features/profile/profile.documents';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { OrganizationRequireMfaQuery, SetOrganizationRequireMfaMutation } from './mfa.documents';

/** Organization settings (admins): whether every member must sign in with a second factor. */
export function RequireMfaSetting({ organizationId }: { organizationId: string }) {
  const { data } = useQuery(OrganizationRequireMfaQuery, { variables: { id: organizationId } });
  const { data: own } = useQuery(MfaStatusQuery);
  const [setRequired] = useMutation(SetOrganizationRequireMfaMutation);
  const [failure, setFailure] = useState<string | null>(null);
  const required = data?.organization.requireMfa ?? false;

  async function toggle(next: boolean) {
    setFailure(null);
    // The policy binds the admin too: without a factor of their own, this session would lock itself out.
    if (next && own && !own.mfaStatus.totpEnabled) {
      setFailure('Set up two-factor authentication in your profile first: the requirement applies to you too.');
      return;
    }
    try {
      await setRequired({
        variables: { organizationId, required: next },
        // The switch moves at once; a refusal moves it back.
        optimisticResponse: {
          setOrganizationRequireMfa: { __typename: 'Organization', id: organizationId, requireMfa: next },
        },
      });
    } catch (err) {
      setFailure(describeApiError(err).message ?? 'The setting was not changed.');
    }
  }

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="org-security">
      <Title order={2} size="h4" id="org-security" mb="sm">
        Security
      </Title>
      <Switch
        label="Require two-factor authentication"
        description="Members without a second factor can then only set one up after signing in; nothing else opens until they do."
        checked={required}
        disabled={!data}
        onChange={(event) => void toggle(event.currentTarget.checked)}
      />
      {required && (
        <Text size="xs" c="dimmed" mt="xs">
          Every member signs in with a code from an authenticator app or a recovery code.
        </Text>
      )}
      {failure && (
        <Alert color="red" mt="sm" title="The setting was not changed" role="alert">
          {failure}
        </Alert>
      )}
    </Paper>
  );
}
