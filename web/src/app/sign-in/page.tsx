import { Alert, Button, Center, Divider, Paper, Stack, Text, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/features/auth/sign-in.form';
import { getViewer } from '@/features/auth/viewer.server';
import { ColorSchemeToggle } from '@/components/color-scheme.toggle';
import { getClient } from '@/lib/apollo/apollo.rsc';
import { signInErrorMessage } from './oidc-errors';
import { AuthProvidersQuery } from './sign-in.documents';
import { SignInPanel } from './sign-in.panel';

export const metadata: Metadata = { title: 'Sign in' };

async function authProviders() {
  const { data } = await (await getClient()).query({ query: AuthProvidersQuery });
  return data?.authProviders ?? [];
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  // Already signed in: nothing to do here. If the API cannot be asked, show the form anyway; signing
  // in will report the problem.
  const viewer = await getViewer().catch(() => null);
  if (viewer) redirect('/');
  const providers = await authProviders().catch(() => []);
  const problem = signInErrorMessage((await searchParams).error);

  return (
    <Center mih="100dvh" p="md" component="main">
      <Stack w="100%" maw={400} gap="lg">
        <Stack gap={4} align="center">
          <Title order={1} size="h2">
            PVE PaaS
          </Title>
          <Text c="dimmed" size="sm">
            Sign in to manage your machines and projects.
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="xl">
          <SignInPanel>
            <Stack gap="md">
              {problem && (
                <Alert color="red" variant="light" title="Could not sign in" role="alert">
                  {problem}
                </Alert>
              )}
              <SignInForm />
              {providers.length > 0 && (
                <>
                  <Divider label="or" labelPosition="center" />
                  {providers.map((provider) => (
                    // A full navigation: the API sends the browser on to the provider.
                    <Button key={provider.id} component="a" href={provider.startPath} variant="default" fullWidth>
                      Sign in with {provider.displayName}
                    </Button>
                  ))}
                </>
              )}
            </Stack>
          </SignInPanel>
        </Paper>
        <Center>
          <ColorSchemeToggle />
        </Center>
      </Stack>
    </Center>
  );
}
