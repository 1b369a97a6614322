'use client';

import { Alert, Button, Group, Text } from '@mantine/core';

/**
 * What error.tsx files render. Errors thrown while rendering on the server (the API unreachable, for
 * instance) arrive with their message masked by Next; the digest matches the web server's log line.
 */
export function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && 'digest' in error ? String(error.digest) : null;
  return (
    <Alert color="red" variant="light" title="This page could not be loaded" role="alert">
      <Text size="sm">The platform API did not answer as expected. It may be restarting; try again in a moment.</Text>
      {digest && (
        <Text size="xs" c="dimmed" mt={4}>
          Reference: {digest}
        </Text>
      )}
      <Group mt="sm">
        <Button size="xs" variant="light" color="red" onClick={() => retry()}>
          Try again
        </Button>
      </Group>
    </Alert>
  );
}
