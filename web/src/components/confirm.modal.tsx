'use client';

import { Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { DialogActions } from './dialog-actions';

/** A confirmation before something that cannot be undone: what happens, Cancel, and the red action. */
export function Confirm({
  opened,
  title,
  children,
  action,
  loading,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  /** What happens once confirmed. */
  children: ReactNode;
  /** The confirming button's label, e.g. "Delete rule". */
  action: string;
  /** The action is running: its button spins. */
  loading?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack>
        <Text size="sm">{children}</Text>
        <DialogActions action={action} color="red" loading={loading} onAction={onConfirm} onCancel={onClose} />
      </Stack>
    </Modal>
  );
}
