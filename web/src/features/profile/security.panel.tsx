'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import { Notice } from '@/components/notice';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import {
  BeginTotpEnrolmentMutation,
  ChangePasswordMutation,
  ConfirmTotpEnrolmentMutation,
  DisableTotpMutation,
  MfaStatusQuery,
  RegenerateRecoveryCodesMutation,
} from './profile.documents';

const CODE = /^\d{6}$/;

// What shows only after an action (the QR code and secret while enrolling, the recovery codes once):
// loaded then, not with the page.
const RecoveryCodesShown = dynamic(() => import('./security.later').then((m) => m.RecoveryCodesShown));
const TotpEnrolmentForm = dynamic(() => import('./security.later').then((m) => m.TotpEnrolmentForm));

/** Second factor (TOTP): enrol with a QR code, confirm, recovery codes, turn off. */
export function MfaPanel() {
  const { data, error, refetch } = useQuery(MfaStatusQuery, { fetchPolicy: 'cache-and-network' });
  const [begin, beginState] = useMutation(BeginTotpEnrolmentMutation);
  const [confirm, confirmState] = useMutation(ConfirmTotpEnrolmentMutation);
  const [regenerate, regenerateState] = useMutation(RegenerateRecoveryCodesMutation);
  const [disable, disableState] = useMutation(DisableTotpMutation);
  const [enrolment, setEnrolment] = useState<{ qrCodeDataUrl: string; secret: string } | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const status = data?.mfaStatus;

  async function run(action: () => Promise<void>) {
    setFailure(null);
    setCodeError(null);
    try {
      await action();
      setCode('');
      setPassword('');
      await refetch();
    } catch (err) {
      const view = describeApiError(err);
      setCodeError(view.fields['code'] ?? null);
      setFailure(view.message);
    }
  }

  function needCode(): boolean {
    if (CODE.test(code.trim())) return true;
    setCodeError('Enter the 6-digit code your authenticator app shows now.');
    return false;
  }

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="mfa-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="mfa-title">
          Two-factor authentication
        </Title>
        {status && (
          <Badge color={status.totpEnabled ? 'green' : 'gray'} variant="light">
            {status.totpEnabled ? 'on' : 'off'}
          </Badge>
        )}
      </Group>
      {error && (
        <Notice color="red" title="Could not read your second-factor status">
          {describeApiError(error).message} Reload the page to try again.
        </Notice>
      )}
      {status?.enrolmentRequired && !status.totpEnabled && (
        <Notice
          color="yellow"
          title="Required by your organization"
          style={{ marginBottom: 'var(--mantine-spacing-sm)' }}
        >
          Set up an authenticator app below to keep using the platform.
        </Notice>
      )}
      {failure && (
        <Notice color="red" title="That did not work" style={{ marginBottom: 'var(--mantine-spacing-sm)' }}>
          {failure}
        </Notice>
      )}
      {codes && <RecoveryCodesShown codes={codes} onDone={() => setCodes(null)} />}

      {status && !status.totpEnabled && !enrolment && (
        <Stack gap="xs" align="flex-start">
          <Text size="sm" c="dimmed">
            Sign-in then also asks for a code from an authenticator app (any TOTP app).
          </Text>
          <Button
            loading={beginState.loading}
            onClick={() =>
              void run(async () => {
                const { data: started } = await begin();
                if (started) setEnrolment(started.beginTotpEnrolment);
              })
            }
          >
            Set up an authenticator app
          </Button>
        </Stack>
      )}

      {enrolment && (
        <TotpEnrolmentForm
          enrolment={enrolment}
          code={code}
          onCode={setCode}
          codeError={codeError}
          confirming={confirmState.loading}
          onSubmit={() => {
            if (!needCode()) return;
            void run(async () => {
              const { data: confirmed } = await confirm({ variables: { code: code.trim() } });
              if (confirmed) setCodes(confirmed.confirmTotpEnrolment.recoveryCodes);
              setEnrolment(null);
            });
          }}
          onCancel={() => setEnrolment(null)}
        />
      )}

      {status?.totpEnabled && (
        <Stack gap="sm">
          <Text size="sm">
            {status.recoveryCodesRemaining} recovery {status.recoveryCodesRemaining === 1 ? 'code' : 'codes'} left.
          </Text>
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label="Code from the app"
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={codeError}
              w={200}
            />
            <PasswordInput
              label="Or your password (to turn off)"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              w={240}
            />
          </Group>
          <Group>
            <Button
              variant="default"
              loading={regenerateState.loading}
              onClick={() => {
                if (!needCode()) return;
                void run(async () => {
                  const { data: fresh } = await regenerate({ variables: { code: code.trim() } });
                  if (fresh) setCodes(fresh.regenerateRecoveryCodes.recoveryCodes);
                });
              }}
            >
              New recovery codes
            </Button>
            <Button
              color="red"
              variant="light"
              loading={disableState.loading}
              onClick={() => {
                if (!password && !needCode()) return;
                void run(async () => {
                  await disable({
                    variables: { input: password ? { password } : { code: code.trim() } },
                  });
                });
              }}
            >
              Turn off
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}

/** Change the password: the current one proves it is you; every other session ends. */
export function PasswordPanel() {
  const [change, { loading }] = useMutation(ChangePasswordMutation);
  const [form, setForm] = useState({ current: '', next: '', repeat: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setDone(false);
    setFailure(null);
    const problems: Record<string, string> = {};
    if (!form.current) problems['currentPassword'] = 'Enter your current password.';
    if (form.next.length < 12) problems['newPassword'] = 'Use at least 12 characters; a few words work well.';
    else if (form.next !== form.repeat) problems['repeat'] = 'The two new passwords differ; type the same one twice.';
    setFields(problems);
    if (Object.keys(problems).length) return;
    try {
      await change({ variables: { input: { currentPassword: form.current, newPassword: form.next } } });
      setForm({ current: '', next: '', repeat: '' });
      setDone(true);
    } catch (err) {
      const view = describeApiError(err);
      setFields(view.fields);
      setFailure(view.message);
    }
  }

  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [key]: value }));
  };

  return (
    <Paper withBorder p="lg" component="form" onSubmit={submit} aria-labelledby="password-title" noValidate>
      <Title order={2} size="h4" id="password-title" mb="xs">
        Password
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Changing it signs out every other browser and app using your account.
      </Text>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <PasswordInput
          label="Current password"
          value={form.current}
          onChange={set('current')}
          error={fields['currentPassword']}
          w={220}
        />
        <PasswordInput
          label="New password"
          value={form.next}
          onChange={set('next')}
          error={fields['newPassword']}
          w={220}
        />
        <PasswordInput
          label="New password again"
          value={form.repeat}
          onChange={set('repeat')}
          error={fields['repeat']}
          w={220}
        />
      </Group>
      {failure && (
        <Notice color="red" title="The password was not changed" style={{ marginTop: 'var(--mantine-spacing-sm)' }}>
          {failure}
        </Notice>
      )}
      {done && (
        <Notice color="green" title="Password changed" role="status" style={{ marginTop: 'var(--mantine-spacing-sm)' }}>
          Other sessions were signed out; this one continues.
        </Notice>
      )}
      <Button type="submit" mt="md" loading={loading}>
        Change password
      </Button>
    </Paper>
  );
}
