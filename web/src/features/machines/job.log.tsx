import { Box, Code, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { JobEventLike } from './job.events';

/**
 * The job's log lines (Proxmox task log, placement, ...) in a scrolling box that follows the end. A plain
 * overflow box, not Mantine's ScrollArea, which would add @floating-ui to the pages' first load.
 */
export function JobLog({ lines, label }: { lines: readonly JobEventLike[]; label: string }) {
  const viewport = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = viewport.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length]);

  if (lines.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No log lines yet.
      </Text>
    );
  }
  return (
    <Box
      ref={viewport}
      mah={260}
      role="log"
      aria-label={label}
      tabIndex={0}
      style={{
        overflowY: 'auto',
        borderRadius: 'var(--mantine-radius-md)',
        border: '1px solid var(--mantine-color-default-border)',
      }}
    >
      <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {lines.map((line) => `${line.message}\n`).join('')}
      </Code>
    </Box>
  );
}
