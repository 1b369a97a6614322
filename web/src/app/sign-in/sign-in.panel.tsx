'use client';

import { Alert, Stack } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { SecondFactorStep } from '@/features/mfa/second-factor.step';
import { type MfaHandover, readMfaHandover } from './mfa-handover';

/**
 * The sign-in choices (`children`), or, when an identity provider signed in an account that has a
 * second factor, the step that asks for its code and completes the sign-in.
 */
export function SignInPanel({ children }: { children: ReactNode }) {
  const [handover, setHandover] = useState<MfaHandover | null>(null);
  const [restartReason, setRestartReason] = useState<string | null>(null);

  useEffect(() => {
    const found = readMfaHandover(window.location.hash);
    if (!found) return;
    // Out of the address bar and the history: the challenge is half a sign-in.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    setHandover(found);
  }, []);

  if (handover) {
    return (
      <SecondFactorStep
        challengeToken={handover.challengeToken}
        returnTo={handover.returnTo}
        onRestart={(reason) => {
          setRestartReason(reason);
          setHandover(null);
        }}
      />
    );
  }
  return restartReason ? (
    <Stack gap="md">
      <Alert color="yellow" variant="light" title="Sign in again" role="alert">
        {restartReason}
      </Alert>
      {children}
    </Stack>
  ) : (
    children
  );
}
