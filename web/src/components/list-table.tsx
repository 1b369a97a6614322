'use client';

import type { ReactNode } from 'react';
import { Table } from '@/components/table';

/**
 * A list shown as a table: labelled (screen readers and tests find it by name), one header row,
 * scrolling sideways below `minWidth`. An empty column name gives a header cell without text (the
 * actions column).
 */
export function ListTable({
  label,
  columns,
  minWidth,
  striped = true,
  children,
}: {
  label: string;
  columns: readonly string[];
  minWidth: number;
  striped?: boolean;
  /** The rows (`Table.Tr`). */
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped={striped} aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, i) => (
              <Table.Th key={i}>{column}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
