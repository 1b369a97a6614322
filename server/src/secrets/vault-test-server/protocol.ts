// The wire conventions of Vault's HTTP API that every part of the test server shares: the success
// envelope, the `{"errors":[...]}` error body, times in RFC 3339 with nanoseconds, durations, globs.
import { randomUUID } from 'node:crypto';

export type Json = unknown;
export interface Reply {
  status: number;
  body?: Json;
}

export interface Request {
  /** Normalised: PUT is POST, GET ?list=true is LIST. */
  method: string;
  /** As sent. */
  wireMethod: string;
  path: string;
  query: URLSearchParams;
  headers: Map<string, string>;
  body: Buffer;
}

/** RFC 3339 with nanoseconds, as Vault's Go code prints times. */
export function rfc3339Nano(ms = Date.now()): string {
  const sub = (process.hrtime.bigint() % 1_000_000n).toString().padStart(6, '0');
  return `${new Date(ms).toISOString().slice(0, 23)}${sub}Z`;
}

/** Marks error replies, so a request body that happens to have a `status` field is never taken for one. */
export const ERROR_REPLY = Symbol('error reply');
export const errors = (status: number, ...messages: string[]): Reply =>
  Object.assign({ status, body: { errors: messages } }, { [ERROR_REPLY]: true });
/** A missing, unknown or expired token. */
export const permissionDenied = () => errors(403, 'permission denied');
/** A valid token whose policies lack the capability: Vault wraps this one in a multierror. */
export const policyDenied = () => errors(403, '1 error occurred:\n\t* permission denied\n\n');
export const notFound = () => errors(404);

export function parseBool(value: string | null): boolean {
  return value !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

/** Vault durations: integer seconds or a Go duration string such as "90s", "1h30m". */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value !== 'string') return null;
  if (/^\d+$/.test(value)) return Number(value);
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
  let total = 0;
  const re = /(\d+)([smhd])/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(value)) !== null) {
    total += Number(match[1]) * units[match[2]!]!;
    consumed = re.lastIndex;
  }
  return consumed === value.length && consumed > 0 ? total : null;
}

export function globMatch(pattern: string, path: string): boolean {
  const prefix = pattern.endsWith('*');
  const segments = (prefix ? pattern.slice(0, -1) : pattern).split('/');
  const parts = path.split('/');
  if (prefix ? parts.length < segments.length : parts.length !== segments.length) return false;
  return segments.every((segment, i) => {
    const part = parts[i]!;
    if (segment === '+') return true;
    if (prefix && i === segments.length - 1) return part.startsWith(segment);
    return segment === part;
  });
}

export function envelope(data: Json, extra: { auth?: Json; warnings?: string[] | null; mountType?: string } = {}) {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: extra.warnings ?? null,
    auth: extra.auth ?? null,
    mount_type: extra.mountType ?? '',
  };
}

export const ok = (data: Json, extra?: Parameters<typeof envelope>[1]): Reply => ({
  status: 200,
  body: envelope(data, extra),
});
export const noContent = (): Reply => ({ status: 204 });

export function parseBody(req: Request): Record<string, Json> | Reply {
  if (req.body.length === 0) return {};
  try {
    const parsed = JSON.parse(req.body.toString('utf8')) as Json;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return errors(400, 'failed to parse JSON input: expected an object');
    }
    return parsed as Record<string, Json>;
  } catch (error) {
    return errors(400, `failed to parse JSON input: ${(error as Error).message}`);
  }
}
export const isReply = (value: unknown): value is Reply =>
  typeof value === 'object' && value !== null && ERROR_REPLY in value;
