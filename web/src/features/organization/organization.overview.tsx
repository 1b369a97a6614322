'use client';

import { type QueryRef, useReadQuery } from '@apollo/client/react';
import { Anchor, Badge, Card, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import Link from 'next/link';
import type { OrganizationsQuery } from '@/gql/graphql';
import { formatDate, plural } from './organization.format';

/** Dashboard body: counts, then every organization the user belongs to with its projects. */
export function OrganizationOverview({ queryRef }: { queryRef: QueryRef<OrganizationsQuery> }) {
  const { data } = useReadQuery(queryRef);
  const { totalCount, edges, pageInfo } = data.organizations;
  const projectCount = edges.reduce((sum, { node }) => sum + node.projects.totalCount, 0);

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" maw={560}>
        <Stat label="Organizations" value={totalCount} />
        <Stat label="Projects" value={projectCount} />
      </SimpleGrid>

      {edges.length === 0 ? (
        <Paper withBorder p="lg">
          <Text fw={500}>You are not a member of any organization yet.</Text>
          <Text size="sm" c="dimmed">
            Ask a platform administrator or an organization owner to add you.
          </Text>
        </Paper>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md">
          {edges.map(({ node: organization }) => (
            <Card
              key={organization.id}
              withBorder
              padding="lg"
              component="section"
              aria-labelledby={`org-${organization.id}`}
            >
              <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
                <div>
                  <Title order={3} size="h4" id={`org-${organization.id}`}>
                    <Anchor component={Link} href={`/organizations/${organization.id}`} inherit>
                      {organization.name}
                    </Anchor>
                  </Title>
                  <Text size="xs" c="dimmed">
                    {organization.slug} · created {formatDate(organization.createdAt)}
                  </Text>
                </div>
                <Badge variant="light">{plural(organization.projects.totalCount, 'project')}</Badge>
              </Group>
              {organization.projects.edges.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No projects yet.
                </Text>
              ) : (
                <List spacing={6} size="sm" listStyleType="none" aria-label={`Projects of ${organization.name}`}>
                  {organization.projects.edges.map(({ node: project }) => (
                    <List.Item key={project.id}>
                      <Text size="sm" fw={500} span>
                        {project.name}
                      </Text>
                      {project.description && (
                        <Text size="xs" c="dimmed">
                          {project.description}
                        </Text>
                      )}
                    </List.Item>
                  ))}
                </List>
              )}
              {organization.projects.totalCount > organization.projects.edges.length && (
                <Text size="xs" c="dimmed" mt="xs">
                  Showing {organization.projects.edges.length} of {organization.projects.totalCount}.
                </Text>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}

      {pageInfo.hasNextPage && (
        <Text size="sm" c="dimmed">
          Showing the first {edges.length} of {totalCount} organizations.{' '}
          <Anchor component={Link} href="/organizations" size="sm">
            See all organizations
          </Anchor>
        </Text>
      )}
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Paper withBorder p="md" component="dl" m={0}>
      <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="dd" size="xl" fw={700} m={0}>
        {value}
      </Text>
    </Paper>
  );
}
