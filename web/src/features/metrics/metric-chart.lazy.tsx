'use client';

import { Skeleton } from '@mantine/core';
import dynamic from 'next/dynamic';
import type { MetricChartProps } from './metric.chart';

/** The chart, fetched after the page: ECharts stays out of every route's first-load JavaScript. */
export const LazyMetricChart = dynamic<MetricChartProps>(() => import('./metric.chart'), {
  ssr: false,
  loading: () => <Skeleton height={220} radius="sm" aria-label="Loading the chart" />,
});
