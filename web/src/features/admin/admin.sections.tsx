'use client';

import { Skeleton, Tabs } from '@mantine/core';
import dynamic from 'next/dynamic';
import type { ComponentType } from 'react';
import { HealthPanel, type Health } from './health.panel';

// Every section but the first (health, shown on arrival) loads when its tab is opened: their tables,
// forms, pickers and dialogs would otherwise all be in the page's first load.
type PanelProps = { health: Health };
const loading = () => <Skeleton height={240} />;
const ClustersPanel = dynamic<PanelProps>(() => import('./clusters.panel').then((m) => m.ClustersPanel), { loading });
const StoragePanel = dynamic<PanelProps>(() => import('./catalog.panels').then((m) => m.StoragePanel), { loading });
const TemplatesPanel = dynamic<PanelProps>(() => import('./catalog.panels').then((m) => m.TemplatesPanel), { loading });
const UsersPanel = dynamic<PanelProps>(() => import('./tenants.panels').then((m) => m.UsersPanel), { loading });
const OrganizationsPanel = dynamic<PanelProps>(() => import('./tenants.panels').then((m) => m.OrganizationsPanel), {
  loading,
});
const GpusPanel = dynamic<PanelProps>(() => import('./gpus.panel').then((m) => m.GpusPanel), { loading });
const CephPanel = dynamic<PanelProps>(() => import('@/features/metrics/cluster.health').then((m) => m.CephPanel), {
  loading,
});

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
