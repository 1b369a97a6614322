'use client';

import { Paper, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { ProjectMetrics } from './project.metrics';
import { Select } from '@/components/lazy-select';

/** The organisation page's project totals: one project's summed metrics, chosen from its projects. */
export function ProjectMetricsSection({ projects }: { projects: readonly { id: string; name: string }[] }) {
  const [projectId, setProjectId] = useState<string | null>(projects[0]?.id ?? null);
  const project = projects.find((p) => p.id === projectId);
  if (!projects.length) return null;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="project-metrics">
      <Stack gap="sm">
        <Title order={2} size="h4" id="project-metrics">
          Project metrics
        </Title>
        <Select
          label="Project"
          maw={320}
          data={projects.map((p) => ({ value: p.id, label: p.name }))}
          value={projectId}
          onChange={setProjectId}
          allowDeselect={false}
        />
        {project && <ProjectMetrics key={project.id} projectId={project.id} name={project.name} />}
      </Stack>
    </Paper>
  );
}
