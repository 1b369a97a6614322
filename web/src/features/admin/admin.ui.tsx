'use client';

import { Alert } from '@mantine/core';
import { useState } from 'react';
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

export function formatBytes(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1024 ? `${(gib / 1024).toFixed(1)} TiB` : `${gib.toFixed(gib >= 10 ? 0 : 1)} GiB`;
}
