// A Vault-compatible test server: the subset of HashiCorp Vault's HTTP API the platform uses, with the
// envelopes, status codes and error texts of the real thing (see /work/shared/reference/vault.md):
// sys/health, token lookup/renew, AppRole, KV v2 (data, metadata, delete, undelete, destroy, config),
// ACL policies, sealing, token TTLs. Real HTTP on loopback. This file holds the state of tokens,
// AppRoles and policies and the routing; vault-test-server/ has the KV v2 engine (kv-engine.ts), the
// wire conventions (protocol.ts) and the HTTP/1.1 transport (http1.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { serveHttp1 } from './vault-test-server/http1.js';
import { createKvMount, handleKv, type KvMount } from './vault-test-server/kv-engine.js';
import {
  errors,
  isReply,
  noContent,
  ok,
  parseBool,
  parseBody,
  parseDuration,
  globMatch,
  permissionDenied,
  policyDenied,
  rfc3339Nano,
  type Reply,
  type Request,
} from './vault-test-server/protocol.js';

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
    mounts.set(mount, createKvMount());
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
    if (mount && slash !== -1) {
      return handleKv(
        req,
        (capability, path) => allowed(token, capability, path),
        mountName,
        mount,
        rel.slice(slash + 1),
      );
    }
    if (!token.policies.includes('root')) return policyDenied();
    return errors(404, `no handler for route "${rel}". route entry not found.`);
  }

  const http = await serveHttp1(route, (entry) => requests.push(entry), { port: options.port, host: options.host });

  return {
    url: http.url,
    rootToken,
    requests,
    close: () => http.close(),
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
