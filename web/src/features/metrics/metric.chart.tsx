'use client';

// The one place ECharts is imported: only the line chart, its grid, tooltip and legend, and the canvas
// renderer (echarts/core), so a page pays for what it draws. Loaded through next/dynamic by
// metric-chart.lazy.tsx, it is not in any route's first load.
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { formatValue, type MetricUnit } from './metrics.range';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface ChartSeries {
  name: string;
  /** [epoch ms, value] */
  data: [number, number][];
}

export interface MetricChartProps {
  title: string;
  unit: MetricUnit;
  series: ChartSeries[];
  dark: boolean;
  height?: number;
  /** Fixes the y-axis maximum (100 for percentages). */
  max?: number;
}

const PALETTE = ['#228be6', '#40c057', '#fab005', '#fa5252'];

export default function MetricChart({ title, unit, series, dark, height = 220, max }: MetricChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const text = dark ? '#c9c9c9' : '#495057';
    const line = dark ? '#424242' : '#dee2e6';
    chart.current?.setOption(
      {
        backgroundColor: 'transparent',
        color: PALETTE,
        animation: false,
        textStyle: { color: text },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: text } },
        tooltip: {
          trigger: 'axis',
          backgroundColor: dark ? '#2e2e2e' : '#ffffff',
          borderColor: line,
          textStyle: { color: dark ? '#e9ecef' : '#212529' },
          valueFormatter: (value: unknown) => (typeof value === 'number' ? formatValue(unit, value) : '—'),
        },
        xAxis: {
          type: 'time',
          axisLine: { lineStyle: { color: line } },
          axisLabel: { color: text, hideOverlap: true },
          splitLine: { show: false },
        },
        yAxis: {
          type: 'value',
          min: 0,
          max,
          axisLabel: { color: text, formatter: (value: number) => formatValue(unit, value) },
          splitLine: { lineStyle: { color: line } },
        },
        series: series.map((s) => ({
          name: s.name,
          type: 'line',
          showSymbol: s.data.length < 3,
          sampling: 'lttb',
          lineStyle: { width: 1.5 },
          areaStyle: { opacity: 0.08 },
          data: s.data,
        })),
      },
      { notMerge: true },
    );
  }, [series, dark, unit, max]);

  const points = series.reduce((sum, s) => sum + s.data.length, 0);
  return (
    <div
      ref={element}
      role="img"
      aria-label={`${title} chart, ${points} points`}
      data-chart={title}
      data-points={points}
      style={{ width: '100%', height }}
    />
  );
}
