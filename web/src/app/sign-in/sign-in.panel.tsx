'use client';

import { useMutation } from '@apollo/client/react';
import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useRouter } from 'next/navigation';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { type MfaHandover, readMfaHandover } from './mfa-handover';
import { CompleteSignInMutation } from './sign-in.documents';

/**
 * The sign-in choices (`children`), or, when an identity provider signed in an account that has a
 * second factor, the step that asks for its code and completes the sign-in.
 */
export function SignInPanel({ children }: { children: ReactNode }) {
  const [handover, setHandover] = useState<MfaHandover | null>(null);

  useEffect(() => {
    const found = readMfaHandover(window.location.hash);
    if (!found) return;
    // Out of the address bar and the history: the challenge is half a sign-in.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    setHandover(found);
  }, []);

  return handover ? <SecondFactorStep handover={handover} onCancel={() => setHandover(null)} /> : children;
}

function SecondFactorStep({ handover, onCancel }: { handover: MfaHandover; onCancel: () => void }) {
  const router = useRouter();
  const [complete, { loading, client }] = useMutation(CompleteSignInMutation);
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [redirecting, setRedirecting] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const entered = value.trim();
    if (!entered) {
      setError(useRecovery ? 'Enter one of your recovery codes.' : 'Enter the code from your authenticator app.');
      return;
    }
    setError(null);
    try {
      await complete({
        variables: {
          input: {
            challengeToken: handover.challengeToken,
            ...(useRecovery ? { recoveryCode: entered } : { code: entered }),
          },
        },
      });
    } catch (err) {
      const { message, fields } = describeApiError(err);
      setError([message, ...Object.values(fields)].filter(Boolean).join(' ') || 'The code was not accepted.');
      return;
    }
    setRedirecting(true);
    await client.clearStore();
    router.replace(handover.returnTo);
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Second factor">
      <Stack gap="md">
        <Text size="sm">Your account has a second factor. Finish signing in with it.</Text>
        {error && (
          <Alert color="red" variant="light" title="Could not sign in" role="alert">
            {error}
          </Alert>
        )}
        <TextInput
          label={useRecovery ? 'Recovery code' : 'Authenticator code'}
          name="code"
          autoComplete="one-time-code"
          inputMode={useRecovery ? 'text' : 'numeric'}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
        />
        <Button type="submit" loading={loading || redirecting} fullWidth>
          Verify
        </Button>
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => {
            setUseRecovery(!useRecovery);
            setValue('');
          }}
        >
          {useRecovery ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
        </Anchor>
        <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onCancel}>
          Start over
        </Anchor>
      </Stack>
    </form>
  );
}
