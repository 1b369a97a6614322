'use client';

import { Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { NodeMetrics } from './node.metrics';
import { Select } from '@/components/lazy-select';

/** Under a cluster's node table: one node's charts on request (closed, nothing is fetched). */
export function NodeMetricsSection({
  clusterId,
  clusterName,
  nodes,
}: {
  clusterId: string;
  clusterName: string;
  nodes: string[];
}) {
  const [node, setNode] = useState<string | null>(nodes[0] ?? null);
  const [open, setOpen] = useState(false);
  if (!nodes.length) return null;
  return (
    <Stack gap="sm" mt="sm">
      <Group gap="sm" align="flex-end">
        <Select
          label={`Node charts of ${clusterName}`}
          size="xs"
          data={nodes}
          value={node}
          onChange={setNode}
          allowDeselect={false}
        />
        <Button size="xs" variant="light" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {open ? 'Hide charts' : 'Show charts'}
        </Button>
      </Group>
      {open && node && <NodeMetrics key={node} clusterId={clusterId} node={node} />}
    </Stack>
  );
}
