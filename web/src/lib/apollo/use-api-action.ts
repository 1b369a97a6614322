'use client';

import { useState } from 'react';
import { describeApiError } from './graphql-errors';

/**
 * Runs what a form or a button asks of the API and keeps the answer for the page: a message, and
 * messages by field (the API's, or the draft's own problems found before asking).
 */
export function useApiAction() {
  const [failure, setFailure] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  /**
   * True once `action` succeeded. `problems` (by field, e.g. from a form's validation) stop it before
   * the API is asked, and show like the API's own field messages.
   */
  async function run(action: () => Promise<unknown>, problems: Record<string, string> = {}): Promise<boolean> {
    setFailure(null);
    setFields(problems);
    if (Object.keys(problems).length) return false;
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
