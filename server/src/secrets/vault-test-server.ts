// A Vault-compatible test server: the subset of HashiCorp Vault's HTTP API the platform uses, with the
// envelopes, status codes and error texts of the real thing (see /work/shared/reference/vault.md):
// sys/health, token lookup/renew, AppRole, KV v2 (data, metadata, delete, undelete, destroy, config),
// ACL policies, sealing, token TTLs. Real HTTP on loopback. Hand-rolled HTTP/1.1 over `net` because
// Node's HTTP parser rejects Vault's `LIST` verb, which node-vault sends.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

export type VaultCapability = 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny';

export interface VaultPolicyRule {
  /** Vault path pattern: a trailing `*` matches any suffix, `+` matches one segment. */
  path: string;
  capabilities: VaultCapability[];
}

export interface AppRoleOptions {
  /** Seconds. Default 2764800 (the system default of 768 h). */
  tokenTtl?: number;
  /** Seconds; 0 means the system maximum (32 days). */
  tokenMaxTtl?: number;
  /** Logins a secret-id allows; 0 means unlimited. */
  secretIdNumUses?: number;
  /** Seconds a secret-id stays valid; 0 means forever. */
  secretIdTtl?: number;
}

export interface VaultTestServerOptions {
  port?: number;
  host?: string;
  sealed?: boolean;
  rootToken?: string;
  /** KV v2 mounts to create. Default ['secret']. */
  kvMounts?: string[];
  initialized?: boolean;
  standby?: boolean;
  /** Namespaces accepted in X-Vault-Namespace (Enterprise); any other gets 404 "namespace not found". */
  namespaces?: string[];
}

export interface VaultTestServer {
  url: string;
  rootToken: string;
  close(): Promise<void>;
  seal(): void;
  unseal(): void;
  createAppRole(name: string, policies: string[], options?: AppRoleOptions): { roleId: string; secretId: string };
  /** A fresh secret-id for an existing role. */
  createSecretId(roleName: string): string;
  setPolicy(name: string, rules: VaultPolicyRule[]): void;
  /** A service token (as `vault token create`). TTLs in seconds; ttl 0 means no expiry. */
  createToken(options: { policies: string[]; ttl?: number; explicitMaxTtl?: number; renewable?: boolean }): string;
  revokeToken(token: string): void;
  /** Revokes every token except the root token (as if they all expired); returns how many. */
  revokeAllTokens(): number;
  /** Every request served: method as sent, path (without query) and status; never headers or bodies. */
  readonly requests: ReadonlyArray<{ method: string; path: string; status: number }>;
}

const SYSTEM_MAX_TTL = 32 * 24 * 3600;
const MAX_BODY = 32 * 1024 * 1024;
const MAX_HEAD = 64 * 1024;
const DEFAULT_KV_MAX_VERSIONS = 10;

type Json = unknown;
interface Reply {
  status: number;
  body?: Json;
}

interface Token {
  id: string;
  accessor: string;
  policies: string[];
  creationTtl: number;
  issueTime: number;
  expiresAt: number | null;
  maxExpiresAt: number | null;
  renewable: boolean;
  meta: Record<string, string> | null;
  path: string;
  displayName: string;
}

interface AppRole {
  name: string;
  roleId: string;
  policies: string[];
  options: Required<AppRoleOptions>;
  secretIds: Map<string, { accessor: string; usesLeft: number; expiresAt: number | null }>;
}

interface KvVersion {
  data: Record<string, Json> | null;
  createdTime: string;
  deletionTime: string;
  destroyed: boolean;
}

interface KvMeta {
  createdTime: string;
  updatedTime: string;
  currentVersion: number;
  oldestVersion: number;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: string;
  customMetadata: Record<string, string> | null;
  versions: Map<number, KvVersion>;
}

interface KvMount {
  config: { maxVersions: number; casRequired: boolean; deleteVersionAfter: string };
  secrets: Map<string, KvMeta>;
}

interface Request {
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
function rfc3339Nano(ms = Date.now()): string {
  const sub = (process.hrtime.bigint() % 1_000_000n).toString().padStart(6, '0');
  return `${new Date(ms).toISOString().slice(0, 23)}${sub}Z`;
}

/** Marks error replies, so a request body that happens to have a `status` field is never taken for one. */
const ERROR_REPLY = Symbol('error reply');
const errors = (status: number, ...messages: string[]): Reply =>
  Object.assign({ status, body: { errors: messages } }, { [ERROR_REPLY]: true });
/** A missing, unknown or expired token. */
const permissionDenied = () => errors(403, 'permission denied');
/** A valid token whose policies lack the capability: Vault wraps this one in a multierror. */
const policyDenied = () => errors(403, '1 error occurred:\n\t* permission denied\n\n');
const notFound = () => errors(404);

function parseBool(value: string | null): boolean {
  return value !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

/** Vault durations: integer seconds or a Go duration string such as "90s", "1h30m". */
function parseDuration(value: unknown): number | null {
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

function globMatch(pattern: string, path: string): boolean {
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

export async function startVaultTestServer(options: VaultTestServerOptions = {}): Promise<VaultTestServer> {
  let sealed = options.sealed ?? false;
  const initialized = options.initialized ?? true;
  const standby = options.standby ?? false;
  const rootToken = options.rootToken ?? `hvs.${randomBytes(18).toString('base64url')}`;
  const tokens = new Map<string, Token>();
  const policies = new Map<string, VaultPolicyRule[]>();
  const roles = new Map<string, AppRole>();
  const mounts = new Map<string, KvMount>();
  const requests: { method: string; path: string; status: number }[] = [];
  for (const mount of options.kvMounts ?? ['secret']) {
    mounts.set(mount, { config: { maxVersions: 0, casRequired: false, deleteVersionAfter: '0s' }, secrets: new Map() });
  }
  const clusterId = randomUUID();

  tokens.set(rootToken, {
    id: rootToken,
    accessor: randomBytes(12).toString('base64url'),
    policies: ['root'],
    creationTtl: 0,
    issueTime: Date.now(),
    expiresAt: null,
    maxExpiresAt: null,
    renewable: false,
    meta: null,
    path: 'auth/token/root',
    displayName: 'root',
  });

  function issueToken(input: {
    policies: string[];
    ttl: number;
    maxTtl: number;
    renewable: boolean;
    meta: Record<string, string> | null;
    path: string;
    displayName: string;
  }): Token {
    const now = Date.now();
    const max = input.maxTtl > 0 ? input.maxTtl : SYSTEM_MAX_TTL;
    const ttl = input.ttl > 0 ? Math.min(input.ttl, max) : 0;
    const token: Token = {
      id: `hvs.${randomBytes(18).toString('base64url')}`,
      accessor: randomBytes(12).toString('base64url'),
      policies: [...new Set(['default', ...input.policies])].sort(),
      creationTtl: ttl,
      issueTime: now,
      expiresAt: ttl > 0 ? now + ttl * 1000 : null,
      maxExpiresAt: ttl > 0 ? now + max * 1000 : null,
      renewable: input.renewable && ttl > 0,
      meta: input.meta,
      path: input.path,
      displayName: input.displayName,
    };
    tokens.set(token.id, token);
    return token;
  }

  function remainingTtl(token: Token): number {
    return token.expiresAt === null ? 0 : Math.max(0, Math.round((token.expiresAt - Date.now()) / 1000));
  }

  function authBlock(token: Token, leaseDuration: number) {
    return {
      client_token: token.id,
      accessor: token.accessor,
      policies: token.policies,
      token_policies: token.policies,
      metadata: token.meta,
      lease_duration: leaseDuration,
      renewable: token.renewable,
      entity_id: '',
      token_type: 'service',
      orphan: true,
      mfa_requirement: null,
      num_uses: 0,
    };
  }

  function envelope(data: Json, extra: { auth?: Json; warnings?: string[] | null; mountType?: string } = {}) {
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

  const ok = (data: Json, extra?: Parameters<typeof envelope>[1]): Reply => ({
    status: 200,
    body: envelope(data, extra),
  });
  const noContent = (): Reply => ({ status: 204 });

  function authenticate(req: Request): Token | null {
    const bearer = req.headers.get('authorization');
    const id = req.headers.get('x-vault-token') ?? (bearer?.startsWith('Bearer ') ? bearer.slice(7) : undefined);
    if (!id) return null;
    const token = tokens.get(id);
    if (!token) return null;
    if (token.expiresAt !== null && token.expiresAt <= Date.now()) {
      tokens.delete(id);
      return null;
    }
    return token;
  }

  function allowed(token: Token, capability: VaultCapability, path: string): boolean {
    if (token.policies.includes('root')) return true;
    const granted = new Set<VaultCapability>();
    for (const name of token.policies) {
      for (const rule of policies.get(name) ?? []) {
        if (globMatch(rule.path, path)) for (const c of rule.capabilities) granted.add(c);
      }
    }
    return !granted.has('deny') && granted.has(capability);
  }

  function parseBody(req: Request): Record<string, Json> | Reply {
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
  const isReply = (value: unknown): value is Reply =>
    typeof value === 'object' && value !== null && ERROR_REPLY in value;

  // ---- sys ----------------------------------------------------------------------------------------
  function health(req: Request): Reply {
    const code = (name: string, fallback: number) => {
      const value = req.query.get(name);
      return value !== null && /^\d+$/.test(value) ? Number(value) : fallback;
    };
    const body = {
      initialized,
      sealed,
      standby,
      performance_standby: false,
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: Math.floor(Date.now() / 1000),
      version: '1.18.0+pvepaas-test',
      enterprise: false,
      cluster_name: 'vault-test',
      cluster_id: clusterId,
      echo_duration_ms: 0,
      clock_skew_ms: 0,
    };
    let status: number;
    if (!initialized) status = code('uninitcode', 501);
    else if (sealed) status = code('sealedcode', 503);
    else if (standby)
      status = parseBool(req.query.get('standbyok')) ? code('activecode', 200) : code('standbycode', 429);
    else status = code('activecode', 200);
    return { status, body: req.method === 'HEAD' ? undefined : body };
  }

  // ---- auth ---------------------------------------------------------------------------------------
  function approleLogin(req: Request): Reply {
    const body = parseBody(req);
    if (isReply(body)) return body;
    const roleId = typeof body.role_id === 'string' ? body.role_id : '';
    // Real servers answer this one with 500 (recorded against OpenBao 2.7), not 400.
    if (roleId === '') return errors(500, 'missing role_id');
    const role = [...roles.values()].find((r) => r.roleId === roleId);
    if (!role) return errors(400, 'invalid role or secret ID');
    const secretId = typeof body.secret_id === 'string' ? body.secret_id : '';
    if (secretId === '') return errors(400, 'missing secret_id');
    const entry = role.secretIds.get(secretId);
    if (!entry || (entry.expiresAt !== null && entry.expiresAt <= Date.now())) {
      role.secretIds.delete(secretId);
      return errors(400, 'invalid role or secret ID');
    }
    if (entry.usesLeft > 0) {
      entry.usesLeft -= 1;
      if (entry.usesLeft === 0) role.secretIds.delete(secretId);
    }
    const token = issueToken({
      policies: role.policies,
      ttl: role.options.tokenTtl,
      maxTtl: role.options.tokenMaxTtl,
      renewable: true,
      meta: { role_name: role.name },
      path: 'auth/approle/login',
      displayName: 'approle',
    });
    return ok(null, { auth: authBlock(token, token.creationTtl), mountType: 'approle' });
  }

  function lookupSelf(token: Token): Reply {
    return ok(
      {
        accessor: token.accessor,
        creation_time: Math.floor(token.issueTime / 1000),
        creation_ttl: token.creationTtl,
        display_name: token.displayName,
        entity_id: '',
        expire_time: token.expiresAt === null ? null : rfc3339Nano(token.expiresAt),
        explicit_max_ttl: 0,
        id: token.id,
        issue_time: rfc3339Nano(token.issueTime),
        meta: token.meta,
        num_uses: 0,
        orphan: true,
        path: token.path,
        policies: token.policies,
        renewable: token.renewable,
        ttl: remainingTtl(token),
        type: 'service',
      },
      { mountType: 'token' },
    );
  }

  function renewSelf(req: Request, token: Token): Reply {
    const body = parseBody(req);
    if (isReply(body)) return body;
    if (!token.renewable || token.expiresAt === null || token.maxExpiresAt === null) {
      return errors(400, 'lease is not renewable');
    }
    let ttl = token.creationTtl;
    if (body.increment !== undefined) {
      const increment = parseDuration(body.increment);
      if (increment === null) return errors(400, 'invalid increment');
      if (increment > 0) ttl = increment;
    }
    const now = Date.now();
    const maxLeft = Math.floor((token.maxExpiresAt - now) / 1000);
    const warnings: string[] = [];
    if (ttl > maxLeft) {
      warnings.push(
        `TTL of "${ttl}s" exceeded the effective max_ttl of "${maxLeft}s"; TTL value is capped accordingly`,
      );
      ttl = maxLeft;
    }
    token.expiresAt = now + ttl * 1000;
    return ok(null, { auth: authBlock(token, ttl), warnings: warnings.length ? warnings : null, mountType: 'token' });
  }

  function tokenCreate(req: Request, parent: Token): Reply {
    const body = parseBody(req);
    if (isReply(body)) return body;
    const requested = Array.isArray(body.policies)
      ? body.policies.filter((p): p is string => typeof p === 'string')
      : [];
    if (!parent.policies.includes('root') && requested.some((p) => !parent.policies.includes(p))) {
      return errors(400, 'child policies must be subset of parent');
    }
    const ttl = parseDuration(body.ttl ?? 0);
    const maxTtl = parseDuration(body.explicit_max_ttl ?? 0);
    if (ttl === null || maxTtl === null) return errors(400, 'invalid ttl');
    const token = issueToken({
      policies: requested.length ? requested : parent.policies.filter((p) => p !== 'default'),
      ttl: ttl || 2_764_800,
      maxTtl,
      renewable: body.renewable !== false,
      meta: null,
      path: 'auth/token/create',
      displayName: 'token',
    });
    return ok(null, { auth: authBlock(token, token.creationTtl), mountType: 'token' });
  }

  function newSecretId(role: AppRole): string {
    const secretId = randomUUID();
    role.secretIds.set(secretId, {
      accessor: randomUUID(),
      usesLeft: role.options.secretIdNumUses,
      expiresAt: role.options.secretIdTtl > 0 ? Date.now() + role.options.secretIdTtl * 1000 : null,
    });
    return secretId;
  }

  function approleAdmin(req: Request, rest: string[]): Reply {
    const [name, what] = rest;
    const role = name === undefined ? undefined : roles.get(name);
    if (!role) return errors(400, `role "${name}" does not exist`);
    if (what === 'role-id' && req.method === 'GET') return ok({ role_id: role.roleId }, { mountType: 'approle' });
    if (what === 'secret-id' && req.method === 'POST') {
      const secretId = newSecretId(role);
      return ok(
        {
          secret_id: secretId,
          secret_id_accessor: role.secretIds.get(secretId)!.accessor,
          secret_id_ttl: role.options.secretIdTtl,
          secret_id_num_uses: role.options.secretIdNumUses,
        },
        { mountType: 'approle' },
      );
    }
    return errors(405, 'unsupported operation');
  }

  // ---- KV v2 --------------------------------------------------------------------------------------
  /** As KV v2: the larger of the key's and the engine's max_versions, 10 when neither is set. */
  function kvMaxVersions(mount: KvMount, meta: KvMeta): number {
    return Math.max(meta.maxVersions, mount.config.maxVersions) || DEFAULT_KV_MAX_VERSIONS;
  }

  function versionMetadata(meta: KvMeta, version: number, v: KvVersion) {
    return {
      created_time: v.createdTime,
      custom_metadata: meta.customMetadata,
      deletion_time: v.deletionTime,
      destroyed: v.destroyed,
      version,
    };
  }

  function isDeleted(v: KvVersion): boolean {
    return v.deletionTime !== '' && Date.parse(v.deletionTime) <= Date.now();
  }

  function parseCas(options: Json): number | undefined | Reply {
    if (options === undefined || options === null || typeof options !== 'object') return undefined;
    const cas = (options as Record<string, Json>).cas;
    if (cas === undefined) return undefined;
    const n = typeof cas === 'string' && /^\d+$/.test(cas) ? Number(cas) : cas;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      return errors(400, 'error parsing check-and-set parameter');
    return n;
  }

  function checkCas(mount: KvMount, meta: KvMeta | undefined, cas: number | undefined): Reply | null {
    if (cas !== undefined) {
      return cas === (meta?.currentVersion ?? 0)
        ? null
        : errors(400, 'check-and-set parameter did not match the current version');
    }
    if (mount.config.casRequired || (meta?.casRequired ?? false)) {
      return errors(400, 'check-and-set parameter required for this call');
    }
    return null;
  }

  function writeVersion(mount: KvMount, path: string, data: Record<string, Json>, cas: number | undefined): Reply {
    const existing = mount.secrets.get(path);
    const casError = checkCas(mount, existing, cas);
    if (casError) return casError;
    const now = rfc3339Nano();
    const meta: KvMeta = existing ?? {
      createdTime: now,
      updatedTime: now,
      currentVersion: 0,
      oldestVersion: 0,
      maxVersions: 0,
      casRequired: false,
      deleteVersionAfter: '0s',
      customMetadata: null,
      versions: new Map(),
    };
    mount.secrets.set(path, meta);
    const version = meta.currentVersion + 1;
    const v: KvVersion = { data, createdTime: now, deletionTime: '', destroyed: false };
    meta.versions.set(version, v);
    meta.currentVersion = version;
    meta.updatedTime = now;
    // KV v2's sliding window: oldest_version stays 0 until the first purge, then points at the oldest kept.
    const keep = kvMaxVersions(mount, meta);
    if (meta.currentVersion - meta.oldestVersion >= keep) {
      const purgeUpTo = meta.currentVersion - keep;
      for (let n = meta.oldestVersion; n <= purgeUpTo; n++) meta.versions.delete(n);
      meta.oldestVersion = purgeUpTo + 1;
    }
    return ok(versionMetadata(meta, version, v), { mountType: 'kv' });
  }

  function mergePatch(target: Record<string, Json>, patch: Record<string, Json>): Record<string, Json> {
    const out: Record<string, Json> = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else if (
        typeof value === 'object' &&
        !Array.isArray(value) &&
        typeof out[key] === 'object' &&
        out[key] !== null
      ) {
        out[key] = mergePatch(out[key] as Record<string, Json>, value as Record<string, Json>);
      } else out[key] = value;
    }
    return out;
  }

  /** `versions` as KV v2 reads it (TypeCommaIntSlice): an array, or a comma-separated string. */
  function versionsFromBody(req: Request, kind: string): number[] | Reply {
    const body = parseBody(req);
    if (isReply(body)) return body;
    const raw = body.versions;
    const list: unknown[] =
      typeof raw === 'string' ? raw.split(',').filter((v) => v.trim() !== '') : Array.isArray(raw) ? raw : [];
    // Vault's own inconsistency: delete/undelete capitalise this message, destroy does not.
    if (list.length === 0) return errors(400, `${kind === 'destroy' ? 'n' : 'N'}o version number provided`);
    const numbers = list.map((v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v));
    if (!numbers.every((v): v is number => typeof v === 'number' && Number.isInteger(v))) {
      return errors(400, 'error converting input for field "versions"');
    }
    return numbers;
  }

  function kv(req: Request, token: Token, mountName: string, mount: KvMount, rest: string): Reply {
    const slash = rest.indexOf('/');
    const kind = slash === -1 ? rest : rest.slice(0, slash);
    const path = slash === -1 ? '' : rest.slice(slash + 1);
    const aclPath = `${mountName}/${rest}`;
    const meta = mount.secrets.get(path);
    const need = (capability: VaultCapability) => allowed(token, capability, aclPath);
    const writeCapability: VaultCapability = meta ? 'update' : 'create';

    if (kind === 'config') {
      if (req.method === 'GET') {
        if (!need('read')) return policyDenied();
        const c = mount.config;
        return ok(
          { cas_required: c.casRequired, delete_version_after: c.deleteVersionAfter, max_versions: c.maxVersions },
          { mountType: 'kv' },
        );
      }
      if (req.method === 'POST') {
        if (!need('update')) return policyDenied();
        const body = parseBody(req);
        if (isReply(body)) return body;
        if (typeof body.max_versions === 'number') mount.config.maxVersions = body.max_versions;
        if (typeof body.cas_required === 'boolean') mount.config.casRequired = body.cas_required;
        return noContent();
      }
      return errors(405, 'unsupported operation');
    }

    if (path === '' && !(kind === 'metadata' && req.method === 'LIST')) return errors(404, 'unsupported path');

    switch (`${kind} ${req.method}`) {
      case 'data GET': {
        if (!need('read')) return policyDenied();
        if (!meta) return notFound();
        const raw = req.query.get('version');
        if (raw !== null && raw !== '' && !/^-?\d+$/.test(raw)) {
          return errors(400, `error converting input ${raw} for field "version": strconv.ParseInt: invalid syntax`);
        }
        const wanted = raw === null || raw === '' || Number(raw) <= 0 ? meta.currentVersion : Number(raw);
        const v = meta.versions.get(wanted);
        if (!v) return notFound();
        const metadata = versionMetadata(meta, wanted, v);
        if (isDeleted(v) || v.destroyed) {
          return { status: 404, body: envelope({ data: null, metadata }, { mountType: 'kv' }) };
        }
        return ok({ data: v.data, metadata }, { mountType: 'kv' });
      }
      case 'data POST': {
        if (!need(writeCapability)) return policyDenied();
        const body = parseBody(req);
        if (isReply(body)) return body;
        if (body.data === undefined || body.data === null) return errors(400, 'no data provided');
        if (typeof body.data !== 'object' || Array.isArray(body.data)) return errors(400, 'no data provided');
        const cas = parseCas(body.options);
        if (isReply(cas)) return cas;
        return writeVersion(mount, path, body.data as Record<string, Json>, cas);
      }
      case 'data PATCH': {
        if (!need('patch')) return policyDenied();
        if (!(req.headers.get('content-type') ?? '').startsWith('application/merge-patch+json')) {
          return errors(415, 'PATCH requires Content-Type application/merge-patch+json');
        }
        const body = parseBody(req);
        if (isReply(body)) return body;
        if (body.data === undefined || body.data === null || typeof body.data !== 'object') {
          return errors(400, 'no data provided');
        }
        if (!meta) return notFound();
        const cas = parseCas(body.options);
        if (isReply(cas)) return cas;
        const casError = checkCas(mount, meta, cas);
        if (casError) return casError;
        const current = meta.versions.get(meta.currentVersion);
        if (!current) return notFound();
        if (isDeleted(current) || current.destroyed || current.data === null) {
          const metadata = versionMetadata(meta, meta.currentVersion, current);
          return { status: 404, body: envelope(metadata, { mountType: 'kv' }) };
        }
        return writeVersion(mount, path, mergePatch(current.data, body.data as Record<string, Json>), cas);
      }
      case 'data DELETE': {
        if (!need('delete')) return policyDenied();
        const current = meta?.versions.get(meta.currentVersion);
        if (current && current.deletionTime === '' && !current.destroyed) current.deletionTime = rfc3339Nano();
        return noContent();
      }
      case 'delete POST':
      case 'undelete POST':
      case 'destroy POST': {
        if (!need('update')) return policyDenied();
        const versions = versionsFromBody(req, kind);
        if (isReply(versions)) return versions;
        for (const n of versions) {
          const v = meta?.versions.get(n);
          if (!v) continue;
          if (kind === 'destroy') {
            v.destroyed = true;
            v.data = null;
          } else if (!v.destroyed) {
            v.deletionTime = kind === 'delete' ? v.deletionTime || rfc3339Nano() : '';
          }
        }
        return noContent();
      }
      case 'metadata LIST': {
        if (!need('list')) return policyDenied();
        const base = path === '' || path.endsWith('/') ? path : `${path}/`;
        const keys = new Set<string>();
        for (const key of mount.secrets.keys()) {
          if (!key.startsWith(base)) continue;
          const tail = key.slice(base.length);
          const i = tail.indexOf('/');
          keys.add(i === -1 ? tail : tail.slice(0, i + 1));
        }
        if (keys.size === 0) return notFound();
        return ok({ keys: [...keys].sort() }, { mountType: 'kv' });
      }
      case 'metadata GET': {
        if (!need('read')) return policyDenied();
        if (!meta) return notFound();
        const versions: Record<string, Json> = {};
        for (const [n, v] of [...meta.versions.entries()].sort((a, b) => a[0] - b[0])) {
          versions[String(n)] = { created_time: v.createdTime, deletion_time: v.deletionTime, destroyed: v.destroyed };
        }
        return ok(
          {
            cas_required: meta.casRequired,
            created_time: meta.createdTime,
            current_version: meta.currentVersion,
            custom_metadata: meta.customMetadata,
            delete_version_after: meta.deleteVersionAfter,
            max_versions: meta.maxVersions,
            oldest_version: meta.oldestVersion,
            updated_time: meta.updatedTime,
            versions,
          },
          { mountType: 'kv' },
        );
      }
      case 'metadata POST': {
        if (!need(writeCapability)) return policyDenied();
        const body = parseBody(req);
        if (isReply(body)) return body;
        const now = rfc3339Nano();
        const target: KvMeta = meta ?? {
          createdTime: now,
          updatedTime: now,
          currentVersion: 0,
          oldestVersion: 0,
          maxVersions: 0,
          casRequired: false,
          deleteVersionAfter: '0s',
          customMetadata: null,
          versions: new Map(),
        };
        if (typeof body.max_versions === 'number') target.maxVersions = body.max_versions;
        if (typeof body.cas_required === 'boolean') target.casRequired = body.cas_required;
        if (body.custom_metadata && typeof body.custom_metadata === 'object') {
          target.customMetadata = body.custom_metadata as Record<string, string>;
        }
        mount.secrets.set(path, target);
        return noContent();
      }
      case 'metadata DELETE': {
        if (!need('delete')) return policyDenied();
        mount.secrets.delete(path);
        return noContent();
      }
      default:
        if (['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys'].includes(kind)) {
          return errors(405, 'unsupported operation');
        }
        return errors(404, 'unsupported path');
    }
  }

  // ---- routing ------------------------------------------------------------------------------------
  function route(req: Request): Reply {
    if (!req.path.startsWith('/v1/')) return errors(404, 'unsupported path');
    const rel = req.path.slice(4);
    if (rel === 'sys/health') {
      return req.method === 'GET' || req.method === 'HEAD' ? health(req) : errors(405, 'unsupported operation');
    }
    if (rel === 'sys/seal-status' && req.method === 'GET') {
      return { status: 200, body: { type: 'shamir', initialized, sealed, t: 1, n: 1, progress: 0, version: '1.18.0' } };
    }
    if (sealed) return errors(503, 'Vault is sealed');
    const namespace = req.headers.get('x-vault-namespace')?.replace(/^\/+|\/+$/g, '');
    if (namespace && !(options.namespaces ?? []).includes(namespace)) return errors(404, 'namespace not found');
    if (rel === 'auth/approle/login' && req.method === 'POST') return approleLogin(req);

    const token = authenticate(req);
    if (!token) return permissionDenied();
    if (rel === 'auth/token/lookup-self' && (req.method === 'GET' || req.method === 'POST')) return lookupSelf(token);
    if (rel === 'auth/token/renew-self' && req.method === 'POST') return renewSelf(req, token);
    if (rel === 'auth/token/revoke-self' && req.method === 'POST') {
      tokens.delete(token.id);
      return noContent();
    }
    if (rel === 'auth/token/create' && req.method === 'POST') {
      return allowed(token, 'update', rel) || allowed(token, 'create', rel) ? tokenCreate(req, token) : policyDenied();
    }
    if (rel.startsWith('auth/approle/role/')) {
      const capability: VaultCapability = req.method === 'GET' ? 'read' : 'update';
      if (!allowed(token, capability, rel)) return policyDenied();
      return approleAdmin(req, rel.slice('auth/approle/role/'.length).split('/'));
    }
    const slash = rel.indexOf('/');
    const mountName = slash === -1 ? rel : rel.slice(0, slash);
    const mount = mounts.get(mountName);
    if (mount && slash !== -1) return kv(req, token, mountName, mount, rel.slice(slash + 1));
    if (!token.policies.includes('root')) return policyDenied();
    return errors(404, `no handler for route "${rel}". route entry not found.`);
  }

  // ---- HTTP/1.1 over net --------------------------------------------------------------------------
  const REASONS: Record<number, string> = {
    200: 'OK',
    204: 'No Content',
    400: 'Bad Request',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    413: 'Request Entity Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    431: 'Request Header Fields Too Large',
    500: 'Internal Server Error',
    501: 'Not Implemented',
    503: 'Service Unavailable',
  };

  function respond(socket: Socket, reply: Reply, keepAlive: boolean): void {
    const head = [`HTTP/1.1 ${reply.status} ${REASONS[reply.status] ?? 'Status'}`, 'Cache-Control: no-store'];
    let payload = Buffer.alloc(0);
    if (reply.status !== 204) {
      payload = Buffer.from(reply.body === undefined ? '' : `${JSON.stringify(reply.body)}\n`);
      if (reply.body !== undefined) head.push('Content-Type: application/json');
      head.push(`Content-Length: ${payload.length}`);
    }
    head.push(`Connection: ${keepAlive ? 'keep-alive' : 'close'}`);
    socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), payload]));
    if (!keepAlive) socket.end();
  }

  type Parsed = { request: Request; consumed: number; keepAlive: boolean } | { error: Reply } | null;

  function parse(buffer: Buffer): Parsed {
    const headEnd = buffer.indexOf('\r\n\r\n');
    if (headEnd === -1) return buffer.length > MAX_HEAD ? { error: errors(431, 'request header too large') } : null;
    const lines = buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
    const match = /^([A-Za-z-]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0] ?? '');
    if (!match) return { error: errors(400, 'malformed request line') };
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) return { error: errors(400, 'malformed header') };
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    let offset = headEnd + 4;
    let body: Buffer;
    if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const lineEnd = buffer.indexOf('\r\n', offset);
        if (lineEnd === -1) return null;
        const size = parseInt(buffer.subarray(offset, lineEnd).toString('latin1').split(';')[0]!, 16);
        if (Number.isNaN(size)) return { error: errors(400, 'malformed chunk') };
        total += size;
        if (total > MAX_BODY) return { error: errors(413, 'http: request body too large') };
        if (buffer.length < lineEnd + 2 + size + 2) return null;
        chunks.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        offset = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
      body = Buffer.concat(chunks);
    } else {
      const length = Number(headers.get('content-length') ?? '0');
      if (!Number.isInteger(length) || length < 0) return { error: errors(400, 'bad content-length') };
      if (length > MAX_BODY) return { error: errors(413, 'http: request body too large') };
      if (buffer.length < offset + length) return null;
      body = Buffer.from(buffer.subarray(offset, offset + length));
      offset += length;
    }
    const url = new URL(match[2]!, 'http://vault.test');
    let method = match[1]!.toUpperCase();
    if (method === 'PUT') method = 'POST';
    if (method === 'GET' && parseBool(url.searchParams.get('list'))) method = 'LIST';
    const keepAlive = match[3] === '1' && (headers.get('connection') ?? '').toLowerCase() !== 'close';
    return {
      request: {
        method,
        wireMethod: match[1]!.toUpperCase(),
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers,
        body,
      },
      consumed: offset,
      keepAlive,
    };
  }

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = Buffer.alloc(0);
    let continued = false;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const parsed = parse(buffer);
        if (parsed === null) {
          // curl sends `Expect: 100-continue` before larger bodies and waits a second without this.
          const head = buffer.subarray(0, buffer.indexOf('\r\n\r\n') + 1).toString('latin1');
          if (!continued && /\r\nexpect:\s*100-continue/i.test(head)) {
            continued = true;
            socket.write('HTTP/1.1 100 Continue\r\n\r\n');
          }
          return;
        }
        continued = false;
        if ('error' in parsed) {
          requests.push({ method: '?', path: '?', status: parsed.error.status });
          respond(socket, parsed.error, false);
          buffer = Buffer.alloc(0);
          return;
        }
        buffer = buffer.subarray(parsed.consumed);
        let reply: Reply;
        try {
          reply = route(parsed.request);
        } catch (error) {
          reply = errors(500, `internal error: ${(error as Error).message}`);
        }
        requests.push({ method: parsed.request.wireMethod, path: parsed.request.path, status: reply.status });
        respond(socket, reply, parsed.keepAlive);
        if (!parsed.keepAlive) return;
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('vault test server: no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    rootToken,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    seal() {
      sealed = true;
    },
    unseal() {
      sealed = false;
    },
    setPolicy(name, rules) {
      policies.set(name, rules);
    },
    createAppRole(name, rolePolicies, roleOptions = {}) {
      const role: AppRole = {
        name,
        roleId: randomUUID(),
        policies: rolePolicies,
        options: {
          tokenTtl: roleOptions.tokenTtl ?? 2_764_800,
          tokenMaxTtl: roleOptions.tokenMaxTtl ?? 0,
          secretIdNumUses: roleOptions.secretIdNumUses ?? 0,
          secretIdTtl: roleOptions.secretIdTtl ?? 0,
        },
        secretIds: new Map(),
      };
      roles.set(name, role);
      return { roleId: role.roleId, secretId: newSecretId(role) };
    },
    createSecretId(roleName) {
      const role = roles.get(roleName);
      if (!role) throw new Error(`vault test server: no AppRole ${roleName}`);
      return newSecretId(role);
    },
    createToken({ policies: tokenPolicies, ttl = 0, explicitMaxTtl = 0, renewable = true }) {
      return issueToken({
        policies: tokenPolicies,
        ttl,
        maxTtl: explicitMaxTtl,
        renewable,
        meta: null,
        path: 'auth/token/create',
        displayName: 'token',
      }).id;
    },
    revokeToken(token) {
      tokens.delete(token);
    },
    revokeAllTokens() {
      let count = 0;
      for (const id of tokens.keys()) {
        if (id !== rootToken) count += Number(tokens.delete(id));
      }
      return count;
    },
  };
}
