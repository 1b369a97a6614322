'use client';

import { useMutation } from '@apollo/client/react';
import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useState } from 'react';
import { CompleteSignInMutation } from './mfa.documents';
import { classifySecondFactorError, formatWait } from './second-factor.errors';

export interface SecondFactorStepProps {
  /** mfaChallenge.challengeToken from signIn, or from an OIDC callback's handover. */
  challengeToken: string;
  /** A path of this site to land on once signed in. */
  returnTo: string;
  /** Back to the password (or provider) step, with why when the challenge died. */
  onRestart: (reason: string | null) => void;
}

/**
 * The second step of a sign-in for an account with a second factor: a code from the authenticator
 * app, or one of the recovery codes. A wrong code may be retried; too many attempts wait as long as
 * the API says; a dead challenge goes back to the first step.
 */
export function SecondFactorStep({ challengeToken, returnTo, onRestart }: SecondFactorStepProps) {
  const router = useRouter();
  const [complete, { loading, client }] = useMutation(CompleteSignInMutation);
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [secondsLeft, setSecondsLeft] = useState(0);
  const [redirecting, setRedirecting] = useState(false);

  // The countdown of a rate limit, so the button says when it works again.
  useEffect(() => {
    if (waitUntil === null) return;
    const tick = () => {
      const left = Math.max(0, Math.ceil((waitUntil - Date.now()) / 1000));
      setSecondsLeft(left);
      if (left === 0) setWaitUntil(null);
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const entered = value.trim();
    if (!entered) {
      setError(
        useRecovery ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code from your authenticator app.',
      );
      return;
    }
    if (!useRecovery && !/^\d{6}$/.test(entered.replace(/\s/g, ''))) {
      setError('The code from your authenticator app has 6 digits.');
      return;
    }
    setError(null);
    try {
      await complete({
        variables: {
          input: {
            challengeToken,
            ...(useRecovery ? { recoveryCode: entered } : { code: entered.replace(/\s/g, '') }),
          },
        },
      });
    } catch (err) {
      const refusal = classifySecondFactorError(err, useRecovery);
      if (refusal.kind === 'restart') {
        onRestart(refusal.message);
        return;
      }
      if (refusal.kind === 'wait') setWaitUntil(Date.now() + refusal.retryAfterSeconds * 1000);
      setError(refusal.message);
      setValue('');
      return;
    }
    setRedirecting(true);
    await client.clearStore();
    router.replace(returnTo);
    router.refresh();
  }

  const waiting = waitUntil !== null;
  return (
    <form onSubmit={submit} noValidate aria-label="Second factor">
      <Stack gap="md">
        <Text size="sm">
          {useRecovery
            ? 'Enter one of the recovery codes you saved when you set up two-factor authentication. Each works once.'
            : 'Your account has two-factor authentication. Enter the code your authenticator app shows now.'}
        </Text>
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
        <Button type="submit" loading={loading || redirecting} disabled={waiting} fullWidth>
          {waiting ? `Try again in ${formatWait(secondsLeft)}` : 'Verify'}
        </Button>
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => {
            setUseRecovery(!useRecovery);
            setValue('');
            setError(null);
          }}
        >
          {useRecovery ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
        </Anchor>
        <Anchor component="button" type="button" size="sm" c="dimmed" onClick={() => onRestart(null)}>
          Start over
        </Anchor>
      </Stack>
    </form>
  );
}
