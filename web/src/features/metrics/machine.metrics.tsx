'use client';

import { useQuery, useSubscription } from '@apollo/client/react';
import { Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { type MetricSample, MetricsBoard, RangePicker, useMetricsWindow } from './metrics.board';
import { MachineMetricsLiveSubscription, MachineMetricsQuery } from './metrics.documents';
import { appendLive, MAX_POINTS, samplesOf } from './metrics.range';

/** A machine's charts over the picked range; 1 h and 24 h grow live with each collection. */
export function MachineMetrics({ machineId }: { machineId: string }) {
  const state = useMetricsWindow('1h');
  const { window } = state;
  const { data, loading, error } = useQuery(MachineMetricsQuery, {
    variables: window ? { machineId, from: window.from, to: window.to, maxPoints: MAX_POINTS } : undefined!,
    skip: !window,
    fetchPolicy: 'network-only',
  });
  const [live, setLive] = useState<MetricSample[]>([]);
  // Samples of an earlier window do not belong to the new one.
  useEffect(() => setLive([]), [window?.from, window?.to]);
  useSubscription(MachineMetricsLiveSubscription, {
    variables: { machineIds: [machineId] },
    skip: !window?.live,
    onData: ({ data: event }) => {
      const sample = event.data?.machineMetricsLive;
      if (sample) setLive((all) => [...all.slice(-MAX_POINTS), sample]);
    },
  });
  const samples = useMemo(() => {
    const fetched = samplesOf(data?.machineMetrics.columns);
    if (!window) return fetched;
    return appendLive<MetricSample>(fetched, live, Date.parse(window.to) - Date.parse(window.from));
  }, [data, live, window]);

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2} size="h4">
            Metrics
          </Title>
          <Text size="xs" c="dimmed">
            {window?.live ? 'Live: each collection is added as it arrives.' : 'Averages over each interval.'}
            {data ? ` Source: ${data.machineMetrics.source}, ${data.machineMetrics.stepSeconds} s per point.` : ''}
          </Text>
        </div>
        <RangePicker state={state} label="Metrics range" />
      </Group>
      <MetricsBoard
        samples={samples}
        loading={loading}
        error={error ? describeApiError(error).message : null}
        cpu="fraction"
        window={window}
        empty="No samples in this range yet. The collector records the machine's metrics every few seconds while it runs."
      />
    </Stack>
  );
}
