'use client';

import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A dialog's buttons, right-aligned: Cancel, then the action. Without `onAction` the action submits
 * the dialog's form.
 */
export function DialogActions({
  action,
  loading,
  color,
  onAction,
  onCancel,
}: {
  action: ReactNode;
  loading?: boolean;
  color?: string;
  onAction?: () => void;
  onCancel: () => void;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type={onAction ? 'button' : 'submit'} color={color} loading={loading} onClick={onAction}>
        {action}
      </Button>
    </Group>
  );
}
