'use client';

import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Modal } from '@/components/lazy-modal';

interface Props {
  name: string;
  /** Why the last attempt failed. */
  failure: string | null;
  deleting: boolean;
  /** Asks the API to delete; the caller closes the dialog once it accepted. */
  onDelete: () => void;
  onClose: () => void;
}

/** Deleting a machine after typing its name. Its own module: it loads when the dialog first opens. */
export function MachineDeleteDialog({ name, failure, deleting, onDelete, onClose }: Props) {
  const [typed, setTyped] = useState('');
  return (
    <Modal opened onClose={onClose} title={`Delete ${name}?`} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (typed === name) onDelete();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            This stops the machine, destroys its guest and disks on Proxmox, and removes its generated credentials. It
            cannot be undone.
          </Text>
          <TextInput
            label={`Type ${name} to confirm`}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            autoComplete="off"
            spellCheck={false}
            data-autofocus
          />
          {failure && (
            <Alert color="red" variant="light" role="alert">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={typed !== name} loading={deleting}>
              Delete {name}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
