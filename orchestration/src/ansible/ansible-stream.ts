import type { ProgressEvent } from '../terraform/progress.js';

/**
 * Parses the JSON lines of our callback plugin (ansible/callback_plugins/pvepaas_jsonl.py):
 * playbook_start, play_start, task_start, handler_start, task_result, warning, stats.
 */
export interface RecapTotals {
  ok: number;
  changed: number;
  failures: number;
  unreachable: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export interface TaskFailure {
  task: string;
  host: string;
  message: string;
  unreachable: boolean;
}

interface CallbackLine {
  event?: string;
  at?: string;
  playbook?: string;
  play?: string;
  hosts?: unknown;
  tasks_total?: number;
  task?: string;
  action?: string;
  role?: string;
  index?: number;
  status?: 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';
  host?: string;
  changed?: boolean;
  ignored?: boolean;
  item?: string;
  msg?: string;
  stderr?: string;
}

const EMPTY: RecapTotals = { ok: 0, changed: 0, failures: 0, unreachable: 0, skipped: 0, rescued: 0, ignored: 0 };

export class AnsibleStream {
  readonly failures: TaskFailure[] = [];
  hosts: Record<string, RecapTotals> | undefined;
  private tasksTotal: number | undefined;
  private tasksStarted = 0;
  private lastPercent = 0;

  constructor(
    readonly step: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Totals over all hosts, from the final stats line. */
  get summary(): RecapTotals {
    const total = { ...EMPTY };
    for (const h of Object.values(this.hosts ?? {})) {
      for (const k of Object.keys(total) as (keyof RecapTotals)[]) total[k] += h[k] ?? 0;
    }
    return total;
  }

  push(raw: string): ProgressEvent | undefined {
    const line = raw.trim();
    if (!line) return undefined;
    let m: CallbackLine;
    try {
      m = JSON.parse(line) as CallbackLine;
    } catch {
      return this.event('info', line, undefined, { type: 'text' });
    }
    switch (m.event) {
      case 'playbook_start':
        return this.event('started', `Playbook ${m.playbook}`, m.at, { type: m.event, playbook: m.playbook });
      case 'play_start':
        this.tasksTotal = m.tasks_total ?? undefined;
        this.tasksStarted = 0;
        this.lastPercent = 0;
        return this.event('info', `Play: ${m.play}`, m.at, { type: m.event, play: m.play, tasksTotal: m.tasks_total });
      case 'task_start':
        this.tasksStarted += 1;
        return this.event('running', m.task ?? '', m.at, this.taskDetail(m), this.percent());
      case 'handler_start':
        return this.event('running', `Handler: ${m.task}`, m.at, this.taskDetail(m), this.percent());
      case 'task_result':
        return this.result(m);
      case 'warning':
        return this.event('warning', m.msg ?? '', m.at, { type: m.event });
      case 'stats': {
        this.hosts = (m.hosts ?? {}) as Record<string, RecapTotals>;
        const s = this.summary;
        const failed = s.failures + s.unreachable > 0;
        return this.event(
          failed ? 'failed' : 'succeeded',
          `ok=${s.ok} changed=${s.changed} failed=${s.failures} unreachable=${s.unreachable} skipped=${s.skipped}`,
          m.at,
          { type: m.event, hosts: this.hosts },
          100,
        );
      }
      default:
        return this.event('info', line, m.at, { type: m.event ?? 'unknown' });
    }
  }

  private result(m: CallbackLine): ProgressEvent {
    const task = m.task ?? '';
    const host = m.host ?? '';
    const detail = { ...this.taskDetail(m), host, result: m.status, changed: m.changed ?? false };
    if (m.item !== undefined) Object.assign(detail, { item: m.item });
    if (m.status === 'failed' || m.status === 'unreachable') {
      const message = [m.msg, m.stderr].filter(Boolean).join(': ') || `${m.status}`;
      Object.assign(detail, { error: message });
      if (m.status === 'failed' && m.ignored) {
        return this.event('warning', `${task} failed on ${host} (ignored): ${message}`, m.at, detail);
      }
      this.failures.push({ task, host, message, unreachable: m.status === 'unreachable' });
      return this.event('failed', `${task} ${m.status} on ${host}: ${message}`, m.at, detail);
    }
    const status = m.status === 'skipped' ? 'info' : 'running';
    return this.event(status, `${task} on ${host}: ${m.status}`, m.at, detail, this.percent(true));
  }

  private taskDetail(m: CallbackLine): Record<string, unknown> {
    const d: Record<string, unknown> = { type: m.event, task: m.task };
    if (m.action) d.action = m.action;
    if (m.role) d.role = m.role;
    return d;
  }

  /** Tasks started before this one are done; a result also counts its own task. */
  private percent(includeCurrent = false): number | undefined {
    if (!this.tasksTotal) return undefined;
    const done = this.tasksStarted - (includeCurrent ? 0 : 1);
    // Never backwards (handlers run after the last task; the total is an estimate).
    this.lastPercent = Math.max(this.lastPercent, Math.min(99, Math.round((done / this.tasksTotal) * 100)));
    return this.lastPercent;
  }

  private event(
    status: ProgressEvent['status'],
    message: string,
    at?: string,
    detail?: Record<string, unknown>,
    percent?: number,
  ): ProgressEvent {
    const e: ProgressEvent = { step: this.step, status, message, at: at ?? this.now().toISOString() };
    if (percent !== undefined) e.percent = Math.max(0, percent);
    if (detail) e.detail = detail;
    return e;
  }
}
