'use client';

import { Anchor, Button, Group } from '@mantine/core';
import Link from 'next/link';

// Mantine rendering next/link must live in client components: a server component cannot hand the
// Link component itself to Mantine.

export function BackToMachineLink({ machineId, name }: { machineId: string; name: string }) {
  return (
    <Anchor component={Link} href={`/machines/${machineId}`} size="sm">
      ← {name}
    </Anchor>
  );
}

/** Screen or serial terminal, for VMs (a container's console is its terminal). */
export function ConsoleKindLinks({ machineId, kind }: { machineId: string; kind: 'VNC' | 'TERMINAL' }) {
  return (
    <Group gap="xs">
      <Button
        component={Link}
        href={`/machines/${machineId}/console`}
        size="xs"
        variant={kind === 'VNC' ? 'filled' : 'default'}
      >
        Screen
      </Button>
      <Button
        component={Link}
        href={`/machines/${machineId}/console?kind=terminal`}
        size="xs"
        variant={kind === 'TERMINAL' ? 'filled' : 'default'}
      >
        Serial terminal
      </Button>
    </Group>
  );
}

/** The way in from a machine's page. */
export function OpenConsoleButton({ machineId }: { machineId: string }) {
  return (
    <Button component={Link} href={`/machines/${machineId}/console`} size="xs" variant="light">
      Console
    </Button>
  );
}
