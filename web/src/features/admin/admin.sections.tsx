'use client';

import { Tabs } from '@mantine/core';
import type { ComponentType } from 'react';
import { CephPanel } from '@/features/metrics/cluster.health';
import { StoragePanel, TemplatesPanel } from './catalog.panels';
import { ClustersPanel } from './clusters.panel';
import { GpusPanel } from './gpus.panel';
import { HealthPanel, type Health } from './health.panel';
import { OrganizationsPanel, UsersPanel } from './tenants.panels';

interface Section {
  value: string;
  label: string;
  Panel: ComponentType<{ health: Health }>;
}

/**
 * The admin panel's sections, in tab order. A new section is one entry here and a `<feature>.panel.tsx`
 * beside these; nothing else changes.
 */
export const ADMIN_SECTIONS: readonly Section[] = [
  { value: 'health', label: 'Health', Panel: HealthPanel },
  { value: 'clusters', label: 'Clusters & nodes', Panel: ClustersPanel },
  { value: 'storage', label: 'Storage', Panel: StoragePanel },
  { value: 'templates', label: 'Templates', Panel: TemplatesPanel },
  { value: 'users', label: 'Users', Panel: UsersPanel },
  { value: 'organizations', label: 'Organizations', Panel: OrganizationsPanel },
  { value: 'gpus', label: 'GPUs', Panel: GpusPanel },
  { value: 'ceph', label: 'Ceph', Panel: CephPanel },
];

export function AdminSections({ health }: { health: Health }) {
  return (
    <Tabs defaultValue="health" keepMounted={false}>
      <Tabs.List mb="md">
        {ADMIN_SECTIONS.map((s) => (
          <Tabs.Tab key={s.value} value={s.value}>
            {s.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {ADMIN_SECTIONS.map(({ value, Panel }) => (
        <Tabs.Panel key={value} value={value}>
          <Panel health={health} />
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
