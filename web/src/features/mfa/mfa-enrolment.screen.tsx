'use client';

import { useQuery } from '@apollo/client/react';
import { Alert, Button, Stack } from '@mantine/core';
import { useRouter } from 'next/navigation';
import { MfaPanel } from '@/features/profile/security.panel';
import { MfaStatusQuery } from '@/features/profile/profile.documents';

/**
 * Enrolment for a member whose organization requires a second factor: until they have one, the API
 * answers nothing else, so this screen stands outside the platform's pages. The panel is the
 * profile's; once it reports the factor on, the platform opens.
 */
export function MfaEnrolmentScreen() {
  const router = useRouter();
  // The same cache entry the panel refetches after confirming, so this follows it.
  const { data } = useQuery(MfaStatusQuery, { fetchPolicy: 'cache-first' });
  const enabled = data?.mfaStatus.totpEnabled ?? false;

  return (
    <Stack gap="lg">
      {!enabled && (
        <Alert
          color="yellow"
          variant="light"
          title="Your organization requires two-factor authentication"
          role="status"
        >
          An administrator of an organization you belong to requires every member to sign in with a second factor. Until
          you set one up, the rest of the platform stays closed to this session. Scan the QR code with an authenticator
          app (or type the secret into it), then enter the code it shows.
        </Alert>
      )}
      <MfaPanel />
      {enabled && (
        <Button
          onClick={() => {
            router.replace('/');
            router.refresh();
          }}
        >
          Continue to the platform
        </Button>
      )}
    </Stack>
  );
}
