// What a rule sees in one collection tick, and how an alert moves between states. Pure functions:
// the listener (alert.listener.ts) loads rules and open alerts, calls these and persists the result.
import type { MetricSample } from '@pvepaas/orchestration/metrics/index';
import { AlertComparator, AlertMetric, AlertScope, AlertState } from './alert.entity.js';

/** The rule's fields evaluation needs (an AlertRule entity fits). */
export interface RuleShape {
  scope: AlertScope;
  metric: AlertMetric;
  comparator: AlertComparator;
  threshold: number;
  clearThreshold?: number | null;
  durationSeconds: number;
  node?: string | null;
  clusterId: string | null;
  machineId: string | null;
  projectId: string | null;
}

/** A platform machine as the listener knows it on the cluster being evaluated. */
export interface KnownMachine {
  id: string;
  name: string;
  vmid: number;
  projectId: string;
  organizationId: string;
}

/** One thing a rule is evaluated on, with its value this tick. */
export interface Subject {
  key: string;
  label: string;
  value: number;
  machine?: KnownMachine;
}

const percent = (used: number, total: number) => (total > 0 ? (100 * used) / total : null);

/** The metric's value in a sample; null when the sample does not carry it (e.g. no total). */
export function metricValue(metric: AlertMetric, s: MetricSample): number | null {
  switch (metric) {
    case AlertMetric.CPU:
      return 100 * s.cpu;
    case AlertMetric.MEMORY:
      return percent(s.memUsed, s.memTotal);
    case AlertMetric.STORAGE:
      return percent(s.diskUsed, s.diskTotal);
    case AlertMetric.NET_IN:
      return s.netInBps;
    case AlertMetric.NET_OUT:
      return s.netOutBps;
    case AlertMetric.DISK_READ:
      return s.diskReadBps;
    case AlertMetric.DISK_WRITE:
      return s.diskWriteBps;
    case AlertMetric.NODE_STATUS:
      return s.status === 'online' ? 1 : 0;
    case AlertMetric.CEPH_HEALTH:
      return null;
  }
}

/** Ceph's health string as a number: OK 0, WARN 1, anything else (ERR, unknown) 2. */
export function cephHealthValue(health: string | null): number {
  if (health === 'HEALTH_OK') return 0;
  if (health === 'HEALTH_WARN') return 1;
  return 2;
}

/** Which kind of sample a rule of this scope and metric reads. */
export function sampleKind(scope: AlertScope, metric: AlertMetric): MetricSample['kind'] | 'ceph' {
  if (scope === AlertScope.CEPH || metric === AlertMetric.CEPH_HEALTH) return 'ceph';
  if (metric === AlertMetric.NODE_STATUS) return 'node';
  if (scope === AlertScope.NODE || scope === AlertScope.CLUSTER)
    return metric === AlertMetric.STORAGE ? 'storage' : scope === AlertScope.NODE ? 'node' : 'machine';
  return 'machine';
}

/** Metrics each scope accepts (validation and evaluation agree through this table). */
export const SCOPE_METRICS: Record<AlertScope, AlertMetric[]> = {
  [AlertScope.MACHINE]: [
    AlertMetric.CPU,
    AlertMetric.MEMORY,
    AlertMetric.STORAGE,
    AlertMetric.NET_IN,
    AlertMetric.NET_OUT,
    AlertMetric.DISK_READ,
    AlertMetric.DISK_WRITE,
  ],
  [AlertScope.PROJECT]: [
    AlertMetric.CPU,
    AlertMetric.MEMORY,
    AlertMetric.STORAGE,
    AlertMetric.NET_IN,
    AlertMetric.NET_OUT,
    AlertMetric.DISK_READ,
    AlertMetric.DISK_WRITE,
  ],
  [AlertScope.NODE]: [
    AlertMetric.CPU,
    AlertMetric.MEMORY,
    AlertMetric.STORAGE,
    AlertMetric.NET_IN,
    AlertMetric.NET_OUT,
    AlertMetric.DISK_READ,
    AlertMetric.DISK_WRITE,
    AlertMetric.NODE_STATUS,
  ],
  [AlertScope.CLUSTER]: [
    AlertMetric.CPU,
    AlertMetric.MEMORY,
    AlertMetric.STORAGE,
    AlertMetric.NET_IN,
    AlertMetric.NET_OUT,
    AlertMetric.DISK_READ,
    AlertMetric.DISK_WRITE,
    AlertMetric.NODE_STATUS,
  ],
  [AlertScope.CEPH]: [AlertMetric.CEPH_HEALTH],
};

/**
 * The subjects of `rule` in one cluster's tick. Machine and project rules see only the platform's
 * machines they name; platform rules see every guest, node or storage of the cluster.
 */
export function subjectsOf(
  rule: RuleShape,
  clusterId: string,
  samples: MetricSample[],
  machines: Map<number, KnownMachine>,
  ceph: { health: string | null; available: boolean } | null,
): Subject[] {
  if (rule.clusterId && rule.clusterId !== clusterId) return [];
  const kind = sampleKind(rule.scope, rule.metric);
  if (kind === 'ceph') {
    if (!ceph?.available) return [];
    return [{ key: 'ceph', label: `Ceph (${ceph.health ?? 'unknown'})`, value: cephHealthValue(ceph.health) }];
  }
  const out: Subject[] = [];
  for (const s of samples) {
    if (s.kind !== kind) continue;
    if (rule.scope === AlertScope.NODE && rule.node && s.node !== rule.node) continue;
    let machine: KnownMachine | undefined;
    if (kind === 'machine') {
      machine = s.vmid !== undefined ? machines.get(s.vmid) : undefined;
      if (rule.scope === AlertScope.MACHINE && machine?.id !== rule.machineId) continue;
      if (rule.scope === AlertScope.PROJECT && machine?.projectId !== rule.projectId) continue;
    }
    const value = metricValue(rule.metric, s);
    if (value === null) continue;
    if (kind === 'machine')
      out.push({
        key: `machine:${s.vmid}`,
        label: machine ? `${machine.name} (${s.vmid} on ${s.node})` : `guest ${s.vmid} on ${s.node}`,
        value,
        machine,
      });
    else if (kind === 'node') out.push({ key: `node:${s.node}`, label: `node ${s.node}`, value });
    else out.push({ key: `storage:${s.node}/${s.storage}`, label: `storage ${s.storage} on ${s.node}`, value });
  }
  return out;
}

export function compare(comparator: AlertComparator, value: number, threshold: number): boolean {
  switch (comparator) {
    case AlertComparator.GT:
      return value > threshold;
    case AlertComparator.GTE:
      return value >= threshold;
    case AlertComparator.LT:
      return value < threshold;
    case AlertComparator.LTE:
      return value <= threshold;
    case AlertComparator.EQ:
      return value === threshold;
    case AlertComparator.NE:
      return value !== threshold;
  }
}

/** Where an open alert goes this tick. */
export type Transition =
  { to: 'none' } | { to: 'pending' } | { to: 'firing' } | { to: 'stay' } | { to: 'discard' } | { to: 'resolved' };

/**
 * The state machine. No alert: a breach opens one PENDING (FIRING at once for a duration of 0).
 * PENDING: fires once the breach has held for the duration; a tick without the breach discards
 * it (it never fired, nobody was told). FIRING: stays until the value is past the clear threshold
 * (hysteresis), then RESOLVED.
 */
export function transition(
  rule: RuleShape,
  open: { state: AlertState; pendingSince: Date } | null,
  value: number,
  at: Date,
): Transition {
  const breach = compare(rule.comparator, value, rule.threshold);
  const held = (since: Date) => at.getTime() - since.getTime() >= rule.durationSeconds * 1000;
  if (!open) return breach ? (rule.durationSeconds <= 0 ? { to: 'firing' } : { to: 'pending' }) : { to: 'none' };
  if (open.state === AlertState.PENDING) {
    if (!breach) return { to: 'discard' };
    return held(open.pendingSince) ? { to: 'firing' } : { to: 'stay' };
  }
  // Firing: cleared only past the clear threshold (the threshold itself when none).
  const clearAt = rule.clearThreshold ?? rule.threshold;
  return compare(rule.comparator, value, clearAt) ? { to: 'stay' } : { to: 'resolved' };
}
