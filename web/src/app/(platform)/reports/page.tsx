import { Stack, Text, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { QueryErrorBoundary } from '@/components/query-error.boundary';
import { requireViewer } from '@/features/auth/viewer.server';
import { UsageReportScreen } from '@/features/reports/usage.report';

export const metadata: Metadata = { title: 'Usage report' };

export default async function UsageReportPage() {
  await requireViewer();
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Usage report
        </Title>
        <Text c="dimmed" size="sm">
          What each project used over the period: hours running, core-hours, memory and disk, GPUs.
        </Text>
      </div>
      <QueryErrorBoundary title="Could not load the usage report">
        <UsageReportScreen />
      </QueryErrorBoundary>
    </Stack>
  );
}
