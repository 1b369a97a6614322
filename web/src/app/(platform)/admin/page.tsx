import { Alert, Stack, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { AdminSections } from '@/features/admin/admin.sections';
import { readHealth } from '@/features/admin/health.server';
import { requireViewer } from '@/features/auth/viewer.server';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage() {
  const viewer = await requireViewer();
  if (!viewer.isPlatformAdmin) {
    return (
      <Alert color="yellow" title="For platform administrators">
        The admin panel manages clusters, templates and every tenant. Ask a platform administrator if you need a change
        there.
      </Alert>
    );
  }
  const health = await readHealth();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Admin
      </Title>
      <AdminSections health={health} />
    </Stack>
  );
}
