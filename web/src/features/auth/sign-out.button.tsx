'use client';

import { useMutation } from '@apollo/client/react';
import { Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { leaveForSignIn } from '@/lib/apollo/leave-for-sign-in';
import { SignOutMutation } from './auth.documents';

export function SignOutButton() {
  const [signOut, { loading, client }] = useMutation(SignOutMutation);
  const [failure, setFailure] = useState<string | null>(null);

  async function handleClick() {
    setFailure(null);
    try {
      await signOut();
    } catch (error) {
      setFailure(describeApiError(error).message);
      return;
    }
    // The page's own live requests now fail and would navigate too: one full load, and they stand down.
    leaveForSignIn('replace');
    await client.clearStore();
  }

  return (
    <Stack gap={4}>
      <Button variant="default" onClick={handleClick} loading={loading} fullWidth>
        Sign out
      </Button>
      {failure && (
        <Text size="xs" c="red" role="alert">
          {failure}
        </Text>
      )}
    </Stack>
  );
}
