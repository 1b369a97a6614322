// Domain errors for everything the Proxmox client does. Callers switch on `code`; they never see a
// got/HTTP error. Messages are built here, in one place, and say what to do (STYLE.md §5).
// Status mapping follows reference/proxmox/README.md §2 (envelope and errors) and §1.4 (auth).

export type ProxmoxErrorCode =
  | 'AUTH'
  | 'PERMISSION'
  | 'NOT_FOUND'
  | 'PARAMETER'
  | 'LOCK_TIMEOUT'
  | 'TASK_FAILED'
  | 'UNAVAILABLE'
  | 'NOT_IMPLEMENTED'
  | 'TLS';

export interface ProxmoxRequestInfo {
  method: string;
  path: string;
}

export interface ProxmoxErrorOptions {
  /** HTTP status, when there was a response. */
  status?: number;
  request?: ProxmoxRequestInfo;
  cause?: unknown;
}

export class ProxmoxError extends Error {
  override readonly name: string = 'ProxmoxError';
  readonly status?: number;
  readonly request?: ProxmoxRequestInfo;

  constructor(
    readonly code: ProxmoxErrorCode,
    message: string,
    options: ProxmoxErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.request = options.request;
  }

  /** True when repeating the exact same request cannot do harm and may succeed. */
  get transient(): boolean {
    return this.code === 'LOCK_TIMEOUT' || (this.code === 'UNAVAILABLE' && this.status !== 500);
  }

  static auth(detail: string, o?: ProxmoxErrorOptions): ProxmoxError {
    return new ProxmoxError(
      'AUTH',
      `Proxmox rejected the credentials (${detail}). Check the API token id/secret or the user's password, and that the token has not expired.`,
      o,
    );
  }

  static permission(detail: string, o?: ProxmoxErrorOptions): ProxmoxError {
    return new ProxmoxError(
      'PERMISSION',
      `Proxmox denied the request: ${detail}. Grant the missing privilege to the token (see checkPermissions).`,
      o,
    );
  }

  static notFound(detail: string, o?: ProxmoxErrorOptions): ProxmoxError {
    return new ProxmoxError('NOT_FOUND', `Not found on Proxmox: ${detail}`, o);
  }

  static lockTimeout(detail: string, o?: ProxmoxErrorOptions): ProxmoxError {
    return new ProxmoxError(
      'LOCK_TIMEOUT',
      `Proxmox could not take a lock in time (${detail}). Another operation holds the guest; retry later.`,
      o,
    );
  }

  static unavailable(detail: string, o?: ProxmoxErrorOptions): ProxmoxError {
    return new ProxmoxError('UNAVAILABLE', `Proxmox is unavailable or failed: ${detail}`, o);
  }

  static notImplemented(detail: string, o?: ProxmoxErrorOptions): ProxmoxError {
    return new ProxmoxError(
      'NOT_IMPLEMENTED',
      `Proxmox does not implement this call: ${detail}. Check the Proxmox VE version.`,
      o,
    );
  }

  static unsupportedByVersion(feature: string, version: string, needed: string): ProxmoxError {
    return new ProxmoxError(
      'NOT_IMPLEMENTED',
      `${feature} needs Proxmox VE ${needed} or newer; the cluster runs ${version}. Upgrade the cluster or leave the option out.`,
    );
  }

  static tls(detail: string, o?: ProxmoxErrorOptions): ProxmoxError {
    return new ProxmoxError(
      'TLS',
      `TLS verification of the Proxmox server failed: ${detail}. Check the configured CA or certificate fingerprint.`,
      o,
    );
  }

  static badResponse(detail: string, o?: ProxmoxErrorOptions): ProxmoxError {
    return new ProxmoxError('UNAVAILABLE', `Proxmox sent a reply the client cannot read: ${detail}`, o);
  }
}

/** 400 "Parameter verification failed." with the per-field reasons Proxmox sent. */
export class ProxmoxParameterError extends ProxmoxError {
  override readonly name = 'ProxmoxParameterError';
  constructor(
    message: string,
    readonly errors: Record<string, string>,
    options: ProxmoxErrorOptions = {},
  ) {
    const fields = Object.entries(errors)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    super('PARAMETER', fields ? `${message} (${fields})` : message, options);
  }
}

/** A task that ended with an exit status other than `OK` / `WARNINGS: n`. */
export class ProxmoxTaskError extends ProxmoxError {
  override readonly name = 'ProxmoxTaskError';
  constructor(
    readonly upid: string,
    readonly exitStatus: string,
    /** The last lines of the task log, for the operator. */
    readonly logTail: string[] = [],
  ) {
    super('TASK_FAILED', `Proxmox task ${upid} failed: ${exitStatus}`);
  }

  /** The task died because it could not lock the guest config; nothing was changed, so a retry is safe. */
  get lockTimeout(): boolean {
    return LOCK_TIMEOUT_RE.test(this.exitStatus);
  }

  static timeout(upid: string, ms: number): ProxmoxError {
    return new ProxmoxError(
      'TASK_FAILED',
      `Proxmox task ${upid} did not finish within ${ms} ms; it may still be running (stop it with DELETE /nodes/{node}/tasks/{upid}).`,
    );
  }
}

/**
 * Lock *acquisition* timeouts: the guest config flock (10 s) and the cluster-fs lock request (10 s).
 * Nothing ran, so repeating is safe. Not included: "'<lockid>'-locked command timed out - aborting"
 * (README §9.1), where the command ran for 60 s and may have done part of its work.
 */
export const LOCK_TIMEOUT_RE = /can't lock file .*got timeout|got lock request timeout/i;
const NOT_FOUND_RE = /does not exist|no such |not found/i;

export interface ErrorResponse {
  status: number;
  /** HTTP reason phrase; for 401 it carries the only message (the json body is empty). */
  statusMessage?: string;
  body?: unknown;
}

function bodyMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') {
    return body.message.trim();
  }
  return undefined;
}

function bodyErrors(body: unknown): Record<string, string> {
  if (body && typeof body === 'object' && 'errors' in body && body.errors && typeof body.errors === 'object') {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(body.errors as Record<string, unknown>)) out[k] = String(v).trim();
    return out;
  }
  return {};
}

/** Maps an HTTP error reply of the Proxmox API to a domain error. */
export function mapHttpError(res: ErrorResponse, request?: ProxmoxRequestInfo): ProxmoxError {
  const message = bodyMessage(res.body) || res.statusMessage?.trim() || `HTTP ${res.status}`;
  const o: ProxmoxErrorOptions = { status: res.status, request };
  const where = request ? ` [${request.method} ${request.path}]` : '';
  if (res.status === 401) return ProxmoxError.auth(message + where, o);
  if (res.status === 403) return ProxmoxError.permission(message + where, o);
  if (res.status === 400) return new ProxmoxParameterError(message + where, bodyErrors(res.body), o);
  if (res.status === 404) return ProxmoxError.notFound(message + where, o);
  if (res.status === 501) return ProxmoxError.notImplemented(message + where, o);
  if (LOCK_TIMEOUT_RE.test(message)) return ProxmoxError.lockTimeout(message + where, o);
  if (res.status === 500 && NOT_FOUND_RE.test(message)) return ProxmoxError.notFound(message + where, o);
  return ProxmoxError.unavailable(`${res.status} ${message}${where}`, o);
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_GOT_REQUEST_ERROR',
]);

/** Maps a transport failure (no HTTP reply) to a domain error. */
export function mapTransportError(err: unknown, request?: ProxmoxRequestInfo): ProxmoxError {
  if (err instanceof ProxmoxError) return err;
  const e = err as { code?: string; message?: string; cause?: unknown; name?: string };
  const cause = e.cause as { code?: string } | undefined;
  if (cause instanceof ProxmoxError) return cause;
  const code = e.code ?? cause?.code ?? '';
  const where = request ? ` [${request.method} ${request.path}]` : '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return ProxmoxError.tls(`${code} ${e.message ?? ''}${where}`, { request, cause: err });
  }
  const kind = CONNECTION_CODES.has(code) || e.name === 'TimeoutError' ? 'connection failed' : 'request failed';
  return ProxmoxError.unavailable(`${kind}: ${code} ${e.message ?? String(err)}${where}`, { request, cause: err });
}
