'use client';

import { type QueryRef, useMutation, useQuery, useReadQuery } from '@apollo/client/react';
import { Button, Group, Paper, SimpleGrid, Skeleton, Stack, Stepper, Text, Title } from '@mantine/core';
import dynamic from 'next/dynamic';
import { type CSSProperties, type KeyboardEvent, type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import type { MachineKind, ProvisionOptionsQuery as ProvisionOptions } from '@/gql/graphql';
import { Notice } from '@/components/notice';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import type { AllocatableProject } from './machine.permissions.server';
import { formatMemory, KIND_LABEL } from './machine.format';
import { NetworksQuery, ProvisionMachineMutation } from './machines.documents';

type Template = ProvisionOptions['templates'][number];

// The job's progress (subscription, bar, steps, log) appears only once the machine is being created.
const JobProgress = dynamic(() => import('./job.progress').then((m) => m.JobProgress));
// The steps after the template (their fields, pickers and review table): the wizard opens on the kind
// step, and loads them once it is on screen (see the effect below) rather than with the page.
const loadSteps = () => import('./machine-create.steps');
const stepLoading = () => <Skeleton height={160} mt="md" maw={420} />;
const SizeStep = dynamic(() => loadSteps().then((m) => m.SizeStep), { loading: stepLoading });
const PlacementStep = dynamic(() => loadSteps().then((m) => m.PlacementStep), { loading: stepLoading });
const AccessStep = dynamic(() => loadSteps().then((m) => m.AccessStep), { loading: stepLoading });
const ReviewStep = dynamic(() => loadSteps().then((m) => m.ReviewStep), { loading: stepLoading });

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

  useEffect(() => {
    void loadSteps();
  }, []);

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
        <Notice color="red" title="The machine was not created">
          {failure}
        </Notice>
      )}
      <Stepper active={active} onStepClick={result ? undefined : goTo} allowNextStepsSelect={false} size="sm">
        <Stepper.Step label="Kind" description={KIND_LABEL[kind]}>
          <ChoiceGroup label="What do you want to create?">
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" maw={720}>
              <ChoiceCard
                name="machine-kind"
                checked={kind === 'VM'}
                onChoose={() => chooseKind('VM')}
                title="Virtual machine"
                text="A full QEMU VM with its own kernel, cloned from a template VM."
              />
              <ChoiceCard
                name="machine-kind"
                checked={kind === 'LXC'}
                onChoose={() => chooseKind('LXC')}
                title="Container"
                text="A lightweight LXC container sharing the node's kernel; starts in seconds."
              />
            </SimpleGrid>
          </ChoiceGroup>
        </Stepper.Step>

        <Stepper.Step label="Template" description={template?.name ?? 'Choose one'}>
          <ChoiceGroup label={`Templates for a ${KIND_LABEL[kind].toLowerCase()}`} error={errors['templateId']}>
            {templates.length === 0 ? (
              <Text size="sm" c="dimmed" mt="xs">
                There is no {KIND_LABEL[kind].toLowerCase()} template yet. A platform administrator adds templates.
              </Text>
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} mt="xs">
                {templates.map((t) => (
                  <ChoiceCard
                    key={t.id}
                    name="machine-template"
                    checked={templateId === t.id}
                    onChoose={() => chooseTemplate(t.id)}
                    title={t.name}
                    text={`${t.os} · ${t.defaultCores} ${t.defaultCores === 1 ? 'core' : 'cores'}, ${formatMemory(t.defaultMemoryMiB)}, ${t.defaultDiskGiB} GiB${t.cloudInit ? '' : ' · no cloud-init'}`}
                  />
                ))}
              </SimpleGrid>
            )}
          </ChoiceGroup>
        </Stepper.Step>

        <Stepper.Step
          label="Size"
          description={template ? `${cores} ${Number(cores) === 1 ? 'core' : 'cores'}, ${memoryMiB} MiB` : undefined}
        >
          <SizeStep
            template={template}
            cores={cores}
            memoryMiB={memoryMiB}
            diskGiB={diskGiB}
            onCores={setCores}
            onMemoryMiB={setMemoryMiB}
            onDiskGiB={setDiskGiB}
            errors={errors}
          />
        </Stepper.Step>

        <Stepper.Step label="Name & network" description={name || undefined}>
          <PlacementStep
            name={name}
            onName={setName}
            projects={projects}
            projectId={projectId}
            onProjectId={setProjectId}
            networks={networkOptions}
            networksLoading={networks.loading}
            networksError={networks.error ? describeApiError(networks.error).message : undefined}
            networkId={networkId}
            onNetworkId={setNetworkId}
            errors={errors}
          />
        </Stepper.Step>

        <Stepper.Step label="Access">
          <AccessStep kind={kind} />
        </Stepper.Step>

        <Stepper.Step label="Review">
          <ReviewStep
            rows={[
              ['Kind', KIND_LABEL[kind]],
              ['Template', template ? `${template.name} (${template.os})` : '—'],
              [
                'Size',
                `${cores} ${Number(cores) === 1 ? 'core' : 'cores'} · ${memoryMiB} MiB memory · ${diskGiB} GiB disk`,
              ],
              ['Name', name],
              ['Project', project ? `${project.organizationName} / ${project.name}` : '—'],
              ['Network', network ? `${network.name} (${network.bridge})` : 'None (vmbr0, DHCP)'],
              ['Access', 'Generated password and SSH key'],
            ]}
          />
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

/**
 * A labelled group of radio cards, as Mantine's Radio.Group draws it (its wrapper's label and error
 * classes) without Radio.Group itself: that brings Mantine's whole input wrapper to the page's first load
 * for a label and an error line.
 */
function ChoiceGroup({ label, error, children }: { label: string; error?: string | undefined; children: ReactNode }) {
  const id = useId();
  return (
    <div className="m_46b77525 mantine-InputWrapper-root" style={{ marginTop: 'var(--mantine-spacing-md)' }}>
      <div id={`${id}-label`} className="m_8fdc1311 mantine-InputWrapper-label">
        {label}
      </div>
      <div role="radiogroup" aria-labelledby={`${id}-label`} aria-describedby={error ? `${id}-error` : undefined}>
        {children}
      </div>
      {error && (
        <p
          id={`${id}-error`}
          className="m_8f816625 mantine-InputWrapper-error"
          style={{ marginTop: 'calc(var(--mantine-spacing-xs) / 2)' }}
        >
          {error}
        </p>
      )}
    </div>
  );
}

/** Moves to and picks the previous or next card of the same `name` on an arrow key, as Radio.Card does. */
function arrowKeys(event: KeyboardEvent<HTMLButtonElement>, name: string) {
  const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
  if (!step) return;
  event.preventDefault();
  const cards = Array.from(document.querySelectorAll<HTMLButtonElement>(`[role="radio"][name="${name}"]`));
  const next = cards[(cards.indexOf(event.currentTarget) + step + cards.length) % cards.length];
  next?.focus();
  next?.click();
}

/**
 * One choice: Mantine's Radio.Card with its Radio.Indicator as the markup they render (their classes,
 * data attributes and variables, so Mantine's stylesheet draws them the same). The components import
 * Radio.Group, which brings Mantine's input wrapper to the page's first load.
 */
function ChoiceCard({
  name,
  checked,
  onChoose,
  title,
  text,
}: {
  name: string;
  checked: boolean;
  onChoose: () => void;
  title: string;
  text: string;
}) {
  const on = checked ? true : undefined;
  return (
    <button
      type="button"
      role="radio"
      aria-checked={checked}
      name={name}
      onClick={onChoose}
      onKeyDown={(event) => arrowKeys(event, name)}
      className="mantine-focus-auto m_9dc8ae12 mantine-RadioCard-card m_87cf2631 mantine-UnstyledButton-root"
      style={{ '--card-radius': 'var(--mantine-radius-md)', padding: 'var(--mantine-spacing-md)' } as CSSProperties}
      data-with-border
      data-checked={on}
    >
      <Group wrap="nowrap" align="flex-start">
        <div
          className="m_717d7ff6 mantine-RadioIndicator-indicator"
          style={{ '--radio-color': 'var(--mantine-primary-color-filled)' } as CSSProperties}
          data-checked={on}
        >
          <svg
            xmlns="http://www.w3.org/2000/svg"
            fill="none"
            viewBox="0 0 5 5"
            aria-hidden="true"
            className="m_3e4da632 mantine-RadioIndicator-icon"
          >
            <circle cx="2.5" cy="2.5" r="2.5" fill="currentColor" />
          </svg>
        </div>
        <div>
          <Text fw={600}>{title}</Text>
          <Text size="sm" c="dimmed">
            {text}
          </Text>
        </div>
      </Group>
    </button>
  );
}
