'use client';

import { Alert } from '@mantine/core';
import { describeApiError } from '@/lib/apollo/graphql-errors';

export function Failure({ message, title = 'The change was refused' }: { message: string | null; title?: string }) {
  if (!message) return null;
  return (
    <Alert color="red" title={title} role="alert">
      {message}
    </Alert>
  );
}

export function QueryFailure({ error, what }: { error: unknown; what: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={`Could not load ${what}`} role="alert">
      {describeApiError(error).message} Reload the page to try again.
    </Alert>
  );
}

export function formatBytes(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1024 ? `${(gib / 1024).toFixed(1)} TiB` : `${gib.toFixed(gib >= 10 ? 0 : 1)} GiB`;
}
