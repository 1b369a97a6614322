import { Alert, Group, Stack, Text, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireViewer } from '@/features/auth/viewer.server';
import { ConsoleMachineQuery } from '@/features/console/console.documents';
import { BackToMachineLink, ConsoleKindLinks } from '@/features/console/console.links';
import { ConsoleSwitch } from '@/features/console/console.switch';
import { getClient } from '@/lib/apollo/apollo.rsc';

export const metadata: Metadata = { title: 'Console' };

export default async function ConsolePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ kind?: string }>;
}) {
  await requireViewer();
  const { id } = await params;
  const { kind: asked } = await searchParams;
  const client = await getClient();
  const { data, error } = await client.query({ query: ConsoleMachineQuery, variables: { id }, errorPolicy: 'all' });
  const machine = data?.machine;
  if (!machine) {
    if (error && !/does not exist or is not visible/.test(error.message)) throw error;
    notFound();
  }
  // Containers have no screen worth showing: their console is the terminal. VMs default to the screen.
  const kind = asked === 'terminal' || machine.kind === 'LXC' ? 'TERMINAL' : 'VNC';
  return (
    <Stack gap="md">
      <BackToMachineLink machineId={machine.id} name={machine.name} />
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          Console of {machine.name}
        </Title>
        {machine.kind === 'VM' ? <ConsoleKindLinks machineId={machine.id} kind={kind} /> : null}
      </Group>
      {machine.status !== 'RUNNING' ? (
        <Alert color="yellow" title={`${machine.name} is ${machine.status.toLowerCase()}`}>
          <Text size="sm">A console opens only on a running machine: start it first.</Text>
        </Alert>
      ) : null}
      <ConsoleSwitch machineId={machine.id} kind={kind} />
    </Stack>
  );
}
