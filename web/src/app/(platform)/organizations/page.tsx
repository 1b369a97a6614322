import { Stack, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { QueryErrorBoundary } from '@/components/query-error.boundary';
import { requireViewer } from '@/features/auth/viewer.server';
import { OrganizationsQuery } from '@/features/organization/organization.documents';
import { OrganizationSkeleton } from '@/features/organization/organization.skeleton';
import { OrganizationTable } from '@/features/organization/organization.table';
import { PreloadQuery } from '@/lib/apollo/apollo.rsc';

export const metadata: Metadata = { title: 'Organizations' };

export default async function OrganizationsPage() {
  await requireViewer();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Organizations
      </Title>
      <QueryErrorBoundary title="Could not load your organizations">
        <PreloadQuery query={OrganizationsQuery}>
          {(queryRef) => (
            <Suspense fallback={<OrganizationSkeleton />}>
              <OrganizationTable queryRef={queryRef} />
            </Suspense>
          )}
        </PreloadQuery>
      </QueryErrorBoundary>
    </Stack>
  );
}
