import { Group, Progress, Stack, Text } from '@mantine/core';
import type { QuotaFieldsFragment, UsageFieldsFragment } from '@/gql/graphql';
import { formatMemory } from '@/features/machines/machine.format';
import { quotaShare } from './quota.share';

const ROWS = [
  { key: 'machines', label: 'Machines', format: (n: number) => String(n) },
  { key: 'cores', label: 'Cores', format: (n: number) => String(n) },
  { key: 'memoryMiB', label: 'Memory', format: formatMemory },
  { key: 'diskGiB', label: 'Disk', format: (n: number) => `${n} GiB` },
] as const;

/** Usage against quota, one bar per resource; a missing limit reads "no limit". */
export function QuotaUsage({
  quota,
  usage,
  label,
}: {
  quota: QuotaFieldsFragment;
  usage: UsageFieldsFragment;
  label: string;
}) {
  return (
    <Stack gap={6} aria-label={label} role="group">
      {ROWS.map(({ key, label: name, format }) => {
        const used = usage[key];
        const limit = quota[key];
        const { percent, color } = quotaShare(used, limit);
        const text = limit === null ? `${format(used)} used · no limit` : `${format(used)} of ${format(limit)}`;
        return (
          <div key={key}>
            <Group justify="space-between" gap="xs">
              <Text size="xs" fw={500}>
                {name}
              </Text>
              <Text size="xs" c="dimmed">
                {text}
              </Text>
            </Group>
            <Progress value={limit === null ? 0 : percent} color={color} size="sm" aria-label={`${name}: ${text}`} />
          </div>
        );
      })}
    </Stack>
  );
}
