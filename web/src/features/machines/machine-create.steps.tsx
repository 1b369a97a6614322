'use client';

import { List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ChangeEvent } from 'react';
import type { MachineKind, NetworksQuery as NetworksResult, ProvisionOptionsQuery } from '@/gql/graphql';
import type { AllocatableProject } from './machine.permissions.server';
import { Select } from '@/components/lazy-select';
import { Table } from '@/components/table';

/**
 * The wizard's steps after the first two (size, name and network, access, review): their fields,
 * pickers and table load after the page (the wizard opens on the kind step), not with it.
 */

type Errors = Record<string, string>;
type Template = ProvisionOptionsQuery['templates'][number];
type Network = NetworksResult['networkConfigurations'][number];

/** A whole-number field's value: a number once it reads as one, '' when empty (as the checks expect). */
function numberOf(event: ChangeEvent<HTMLInputElement>): number | string {
  const text = event.currentTarget.value;
  return text === '' ? '' : Number(text);
}

export function SizeStep({
  template,
  cores,
  memoryMiB,
  diskGiB,
  onCores,
  onMemoryMiB,
  onDiskGiB,
  errors,
}: {
  template: Template | undefined;
  cores: number | string;
  memoryMiB: number | string;
  diskGiB: number | string;
  onCores: (value: number | string) => void;
  onMemoryMiB: (value: number | string) => void;
  onDiskGiB: (value: number | string) => void;
  errors: Errors;
}) {
  return (
    <Stack gap="sm" mt="md" maw={360}>
      <Text size="sm" c="dimmed">
        Starts from the template&apos;s defaults. The project&apos;s quota is checked when you create it.
      </Text>
      <TextInput
        label="Cores"
        min={1}
        max={128}
        value={cores}
        onChange={(event) => onCores(numberOf(event))}
        error={errors['cores']}
        type="number"
        inputMode="numeric"
      />
      <TextInput
        label="Memory (MiB)"
        min={64}
        step={64}
        value={memoryMiB}
        onChange={(event) => onMemoryMiB(numberOf(event))}
        error={errors['memoryMiB']}
        type="number"
        inputMode="numeric"
      />
      <TextInput
        label="Disk (GiB)"
        min={template?.defaultDiskGiB ?? 1}
        value={diskGiB}
        onChange={(event) => onDiskGiB(numberOf(event))}
        error={errors['diskGiB']}
        description={template ? `At least ${template.defaultDiskGiB} GiB, the template's disk.` : undefined}
        type="number"
        inputMode="numeric"
      />
    </Stack>
  );
}

export function PlacementStep({
  name,
  onName,
  projects,
  projectId,
  onProjectId,
  networks,
  networksLoading,
  networksError,
  networkId,
  onNetworkId,
  errors,
}: {
  name: string;
  onName: (value: string) => void;
  projects: readonly AllocatableProject[];
  projectId: string | null;
  onProjectId: (value: string | null) => void;
  networks: readonly Network[];
  networksLoading: boolean;
  /** Why the project's networks could not be read. */
  networksError: string | null | undefined;
  networkId: string | null;
  onNetworkId: (value: string | null) => void;
  errors: Errors;
}) {
  return (
    <Stack gap="sm" mt="md" maw={420}>
      <TextInput
        label="Name"
        description="The hostname; unique in its project."
        value={name}
        onChange={(event) => onName(event.currentTarget.value.toLowerCase())}
        error={errors['name']}
        autoComplete="off"
        spellCheck={false}
      />
      <Select
        label="Project"
        data={projects.map((p) => ({ value: p.id, label: `${p.organizationName} / ${p.name}` }))}
        value={projectId}
        onChange={onProjectId}
        error={errors['projectId']}
        allowDeselect={false}
      />
      <Select
        label="Network"
        description={networksLoading ? 'Loading the project’s networks…' : 'DHCP unless the network has a CIDR.'}
        data={[
          ...networks.map((n) => ({
            value: n.id,
            label: `${n.name} (${n.bridge}${n.vlanTag ? `, VLAN ${n.vlanTag}` : ''}${n.cidr ? `, ${n.cidr}` : ', DHCP'})`,
          })),
          { value: '', label: 'No network configuration (bridge vmbr0, DHCP)' },
        ]}
        value={networkId ?? ''}
        onChange={(value) => onNetworkId(value || null)}
        error={errors['networkId'] ?? networksError}
        allowDeselect={false}
      />
    </Stack>
  );
}

export function AccessStep({ kind }: { kind: MachineKind }) {
  return (
    <Paper withBorder p="md" mt="md" maw={640}>
      <Title order={3} size="h5" mb="xs">
        Credentials are generated for you
      </Title>
      <List size="sm" spacing={6}>
        <List.Item>
          The platform generates a password and an SSH key pair for this machine and keeps them in its secret store,
          never in the database.
        </List.Item>
        <List.Item>
          {kind === 'VM'
            ? 'Cloud-init creates the user “paas” with that password and the public key.'
            : 'The container’s root account gets that password and the public key.'}
        </List.Item>
        <List.Item>
          Adding your own SSH key is not offered yet: the API takes no key when creating a machine. Use the console, or
          ask an operator for the generated credentials.
        </List.Item>
      </List>
    </Paper>
  );
}

/** What will be created, one row per [label, value]. */
export function ReviewStep({ rows }: { rows: readonly (readonly [string, string])[] }) {
  return (
    <Paper withBorder mt="md" maw={640}>
      <Table verticalSpacing="xs" aria-label="Review">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" w={140}>
                {label}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
