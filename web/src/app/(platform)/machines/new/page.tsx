import { Stack, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Notice } from '@/components/notice';
import { QueryErrorBoundary } from '@/components/query-error.boundary';
import { requireViewer } from '@/features/auth/viewer.server';
import { MachineCreateWizard } from '@/features/machines/machine-create.wizard';
import { getAllocatableProjects } from '@/features/machines/machine.permissions.server';
import { MachineSkeleton } from '@/features/machines/machine.skeleton';
import { ProvisionOptionsQuery } from '@/features/machines/machines.documents';
import { PreloadQuery } from '@/lib/apollo/apollo.rsc';

export const metadata: Metadata = { title: 'Create a machine' };

export default async function NewMachinePage() {
  await requireViewer();
  const projects = await getAllocatableProjects();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Create a machine
      </Title>
      {projects.length === 0 ? (
        <Notice color="yellow" title="You cannot create machines">
          Creating a machine needs the operator, admin or owner role in a project. Ask an administrator of the project
          for one.
        </Notice>
      ) : (
        <QueryErrorBoundary title="Could not load the templates">
          <PreloadQuery query={ProvisionOptionsQuery}>
            {(queryRef) => (
              <Suspense fallback={<MachineSkeleton label="Loading templates…" />}>
                <MachineCreateWizard queryRef={queryRef} projects={projects} />
              </Suspense>
            )}
          </PreloadQuery>
        </QueryErrorBoundary>
      )}
    </Stack>
  );
}
