import { Card, SimpleGrid, Skeleton, Stack, VisuallyHidden } from '@mantine/core';

/** Placeholder while the organizations stream in. Announced once to screen readers. */
export function OrganizationSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" aria-live="polite">
      <VisuallyHidden role="status">Loading organizations…</VisuallyHidden>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" maw={560}>
        <Skeleton height={76} />
        <Skeleton height={76} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md">
        {[0, 1, 2].map((key) => (
          <Card key={key} withBorder padding="lg">
            <Skeleton height={20} width="60%" mb="sm" />
            <Skeleton height={12} width="40%" mb="lg" />
            <Skeleton height={12} mb="xs" />
            <Skeleton height={12} width="80%" />
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
