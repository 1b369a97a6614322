'use client';

import { useMutation } from '@apollo/client/react';
import { Button, Stack, Text } from '@mantine/core';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { SignOutMutation } from './auth.documents';

export function SignOutButton() {
  const router = useRouter();
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
    await client.clearStore();
    router.replace('/sign-in');
    router.refresh();
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
