import type { ReactNode } from 'react';
import { PlatformShell } from '@/components/platform.shell';
import { requireViewer } from '@/features/auth/viewer.server';
import { redirectIfEnrolmentRequired } from '@/features/mfa/mfa-enrolment.server';

// Everything in this group needs a signed-in user; signed-out visits go to /sign-in.
export default async function PlatformLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer();
  await redirectIfEnrolmentRequired();
  return <PlatformShell viewer={viewer}>{children}</PlatformShell>;
}
