import { Anchor, Center, Stack, Text, Title } from '@mantine/core';

export default function NotFound() {
  return (
    <Center mih="100dvh" p="md" component="main">
      <Stack align="center" gap="xs">
        <Title order={1} size="h2">
          Page not found
        </Title>
        <Text c="dimmed">There is nothing at this address.</Text>
        {/* A plain link: a server component cannot hand next/link to Mantine as `component`. */}
        <Anchor href="/">Go to the dashboard</Anchor>
      </Stack>
    </Center>
  );
}
