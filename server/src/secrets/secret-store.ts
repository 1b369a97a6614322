// The secret store: one interface with KV v2 semantics, implemented by the Vault driver (production)
// and the local encrypted driver (embedded mode). The database keeps only paths into this store.

/** Why an operation failed. Codes are stable; the edge maps them to API error codes. */
export type SecretErrorCode = 'NOT_FOUND' | 'CAS_MISMATCH' | 'SEALED' | 'DENIED' | 'UNAVAILABLE' | 'INVALID';

/**
 * A typed secret-store failure. Messages name paths, versions and HTTP statuses, never secret values,
 * and say what to do. Build them through the static factories so the wording lives in one place.
 */
export class SecretError extends Error {
  override readonly name = 'SecretError';

  private constructor(
    readonly code: SecretErrorCode,
    message: string,
    readonly details: { path?: string; status?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static invalid(message: string, path?: string): SecretError {
    return new SecretError('INVALID', message, { path });
  }

  static casMismatch(path: string, expected: number, current: number | null): SecretError {
    const now = current === null ? 'it does not exist' : `its current version is ${current}`;
    return new SecretError(
      'CAS_MISMATCH',
      `Secret ${path} was not written: check-and-set expected version ${expected} but ${now}. Read it again and retry.`,
      { path },
    );
  }

  static notFound(what: string, status?: number): SecretError {
    return new SecretError('NOT_FOUND', `${what} was not found.`, { status });
  }

  static sealed(address: string): SecretError {
    return new SecretError('SEALED', `Vault at ${address} is sealed: unseal it (vault operator unseal) and retry.`, {
      status: 503,
    });
  }

  static denied(operation: string, target: string, hint: string): SecretError {
    return new SecretError('DENIED', `Vault denied ${operation} on ${target}: ${hint}`, { status: 403 });
  }

  static unavailable(message: string, options: { status?: number; cause?: unknown } = {}): SecretError {
    return new SecretError('UNAVAILABLE', message, { status: options.status }, { cause: options.cause });
  }
}

export const isSecretError = (error: unknown, code?: SecretErrorCode): error is SecretError =>
  error instanceof SecretError && (code === undefined || error.code === code);

/** String values only: tokens, passwords, PEM keys. Structured data belongs in the database. */
export type SecretData = Record<string, string>;

export interface SecretValue {
  data: SecretData;
  version: number;
  createdTime: Date;
}

export interface SecretVersionInfo {
  version: number;
  createdTime: Date;
  /** Set once the version was soft-deleted. */
  deletedTime: Date | null;
  destroyed: boolean;
}

export interface SecretStoreHealth {
  driver: 'vault' | 'local';
  /** True when reads and writes are expected to succeed. */
  ok: boolean;
  sealed: boolean;
  /** What is wrong (or the server version when all is well); never a secret. */
  message: string;
}

export interface SecretStore {
  readonly driver: 'vault' | 'local';
  /** The latest (or the given) version; null when missing, soft-deleted, destroyed or purged. */
  read(path: string, options?: { version?: number }): Promise<SecretValue | null>;
  /**
   * Writes a new version. With `cas`, only when the current version equals it (`cas: 0`: only when the
   * secret does not exist yet); otherwise throws `CAS_MISMATCH`.
   */
  write(path: string, data: SecretData, options?: { cas?: number }): Promise<{ version: number }>;
  /** Every version still kept (oldest first); empty when the path is unknown. */
  versions(path: string): Promise<SecretVersionInfo[]>;
  /** Soft-deletes the latest version (recoverable in Vault with `undelete`). No-op when missing. */
  delete(path: string): Promise<void>;
  /**
   * Permanently removes secret data. Without `versions`: every version and the metadata (the path
   * disappears from `list`). With `versions`: only those, keeping the metadata (`destroyed: true`).
   */
  destroy(path: string, options?: { versions?: number[] }): Promise<void>;
  /** Direct children of `prefix` ('' for the root); sub-folders end in `/`. Sorted. */
  list(prefix: string): Promise<string[]>;
  health(): Promise<SecretStoreHealth>;
  /** Stops background work (token renewal). Does not close connections it was given. */
  close(): Promise<void>;
}

/** Versions kept per path before the oldest are purged: Vault's KV v2 default. */
export const DEFAULT_MAX_VERSIONS = 10;

const SEGMENT = /^[A-Za-z0-9_.@=+-]+$/;

/** Validates a secret path: `a/b/c`, segments of letters, digits and `_ . @ = + -`, no `.` or `..`. */
export function assertSecretPath(path: string): void {
  if (typeof path !== 'string' || path.length === 0 || path.length > 512) {
    throw SecretError.invalid(
      `Secret path must be 1-512 characters, got ${JSON.stringify(String(path).slice(0, 64))}.`,
    );
  }
  for (const segment of path.split('/')) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') {
      throw SecretError.invalid(
        `Secret path ${JSON.stringify(path)} is invalid: use segments of letters, digits and _ . @ = + - separated by single slashes.`,
        path,
      );
    }
  }
}

/** Validates a list prefix ('' or a path, optionally ending in `/`) and returns it ending in `/` (or ''). */
export function normalizeListPrefix(prefix: string): string {
  if (prefix === '' || prefix === '/') return '';
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  assertSecretPath(trimmed);
  return `${trimmed}/`;
}

export function assertSecretData(path: string, data: unknown): asserts data is SecretData {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw SecretError.invalid(`Secret ${path} must be an object of string values.`, path);
  }
  const entries = Object.entries(data);
  if (entries.length === 0) throw SecretError.invalid(`Secret ${path} must have at least one key.`, path);
  let size = 0;
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      // Name the key, never the value.
      throw SecretError.invalid(`Secret ${path}: key ${JSON.stringify(key)} must hold a string.`, path);
    }
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (size > MAX_SECRET_BYTES) {
    throw SecretError.invalid(
      `Secret ${path} is ${size} bytes; the limit is ${MAX_SECRET_BYTES} (Vault's storage backends refuse larger entries).`,
      path,
    );
  }
}

/** Keys plus values, in UTF-8 bytes. Vault's integrated storage refuses entries much above 1 MiB. */
export const MAX_SECRET_BYTES = 512 * 1024;

export function assertVersion(path: string, name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
    throw SecretError.invalid(`Secret ${path}: ${name} must be an integer >= ${min}.`, path);
  }
}
