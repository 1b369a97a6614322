'use client';

import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';

/** Runs admin mutations and keeps what the API answered: a message, and per-field messages. */
export function useAdminAction() {
  const [failure, setFailure] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setFailure(null);
    setFields({});
    setBusy(true);
    try {
      await action();
      return true;
    } catch (error) {
      const view = describeApiError(error);
      setFields(view.fields);
      setFailure(view.message);
      return false;
    } finally {
      setBusy(false);
    }
  }
  /** `run`, and once the API accepted: `then` (reset a form, reload the list). */
  async function runThen(action: () => Promise<unknown>, then: () => unknown): Promise<boolean> {
    const ok = await run(action);
    if (ok) await then();
    return ok;
  }
  return { run, runThen, failure, fields, busy, setFields };
}

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

/** A confirmation before something that cannot be undone. */
export function Confirm({
  opened,
  title,
  children,
  action,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  action: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack>
        <Text size="sm">{children}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" onClick={onConfirm}>
            {action}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function formatBytes(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1024 ? `${(gib / 1024).toFixed(1)} TiB` : `${gib.toFixed(gib >= 10 ? 0 : 1)} GiB`;
}
