'use client';

import { useQuery, useSubscription } from '@apollo/client/react';
import { Group, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { type MetricSample, MetricsBoard, RangePicker, useMetricsWindow } from './metrics.board';
import { NodeMetricsLiveSubscription, NodeMetricsQuery } from './metrics.documents';
import { appendLive, MAX_POINTS, samplesOf } from './metrics.range';

/** A Proxmox node's charts (platform admins), live for short ranges. */
export function NodeMetrics({ clusterId, node }: { clusterId: string; node: string }) {
  const state = useMetricsWindow('1h');
  const { window } = state;
  const { data, loading, error } = useQuery(NodeMetricsQuery, {
    variables: window ? { clusterId, node, from: window.from, to: window.to, maxPoints: MAX_POINTS } : undefined!,
    skip: !window,
    fetchPolicy: 'network-only',
  });
  const [live, setLive] = useState<MetricSample[]>([]);
  useEffect(() => setLive([]), [window?.from, window?.to]);
  useSubscription(NodeMetricsLiveSubscription, {
    variables: { clusterId, node },
    skip: !window?.live,
    onData: ({ data: event }) => {
      const sample = event.data?.nodeMetricsLive;
      if (sample) setLive((all) => [...all.slice(-MAX_POINTS), sample]);
    },
  });
  const samples = useMemo(() => {
    const fetched = samplesOf(data?.nodeMetrics.columns);
    if (!window) return fetched;
    return appendLive<MetricSample>(fetched, live, Date.parse(window.to) - Date.parse(window.from));
  }, [data, live, window]);

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Text fw={500}>Node {node}</Text>
        <RangePicker state={state} label={`Metrics range of node ${node}`} />
      </Group>
      <MetricsBoard
        samples={samples}
        loading={loading}
        error={error ? describeApiError(error).message : null}
        cpu="fraction"
        window={window}
        empty="No samples of this node in this range yet."
      />
    </Stack>
  );
}
