import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/features/auth/sign-in.form';
import { getViewer } from '@/features/auth/viewer.server';
import { ColorSchemeToggle } from '@/components/color-scheme.toggle';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage() {
  // Already signed in: nothing to do here. If the API cannot be asked, show the form anyway; signing
  // in will report the problem.
  const viewer = await getViewer().catch(() => null);
  if (viewer) redirect('/');

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
          <SignInForm />
        </Paper>
        <Center>
          <ColorSchemeToggle />
        </Center>
      </Stack>
    </Center>
  );
}
