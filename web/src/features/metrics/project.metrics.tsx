'use client';

import { useQuery, useSubscription } from '@apollo/client/react';
import { Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { type MetricSample, MetricsBoard, RangePicker, useMetricsWindow } from './metrics.board';
import { ProjectMetricsLiveSubscription, ProjectMetricsQuery } from './metrics.documents';
import { appendLive, MAX_POINTS, samplesOf } from './metrics.range';

/** A project's machines summed: cores in use, memory, network and disk, over the picked range. */
export function ProjectMetrics({ projectId, name }: { projectId: string; name: string }) {
  const state = useMetricsWindow('24h');
  const { window } = state;
  const { data, loading, error } = useQuery(ProjectMetricsQuery, {
    variables: window ? { projectId, from: window.from, to: window.to, maxPoints: MAX_POINTS } : undefined!,
    skip: !window,
    fetchPolicy: 'network-only',
  });
  const [live, setLive] = useState<MetricSample[]>([]);
  useEffect(() => setLive([]), [window?.from, window?.to]);
  useSubscription(ProjectMetricsLiveSubscription, {
    variables: { projectId },
    skip: !window?.live,
    onData: ({ data: event }) => {
      const sample = event.data?.projectMetricsLive;
      if (sample) setLive((all) => [...all.slice(-MAX_POINTS), sample]);
    },
  });
  const samples = useMemo(() => {
    const fetched = samplesOf(data?.projectMetrics.columns);
    if (!window) return fetched;
    return appendLive<MetricSample>(fetched, live, Date.parse(window.to) - Date.parse(window.from));
  }, [data, live, window]);

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={3} size="h4">
            {name}: project totals
          </Title>
          <Text size="xs" c="dimmed">
            Every machine of the project summed; CPU in cores.
          </Text>
        </div>
        <RangePicker state={state} label={`Metrics range of ${name}`} />
      </Group>
      <MetricsBoard
        samples={samples}
        loading={loading}
        error={error ? describeApiError(error).message : null}
        cpu="cores"
        window={window}
        empty="No samples in this range: the project had no running machines."
      />
    </Stack>
  );
}
