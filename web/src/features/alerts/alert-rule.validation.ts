// The rule form's checks, the same the API makes (alert.resolver.ts), said under the field before
// anything is sent. Pure, so it is unit-tested; the API's own field errors still land under the field.
import type { AlertComparator, AlertMetric, AlertScope, AlertSeverity } from '@/gql/graphql';

export const SCOPE_METRICS: Record<AlertScope, readonly AlertMetric[]> = {
  MACHINE: ['CPU', 'MEMORY', 'STORAGE', 'NET_IN', 'NET_OUT', 'DISK_READ', 'DISK_WRITE'],
  PROJECT: ['CPU', 'MEMORY', 'STORAGE', 'NET_IN', 'NET_OUT', 'DISK_READ', 'DISK_WRITE'],
  NODE: ['CPU', 'MEMORY', 'STORAGE', 'NET_IN', 'NET_OUT', 'DISK_READ', 'DISK_WRITE', 'NODE_STATUS'],
  CLUSTER: ['CPU', 'MEMORY', 'STORAGE', 'NET_IN', 'NET_OUT', 'DISK_READ', 'DISK_WRITE', 'NODE_STATUS'],
  CEPH: ['CEPH_HEALTH'],
};

/** An organisation's rules watch its machines and projects; the platform's watch nodes, clusters, Ceph. */
export const OWNER_SCOPES = {
  organization: ['MACHINE', 'PROJECT'] as AlertScope[],
  platform: ['NODE', 'CLUSTER', 'CEPH'] as AlertScope[],
};

export const METRIC_LABEL: Record<AlertMetric, string> = {
  CPU: 'CPU (%)',
  MEMORY: 'Memory (%)',
  STORAGE: 'Storage (%)',
  NET_IN: 'Network in (bytes/s)',
  NET_OUT: 'Network out (bytes/s)',
  DISK_READ: 'Disk read (bytes/s)',
  DISK_WRITE: 'Disk write (bytes/s)',
  NODE_STATUS: 'Node status (1 online, 0 offline)',
  CEPH_HEALTH: 'Ceph health (0 OK, 1 WARN, 2 ERR)',
};

export const COMPARATOR_LABEL: Record<AlertComparator, string> = {
  GT: '>',
  GTE: '≥',
  LT: '<',
  LTE: '≤',
  EQ: '=',
  NE: '≠',
};

const PERCENT: ReadonlySet<AlertMetric> = new Set(['CPU', 'MEMORY', 'STORAGE']);

export interface RuleDraft {
  name: string;
  scope: AlertScope;
  metric: AlertMetric;
  comparator: AlertComparator;
  threshold: number | null;
  clearThreshold: number | null;
  durationSeconds: number | null;
  severity: AlertSeverity;
  enabled: boolean;
  machineId: string | null;
  projectId: string | null;
  clusterId: string | null;
  node: string;
}

/** Field → what is wrong with it, in words; empty when the draft may be sent. */
export function validateRule(r: RuleDraft, creating: boolean): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!r.name.trim()) problems['name'] = 'Name the rule after what it watches, e.g. "CPU busy".';
  else if (r.name.trim().length > 100) problems['name'] = 'At most 100 characters.';
  if (!SCOPE_METRICS[r.scope].includes(r.metric))
    problems['metric'] = `Choose one of ${SCOPE_METRICS[r.scope].join(', ')} for ${r.scope} scope.`;
  if (r.threshold === null || !Number.isFinite(r.threshold)) problems['threshold'] = 'Enter the threshold.';
  else if (PERCENT.has(r.metric) && (r.threshold < 0 || r.threshold > 100))
    problems['threshold'] = 'A percentage for this metric: 0 to 100.';
  else if (r.threshold < 0) problems['threshold'] = 'Must not be negative.';
  if (
    r.durationSeconds === null ||
    !Number.isInteger(r.durationSeconds) ||
    r.durationSeconds < 0 ||
    r.durationSeconds > 86_400
  )
    problems['durationSeconds'] = 'Whole seconds from 0 to 86400 (one day).';
  if (r.clearThreshold !== null && r.threshold !== null) {
    if (r.comparator === 'EQ' || r.comparator === 'NE') problems['clearThreshold'] = 'Applies to >, ≥, < and ≤ only.';
    else {
      const above = r.comparator === 'GT' || r.comparator === 'GTE';
      if (above ? r.clearThreshold > r.threshold : r.clearThreshold < r.threshold)
        problems['clearThreshold'] =
          `Must be ${above ? 'at or below' : 'at or above'} the threshold: the alert resolves once the value is back past it.`;
    }
  }
  if (creating && r.scope === 'MACHINE' && !r.machineId) problems['machineId'] = 'Choose the machine to watch.';
  if (creating && r.scope === 'PROJECT' && !r.projectId) problems['projectId'] = 'Choose the project to watch.';
  return problems;
}

/** A webhook channel needs an http(s) URL and a signing secret of 16 to 200 characters. */
export function validateChannel(c: {
  name: string;
  kind: 'WEBHOOK' | 'EMAIL';
  url: string;
  webhookSecret: string;
  recipients: string;
  creating: boolean;
}): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!c.name.trim()) problems['name'] = 'Name the channel, e.g. "on-call webhook".';
  if (c.kind === 'WEBHOOK') {
    let url: URL | null = null;
    try {
      url = new URL(c.url);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      problems['url'] = 'An http:// or https:// address notifications are POSTed to.';
    if ((c.creating || c.webhookSecret) && (c.webhookSecret.length < 16 || c.webhookSecret.length > 200))
      problems['webhookSecret'] = 'A signing secret of 16 to 200 characters (the receiver checks the HMAC with it).';
  } else {
    const list = recipientsOf(c.recipients);
    if (!list.length) problems['recipients'] = 'At least one e-mail address.';
    else if (list.length > 50) problems['recipients'] = 'At most 50 addresses.';
    else {
      const bad = list.find((a) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a));
      if (bad) problems['recipients'] = `"${bad}" is not an e-mail address.`;
    }
  }
  return problems;
}

/** Addresses separated by commas, spaces or new lines. */
export function recipientsOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
