'use client';

import { Alert, Modal, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { QuotaFieldsFragment, QuotaInput } from '@/gql/graphql';
import { DialogActions } from '@/components/dialog-actions';
import { useApiAction } from '@/lib/apollo/use-api-action';

const FIELDS = [
  { key: 'machines', label: 'Machines' },
  { key: 'cores', label: 'Cores' },
  { key: 'memoryMiB', label: 'Memory (MiB)' },
  { key: 'diskGiB', label: 'Disk (GiB)' },
  { key: 'gpus', label: 'GPUs' },
] as const;

interface Props {
  title: string;
  quota: QuotaFieldsFragment;
  opened: boolean;
  onClose: () => void;
  /** Sends the new quota; throws what the API answered. */
  onSave: (quota: QuotaInput) => Promise<unknown>;
}

/** Edit a quota: every limit a whole number, empty for no limit. Platform admins only (the API checks). */
export function QuotaForm({ title, quota, opened, onClose, onSave }: Props) {
  const [values, setValues] = useState<Record<string, number | null>>(() =>
    Object.fromEntries(FIELDS.map(({ key }) => [key, quota[key]])),
  );
  const { run, fields, failure, busy: saving } = useApiAction();

  async function save(event: React.FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    for (const { key, label } of FIELDS) {
      const v = values[key];
      if (v !== null && v !== undefined && (!Number.isInteger(v) || v < 0))
        problems[key] = `${label}: a whole number of 0 or more, or empty for no limit.`;
    }
    const quota = Object.fromEntries(FIELDS.map(({ key }) => [key, values[key] ?? null])) as QuotaInput;
    if (await run(() => onSave(quota), problems)) onClose();
  }

  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={save} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            Leave a limit empty for none. Lowering a limit below what is in use refuses new machines; existing ones keep
            running.
          </Text>
          <SimpleGrid cols={2}>
            {FIELDS.map(({ key, label }) => (
              <NumberInput
                key={key}
                label={label}
                min={0}
                allowDecimal={false}
                clampBehavior="none"
                value={values[key] ?? ''}
                onChange={(v) => setValues((s) => ({ ...s, [key]: typeof v === 'number' ? v : null }))}
                error={fields[key]}
              />
            ))}
          </SimpleGrid>
          {failure && (
            <Alert color="red" title="The quota was not saved" role="alert">
              {failure}
            </Alert>
          )}
          <DialogActions action="Save quota" loading={saving} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
