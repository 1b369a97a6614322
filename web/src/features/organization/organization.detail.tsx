'use client';

import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { QuotaFieldsFragment } from '@/gql/graphql';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import {
  CreateProjectMutation,
  OrganizationQuery,
  UpdateOrganizationQuotaMutation,
  UpdateProjectMutation,
} from './organization.documents';
import { OrganizationSkeleton } from './organization.skeleton';
import { formatDate } from './organization.format';
import { QuotaUsage } from './quota.usage';

// The sections below the projects (members, invitations, the MFA switch, the charts: selects, forms and
// modals) and the quota dialog load after the page's own code, so they stay out of its first load.
const sectionLoading = () => <Skeleton height={160} />;
const OrganizationMembers = dynamic(() => import('./organization.members').then((m) => m.OrganizationMembers), {
  loading: sectionLoading,
});
const InvitationsPanel = dynamic(
  () => import('@/features/invitations/invitations.panel').then((m) => m.InvitationsPanel),
  { loading: sectionLoading },
);
const RequireMfaSetting = dynamic(() => import('@/features/mfa/require-mfa.switch').then((m) => m.RequireMfaSetting), {
  loading: sectionLoading,
});
const ProjectMetricsSection = dynamic(
  () => import('@/features/metrics/project-metrics.section').then((m) => m.ProjectMetricsSection),
  { loading: sectionLoading },
);
const QuotaForm = dynamic(() => import('./quota.form').then((m) => m.QuotaForm));

type Editing = { kind: 'organization' | 'project'; id: string; name: string; quota: QuotaFieldsFragment } | null;

/** An organization: its quota and usage, its projects with theirs, and its members. */
export function OrganizationDetail({ id }: { id: string }) {
  const { data, error, loading, refetch } = useQuery(OrganizationQuery, { variables: { id } });
  const [updateProject] = useMutation(UpdateProjectMutation);
  const [updateOrganization] = useMutation(UpdateOrganizationQuotaMutation);
  const [createProject, createState] = useMutation(CreateProjectMutation);
  const [editing, setEditing] = useState<Editing>(null);
  const [projectName, setProjectName] = useState('');
  const [projectError, setProjectError] = useState<string | null>(null);

  if (error) {
    return (
      <Alert color="red" title="Could not load this organization" role="alert">
        {describeApiError(error).message} Check the address, or go back to the organizations list.
      </Alert>
    );
  }
  if (!data || loading) return <OrganizationSkeleton />;

  const org = data.organization;
  const held = new Set(data.myPrivileges);
  const isAdmin = held.has('Organization.Admin');
  const setsQuotas = Boolean(data.viewer?.isPlatformAdmin);
  const projects = org.projects.edges.map((e) => e.node);

  async function addProject(event: React.FormEvent) {
    event.preventDefault();
    setProjectError(null);
    if (projectName.trim() === '') {
      setProjectError('Name the project, e.g. "web" or "staging".');
      return;
    }
    try {
      await createProject({ variables: { input: { organizationId: id, name: projectName.trim() } } });
      setProjectName('');
      await refetch();
    } catch (err) {
      const view = describeApiError(err);
      setProjectError(view.fields['name'] ?? view.message);
    }
  }

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            {org.name}
          </Title>
          <Text size="sm" c="dimmed">
            {org.slug} · created {formatDate(org.createdAt)}
          </Text>
        </div>
        <Group gap="xs">
          {[...held]
            .filter((p) => p.startsWith('Organization.'))
            .map((p) => (
              <Badge key={p} variant="light">
                {p}
              </Badge>
            ))}
        </Group>
      </Group>

      <Paper withBorder p="lg" component="section" aria-labelledby="org-quota">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="org-quota">
            Organization quota
          </Title>
          {setsQuotas && (
            <Button
              size="xs"
              variant="default"
              onClick={() => setEditing({ kind: 'organization', id: org.id, name: org.name, quota: org.quota })}
            >
              Edit quota
            </Button>
          )}
        </Group>
        <QuotaUsage quota={org.quota} usage={org.usage} label={`Usage of ${org.name} against its quota`} />
      </Paper>

      <section aria-labelledby="org-projects">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="org-projects">
            Projects ({org.projects.totalCount})
          </Title>
        </Group>
        {isAdmin && (
          <form onSubmit={addProject} aria-label="Create a project" noValidate>
            <Group align="flex-start" mb="md" gap="sm">
              <TextInput
                label="New project"
                placeholder="staging"
                value={projectName}
                onChange={(e) => setProjectName(e.currentTarget.value)}
                error={projectError}
                w={260}
              />
              <Button type="submit" mt={25} loading={createState.loading}>
                Create project
              </Button>
            </Group>
          </form>
        )}
        {projects.length === 0 ? (
          <Text size="sm" c="dimmed">
            No projects yet.{isAdmin ? ' Create one above; machines live in projects.' : ''}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
            {projects.map((p) => (
              <Card key={p.id} withBorder padding="lg" component="article" aria-labelledby={`project-${p.id}`}>
                <Group justify="space-between" mb="xs">
                  <Title order={3} size="h5" id={`project-${p.id}`}>
                    {p.name}
                  </Title>
                  {setsQuotas && (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setEditing({ kind: 'project', id: p.id, name: p.name, quota: p.quota })}
                      aria-label={`Edit the quota of ${p.name}`}
                    >
                      Edit quota
                    </Button>
                  )}
                </Group>
                {p.description && (
                  <Text size="sm" c="dimmed" mb="xs">
                    {p.description}
                  </Text>
                )}
                <QuotaUsage quota={p.quota} usage={p.usage} label={`Usage of ${p.name} against its quota`} />
              </Card>
            ))}
          </SimpleGrid>
        )}
      </section>

      <ProjectMetricsSection projects={projects} />

      <OrganizationMembers organizationId={org.id} projects={projects} canManage={isAdmin} />
      {isAdmin && <InvitationsPanel organizationId={org.id} />}
      {isAdmin && <RequireMfaSetting organizationId={org.id} />}

      {editing && (
        <QuotaForm
          key={`${editing.kind}-${editing.id}`}
          opened
          title={`Quota of ${editing.name}`}
          quota={editing.quota}
          onClose={() => setEditing(null)}
          onSave={async (quota) => {
            if (editing.kind === 'project') await updateProject({ variables: { id: editing.id, input: { quota } } });
            else await updateOrganization({ variables: { id: editing.id, input: { quota } } });
            await refetch();
          }}
        />
      )}
    </Stack>
  );
}
