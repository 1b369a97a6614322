// The state machine and the subjects of a rule, without a database: what each tick does to an alert.
import { describe, expect, it } from 'vitest';
import type { MetricSample } from '@pvepaas/orchestration/metrics/index';
import { AlertComparator, AlertMetric, AlertScope, AlertState } from './alert.entity.js';
import { subjectsOf, transition, type RuleShape } from './alert.evaluate.js';

const rule: RuleShape = {
  scope: AlertScope.CLUSTER,
  metric: AlertMetric.MEMORY,
  comparator: AlertComparator.GT,
  threshold: 90,
  clearThreshold: 80,
  durationSeconds: 300,
  clusterId: null,
  machineId: null,
  projectId: null,
};
const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
const pending = { state: AlertState.PENDING, pendingSince: at(0) };
const firing = { state: AlertState.FIRING, pendingSince: at(0) };

describe('alert transitions', () => {
  it('opens pending on a breach, fires only once the breach held for the duration', () => {
    expect(transition(rule, null, 95, at(0))).toEqual({ to: 'pending' });
    expect(transition(rule, null, 90, at(0))).toEqual({ to: 'none' });
    expect(transition(rule, pending, 95, at(299))).toEqual({ to: 'stay' });
    expect(transition(rule, pending, 95, at(300))).toEqual({ to: 'firing' });
    // A dip before the duration: discarded, nobody was told.
    expect(transition(rule, pending, 89, at(100))).toEqual({ to: 'discard' });
    expect(transition({ ...rule, durationSeconds: 0 }, null, 95, at(0))).toEqual({ to: 'firing' });
  });

  it('resolves a firing alert only past the clear threshold (hysteresis)', () => {
    expect(transition(rule, firing, 85, at(400))).toEqual({ to: 'stay' });
    expect(transition(rule, firing, 80.5, at(400))).toEqual({ to: 'stay' });
    expect(transition(rule, firing, 80, at(400))).toEqual({ to: 'resolved' });
    expect(transition({ ...rule, clearThreshold: null }, firing, 90, at(400))).toEqual({ to: 'resolved' });
    const below = { ...rule, comparator: AlertComparator.LT, threshold: 10, clearThreshold: 20 };
    expect(transition(below, firing, 15, at(400))).toEqual({ to: 'stay' });
    expect(transition(below, firing, 20, at(400))).toEqual({ to: 'resolved' });
  });
});

describe('subjects of a rule', () => {
  const sample = (kind: MetricSample['kind'], extra: Partial<MetricSample>): MetricSample => ({
    ts: at(0).toISOString(),
    kind,
    clusterId: 'c1',
    node: 'pve1',
    cpu: 0.5,
    cpus: 4,
    memUsed: 95,
    memTotal: 100,
    netInBps: 1,
    netOutBps: 2,
    diskReadBps: 3,
    diskWriteBps: 4,
    diskUsed: 90,
    diskTotal: 100,
    status: 'running',
    ...extra,
  });
  const samples = [
    sample('machine', { vmid: 101 }),
    sample('machine', { vmid: 102, memUsed: 10 }),
    sample('node', { status: 'offline', node: 'pve2' }),
    sample('storage', { storage: 'local', diskUsed: 86 }),
  ];
  const machines = new Map([[101, { id: 'm1', name: 'db', vmid: 101, projectId: 'p1', organizationId: 'o1' }]]);

  it('reads guests, nodes, storages and Ceph by scope and metric', () => {
    expect(subjectsOf(rule, 'c1', samples, machines, null).map((s) => [s.key, s.value])).toEqual([
      ['machine:101', 95],
      ['machine:102', 10],
    ]);
    const storage = { ...rule, metric: AlertMetric.STORAGE };
    expect(subjectsOf(storage, 'c1', samples, machines, null).map((s) => [s.key, s.value])).toEqual([
      ['storage:pve1/local', 86],
    ]);
    const nodeDown = { ...rule, scope: AlertScope.NODE, metric: AlertMetric.NODE_STATUS };
    expect(subjectsOf(nodeDown, 'c1', samples, machines, null).map((s) => [s.key, s.value])).toEqual([
      ['node:pve2', 0],
    ]);
    const ceph = { ...rule, scope: AlertScope.CEPH, metric: AlertMetric.CEPH_HEALTH };
    expect(subjectsOf(ceph, 'c1', [], machines, { health: 'HEALTH_WARN', available: true })[0]!.value).toBe(1);
    expect(subjectsOf(ceph, 'c1', [], machines, { health: null, available: false })).toEqual([]);
  });

  it("sees only the machine or project a tenant's rule names, and only its cluster", () => {
    const machineRule = { ...rule, scope: AlertScope.MACHINE, machineId: 'm1' };
    expect(subjectsOf(machineRule, 'c1', samples, machines, null).map((s) => s.key)).toEqual(['machine:101']);
    const projectRule = { ...rule, scope: AlertScope.PROJECT, projectId: 'p2' };
    expect(subjectsOf(projectRule, 'c1', samples, machines, null)).toEqual([]);
    expect(subjectsOf({ ...rule, clusterId: 'c2' }, 'c1', samples, machines, null)).toEqual([]);
  });
});
