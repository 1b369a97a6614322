import { Stack, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { QueryErrorBoundary } from '@/components/query-error.boundary';
import { DashboardMonitoring } from '@/features/alerts/dashboard.monitoring';
import { requireViewer } from '@/features/auth/viewer.server';
import { DashboardQuery } from '@/features/dashboard/dashboard.documents';
import { DashboardSummary } from '@/features/dashboard/dashboard.summary';
import { OrganizationsQuery } from '@/features/organization/organization.documents';
import { OrganizationOverview } from '@/features/organization/organization.overview';
import { OrganizationSkeleton } from '@/features/organization/organization.skeleton';
import { PreloadQuery } from '@/lib/apollo/apollo.rsc';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  // Layouts are not re-rendered on every navigation, so each page checks the session itself.
  const viewer = await requireViewer();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Dashboard
      </Title>
      <QueryErrorBoundary title="Could not load the dashboard">
        <PreloadQuery query={DashboardQuery}>
          {(queryRef) => (
            <Suspense fallback={<OrganizationSkeleton />}>
              <DashboardSummary queryRef={queryRef} />
            </Suspense>
          )}
        </PreloadQuery>
      </QueryErrorBoundary>
      <QueryErrorBoundary title="Could not load alerts and cluster health">
        <DashboardMonitoring isPlatformAdmin={viewer.isPlatformAdmin} />
      </QueryErrorBoundary>
      <QueryErrorBoundary title="Could not load your organizations">
        <PreloadQuery query={OrganizationsQuery}>
          {(queryRef) => (
            <Suspense fallback={<OrganizationSkeleton />}>
              <OrganizationOverview queryRef={queryRef} />
            </Suspense>
          )}
        </PreloadQuery>
      </QueryErrorBoundary>
    </Stack>
  );
}
