import { Badge } from '@mantine/core';
import type { MachineStatus } from '@/gql/graphql';
import { STATUS_COLOR } from './machine.format';

/** The machine's status as Proxmox and the platform last saw it; the text is the enum, for search and tests. */
export function MachineStatusBadge({ status }: { status: MachineStatus }) {
  return (
    <Badge
      color={STATUS_COLOR[status]}
      variant="light"
      data-status={status}
      style={{ flexShrink: 0, overflow: 'visible' }}
    >
      {status}
    </Badge>
  );
}
