// Alert evaluation on every collection: the collector calls this listener once per cluster and tick,
// after the tick's samples are written. Each enabled rule is evaluated on its subjects in the
// cluster; state changes are stored with their history, published to `alertEvents` (in-app) and
// sent to the owner's notification channels unless the alert is silenced.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CollectionListener, MetricSample } from '@pvepaas/orchestration/metrics/index';
import type { Logger } from '../../logger.js';
import type { PubSub, Topics } from '../../realtime/pubsub.js';
import type { Notifier } from '../notification/notification.dispatch.js';
import { Alert, AlertEvent, AlertEventKind, AlertRule, AlertState } from './alert.entity.js';
import { sampleKind, subjectsOf, transition, type KnownMachine, type RuleShape } from './alert.evaluate.js';

export interface AlertDeps {
  orm: MikroORM;
  pubsub: PubSub;
  notifier: Notifier;
  log: Logger;
}

/** The in-app event of an alert change; its channel is the organisation's, or `platform`. */
export function alertPayload(alert: Alert, rule: AlertRule, kind: AlertEventKind, at: Date): Topics['alertEvents'] {
  return {
    kind,
    at: at.toISOString(),
    alertId: alert.id,
    ruleId: rule.id,
    ruleName: rule.name,
    organizationId: alert.organization?.id ?? null,
    projectId: alert.project?.id ?? null,
    machineId: alert.machine?.id ?? null,
    clusterId: alert.clusterId ?? null,
    subject: alert.subject,
    subjectLabel: alert.subjectLabel,
    state: alert.state,
    severity: alert.severity,
    value: alert.value,
  };
}

export const alertChannel = (organizationId: string | null) => organizationId ?? 'platform';

const shape = (r: AlertRule): RuleShape => ({
  scope: r.scope,
  metric: r.metric,
  comparator: r.comparator,
  threshold: r.threshold,
  clearThreshold: r.clearThreshold,
  durationSeconds: r.durationSeconds,
  node: r.node,
  clusterId: r.cluster?.id ?? null,
  machineId: r.machine?.id ?? null,
  projectId: r.project?.id ?? null,
});

/** Changes that reach channels (e-mail, webhooks); PENDING and the acts of users stay in-app. */
const NOTIFIED = new Set([AlertEventKind.FIRING, AlertEventKind.RESOLVED, AlertEventKind.SILENCE_EXPIRED]);

export function alertListener(deps: AlertDeps): CollectionListener {
  return async (clusterId: string, samples: MetricSample[], at: Date) => {
    const em = deps.orm.em.fork();
    const rules = await em.find(AlertRule, { enabled: true });
    const conn = em.getConnection();
    const machines = new Map<number, KnownMachine>();
    for (const m of await conn.execute<
      { id: string; name: string; vmid: number; project_id: string; organization_id: string }[]
    >(
      `select m.id, m.name, m.vmid, m.project_id, p.organization_id from machine m
        join project p on p.id = m.project_id where m.cluster_id = ? and m.vmid is not null`,
      [clusterId],
    ))
      machines.set(Number(m.vmid), {
        id: m.id,
        name: m.name,
        vmid: Number(m.vmid),
        projectId: m.project_id,
        organizationId: m.organization_id,
      });
    const needsCeph = rules.some((r) => sampleKind(r.scope, r.metric) === 'ceph');
    const cephRow = needsCeph
      ? (
          await conn.execute<{ health: string | null; available: boolean }[]>(
            `select health, available from cluster_ceph_status where cluster_id = ?`,
            [clusterId],
          )
        )[0]
      : undefined;
    const ceph = cephRow ? { health: cephRow.health, available: Boolean(cephRow.available) } : null;

    const open = await em.find(
      Alert,
      { clusterId, state: { $in: [AlertState.PENDING, AlertState.FIRING] } },
      { populate: ['rule'] },
    );
    const openByKey = new Map(open.map((a) => [`${a.rule.id}|${a.subject}`, a]));
    const seen = new Set<string>();
    const changes: { alert: Alert; rule: AlertRule; kind: AlertEventKind }[] = [];
    const record = (alert: Alert, rule: AlertRule, kind: AlertEventKind) => {
      em.create(AlertEvent, { alert, kind, at, value: alert.value });
      changes.push({ alert, rule, kind });
    };
    const resolve = (alert: Alert, rule: AlertRule) => {
      if (alert.state === AlertState.PENDING) {
        em.remove(alert);
        return;
      }
      alert.state = AlertState.RESOLVED;
      alert.resolvedAt = at;
      record(alert, rule, AlertEventKind.RESOLVED);
    };

    for (const rule of rules) {
      for (const subject of subjectsOf(shape(rule), clusterId, samples, machines, ceph)) {
        const key = `${rule.id}|${subject.key}`;
        seen.add(key);
        const alert = openByKey.get(key) ?? null;
        const step = transition(shape(rule), alert, subject.value, at);
        if (alert) alert.value = subject.value;
        switch (step.to) {
          case 'none':
            break;
          case 'pending':
          case 'firing': {
            const target =
              alert ??
              em.create(Alert, {
                rule,
                organization: rule.organization ?? null,
                // A platform rule's alert on a tenant's guest stays the platform's: no project of theirs.
                project: rule.organization ? (rule.project?.id ?? subject.machine?.projectId ?? null) : null,
                machine: subject.machine?.id ?? null,
                clusterId,
                subject: subject.key,
                subjectLabel: subject.label,
                state: AlertState.PENDING,
                severity: rule.severity,
                value: subject.value,
                pendingSince: at,
              });
            if (!alert) record(target, rule, AlertEventKind.PENDING);
            if (step.to === 'firing') {
              target.state = AlertState.FIRING;
              target.firedAt = at;
              record(target, rule, AlertEventKind.FIRING);
            }
            break;
          }
          case 'discard':
            em.remove(alert!);
            break;
          case 'resolved':
            resolve(alert!, rule);
            break;
          case 'stay':
            if (alert!.state === AlertState.FIRING && alert!.silencedUntil && alert!.silencedUntil <= at) {
              alert!.silencedUntil = null;
              record(alert!, rule, AlertEventKind.SILENCE_EXPIRED);
            }
            break;
        }
      }
    }
    // Open alerts whose subject is gone this tick (guest deleted, rule disabled) end here.
    for (const alert of open) if (!seen.has(`${alert.rule.id}|${alert.subject}`)) resolve(alert, alert.rule);
    await em.flush();

    for (const { alert, rule, kind } of changes) {
      const payload = alertPayload(alert, rule, kind, at);
      await deps.pubsub.publish('alertEvents', alertChannel(payload.organizationId), payload);
      const silenced = alert.silencedUntil && alert.silencedUntil > at;
      if (NOTIFIED.has(kind) && !silenced) deps.notifier.notify(payload);
    }
    if (changes.length > 0)
      deps.log.info(
        { clusterId, changes: changes.map((c) => ({ alert: c.alert.id, kind: c.kind })) },
        'alerts changed',
      );
  };
}
