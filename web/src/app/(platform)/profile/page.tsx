import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { Metadata } from 'next';
import { requireViewer } from '@/features/auth/viewer.server';
import { ApiTokensPanel } from '@/features/profile/api-tokens.panel';
import { MfaPanel, PasswordPanel } from '@/features/profile/security.panel';

export const metadata: Metadata = { title: 'Profile' };

export default async function ProfilePage() {
  const viewer = await requireViewer();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Profile
      </Title>
      <Paper withBorder p="lg" component="section" aria-labelledby="profile-user">
        <Group justify="space-between" mb="md">
          <Title order={2} size="h4" id="profile-user">
            {viewer.displayName}
          </Title>
          {viewer.isPlatformAdmin && <Badge variant="light">Platform administrator</Badge>}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} component="dl" m={0}>
          <div>
            <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
              Email
            </Text>
            <Text component="dd" size="sm" m={0}>
              {viewer.email}
            </Text>
          </div>
          <div>
            <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
              User id
            </Text>
            <Text component="dd" size="sm" m={0} ff="monospace">
              {viewer.id}
            </Text>
          </div>
        </SimpleGrid>
      </Paper>
      <MfaPanel />
      <PasswordPanel />
      <ApiTokensPanel />
    </Stack>
  );
}
