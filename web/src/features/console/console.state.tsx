'use client';

import { Badge, Group, Text } from '@mantine/core';

export type ConsoleState = { phase: 'connecting' } | { phase: 'connected' } | { phase: 'disconnected'; reason: string };

const COLOR = { connecting: 'yellow', connected: 'green', disconnected: 'red' } as const;
const LABEL = { connecting: 'Connecting', connected: 'Connected', disconnected: 'Disconnected' } as const;

/** The socket's state, and why it ended, announced to screen readers as it changes. */
export function ConsoleStatus({ state }: { state: ConsoleState }) {
  return (
    <Group gap="xs" role="status" aria-live="polite" data-console-state={state.phase}>
      <Badge color={COLOR[state.phase]} variant="light">
        {LABEL[state.phase]}
      </Badge>
      {state.phase === 'disconnected' ? (
        <Text size="sm" c="dimmed">
          {state.reason}
        </Text>
      ) : null}
    </Group>
  );
}
