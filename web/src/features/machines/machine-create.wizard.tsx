'use client';

import { type QueryRef, useMutation, useQuery, useReadQuery } from '@apollo/client/react';
import {
  Alert,
  Button,
  Group,
  List,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Stepper,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import dynamic from 'next/dynamic';
import { type ChangeEvent, useEffect, useMemo, useState } from 'react';
import type { MachineKind, ProvisionOptionsQuery as ProvisionOptions } from '@/gql/graphql';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import type { AllocatableProject } from './machine.permissions.server';
import { formatMemory, KIND_LABEL } from './machine.format';
import { NetworksQuery, ProvisionMachineMutation } from './machines.documents';
import { Select } from '@/components/lazy-select';
import { Table } from '@/components/table';

type Template = ProvisionOptions['templates'][number];

// The job's progress (subscription, bar, steps, log) appears only once the machine is being created.
const JobProgress = dynamic(() => import('./job.progress').then((m) => m.JobProgress));

/** A whole-number field's value: a number once it reads as one, '' when empty (as the checks expect). */
function numberOf(event: ChangeEvent<HTMLInputElement>): number | string {
  const text = event.currentTarget.value;
  return text === '' ? '' : Number(text);
}

const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const STEPS = ['kind', 'template', 'size', 'placement', 'access', 'review'] as const;
type StepName = (typeof STEPS)[number];

// Which step shows the field the API complains about (extensions.field, last segment).
const FIELD_STEP: Record<string, StepName> = {
  templateId: 'template',
  cores: 'size',
  memoryMiB: 'size',
  diskGiB: 'size',
  name: 'placement',
  projectId: 'placement',
  networkId: 'placement',
};

interface Props {
  queryRef: QueryRef<ProvisionOptions>;
  projects: readonly AllocatableProject[];
}

/** Kind → template → size → name, project and network → access → review; then the job's live progress. */
export function MachineCreateWizard({ queryRef, projects }: Props) {
  const { data } = useReadQuery(queryRef);
  const [active, setActive] = useState(0);
  const [kind, setKind] = useState<MachineKind>('VM');
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [cores, setCores] = useState<number | string>('');
  const [memoryMiB, setMemoryMiB] = useState<number | string>('');
  const [diskGiB, setDiskGiB] = useState<number | string>('');
  const [name, setName] = useState('');
  const [projectId, setProjectId] = useState<string | null>(projects[0]?.id ?? null);
  const [networkId, setNetworkId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  // One key per wizard: a second click (or a retry after a lost answer) gets the same job back.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [provision, { data: provisioned, loading: submitting }] = useMutation(ProvisionMachineMutation);

  const templates = useMemo(() => data.templates.filter((t) => t.kind === kind), [data.templates, kind]);
  const template: Template | undefined = templates.find((t) => t.id === templateId);

  const networks = useQuery(NetworksQuery, { variables: { projectId: projectId ?? '' }, skip: !projectId });
  const networkOptions = networks.data?.networkConfigurations ?? [];
  // The project's first network, until the user picks one (or none).
  useEffect(() => {
    const list = networks.data?.networkConfigurations;
    if (!list) return;
    setNetworkId((current) => (current && list.some((n) => n.id === current) ? current : (list[0]?.id ?? null)));
  }, [networks.data]);

  function chooseKind(next: MachineKind) {
    if (next === kind) return;
    setKind(next);
    setTemplateId(null);
  }

  function chooseTemplate(id: string) {
    const chosen = templates.find((t) => t.id === id);
    setTemplateId(id);
    if (chosen) {
      setCores(chosen.defaultCores);
      setMemoryMiB(chosen.defaultMemoryMiB);
      setDiskGiB(chosen.defaultDiskGiB);
    }
  }

  /** The problems that keep the user on step `index`, by field. */
  function validate(index: number): Record<string, string> {
    const problems: Record<string, string> = {};
    const step = STEPS[index];
    if (step === 'template' && !template) problems['templateId'] = 'Choose a template.';
    if (step === 'size' && template) {
      if (!Number.isInteger(cores) || Number(cores) < 1 || Number(cores) > 128)
        problems['cores'] = 'From 1 to 128 cores.';
      if (!Number.isInteger(memoryMiB) || Number(memoryMiB) < 64) problems['memoryMiB'] = 'At least 64 MiB.';
      if (!Number.isInteger(diskGiB) || Number(diskGiB) < template.defaultDiskGiB) {
        problems['diskGiB'] = `At least the template's ${template.defaultDiskGiB} GiB.`;
      }
    }
    if (step === 'placement') {
      if (!HOSTNAME.test(name))
        problems['name'] =
          'A hostname: 1 to 63 lowercase letters, digits or hyphens, not starting or ending with a hyphen.';
      if (!projectId) problems['projectId'] = 'Choose a project.';
    }
    return problems;
  }

  function next() {
    const problems = validate(active);
    setErrors(problems);
    if (Object.keys(problems).length === 0) setActive((a) => Math.min(a + 1, STEPS.length - 1));
  }

  function goTo(index: number) {
    // Back freely; forward only through steps that are complete.
    if (index > active) {
      for (let i = active; i < index; i++) {
        const problems = validate(i);
        if (Object.keys(problems).length > 0) {
          setErrors(problems);
          setActive(i);
          return;
        }
      }
    }
    setErrors({});
    setActive(index);
  }

  async function submit() {
    if (!template || !projectId) return;
    setFailure(null);
    setErrors({});
    try {
      await provision({
        variables: {
          input: {
            name,
            projectId,
            templateId: template.id,
            networkId,
            cores: Number(cores),
            memoryMiB: Number(memoryMiB),
            diskGiB: Number(diskGiB),
            idempotencyKey,
          },
        },
      });
      setActive(STEPS.length);
    } catch (error) {
      const view = describeApiError(error);
      setFailure(view.message);
      setErrors(view.fields);
      const first = Object.keys(view.fields)
        .map((field) => FIELD_STEP[field])
        .find(Boolean);
      if (first) setActive(STEPS.indexOf(first));
    }
  }

  const project = projects.find((p) => p.id === projectId);
  const network = networkOptions.find((n) => n.id === networkId);
  const result = provisioned?.provisionMachine;

  return (
    <Stack gap="lg">
      {failure && (
        <Alert color="red" variant="light" title="The machine was not created" role="alert">
          {failure}
        </Alert>
      )}
      <Stepper active={active} onStepClick={result ? undefined : goTo} allowNextStepsSelect={false} size="sm">
        <Stepper.Step label="Kind" description={KIND_LABEL[kind]}>
          <Radio.Group
            label="What do you want to create?"
            value={kind}
            onChange={(value) => chooseKind(value as MachineKind)}
            mt="md"
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" maw={720}>
              <ChoiceCard
                value="VM"
                title="Virtual machine"
                text="A full QEMU VM with its own kernel, cloned from a template VM."
              />
              <ChoiceCard
                value="LXC"
                title="Container"
                text="A lightweight LXC container sharing the node's kernel; starts in seconds."
              />
            </SimpleGrid>
          </Radio.Group>
        </Stepper.Step>

        <Stepper.Step label="Template" description={template?.name ?? 'Choose one'}>
          <Radio.Group
            label={`Templates for a ${KIND_LABEL[kind].toLowerCase()}`}
            value={templateId}
            onChange={chooseTemplate}
            error={errors['templateId']}
            mt="md"
          >
            {templates.length === 0 ? (
              <Text size="sm" c="dimmed" mt="xs">
                There is no {KIND_LABEL[kind].toLowerCase()} template yet. A platform administrator adds templates.
              </Text>
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} mt="xs">
                {templates.map((t) => (
                  <ChoiceCard
                    key={t.id}
                    value={t.id}
                    title={t.name}
                    text={`${t.os} · ${t.defaultCores} ${t.defaultCores === 1 ? 'core' : 'cores'}, ${formatMemory(t.defaultMemoryMiB)}, ${t.defaultDiskGiB} GiB${t.cloudInit ? '' : ' · no cloud-init'}`}
                  />
                ))}
              </SimpleGrid>
            )}
          </Radio.Group>
        </Stepper.Step>

        <Stepper.Step
          label="Size"
          description={template ? `${cores} ${Number(cores) === 1 ? 'core' : 'cores'}, ${memoryMiB} MiB` : undefined}
        >
          <Stack gap="sm" mt="md" maw={360}>
            <Text size="sm" c="dimmed">
              Starts from the template&apos;s defaults. The project&apos;s quota is checked when you create it.
            </Text>
            <TextInput
              label="Cores"
              min={1}
              max={128}
              value={cores}
              onChange={(event) => setCores(numberOf(event))}
              error={errors['cores']}
              type="number"
              inputMode="numeric"
            />
            <TextInput
              label="Memory (MiB)"
              min={64}
              step={64}
              value={memoryMiB}
              onChange={(event) => setMemoryMiB(numberOf(event))}
              error={errors['memoryMiB']}
              type="number"
              inputMode="numeric"
            />
            <TextInput
              label="Disk (GiB)"
              min={template?.defaultDiskGiB ?? 1}
              value={diskGiB}
              onChange={(event) => setDiskGiB(numberOf(event))}
              error={errors['diskGiB']}
              description={template ? `At least ${template.defaultDiskGiB} GiB, the template's disk.` : undefined}
              type="number"
              inputMode="numeric"
            />
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Name & network" description={name || undefined}>
          <Stack gap="sm" mt="md" maw={420}>
            <TextInput
              label="Name"
              description="The hostname; unique in its project."
              value={name}
              onChange={(event) => setName(event.currentTarget.value.toLowerCase())}
              error={errors['name']}
              autoComplete="off"
              spellCheck={false}
            />
            <Select
              label="Project"
              data={projects.map((p) => ({ value: p.id, label: `${p.organizationName} / ${p.name}` }))}
              value={projectId}
              onChange={setProjectId}
              error={errors['projectId']}
              allowDeselect={false}
            />
            <Select
              label="Network"
              description={networks.loading ? 'Loading the project’s networks…' : 'DHCP unless the network has a CIDR.'}
              data={[
                ...networkOptions.map((n) => ({
                  value: n.id,
                  label: `${n.name} (${n.bridge}${n.vlanTag ? `, VLAN ${n.vlanTag}` : ''}${n.cidr ? `, ${n.cidr}` : ', DHCP'})`,
                })),
                { value: '', label: 'No network configuration (bridge vmbr0, DHCP)' },
              ]}
              value={networkId ?? ''}
              onChange={(value) => setNetworkId(value || null)}
              error={errors['networkId'] ?? (networks.error ? describeApiError(networks.error).message : undefined)}
              allowDeselect={false}
            />
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Access">
          <Paper withBorder p="md" mt="md" maw={640}>
            <Title order={3} size="h5" mb="xs">
              Credentials are generated for you
            </Title>
            <List size="sm" spacing={6}>
              <List.Item>
                The platform generates a password and an SSH key pair for this machine and keeps them in its secret
                store, never in the database.
              </List.Item>
              <List.Item>
                {kind === 'VM'
                  ? 'Cloud-init creates the user “paas” with that password and the public key.'
                  : 'The container’s root account gets that password and the public key.'}
              </List.Item>
              <List.Item>
                Adding your own SSH key is not offered yet: the API takes no key when creating a machine. Use the
                console, or ask an operator for the generated credentials.
              </List.Item>
            </List>
          </Paper>
        </Stepper.Step>

        <Stepper.Step label="Review">
          <Paper withBorder mt="md" maw={640}>
            <Table verticalSpacing="xs" aria-label="Review">
              <Table.Tbody>
                <ReviewRow label="Kind" value={KIND_LABEL[kind]} />
                <ReviewRow label="Template" value={template ? `${template.name} (${template.os})` : '—'} />
                <ReviewRow
                  label="Size"
                  value={`${cores} ${Number(cores) === 1 ? 'core' : 'cores'} · ${memoryMiB} MiB memory · ${diskGiB} GiB disk`}
                />
                <ReviewRow label="Name" value={name} />
                <ReviewRow label="Project" value={project ? `${project.organizationName} / ${project.name}` : '—'} />
                <ReviewRow
                  label="Network"
                  value={network ? `${network.name} (${network.bridge})` : 'None (vmbr0, DHCP)'}
                />
                <ReviewRow label="Access" value="Generated password and SSH key" />
              </Table.Tbody>
            </Table>
          </Paper>
        </Stepper.Step>

        <Stepper.Completed>
          {result && (
            <Paper withBorder p="lg" mt="md">
              <Title order={2} size="h4" mb="md">
                Creating {result.machine.name}
              </Title>
              <JobProgress jobId={result.job.id} machine={{ id: result.machine.id, name: result.machine.name }} />
            </Paper>
          )}
        </Stepper.Completed>
      </Stepper>

      {!result && (
        <Group justify="space-between" maw={720}>
          <Button variant="default" onClick={() => goTo(active - 1)} disabled={active === 0 || submitting}>
            Back
          </Button>
          {active < STEPS.length - 1 ? (
            <Button onClick={next}>Next</Button>
          ) : (
            <Button onClick={submit} loading={submitting}>
              Create {kind === 'VM' ? 'VM' : 'container'}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}

function ChoiceCard({ value, title, text }: { value: string; title: string; text: string }) {
  return (
    <Radio.Card value={value} p="md" radius="md">
      <Group wrap="nowrap" align="flex-start">
        <Radio.Indicator />
        <div>
          <Text fw={600}>{title}</Text>
          <Text size="sm" c="dimmed">
            {text}
          </Text>
        </div>
      </Group>
    </Radio.Card>
  );
}

function ReviewRow({ label, value }: { label: string; value: string }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={140}>
        {label}
      </Table.Th>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
}
