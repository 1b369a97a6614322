'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Checkbox, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { Table } from '@/components/table';
import type { MachineKind } from '@/gql/graphql';
import { formatMemory } from '@/features/machines/machine.format';
import {
  CreateStorageMutation,
  CreateTemplateMutation,
  DeleteStorageMutation,
  DeleteTemplateMutation,
  StoragesQuery,
  TemplatesQuery,
} from './admin.documents';
import { ListTable } from '@/components/list-table';
import { useApiAction } from '@/lib/apollo/use-api-action';
import { AdminForm, DeleteWithConfirm, useFormValues } from './admin.form';
import { Failure, QueryFailure } from './admin.ui';

/** Storages machines may use: list, add (a Proxmox storage id on a cluster), delete. */
export function StoragePanel() {
  const { data, error, refetch } = useQuery(StoragesQuery);
  const [create] = useMutation(CreateStorageMutation);
  const [remove] = useMutation(DeleteStorageMutation);
  const { run, runThen, failure, fields, busy } = useApiAction();
  const { form, setForm, text, select, checkbox } = useFormValues(
    { clusterId: '', name: '', storageId: '', type: 'lvmthin', shared: false },
    fields,
  );
  const removeAndReload = (id: string) => void runThen(() => remove({ variables: { id } }), refetch);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const ok = await run(() => create({ variables: { input: { ...form, name: form.name.trim() } } }));
    if (ok) {
      setForm((f) => ({ ...f, name: '', storageId: '' }));
      await refetch();
    }
  }

  return (
    <Stack gap="md">
      <QueryFailure error={error} what="the storages" />
      <ListTable label="Storages" columns={['Name', 'Proxmox storage', 'Type', 'Shared', 'Actions']} minWidth={520}>
        {data?.storageConfigurations.map((s) => (
          <Table.Tr key={s.id}>
            <Table.Td>{s.name}</Table.Td>
            <Table.Td ff="monospace">{s.storageId}</Table.Td>
            <Table.Td>{s.type}</Table.Td>
            <Table.Td>{s.shared ? 'Yes (live migration without moving disks)' : 'No'}</Table.Td>
            <Table.Td>
              <DeleteWithConfirm
                noun="storage"
                name={s.name}
                consequence="New machines can no longer choose it; the Proxmox storage and the disks on it stay."
                onConfirm={() => removeAndReload(s.id)}
              />
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      {data?.storageConfigurations.length === 0 && (
        <Text size="sm" c="dimmed">
          No storage configured: machines use the cluster&apos;s default. Add one to let users choose.
        </Text>
      )}
      <Failure message={failure} />
      <AdminForm id="storage-add" title="Add a storage" submit="Add storage" busy={busy} onSubmit={submit}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <Select
            label="Cluster"
            required
            data={data?.clusters.map((c) => ({ value: c.id, label: c.name })) ?? []}
            {...select('clusterId')}
          />
          <TextInput label="Name" required {...text('name')} />
          <TextInput label="Proxmox storage id" placeholder="local-lvm" required {...text('storageId')} />
          <Select
            label="Type"
            data={['lvmthin', 'lvm', 'zfspool', 'dir', 'nfs', 'rbd', 'cephfs']}
            allowDeselect={false}
            {...select('type')}
          />
        </SimpleGrid>
        <Checkbox mt="sm" label="Shared between nodes" {...checkbox('shared')} />
      </AdminForm>
    </Stack>
  );
}

const TEMPLATE_FORM = {
  clusterId: '',
  kind: 'VM' as MachineKind,
  name: '',
  os: '',
  sourceVmid: null as number | null,
  osTemplate: '',
  defaultCores: 2 as number | null,
  defaultMemoryMiB: 2048 as number | null,
  defaultDiskGiB: 20 as number | null,
};

/** Templates machines are created from: list, add (a VM template's VMID or an LXC OS template), delete. */
export function TemplatesPanel() {
  const { data, error, refetch } = useQuery(TemplatesQuery);
  const [create] = useMutation(CreateTemplateMutation);
  const [remove] = useMutation(DeleteTemplateMutation);
  const { run, runThen, failure, fields, busy, setFields } = useApiAction();
  const { form, setForm, text, number, select } = useFormValues(TEMPLATE_FORM, fields);
  const removeAndReload = (id: string) => void runThen(() => remove({ variables: { id } }), refetch);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (form.kind === 'VM' && !form.sourceVmid) {
      setFields({ sourceVmid: 'A VM template needs the VMID of the Proxmox template to clone.' });
      return;
    }
    if (form.kind === 'LXC' && !form.osTemplate.trim()) {
      setFields({
        osTemplate: 'A container template needs its OS template volume, e.g. local:vztmpl/debian-12….tar.zst.',
      });
      return;
    }
    const input = {
      clusterId: form.clusterId,
      kind: form.kind,
      name: form.name.trim(),
      os: form.os.trim(),
      sourceVmid: form.kind === 'VM' ? form.sourceVmid : null,
      osTemplate: form.kind === 'LXC' ? form.osTemplate.trim() : null,
      defaultCores: form.defaultCores,
      defaultMemoryMiB: form.defaultMemoryMiB,
      defaultDiskGiB: form.defaultDiskGiB,
    };
    const ok = await run(() => create({ variables: { input } }));
    if (ok) {
      setForm(TEMPLATE_FORM);
      await refetch();
    }
  }

  return (
    <Stack gap="md">
      <QueryFailure error={error} what="the templates" />
      <ListTable label="Templates" columns={['Name', 'Kind', 'OS', 'Source', 'Default size', 'Actions']} minWidth={640}>
        {data?.templates.map((t) => (
          <Table.Tr key={t.id}>
            <Table.Td>{t.name}</Table.Td>
            <Table.Td>
              <Badge variant="light">{t.kind}</Badge>
            </Table.Td>
            <Table.Td>{t.os}</Table.Td>
            <Table.Td ff="monospace" fz="xs">
              {t.kind === 'VM' ? `VMID ${t.sourceVmid}` : t.osTemplate}
            </Table.Td>
            <Table.Td>
              {t.defaultCores} cores · {formatMemory(t.defaultMemoryMiB)} · {t.defaultDiskGiB} GiB
            </Table.Td>
            <Table.Td>
              <DeleteWithConfirm
                noun="template"
                name={t.name}
                consequence="New machines can no longer use it. Refused while machines were created from it."
                onConfirm={() => removeAndReload(t.id)}
              />
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
      <Failure message={failure} />
      <AdminForm id="template-add" title="Add a template" submit="Add template" busy={busy} onSubmit={submit}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          <Select
            label="Cluster"
            required
            data={data?.clusters.map((c) => ({ value: c.id, label: c.name })) ?? []}
            {...select('clusterId')}
          />
          <Select
            label="Kind"
            data={[
              { value: 'VM', label: 'Virtual machine' },
              { value: 'LXC', label: 'Container' },
            ]}
            value={form.kind}
            onChange={(v) => setForm((f) => ({ ...f, kind: (v ?? 'VM') as MachineKind }))}
            allowDeselect={false}
          />
          <TextInput label="Name" required {...text('name')} />
          <TextInput label="OS" placeholder="debian-12" required {...text('os')} />
          {form.kind === 'VM' ? (
            <NumberInput label="Source VMID" required allowDecimal={false} {...number('sourceVmid')} />
          ) : (
            <TextInput
              label="OS template volume"
              placeholder="local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
              required
              {...text('osTemplate')}
            />
          )}
          <NumberInput label="Default cores" min={1} allowDecimal={false} {...number('defaultCores')} />
          <NumberInput label="Default memory (MiB)" min={64} allowDecimal={false} {...number('defaultMemoryMiB')} />
          <NumberInput label="Default disk (GiB)" min={1} allowDecimal={false} {...number('defaultDiskGiB')} />
        </SimpleGrid>
      </AdminForm>
    </Stack>
  );
}
