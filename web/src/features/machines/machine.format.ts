import type { JobStatus, MachineKind, MachineStatus } from '@/gql/graphql';

// Fixed locale and time zone, so the server and the browser render the same string (no hydration diff).
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateTimeFormat.format(date)} UTC`;
}

export function formatMemory(mib: number): string {
  return mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

export function formatSize({
  cores,
  memoryMiB,
  diskGiB,
}: {
  cores: number;
  memoryMiB: number;
  diskGiB: number;
}): string {
  return `${cores} ${cores === 1 ? 'core' : 'cores'} · ${formatMemory(memoryMiB)} · ${diskGiB} GiB disk`;
}

export const KIND_LABEL: Record<MachineKind, string> = { VM: 'Virtual machine', LXC: 'Container' };
export const KIND_SHORT: Record<MachineKind, string> = { VM: 'VM', LXC: 'LXC' };

export const MACHINE_STATUSES: readonly MachineStatus[] = [
  'RUNNING',
  'STOPPED',
  'PROVISIONING',
  'PENDING',
  'SUSPENDED',
  'DELETING',
  'FAILED',
  'MISSING',
];

export const STATUS_COLOR: Record<MachineStatus, string> = {
  RUNNING: 'green',
  STOPPED: 'gray',
  PROVISIONING: 'blue',
  PENDING: 'blue',
  SUSPENDED: 'yellow',
  DELETING: 'orange',
  FAILED: 'red',
  MISSING: 'red',
};

/** Statuses that change without the user doing anything: worth watching. */
export const TRANSITIONAL: ReadonlySet<MachineStatus> = new Set(['PROVISIONING', 'PENDING', 'DELETING']);

export const JOB_STATUS_COLOR: Record<JobStatus, string> = {
  QUEUED: 'gray',
  RUNNING: 'blue',
  SUCCEEDED: 'green',
  FAILED: 'red',
  ROLLING_BACK: 'orange',
  CANCELLING: 'orange',
  CANCELLED: 'gray',
};

export function titleCase(value: string): string {
  return value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ');
}
