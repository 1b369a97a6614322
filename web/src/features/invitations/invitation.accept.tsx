'use client';

import { useMutation } from '@apollo/client/react';
import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { tokenFromHash } from './invitation.state';
import { AcceptInvitationMutation } from './invitations.documents';

/** The invitation link's page: accept as the signed-in user, or create the account it invites. */
export function InvitationAccept({ signedIn }: { signedIn: boolean }) {
  const [token, setToken] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [accept, { data, loading }] = useMutation(AcceptInvitationMutation);

  // The token is in the fragment, which only the browser sees.
  useEffect(() => {
    setToken(tokenFromHash(window.location.hash));
    setReady(true);
  }, []);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!token) return;
    const problems: Record<string, string> = {};
    if (!signedIn && !name.trim()) problems['name'] = 'Enter your name as others should see it.';
    if (!signedIn && password.length < 12) problems['password'] = 'Use at least 12 characters; a few words work well.';
    setFields(problems);
    if (Object.keys(problems).length) return;
    setFailure(null);
    try {
      await accept({ variables: { input: signedIn ? { token } : { token, name: name.trim(), password } } });
    } catch (err) {
      const view = describeApiError(err);
      setFields(view.fields);
      // A used, revoked or expired token is a field error of `token`, which has no input here:
      // "This invitation link was already used or revoked; ask for a new invitation."
      const token = view.fields['token'];
      const dead = token ? `This invitation link ${token.charAt(0).toLowerCase()}${token.slice(1)}` : null;
      setFailure([view.message, dead].filter(Boolean).join(' ') || null);
    }
  }

  const accepted = data?.acceptInvitation;
  return (
    <Paper withBorder p="xl" maw={480} mx="auto" mt="xl" component="main" id="main-content">
      <Title order={1} size="h3" mb="md">
        Join an organization
      </Title>
      {ready && !token && (
        <Alert color="red" title="This link has no invitation in it">
          Open the whole link from the invitation you received, or ask for a new one.
        </Alert>
      )}
      {accepted ? (
        <Stack>
          <Alert
            color="green"
            title={`You joined ${accepted.organization.name} as ${accepted.role.toLowerCase()}`}
            role="status"
          >
            {accepted.accountCreated
              ? `Your account ${accepted.user.email} is ready: sign in with it.`
              : 'It is in your organizations now.'}
          </Alert>
          <Anchor component={Link} href={accepted.accountCreated ? '/sign-in' : '/'}>
            {accepted.accountCreated ? 'Sign in' : 'Go to the dashboard'}
          </Anchor>
        </Stack>
      ) : (
        token && (
          <form onSubmit={submit} noValidate>
            <Stack>
              {signedIn ? (
                <Text size="sm">Accept the invitation with the account you are signed in with.</Text>
              ) : (
                <>
                  <Text size="sm">Create your account: the email is the one the invitation was sent to.</Text>
                  <TextInput
                    label="Your name"
                    value={name}
                    onChange={(e) => setName(e.currentTarget.value)}
                    error={fields['name']}
                  />
                  <PasswordInput
                    label="Password"
                    description="At least 12 characters"
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    error={fields['password']}
                  />
                </>
              )}
              {failure && (
                <Alert color="red" title="The invitation could not be accepted" role="alert">
                  {failure}
                </Alert>
              )}
              <Button type="submit" loading={loading}>
                Accept invitation
              </Button>
            </Stack>
          </form>
        )
      )}
    </Paper>
  );
}
