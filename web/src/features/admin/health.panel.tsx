'use client';

import { Badge, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';

/** What the API's /healthz and /readyz answered, read by the page's server component. */
export interface Health {
  checkedAt: string;
  live: { ok: boolean; body: string };
  ready: { ok: boolean; body: string };
}

function Probe({ name, path, probe, help }: { name: string; path: string; probe: Health['live']; help: string }) {
  return (
    <Paper withBorder p="lg" component="section" aria-label={name}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {name}
        </Title>
        <Badge color={probe.ok ? 'green' : 'red'} variant="light">
          {probe.ok ? 'ok' : 'failing'}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        GET {path}
      </Text>
      <Code block>{probe.body}</Code>
      {!probe.ok && (
        <Text size="sm" c="red" mt="xs">
          {help}
        </Text>
      )}
    </Paper>
  );
}

export function HealthPanel({ health }: { health: Health }) {
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Checked {new Date(health.checkedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC, when this page loaded.
        Reload to check again.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Probe
          name="API process"
          path="/healthz"
          probe={health.live}
          help="The API does not answer: check that its process runs and API_URL points at it."
        />
        <Probe
          name="Database"
          path="/readyz"
          probe={health.ready}
          help="The API cannot reach its database: check DATABASE_URL and that PostgreSQL is up."
        />
      </SimpleGrid>
    </Stack>
  );
}
