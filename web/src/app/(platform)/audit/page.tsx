import { Stack, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { AuditViewer } from '@/features/audit/audit.viewer';
import { requireViewer } from '@/features/auth/viewer.server';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage() {
  await requireViewer();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Audit log
      </Title>
      <AuditViewer />
    </Stack>
  );
}
