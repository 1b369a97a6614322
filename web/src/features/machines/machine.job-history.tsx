'use client';

import { Accordion, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { MachineJobsQuery as MachineJobs } from '@/gql/graphql';
import { failureOf, logLinesOf, stepLabel, stepsOf } from './job.events';
import { JobLog } from './job.log';
import { StepLine } from './job.progress';
import { formatDateTime, JOB_STATUS_COLOR, titleCase } from './machine.format';

type HistoryJob = MachineJobs['jobs']['edges'][number]['node'];

/** Every job the machine had, each with its steps and the log lines of each step. */
export function JobHistory({ jobs, activeJob }: { jobs: HistoryJob[]; activeJob: HistoryJob | undefined }) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="machine-jobs">
      <Title order={2} size="h4" id="machine-jobs" mb="md">
        Job history
      </Title>
      {jobs.length === 0 ? (
        <Text size="sm" c="dimmed">
          No jobs yet.
        </Text>
      ) : (
        <Accordion variant="separated" multiple defaultValue={jobs[0] && !activeJob ? [jobs[0].id] : []}>
          {jobs.map((job) => {
            const steps = stepsOf(job.events);
            const logLines = logLinesOf(job.events);
            const failure = job.error ?? failureOf(job.events);
            return (
              <Accordion.Item key={job.id} value={job.id}>
                <Accordion.Control>
                  <Group gap="sm" wrap="nowrap">
                    <Badge color={JOB_STATUS_COLOR[job.status]} variant="light">
                      {titleCase(job.status)}
                    </Badge>
                    <Text fw={500}>{job.kind}</Text>
                    <Text size="sm" c="dimmed">
                      {formatDateTime(job.createdAt)} · {job.percent}%
                    </Text>
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <Stack gap="sm">
                    {failure && job.status === 'FAILED' && (
                      <Text size="sm" c="red">
                        {failure}
                      </Text>
                    )}
                    {steps.length > 0 ? (
                      <Stack gap={4} aria-label={`Steps of the ${job.kind} job`}>
                        {steps.map((step) => {
                          const lines = logLines.filter((line) => line.step === step.name);
                          return (
                            <Stack key={step.name} gap={4}>
                              <StepLine step={step} />
                              {lines.length > 0 && (
                                <JobLog
                                  lines={lines}
                                  label={`Log of the ${stepLabel(step.name)} step of the ${job.kind} job`}
                                />
                              )}
                            </Stack>
                          );
                        })}
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        No step has started.
                      </Text>
                    )}
                    {/* Lines of no started step (the job's own, e.g. queueing) below the steps. */}
                    {(() => {
                      const named = new Set(steps.map((step) => step.name));
                      const rest = logLinesOf(job.events).filter((line) => !named.has(line.step));
                      return rest.length > 0 ? (
                        <JobLog lines={rest} label={`Other log lines of the ${job.kind} job`} />
                      ) : null;
                    })()}
                    <Text size="xs" c="dimmed">
                      Started {formatDateTime(job.startedAt)} · finished {formatDateTime(job.finishedAt)}
                    </Text>
                  </Stack>
                </Accordion.Panel>
              </Accordion.Item>
            );
          })}
        </Accordion>
      )}
    </Paper>
  );
}
