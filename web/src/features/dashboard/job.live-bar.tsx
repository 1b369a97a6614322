'use client';

import { useSubscription } from '@apollo/client/react';
import { Group, Progress, Text } from '@mantine/core';
import { useState } from 'react';
import { stepLabel } from '@/features/machines/job.events';
import { JobProgressSubscription } from '@/features/machines/machines.documents';

/** A running job's percent and step, live from jobProgress (history first, then live events). */
export function JobLiveBar({
  jobId,
  initial,
  label,
  onFinished,
}: {
  jobId: string;
  initial: { percent: number; step: string | null };
  label: string;
  onFinished: () => void;
}) {
  const [state, setState] = useState(initial);
  useSubscription(JobProgressSubscription, {
    variables: { jobId },
    onData: ({ data }) => {
      const event = data.data?.jobProgress;
      if (!event) return;
      setState((s) => ({
        percent: event.percent ?? s.percent,
        step: event.step === 'job' ? s.step : event.step,
      }));
      if (event.status === 'finished') onFinished();
    },
  });
  return (
    <div>
      <Group justify="space-between" gap="xs">
        <Text size="xs" c="dimmed">
          {state.step ? stepLabel(state.step) : 'Queued'}
        </Text>
        <Text size="xs" c="dimmed">
          {state.percent}%
        </Text>
      </Group>
      <Progress value={state.percent} size="sm" animated aria-label={`${label}: ${state.percent}%`} />
    </div>
  );
}
