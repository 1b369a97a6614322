import { Paper, Skeleton, Stack, VisuallyHidden } from '@mantine/core';

/** Placeholder while a machines query streams in. Announced once to screen readers. */
export function MachineSkeleton({ label, rows = 4 }: { label: string; rows?: number }) {
  return (
    <Stack gap="md" aria-busy="true" aria-live="polite">
      <VisuallyHidden role="status">{label}</VisuallyHidden>
      <Paper withBorder p="lg">
        <Skeleton height={20} width="40%" mb="lg" />
        {Array.from({ length: rows }, (_, key) => (
          <Skeleton key={key} height={14} mb="sm" width={`${90 - key * 10}%`} />
        ))}
      </Paper>
    </Stack>
  );
}
