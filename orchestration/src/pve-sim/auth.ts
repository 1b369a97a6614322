// Authentication and authorisation as pve-access-control does it: signed tickets (2 h), CSRF
// tokens bound to the user, API tokens with optional privilege separation, ACLs with role
// propagation, pool membership, and the schema's permission checks evaluated generically.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PermissionSpec } from './schema.js';
import { PRIVILEGES, type SimStateData } from './state.js';

export const TICKET_LIFETIME = 7200;

export interface Identity {
  userid: string;
  /** Full token id `user@realm!name` when authenticated by API token. */
  tokenid?: string;
  privsep: boolean;
  via: 'ticket' | 'token';
}

/** The authid PVE writes into UPIDs and console replies. */
export const authid = (id: Identity) => id.tokenid ?? id.userid;

const sign = (key: string, data: string) => createHmac('sha256', key).update(data).digest('base64').replace(/=+$/, '');

const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');

export function createTicket(key: string, userid: string, nowSec: number): string {
  const plain = `PVE:${userid}:${hex8(nowSec)}`;
  return `${plain}::${sign(key, plain)}`;
}

export function verifyTicket(key: string, ticket: string, nowSec: number): string | undefined {
  const m = /^(PVE:(\S+):([0-9A-F]{8}))::(.+)$/.exec(ticket);
  if (!m) return undefined;
  const [, plain = '', userid = '', ts = '', sig = ''] = m;
  if (!safeEqual(sig, sign(key, plain))) return undefined;
  const age = nowSec - parseInt(ts, 16);
  return age >= -300 && age < TICKET_LIFETIME ? userid : undefined;
}

export function createCsrf(key: string, userid: string, nowSec: number): string {
  const ts = hex8(nowSec);
  return `${ts}:${sign(key, `csrf:${ts}:${userid}`)}`;
}

export function verifyCsrf(key: string, token: string, userid: string, nowSec: number): boolean {
  const m = /^([0-9A-F]{8}):(\S+)$/.exec(token);
  if (!m) return false;
  const [, ts = '', sig = ''] = m;
  const age = nowSec - parseInt(ts, 16);
  return age >= -300 && age < TICKET_LIFETIME && safeEqual(sig, sign(key, `csrf:${ts}:${userid}`));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type PrivMap = Map<string, 0 | 1>;

/** Roles granted by ACL entries matching `match`, resolved along the path (most specific wins). */
function aclPrivs(
  state: SimStateData,
  path: string,
  match: (e: SimStateData['acl'][number]) => 'user' | 'group' | undefined,
): PrivMap {
  const parts = path.split('/').filter(Boolean);
  let current: PrivMap = new Map();
  for (let depth = 0; depth <= parts.length; depth++) {
    const prefix = `/${parts.slice(0, depth).join('/')}`;
    const exact = depth === parts.length;
    const entries = state.acl.filter(
      (e) => e.path === prefix && (e.propagate === 1 || exact) && match(e) !== undefined,
    );
    if (!entries.length) continue;
    const direct = entries.filter((e) => match(e) === 'user');
    const use = direct.length ? direct : entries;
    const next: PrivMap = new Map();
    let noAccess = false;
    for (const e of use) {
      if (e.roleid === 'NoAccess') noAccess = true;
      for (const p of state.roles[e.roleid] ?? []) next.set(p, Math.max(next.get(p) ?? 0, e.propagate) as 0 | 1);
    }
    current = noAccess ? new Map() : next;
  }
  return current;
}

const ALL: ReadonlyMap<string, 0 | 1> = new Map(PRIVILEGES.map((p) => [p, 1]));

function userPrivs(state: SimStateData, userid: string, path: string): PrivMap {
  if (userid === 'root@pam') return new Map(ALL);
  const user = state.users.find((u) => u.userid === userid);
  if (!user || !user.enable) return new Map();
  return aclPrivs(state, path, (e) =>
    e.type === 'user' && e.ugid === userid
      ? 'user'
      : e.type === 'group' && user.groups.includes(e.ugid)
        ? 'group'
        : undefined,
  );
}

export function privsAt(state: SimStateData, id: Identity, path: string): PrivMap {
  const compute = (p: string) => {
    const user = userPrivs(state, id.userid, p);
    if (!id.tokenid || !id.privsep) return user;
    const token = aclPrivs(state, p, (e) => (e.type === 'token' && e.ugid === id.tokenid ? 'user' : undefined));
    return new Map(
      [...user].filter(([k]) => token.has(k)).map(([k, v]) => [k, Math.min(v, token.get(k) ?? 0) as 0 | 1]),
    );
  };
  const result = compute(path);
  const vm = /^\/vms\/(\d+)$/.exec(path);
  if (vm) {
    const pool = state.pools.find((p) => p.vms.includes(Number(vm[1])));
    if (pool) for (const [k, v] of compute(`/pool/${pool.poolid}`)) if (!result.has(k)) result.set(k, v);
  }
  return result;
}

export function hasPriv(state: SimStateData, id: Identity, path: string, privs: string[], any = false): boolean {
  // root@pam (ticket or token without privilege separation) holds every privilege everywhere.
  if (id.userid === 'root@pam' && (!id.tokenid || !id.privsep))
    return privs.every((p) => ALL.has(p)) || (any && privs.some((p) => ALL.has(p)));
  const have = privsAt(state, id, path);
  return any ? privs.some((p) => have.has(p)) : privs.every((p) => have.has(p));
}

/** Evaluates a schema `permissions.check` expression; `{param}` in paths is filled from params. */
export function checkPermission(
  state: SimStateData,
  id: Identity,
  spec: PermissionSpec | undefined,
  params: Record<string, string | string[]>,
): { ok: true } | { ok: false; path?: string; privs?: string[] } {
  if (!spec?.check) return { ok: true };
  const fill = (p: string) => p.replace(/\{([^}]+)\}/g, (_, k: string) => String(params[k] ?? ''));
  let failed: { path?: string; privs?: string[] } = {};
  const evaluate = (expr: unknown[]): boolean => {
    const [op, ...rest] = expr as [string, ...unknown[]];
    switch (op) {
      case 'perm': {
        const [path, privs, ...opts] = rest as [string, string[], ...unknown[]];
        const any = opts[0] === 'any' && opts[1] === 1;
        // ['perm', '/pool/{pool}', [...], 'require_param', 'pool']: only counts when the param is set.
        if (opts[0] === 'require_param' && params[String(opts[1])] === undefined) return false;
        const ok = hasPriv(state, id, fill(path), privs, any);
        if (!ok) failed = { path: fill(path), privs };
        return ok;
      }
      case 'and':
        return (rest as unknown[][]).every(evaluate);
      case 'or':
        return (rest as unknown[][]).some(evaluate);
      case 'userid-param':
        return rest[0] === 'self' ? params.userid === id.userid : true;
      case 'userid-group': {
        const privs = rest[0] as string[];
        return params.userid === id.userid || hasPriv(state, id, '/access', privs, true);
      }
      case 'perm-modify':
        return hasPriv(state, id, fill(String(rest[0])), ['Permissions.Modify']) || id.userid === 'root@pam';
      default:
        return id.userid === 'root@pam' && !id.privsep;
    }
  };
  return evaluate(spec.check) ? { ok: true } : { ok: false, ...failed };
}

/** GET /access/permissions: path → privilege → propagate flag, for the fixed path set PVE reports. */
export function effectivePermissions(
  state: SimStateData,
  id: Identity,
  onlyPath?: string,
): Record<string, Record<string, 0 | 1>> {
  const paths = new Set(
    onlyPath
      ? [onlyPath]
      : ['/', '/access', '/access/groups', '/nodes', '/pool', '/sdn', '/storage', '/vms', '/mapping'],
  );
  if (!onlyPath) {
    for (const e of state.acl) paths.add(e.path);
    for (const p of state.pools) paths.add(`/pool/${p.poolid}`);
  }
  const out: Record<string, Record<string, 0 | 1>> = {};
  for (const path of paths) {
    const privs = privsAt(state, id, path);
    if (privs.size) out[path] = Object.fromEntries([...privs].sort(([a], [b]) => a.localeCompare(b)));
  }
  return out;
}
