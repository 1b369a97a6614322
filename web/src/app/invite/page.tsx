import { Center } from '@mantine/core';
import type { Metadata } from 'next';
import { ColorSchemeToggle } from '@/components/color-scheme.toggle';
import { getViewer } from '@/features/auth/viewer.server';
import { InvitationAccept } from '@/features/invitations/invitation.accept';

export const metadata: Metadata = { title: 'Join an organization' };

// Outside the signed-in layout: the person invited may not have an account yet.
export default async function InvitePage() {
  const viewer = await getViewer();
  return (
    <>
      <InvitationAccept signedIn={viewer !== null} />
      <Center mt="md">
        <ColorSchemeToggle />
      </Center>
    </>
  );
}
