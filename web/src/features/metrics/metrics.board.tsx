'use client';

import { Alert, Group, Paper, SegmentedControl, SimpleGrid, Skeleton, Text, TextInput, Title } from '@mantine/core';
import { useComputedColorScheme } from '@mantine/core';
import { useMemo, useState } from 'react';
import { LazyMetricChart } from './metric-chart.lazy';
import type { ChartSeries } from './metric.chart';
import { type MetricUnit, RANGES, type RangeKey, toLocalInput, type TimeWindow, windowOf } from './metrics.range';

/** What every chart reads from a fetched point or a live sample. */
export interface MetricSample {
  at: string;
  cpu: number;
  memoryBytes: number;
  memoryTotalBytes?: number;
  netIn: number;
  netOut: number;
  diskRead: number;
  diskWrite: number;
}

/** The range picker's state and the window it stands for (recomputed when the range is picked again). */
export function useMetricsWindow(initial: RangeKey = '1h') {
  const [range, setRange] = useState<RangeKey>(initial);
  const [now, setNow] = useState(() => Date.now());
  const [custom, setCustom] = useState(() => ({
    from: toLocalInput(Date.now() - 6 * 3_600_000),
    to: toLocalInput(Date.now()),
  }));
  const picked = useMemo(() => windowOf(range, now, custom), [range, now, custom]);
  return {
    range,
    pick: (key: RangeKey) => {
      setRange(key);
      setNow(Date.now());
    },
    custom,
    setCustom,
    window: picked.window,
    problem: picked.problem,
  };
}

export type MetricsWindow = ReturnType<typeof useMetricsWindow>;

export function RangePicker({ state, label }: { state: MetricsWindow; label: string }) {
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <SegmentedControl
        aria-label={label}
        value={state.range}
        onChange={(v) => state.pick(v as RangeKey)}
        data={RANGES.map((r) => ({ value: r.value, label: r.label }))}
      />
      {state.range === 'custom' && (
        <>
          <TextInput
            type="datetime-local"
            label="From"
            size="xs"
            value={state.custom.from}
            onChange={(e) => state.setCustom({ ...state.custom, from: e.currentTarget.value })}
          />
          <TextInput
            type="datetime-local"
            label="To"
            size="xs"
            value={state.custom.to}
            onChange={(e) => state.setCustom({ ...state.custom, to: e.currentTarget.value })}
            error={state.problem}
          />
        </>
      )}
    </Group>
  );
}

const series = (samples: readonly MetricSample[], pick: (s: MetricSample) => number): [number, number][] =>
  samples.map((s) => [Date.parse(s.at), pick(s)]);

interface BoardProps {
  samples: readonly MetricSample[];
  loading: boolean;
  error?: string | null;
  /** Machines and nodes: CPU as a fraction of their cores; projects: cores in use. */
  cpu: 'fraction' | 'cores';
  /** Said when the range has no samples. */
  empty: string;
  window: TimeWindow | null;
}

/** CPU, memory, network and disk charts of one series, with loading, error and empty states. */
export function MetricsBoard({ samples, loading, error, cpu, empty, window }: BoardProps) {
  const dark = useComputedColorScheme('light', { getInitialValueInEffect: true }) === 'dark';
  const charts = useMemo(() => {
    const cpuSeries: ChartSeries[] = [
      {
        name: cpu === 'fraction' ? 'CPU' : 'Cores in use',
        data: series(samples, (s) => (cpu === 'fraction' ? s.cpu * 100 : s.cpu)),
      },
    ];
    const memory: ChartSeries[] = [{ name: 'Used', data: series(samples, (s) => s.memoryBytes) }];
    // A machine's live samples carry no total: the line keeps to the points that know it.
    const withTotal = samples.filter((s) => (s.memoryTotalBytes ?? 0) > 0);
    if (withTotal.length) memory.push({ name: 'Total', data: series(withTotal, (s) => s.memoryTotalBytes!) });
    return [
      {
        title: 'CPU',
        unit: (cpu === 'fraction' ? 'percent' : 'cores') as MetricUnit,
        series: cpuSeries,
        max: cpu === 'fraction' ? 100 : undefined,
      },
      { title: 'Memory', unit: 'bytes' as MetricUnit, series: memory },
      {
        title: 'Network',
        unit: 'rate' as MetricUnit,
        series: [
          { name: 'In', data: series(samples, (s) => s.netIn) },
          { name: 'Out', data: series(samples, (s) => s.netOut) },
        ],
      },
      {
        title: 'Disk',
        unit: 'rate' as MetricUnit,
        series: [
          { name: 'Read', data: series(samples, (s) => s.diskRead) },
          { name: 'Write', data: series(samples, (s) => s.diskWrite) },
        ],
      },
    ];
  }, [samples, cpu]);

  if (error) {
    return (
      <Alert color="red" title="Could not load the metrics">
        {error}
      </Alert>
    );
  }
  if (!window) return null;
  if (loading && !samples.length) {
    return (
      <SimpleGrid cols={{ base: 1, md: 2 }} aria-busy="true" aria-label="Loading the metrics">
        {charts.map((c) => (
          <Skeleton key={c.title} height={260} radius="md" />
        ))}
      </SimpleGrid>
    );
  }
  if (!samples.length) {
    return (
      <Paper withBorder p="lg" radius="md">
        <Text c="dimmed" ta="center">
          {empty}
        </Text>
      </Paper>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      {charts.map((c) => (
        <Paper key={c.title} withBorder p="sm" radius="md">
          <Title order={3} size="h5" mb={4}>
            {c.title}
          </Title>
          <LazyMetricChart title={c.title} unit={c.unit} series={c.series} dark={dark} max={c.max} />
        </Paper>
      ))}
    </SimpleGrid>
  );
}
