// KV version 2 as vault-plugin-secrets-kv implements it: versions with a sliding window of
// max_versions, soft delete / undelete / destroy, check-and-set, metadata and LIST, merge-patch.
import {
  envelope,
  errors,
  isReply,
  noContent,
  notFound,
  ok,
  parseBody,
  policyDenied,
  rfc3339Nano,
  type Json,
  type Reply,
  type Request,
} from './protocol.js';
import type { VaultCapability } from '../vault-test-server.js';

const DEFAULT_KV_MAX_VERSIONS = 10;

export interface KvVersion {
  data: Record<string, Json> | null;
  createdTime: string;
  deletionTime: string;
  destroyed: boolean;
}

export interface KvMeta {
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

export interface KvMount {
  config: { maxVersions: number; casRequired: boolean; deleteVersionAfter: string };
  secrets: Map<string, KvMeta>;
}

export function createKvMount(): KvMount {
  return { config: { maxVersions: 0, casRequired: false, deleteVersionAfter: '0s' }, secrets: new Map() };
}

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
    else if (typeof value === 'object' && !Array.isArray(value) && typeof out[key] === 'object' && out[key] !== null) {
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

/**
 * One request to a KV v2 mount; `rest` is the path after the mount (`data/a/b`, `metadata/a`, `config`).
 * `allowed` is the caller's ACL check for a capability on the full path.
 */
export function handleKv(
  req: Request,
  allowed: (capability: VaultCapability, path: string) => boolean,
  mountName: string,
  mount: KvMount,
  rest: string,
): Reply {
  const slash = rest.indexOf('/');
  const kind = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  const aclPath = `${mountName}/${rest}`;
  const meta = mount.secrets.get(path);
  const need = (capability: VaultCapability) => allowed(capability, aclPath);
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
