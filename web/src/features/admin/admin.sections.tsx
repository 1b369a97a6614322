'use client';

import { Tabs } from '@mantine/core';
import type { ComponentType } from 'react';
import { CephPanel } from '@/features/metrics/cluster.health';
import { CatalogPlaceholder } from './admin.placeholder';
import { StoragePanel, TemplatesPanel } from './catalog.panels';
import { ClustersPanel } from './clusters.panel';
import { HealthPanel, type Health } from './health.panel';
import { OrganizationsPanel, UsersPanel } from './tenants.panels';

interface Section {
  value: string;
  label: string;
  Panel: ComponentType<{ health: Health }>;
}

/**
 * The admin panel's sections, in tab order. Extension point: GPU inventory and Ceph add one entry each
 * here (a `<feature>.panel.tsx` beside these) when their API lands; nothing else changes.
 */
export const ADMIN_SECTIONS: readonly Section[] = [
  { value: 'health', label: 'Health', Panel: HealthPanel },
  { value: 'clusters', label: 'Clusters & nodes', Panel: ClustersPanel },
  { value: 'storage', label: 'Storage', Panel: StoragePanel },
  { value: 'templates', label: 'Templates', Panel: TemplatesPanel },
  { value: 'users', label: 'Users', Panel: UsersPanel },
  { value: 'organizations', label: 'Organizations', Panel: OrganizationsPanel },
  { value: 'gpus', label: 'GPUs', Panel: () => <CatalogPlaceholder what="GPU inventory" /> },
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
