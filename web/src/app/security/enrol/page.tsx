import { Center, Group, Stack, Text, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { ColorSchemeToggle } from '@/components/color-scheme.toggle';
import { SignOutButton } from '@/features/auth/sign-out.button';
import { requireViewer } from '@/features/auth/viewer.server';
import { MfaEnrolmentScreen } from '@/features/mfa/mfa-enrolment.screen';

export const metadata: Metadata = { title: 'Set up two-factor authentication' };

// Outside the signed-in layout: its shell asks for data a session restricted to enrolment may not read.
export default async function MfaEnrolmentPage() {
  const viewer = await requireViewer();
  return (
    <Center p="md" component="main" id="main-content">
      <Stack w="100%" maw={720} gap="lg" py="xl">
        <Group justify="space-between" align="flex-end">
          <Stack gap={4}>
            <Title order={1} size="h2">
              Set up two-factor authentication
            </Title>
            <Text c="dimmed" size="sm">
              Signed in as {viewer.email}
            </Text>
          </Stack>
          <Group gap="xs">
            <ColorSchemeToggle />
            <SignOutButton />
          </Group>
        </Group>
        <MfaEnrolmentScreen />
      </Stack>
    </Center>
  );
}
