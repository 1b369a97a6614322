import { Group, Stack, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { QueryErrorBoundary } from '@/components/query-error.boundary';
import { requireViewer } from '@/features/auth/viewer.server';
import { CreateMachineButton } from '@/features/machines/machine.links';
import { MachineList } from '@/features/machines/machine.list';
import { getMachineAccess } from '@/features/machines/machine.permissions.server';
import { MachineSkeleton } from '@/features/machines/machine.skeleton';
import { DEFAULT_MACHINES_VARIABLES, MachinesQuery } from '@/features/machines/machines.documents';
import { PreloadQuery } from '@/lib/apollo/apollo.rsc';

export const metadata: Metadata = { title: 'Machines' };

export default async function MachinesPage() {
  await requireViewer();
  const access = await getMachineAccess();
  const canCreate = access.allocatable.length > 0;
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1} size="h2">
          Machines
        </Title>
        {canCreate && <CreateMachineButton />}
      </Group>
      <QueryErrorBoundary title="Could not load the machines">
        <PreloadQuery query={MachinesQuery} variables={DEFAULT_MACHINES_VARIABLES}>
          {(queryRef) => (
            <Suspense fallback={<MachineSkeleton label="Loading machines…" />}>
              <MachineList queryRef={queryRef} canCreate={canCreate} projectIds={access.visibleProjectIds} />
            </Suspense>
          )}
        </PreloadQuery>
      </QueryErrorBoundary>
    </Stack>
  );
}
