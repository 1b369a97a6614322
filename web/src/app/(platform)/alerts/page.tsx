import { Stack, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { QueryErrorBoundary } from '@/components/query-error.boundary';
import { AlertsScreen } from '@/features/alerts/alerts.screen';
import { requireViewer } from '@/features/auth/viewer.server';

export const metadata: Metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  const viewer = await requireViewer();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Alerts
      </Title>
      <QueryErrorBoundary title="Could not load the alerts">
        <AlertsScreen isPlatformAdmin={viewer.isPlatformAdmin} />
      </QueryErrorBoundary>
    </Stack>
  );
}
