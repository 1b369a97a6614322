import type { Metadata } from 'next';
import { requireViewer } from '@/features/auth/viewer.server';
import { OrganizationDetail } from '@/features/organization/organization.detail';

export const metadata: Metadata = { title: 'Organization' };

export default async function OrganizationPage({ params }: { params: Promise<{ id: string }> }) {
  await requireViewer();
  const { id } = await params;
  return <OrganizationDetail id={id} />;
}
