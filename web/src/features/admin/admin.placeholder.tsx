import { Paper, Text } from '@mantine/core';

/** A section whose API has not landed yet: says so, instead of a blank tab. */
export function CatalogPlaceholder({ what }: { what: string }) {
  return (
    <Paper withBorder p="lg">
      <Text fw={500}>{what} is not available yet.</Text>
      <Text size="sm" c="dimmed">
        The platform API does not report it yet; this tab fills in when it does.
      </Text>
    </Paper>
  );
}
