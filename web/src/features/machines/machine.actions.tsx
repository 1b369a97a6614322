'use client';

import { useMutation } from '@apollo/client/react';
import { Button, Group, Stack, Text } from '@mantine/core';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { MachineStatus } from '@/gql/graphql';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import {
  DestroyMachineMutation,
  RebootMachineMutation,
  StartMachineMutation,
  StopMachineMutation,
} from './machines.documents';

// The states each operation accepts (server/src/modules/lifecycle/lifecycle.service.ts, ALLOWED_FROM);
// the API refuses the others with CONFLICT anyway, the buttons only avoid offering them.
const START_FROM: ReadonlySet<MachineStatus> = new Set(['STOPPED']);
const STOP_FROM: ReadonlySet<MachineStatus> = new Set(['RUNNING', 'SUSPENDED']);
const REBOOT_FROM: ReadonlySet<MachineStatus> = new Set(['RUNNING']);
const DELETE_FROM: ReadonlySet<MachineStatus> = new Set([
  'RUNNING',
  'STOPPED',
  'SUSPENDED',
  'PENDING',
  'FAILED',
  'MISSING',
]);

// The delete dialog (its form and name field) loads when it is first opened.
const MachineDeleteDialog = dynamic(() => import('./machine.delete.dialog').then((m) => m.MachineDeleteDialog));

interface Props {
  machine: { id: string; name: string; status: MachineStatus };
  /** A job runs on the machine: the API refuses a second one. */
  busy: boolean;
  /** Called with the new job once the API accepted it. */
  onJob: () => void;
}

/** Start, stop, reboot; delete after typing the machine's name. Each queues a job the page follows. */
export function MachineActions({ machine, busy, onJob }: Props) {
  const [start, startState] = useMutation(StartMachineMutation);
  const [stop, stopState] = useMutation(StopMachineMutation);
  const [reboot, rebootState] = useMutation(RebootMachineMutation);
  const [destroy, destroyState] = useMutation(DestroyMachineMutation);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const sending = startState.loading || stopState.loading || rebootState.loading || destroyState.loading;

  async function run(action: () => Promise<unknown>) {
    setFailure(null);
    try {
      await action();
      onJob();
      return true;
    } catch (error) {
      setFailure(describeApiError(error).message);
      return false;
    }
  }

  const input = { id: machine.id };
  const disabled = busy || sending;

  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button
          variant="default"
          disabled={disabled || !START_FROM.has(machine.status)}
          loading={startState.loading}
          onClick={() => run(() => start({ variables: { input } }))}
        >
          Start
        </Button>
        <Button
          variant="default"
          disabled={disabled || !STOP_FROM.has(machine.status)}
          loading={stopState.loading}
          onClick={() => run(() => stop({ variables: { input } }))}
        >
          Stop
        </Button>
        <Button
          variant="default"
          disabled={disabled || !REBOOT_FROM.has(machine.status)}
          loading={rebootState.loading}
          onClick={() => run(() => reboot({ variables: { input } }))}
        >
          Reboot
        </Button>
        <Button
          color="red"
          variant="light"
          disabled={disabled || !DELETE_FROM.has(machine.status)}
          onClick={() => setConfirming(true)}
        >
          Delete…
        </Button>
      </Group>
      {failure && !confirming && (
        <Text size="sm" c="red" role="alert">
          {failure}
        </Text>
      )}

      {confirming && (
        <MachineDeleteDialog
          name={machine.name}
          failure={failure}
          deleting={destroyState.loading}
          onDelete={() => {
            void run(() => destroy({ variables: { input } })).then((done) => done && setConfirming(false));
          }}
          onClose={() => setConfirming(false)}
        />
      )}
    </Stack>
  );
}
