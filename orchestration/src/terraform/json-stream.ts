import type { ProgressEvent } from './progress.js';

/**
 * Terraform's machine-readable UI (`-json`): one JSON object per line with `@level`, `@message`,
 * `@timestamp` and `type`. Documented types handled: version, log, init_output, planned_change,
 * change_summary, resource_drift, refresh_start/complete, apply_start/progress/complete/errored,
 * provision_start/progress/complete/errored, diagnostic, outputs. Unknown types become info events;
 * lines that are not JSON (init prints some) become log events.
 */
export interface ChangeSummary {
  add: number;
  change: number;
  import: number;
  remove: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail: string;
  address?: string;
}

export interface OutputValue {
  sensitive: boolean;
  type?: unknown;
  value?: unknown;
}

interface Hook {
  resource?: { addr?: string };
  action?: string;
  id_value?: string;
  elapsed_seconds?: number;
  provisioner?: string;
  output?: string;
  error?: string;
}

interface UiMessage {
  '@level'?: string;
  '@message'?: string;
  '@timestamp'?: string;
  type?: string;
  terraform?: string;
  change?: { resource?: { addr?: string }; action?: string };
  changes?: ChangeSummary & { operation?: string };
  hook?: Hook;
  diagnostic?: { severity?: string; summary?: string; detail?: string; address?: string };
  outputs?: Record<string, OutputValue>;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Parses one command's stream; keeps what the driver returns (summary, outputs, diagnostics). */
export class TerraformStream {
  readonly diagnostics: Diagnostic[] = [];
  readonly plannedChanges: { address: string; action: string }[] = [];
  summary: ChangeSummary | undefined;
  outputs: Record<string, OutputValue> | undefined;
  version: string | undefined;
  private completed = 0;

  constructor(
    /** Step name of the events: `terraform.plan`, `terraform.apply`, ... */
    readonly step: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One stdout line → at most one progress event. */
  push(raw: string): ProgressEvent | undefined {
    const line = raw.replace(ANSI, '').trim();
    if (!line) return undefined;
    let msg: UiMessage;
    try {
      msg = JSON.parse(line) as UiMessage;
    } catch {
      return this.event('info', line, undefined, { type: 'text' });
    }
    if (typeof msg !== 'object' || msg === null) return this.event('info', line);
    const at = msg['@timestamp'];
    const text = msg['@message'] ?? '';
    const address = msg.hook?.resource?.addr ?? msg.change?.resource?.addr;

    switch (msg.type) {
      case 'version':
        this.version = msg.terraform;
        return this.event('started', text, at, { version: msg.terraform });
      case 'planned_change': {
        const action = msg.change?.action ?? 'unknown';
        if (address && !this.plannedChanges.some((c) => c.address === address)) {
          this.plannedChanges.push({ address, action });
        }
        return this.event('info', text, at, { type: msg.type, address, action });
      }
      case 'change_summary': {
        const { add = 0, change = 0, import: imported = 0, remove = 0 } = msg.changes ?? {};
        this.summary = { add, change, import: imported, remove };
        return this.event('succeeded', text, at, { type: msg.type, ...this.summary }, 100);
      }
      case 'apply_start':
      case 'apply_progress':
      case 'refresh_start':
      case 'refresh_complete':
      case 'provision_start':
      case 'provision_progress':
      case 'provision_complete':
        return this.event('running', text, at, this.hookDetail(msg), this.percent());
      case 'apply_complete':
        this.completed += 1;
        return this.event('running', text, at, this.hookDetail(msg), this.percent());
      case 'apply_errored':
      case 'provision_errored':
        return this.event('failed', text, at, this.hookDetail(msg));
      case 'resource_drift':
        return this.event('warning', text, at, { type: msg.type, address, action: msg.change?.action });
      case 'diagnostic': {
        const d = msg.diagnostic ?? {};
        const diag: Diagnostic = {
          severity: d.severity === 'warning' ? 'warning' : 'error',
          summary: d.summary ?? text,
          detail: d.detail ?? '',
          ...(d.address ? { address: d.address } : {}),
        };
        this.diagnostics.push(diag);
        const message = diag.detail ? `${diag.summary}: ${diag.detail}` : diag.summary;
        return this.event(diag.severity === 'error' ? 'failed' : 'warning', message, at, { type: msg.type, ...diag });
      }
      case 'outputs':
        this.outputs = msg.outputs ?? {};
        return this.event('info', text, at, { type: msg.type, names: Object.keys(this.outputs) });
      default:
        return this.event(msg['@level'] === 'warn' ? 'warning' : 'info', text, at, { type: msg.type ?? 'unknown' });
    }
  }

  /** The first error diagnostic, for the failure message. */
  get firstError(): Diagnostic | undefined {
    return this.diagnostics.find((d) => d.severity === 'error');
  }

  private percent(): number | undefined {
    const total = this.plannedChanges.filter((c) => c.action !== 'noop' && c.action !== 'read').length;
    if (total === 0) return undefined;
    return Math.min(99, Math.round((this.completed / total) * 100));
  }

  private hookDetail(msg: UiMessage): Record<string, unknown> {
    const h = msg.hook ?? {};
    const detail: Record<string, unknown> = { type: msg.type };
    if (h.resource?.addr) detail.address = h.resource.addr;
    if (h.action) detail.action = h.action;
    if (h.id_value) detail.id = h.id_value;
    if (h.elapsed_seconds !== undefined) detail.elapsedSeconds = h.elapsed_seconds;
    if (h.provisioner) detail.provisioner = h.provisioner;
    if (h.error) detail.error = h.error;
    return detail;
  }

  private event(
    status: ProgressEvent['status'],
    message: string,
    at?: string,
    detail?: Record<string, unknown>,
    percent?: number,
  ): ProgressEvent {
    const event: ProgressEvent = { step: this.step, status, message, at: at ?? this.now().toISOString() };
    if (percent !== undefined) event.percent = percent;
    if (detail) event.detail = detail;
    return event;
  }
}
