import { Stack } from '@mantine/core';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { QueryErrorBoundary } from '@/components/query-error.boundary';
import { requireViewer } from '@/features/auth/viewer.server';
import { AllMachinesLink } from '@/features/machines/machine.links';
import { MachineDetail } from '@/features/machines/machine.detail';
import { machineCan } from '@/features/machines/machine.permissions.server';
import { MachineSkeleton } from '@/features/machines/machine.skeleton';
import { MachineJobsQuery, MachineQuery } from '@/features/machines/machines.documents';
import { PreloadQuery } from '@/lib/apollo/apollo.rsc';

export const metadata: Metadata = { title: 'Machine' };

export default async function MachinePage({ params }: { params: Promise<{ id: string }> }) {
  await requireViewer();
  const { id } = await params;
  const can = await machineCan(id);
  return (
    <Stack gap="md">
      <AllMachinesLink />
      <QueryErrorBoundary title="Could not load this machine">
        <PreloadQuery query={MachineQuery} variables={{ id }}>
          {(machineRef) => (
            <PreloadQuery query={MachineJobsQuery} variables={{ machineId: id }}>
              {(jobsRef) => (
                <Suspense fallback={<MachineSkeleton label="Loading the machine…" rows={6} />}>
                  <MachineDetail machineRef={machineRef} jobsRef={jobsRef} can={can} />
                </Suspense>
              )}
            </PreloadQuery>
          )}
        </PreloadQuery>
      </QueryErrorBoundary>
    </Stack>
  );
}
