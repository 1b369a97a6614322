'use client';

import { Alert, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { DialogActions } from '@/components/dialog-actions';
import { Modal } from '@/components/lazy-modal';
import { describeApiError } from '@/lib/apollo/graphql-errors';

/** A dialog that creates or edits one `what` (rule, channel): its fields, why saving failed, Cancel and save. */
export function EditorModal({
  what,
  title,
  label,
  creating,
  saving,
  failure,
  onSubmit,
  onClose,
  children,
}: {
  what: string;
  title: string;
  /** The form's accessible name. */
  label: string;
  creating: boolean;
  saving: boolean;
  failure: string | null;
  onSubmit: (event: FormEvent) => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form onSubmit={onSubmit} noValidate aria-label={label}>
        <Stack>
          {children}
          {failure && (
            <Alert color="red" title={`The ${what} was not saved`}>
              {failure}
            </Alert>
          )}
          <DialogActions action={creating ? `Create ${what}` : `Save ${what}`} loading={saving} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * Deleting a listed item after a confirmation: `ask(item)` opens it, `confirm()` deletes and reloads
 * the list; `failure` says why the deletion was refused.
 */
export function useConfirmedDelete<T extends { id: string }>(
  remove: (id: string) => Promise<unknown>,
  reload: () => Promise<unknown>,
) {
  const [target, setTarget] = useState<T | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  async function confirm() {
    if (!target) return;
    setFailure(null);
    try {
      await remove(target.id);
      setTarget(null);
      await reload();
    } catch (e) {
      setFailure(describeApiError(e).message);
      setTarget(null);
    }
  }
  return { target, ask: setTarget, cancel: () => setTarget(null), confirm, failure };
}

/**
 * What a list shows before (or instead of) its rows: the query's error, why an action on it failed,
 * a placeholder while loading, and `empty` once loaded without rows.
 */
export function ListNotices({
  error,
  failure,
  failureTitle,
  loading,
  loaded,
  count,
  empty,
  skeletonHeight,
}: {
  error: unknown;
  /** Why an action on the list failed, titled `failureTitle`. */
  failure?: string | null;
  failureTitle?: string;
  loading: boolean;
  loaded: boolean;
  count: number;
  empty: ReactNode;
  skeletonHeight: number;
}) {
  return (
    <>
      {error ? <Alert color="red">{describeApiError(error).message}</Alert> : null}
      {failure && (
        <Alert color="red" title={failureTitle}>
          {failure}
        </Alert>
      )}
      {loading && !loaded && <Skeleton height={skeletonHeight} />}
      {loaded && count === 0 && <Text c="dimmed">{empty}</Text>}
    </>
  );
}

/** A listed item's Edit and Delete buttons (named "Edit <noun> <name>" and so on), after any other `children`. */
export function RowActions({
  noun,
  name,
  onEdit,
  onDelete,
  children,
}: {
  noun: string;
  name: string;
  onEdit: () => void;
  onDelete: () => void;
  children?: ReactNode;
}) {
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap">
      {children}
      <Button size="xs" variant="light" onClick={onEdit} aria-label={`Edit ${noun} ${name}`}>
        Edit
      </Button>
      <Button size="xs" variant="light" color="red" onClick={onDelete} aria-label={`Delete ${noun} ${name}`}>
        Delete
      </Button>
    </Group>
  );
}
