'use client';

import { useMutation } from '@apollo/client/react';
import { Alert, Button, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { JobProgress } from '@/features/machines/job.progress';
import { formatSize } from '@/features/machines/machine.format';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { resizeProblems, type ResizeValues } from './snapshot.validation';
import { ResizeMachineMutation } from './snapshots.documents';

interface Props {
  machine: { id: string } & ResizeValues;
  /** The viewer holds Machine.Config in the machine's project. */
  canConfigure: boolean;
  busy: boolean;
  onJob: () => void;
}

/** Resize: cores, memory and a disk that only grows. Checked here first, then by the API (quotas too). */
export function MachineSettings({ machine, canConfigure, busy, onJob }: Props) {
  const current: ResizeValues = { cores: machine.cores, memoryMiB: machine.memoryMiB, diskGiB: machine.diskGiB };
  const [values, setValues] = useState<ResizeValues>(current);
  const [errors, setErrors] = useState<Partial<Record<keyof ResizeValues, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [resize, { loading }] = useMutation(ResizeMachineMutation);
  const unchanged =
    values.cores === current.cores && values.memoryMiB === current.memoryMiB && values.diskGiB === current.diskGiB;

  function set(field: keyof ResizeValues, value: string | number) {
    setValues((v) => ({ ...v, [field]: typeof value === 'number' ? value : Number.NaN }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setFailure(null);
    const problems = resizeProblems(current, values);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    try {
      const { data } = await resize({
        variables: {
          input: {
            id: machine.id,
            cores: values.cores !== current.cores ? values.cores : null,
            memoryMiB: values.memoryMiB !== current.memoryMiB ? values.memoryMiB : null,
            diskGiB: values.diskGiB !== current.diskGiB ? values.diskGiB : null,
          },
        },
      });
      if (data) setJobId(data.resizeMachine.id);
      onJob();
    } catch (error) {
      const view = describeApiError(error);
      setErrors(view.fields as typeof errors);
      setFailure(view.message);
    }
  }

  if (!canConfigure) {
    return (
      <Paper withBorder p="lg">
        <Text size="sm">Size: {formatSize(current)}</Text>
        <Text size="sm" c="dimmed">
          Resizing needs the operator role (Machine.Config) in this project; ask a project admin.
        </Text>
      </Paper>
    );
  }

  return (
    <Stack gap="md">
      <Paper withBorder p="lg" component="form" onSubmit={submit} aria-labelledby="resize-title" noValidate>
        <Title order={2} size="h4" id="resize-title" mb="xs">
          Resize
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Now {formatSize(current)}. More cores and memory count against the project’s quota at once; a running machine
          may need a restart to see them. Disks only grow.
        </Text>
        <Group align="flex-start" gap="md" wrap="wrap">
          <NumberInput
            label="Cores"
            min={1}
            max={128}
            value={values.cores}
            onChange={(v) => set('cores', v)}
            error={errors.cores}
            w={160}
            allowDecimal={false}
            clampBehavior="none"
          />
          <NumberInput
            label="Memory (MiB)"
            min={64}
            step={512}
            value={values.memoryMiB}
            onChange={(v) => set('memoryMiB', v)}
            error={errors.memoryMiB}
            w={200}
            allowDecimal={false}
            clampBehavior="none"
          />
          <NumberInput
            label="Disk (GiB)"
            min={current.diskGiB}
            value={values.diskGiB}
            onChange={(v) => set('diskGiB', v)}
            error={errors.diskGiB}
            w={200}
            allowDecimal={false}
            clampBehavior="none"
          />
        </Group>
        <Group mt="md">
          <Button type="submit" loading={loading} disabled={unchanged || busy || jobId !== null}>
            Resize
          </Button>
          {busy && !jobId && (
            <Text size="sm" c="dimmed">
              Another job runs on this machine; wait for it to finish.
            </Text>
          )}
        </Group>
      </Paper>
      {failure && (
        <Alert color="red" title="The resize was refused" role="alert">
          {failure}
        </Alert>
      )}
      {jobId && (
        <Paper withBorder p="lg" aria-label="Resize progress">
          <JobProgress
            key={jobId}
            jobId={jobId}
            hideMachineLink
            onFinished={() => {
              setJobId(null);
              onJob();
            }}
          />
        </Paper>
      )}
    </Stack>
  );
}
