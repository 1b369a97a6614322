'use client';

import { useQuery, useSubscription } from '@apollo/client/react';
import { Alert, Anchor, Badge, Button, Group, List, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import {
  currentStepOf,
  failureOf,
  finalStatusOf,
  type JobEventLike,
  logLinesOf,
  percentOf,
  stepDetail,
  stepLabel,
  stepsOf,
  type StepView,
} from './job.events';
import { JobLog } from './job.log';
import { JobProgressSubscription, JobQuery } from './machines.documents';

interface Props {
  jobId: string;
  /** The machine the job works on, for the link at the end. */
  machine?: { id: string; name: string };
  /** Called once when the job reaches a final state. */
  onFinished?: (status: string) => void;
  /** Hide the link to the machine (when already on its page). */
  hideMachineLink?: boolean;
}

/**
 * A job as it runs: the jobProgress subscription delivers its stored events, then live ones until
 * `finished`. Progress bar (percent), the current step, the log lines, and at the end the outcome.
 */
export function JobProgress({ jobId, machine, onFinished, hideMachineLink = false }: Props) {
  const [events, setEvents] = useState<JobEventLike[]>([]);
  const { error, restart } = useSubscription(JobProgressSubscription, {
    variables: { jobId },
    onData: ({ data }) => {
      const event = data.data?.jobProgress;
      if (!event) return;
      // History then live, numbered without gaps: keep order by seq and drop repeats (after a restart).
      setEvents((previous) =>
        previous.some((e) => e.seq === event.seq) ? previous : [...previous, event].sort((a, b) => a.seq - b.seq),
      );
    },
  });

  const finalStatus = finalStatusOf(events);
  // The job row says why it failed in words a user can act on; read it once the job has ended.
  const job = useQuery(JobQuery, { variables: { id: jobId }, skip: finalStatus === null, fetchPolicy: 'network-only' });

  // Once per final state, with the callback of the latest render.
  const onFinishedRef = useRef(onFinished);
  useEffect(() => {
    onFinishedRef.current = onFinished;
  });
  useEffect(() => {
    if (finalStatus) onFinishedRef.current?.(finalStatus);
  }, [finalStatus]);

  const percent = finalStatus === 'SUCCEEDED' ? 100 : percentOf(events);
  const currentStep = currentStepOf(events);
  const steps = stepsOf(events);
  const logLines = logLinesOf(events);
  const failed = finalStatus !== null && finalStatus !== 'SUCCEEDED';
  const target = machine ?? job.data?.job.machine ?? undefined;
  const errorMessage = job.data?.job.error ?? failureOf(events);

  return (
    <Stack gap="md" aria-label="Job progress" role="region">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={500} aria-live="polite">
            {finalStatus === 'SUCCEEDED'
              ? 'Done'
              : failed
                ? finalStatus === 'CANCELLED'
                  ? 'Cancelled'
                  : 'Failed'
                : currentStep
                  ? `${stepLabel(currentStep)}…`
                  : events.length > 0
                    ? 'Waiting for a worker…'
                    : 'Connecting…'}
          </Text>
          <Text fw={700} data-testid="job-percent">
            {percent}%
          </Text>
        </Group>
        <Progress
          value={percent}
          size="lg"
          color={failed ? 'red' : finalStatus === 'SUCCEEDED' ? 'green' : undefined}
          animated={finalStatus === null}
          striped={finalStatus === null}
          aria-label="Job progress"
          transitionDuration={200}
        />
      </Stack>

      {steps.length > 0 && (
        <List size="sm" spacing={4} listStyleType="none" aria-label="Steps">
          {steps.map((step) => (
            <List.Item key={step.name}>
              <StepLine step={step} />
            </List.Item>
          ))}
        </List>
      )}

      <div>
        <Title order={3} size="h6" mb={6}>
          Task log
        </Title>
        <JobLog lines={logLines} label="Task log" />
      </div>

      {error && finalStatus === null && (
        <Alert color="yellow" variant="light" title="Live progress was interrupted" role="alert">
          <Text size="sm">{describeApiError(error).message} The job keeps running on the platform.</Text>
          <Button size="xs" variant="light" mt="sm" onClick={() => restart()}>
            Reconnect
          </Button>
        </Alert>
      )}

      {failed && (
        <Alert
          color="red"
          variant="light"
          title={finalStatus === 'CANCELLED' ? 'The job was cancelled' : 'The job failed'}
          role="alert"
        >
          <Stack gap={6}>
            {errorMessage && <Text size="sm">{errorMessage}</Text>}
            <Text size="sm">
              What was created has been rolled back, so nothing is left half-built. Check the log above; if the reason
              is something you can change (a name, a size, the quota), create the machine again with it changed. If it
              names the cluster or a template, tell an operator.
            </Text>
            {target && !hideMachineLink && (
              <Anchor component={Link} href={`/machines/${target.id}`} size="sm">
                See {target.name} and its job history
              </Anchor>
            )}
          </Stack>
        </Alert>
      )}

      {finalStatus === 'SUCCEEDED' && target && !hideMachineLink && (
        <Paper withBorder p="md">
          <Group justify="space-between">
            <Text size="sm">
              <Text span fw={500}>
                {target.name}
              </Text>{' '}
              is ready.
            </Text>
            <Button component={Link} href={`/machines/${target.id}`}>
              Open {target.name}
            </Button>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}

const STEP_BADGE: Record<string, { color: string; label: string }> = {
  running: { color: 'blue', label: 'running' },
  succeeded: { color: 'green', label: 'done' },
  skipped: { color: 'gray', label: 'skipped' },
  failed: { color: 'red', label: 'failed' },
  rolledBack: { color: 'orange', label: 'rolled back' },
};

/** A step's state, name and detail on one line (the live progress and the job history). */
export function StepLine({ step }: { step: StepView }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <StepBadge state={step.state} />
      <Text size="sm" fw={500}>
        {stepLabel(step.name)}
      </Text>
      <Text size="sm" c="dimmed" truncate="end">
        {stepDetail(step)}
      </Text>
    </Group>
  );
}

function StepBadge({ state }: { state: string }) {
  const badge = STEP_BADGE[state] ?? { color: 'gray', label: state };
  return (
    <Badge size="sm" variant="light" color={badge.color} w={92}>
      {badge.label}
    </Badge>
  );
}
