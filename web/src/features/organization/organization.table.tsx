'use client';

import { type QueryRef, useReadQuery } from '@apollo/client/react';
import { Anchor, Paper, Text } from '@mantine/core';
import Link from 'next/link';
import type { OrganizationsQuery } from '@/gql/graphql';
import { formatDate } from './organization.format';
import { Table } from '@/components/table';

/** The organizations page: one row per organization. */
export function OrganizationTable({ queryRef }: { queryRef: QueryRef<OrganizationsQuery> }) {
  const { data } = useReadQuery(queryRef);
  const { totalCount, edges, pageInfo } = data.organizations;

  if (edges.length === 0) {
    return (
      <Paper withBorder p="lg">
        <Text fw={500}>You are not a member of any organization yet.</Text>
        <Text size="sm" c="dimmed">
          Ask a platform administrator or an organization owner to add you.
        </Text>
      </Paper>
    );
  }

  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={560}>
        <Table striped highlightOnHover verticalSpacing="sm">
          <Table.Caption>
            {pageInfo.hasNextPage
              ? `The first ${edges.length} of ${totalCount} organizations`
              : `${totalCount} organizations`}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Slug</Table.Th>
              <Table.Th scope="col" ta="right">
                Projects
              </Table.Th>
              <Table.Th scope="col">Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {edges.map(({ node: organization }) => (
              <Table.Tr key={organization.id}>
                <Table.Th scope="row" fw={500}>
                  <Anchor component={Link} href={`/organizations/${organization.id}`}>
                    {organization.name}
                  </Anchor>
                </Table.Th>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {organization.slug}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{organization.projects.totalCount}</Table.Td>
                <Table.Td>
                  <time dateTime={organization.createdAt}>{formatDate(organization.createdAt)}</time>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
