'use client';

import { Alert, Button, Group, Text } from '@mantine/core';
import { catchError, type ErrorInfo } from 'next/error';
import { describeApiError } from '@/lib/apollo/graphql-errors';

function QueryErrorFallback({ title }: { title: string }, { error, retry }: ErrorInfo) {
  const view = describeApiError(error);
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      <Text size="sm">{view.message ?? Object.values(view.fields).join(' ')}</Text>
      <Group mt="sm">
        <Button size="xs" variant="light" color="red" onClick={() => retry()}>
          Try again
        </Button>
      </Group>
    </Alert>
  );
}

/**
 * Error boundary for one query's part of a page: shows what went wrong in the API's words and retries
 * by re-rendering the server components around it (which re-runs their PreloadQuery).
 */
export const QueryErrorBoundary = catchError(QueryErrorFallback);
