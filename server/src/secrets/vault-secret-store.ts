// Production secret store: HashiCorp Vault's KV v2 engine through node-vault. Authenticates with
// AppRole (role_id + secret_id) or a token, renews the token at ~2/3 of its lease and logs in again
// when renewal fails or the max TTL is near. Vault's HTTP failures become SecretErrors by status code
// and Vault's `errors` array: 503 sealed, 403 denied, 400 CAS/invalid, 404 missing mount, else
// unavailable. No silent fallback: when Vault is down, calls fail with UNAVAILABLE.
import NodeVault from 'node-vault';
import type { Logger } from 'pino';
import {
  assertSecretData,
  assertSecretPath,
  assertVersion,
  normalizeListPrefix,
  SecretError,
  type SecretData,
  type SecretStore,
  type SecretStoreHealth,
  type SecretValue,
  type SecretVersionInfo,
} from './secret-store.js';

export type VaultAuth =
  | { method: 'token'; token: string }
  | { method: 'approle'; roleId: string; secretId: string; /** default 'approle' */ mountPath?: string };

export interface VaultSecretStoreOptions {
  /** e.g. https://vault.example.org:8200 */
  address: string;
  auth: VaultAuth;
  /** KV v2 mount, default 'secret'. */
  mount?: string;
  /** Prefix inside the mount, default 'pvepaas/'. */
  prefix?: string;
  namespace?: string;
  /** PEM bundle to trust for https addresses. */
  caCert?: string;
  /** Per request, default 10 s. */
  requestTimeoutMs?: number;
  /** List with `GET ?list=true` instead of the `LIST` verb, for proxies that reject unknown verbs. */
  listWithGet?: boolean;
  /** When in a lease to renew, default 2/3. */
  renewFraction?: number;
  /** Delay before retrying a failed renewal / login in the background, default 5 s. */
  retryDelayMs?: number;
  logger?: SecretsLogger;
}

export type SecretsLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

const silentLogger: SecretsLogger = { info: () => {}, warn: () => {}, error: () => {} } as unknown as SecretsLogger;

interface VaultHttpError {
  status: number;
  messages: string[];
  body: unknown;
}

/** The status and `errors` of a node-vault ApiResponseError, or null for other failures. */
function vaultHttpError(error: unknown): VaultHttpError | null {
  const response = (error as { response?: { statusCode?: unknown; body?: unknown } } | null)?.response;
  if (!response || typeof response.statusCode !== 'number') return null;
  const body = response.body as { errors?: unknown } | undefined;
  const messages = Array.isArray(body?.errors) ? body.errors.filter((m): m is string => typeof m === 'string') : [];
  return { status: response.statusCode, messages, body: response.body };
}

interface AuthResponse {
  auth?: { client_token?: string; lease_duration?: number; renewable?: boolean } | null;
  warnings?: string[] | null;
}

interface KvReadResponse {
  data?: { data?: SecretData | null; metadata?: { version?: number; created_time?: string } } | null;
}

interface KvMetadataResponse {
  data?: {
    current_version?: number;
    versions?: Record<string, { created_time?: string; deletion_time?: string; destroyed?: boolean }>;
  } | null;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');
const short = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

export class VaultSecretStore implements SecretStore {
  readonly driver = 'vault';
  private readonly client: NodeVault.client;
  private readonly address: string;
  private readonly mount: string;
  private readonly prefix: string;
  private readonly auth: VaultAuth;
  private readonly renewFraction: number;
  private readonly retryDelayMs: number;
  private readonly logger: SecretsLogger;
  private authenticated = false;
  private authInFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** The lease granted at login; a renewal that returns less means the max TTL is near. */
  private loginLease = 0;

  constructor(options: VaultSecretStoreOptions) {
    let url: URL;
    try {
      url = new URL(options.address);
    } catch {
      throw SecretError.invalid(
        `VAULT_ADDR ${JSON.stringify(options.address)} is not a URL (e.g. https://vault:8200).`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw SecretError.invalid(`VAULT_ADDR must be http(s), got ${url.protocol}`);
    }
    this.address = url.origin;
    this.mount = (options.mount ?? 'secret').replace(/^\/+|\/+$/g, '');
    assertSecretPath(this.mount);
    this.prefix = normalizeListPrefix(options.prefix ?? 'pvepaas/');
    this.auth = options.auth;
    if (this.auth.method === 'token' && this.auth.token === '') throw SecretError.invalid('VAULT_TOKEN is empty.');
    if (this.auth.method === 'approle' && (this.auth.roleId === '' || this.auth.secretId === '')) {
      throw SecretError.invalid('AppRole login needs both VAULT_ROLE_ID and VAULT_SECRET_ID.');
    }
    this.renewFraction = options.renewFraction ?? 2 / 3;
    this.retryDelayMs = options.retryDelayMs ?? 5000;
    this.logger = options.logger ?? silentLogger;
    this.client = NodeVault({
      apiVersion: 'v1',
      endpoint: this.address,
      // node-vault's debug output includes request bodies, i.e. secret values: never enable it.
      debug: () => {},
      noCustomHTTPVerbs: options.listWithGet ?? false,
      requestOptions: {
        timeout: options.requestTimeoutMs ?? 10_000,
        ...(options.caCert ? { ca: options.caCert } : {}),
      },
    });
    // node-vault falls back to VAULT_TOKEN, VAULT_PREFIX and VAULT_NAMESPACE from the environment for
    // anything falsy; configuration is parsed once elsewhere, so overwrite them with what we were given.
    const settable = this.client as unknown as { token: string; pathPrefix: string; namespace: string | undefined };
    settable.token = this.auth.method === 'token' ? this.auth.token : '';
    settable.pathPrefix = '';
    settable.namespace = options.namespace;
  }

  // ---- SecretStore --------------------------------------------------------------------------------

  async read(path: string, options: { version?: number } = {}): Promise<SecretValue | null> {
    assertSecretPath(path);
    assertVersion(path, 'version', options.version, 1);
    const query = options.version === undefined ? '' : `?version=${options.version}`;
    const response = await this.call<KvReadResponse | null>('read', path, 'data', 'read', () =>
      this.client.read(`${this.kvPath('data', path)}${query}`),
    );
    const data = response?.data;
    if (!data?.data || !data.metadata || typeof data.metadata.version !== 'number') return null;
    return {
      data: { ...data.data },
      version: data.metadata.version,
      createdTime: new Date(data.metadata.created_time ?? 0),
    };
  }

  async write(path: string, data: SecretData, options: { cas?: number } = {}): Promise<{ version: number }> {
    assertSecretPath(path);
    assertSecretData(path, data);
    assertVersion(path, 'cas', options.cas, 0);
    const body = options.cas === undefined ? { data } : { data, options: { cas: options.cas } };
    try {
      const response = await this.call<{ data?: { version?: number } }>('write', path, 'data', 'create/update', () =>
        this.client.write(this.kvPath('data', path), body),
      );
      const version = response.data?.version;
      if (typeof version !== 'number')
        throw SecretError.unavailable(`Vault answered a write of ${path} without a version.`);
      return { version };
    } catch (error) {
      if (error instanceof SecretError && error.code === 'CAS_MISMATCH') {
        // Vault's error does not say the current version; look it up for a message that helps.
        const current = await this.versionsRaw(path).then(
          (m) => m?.current_version ?? null,
          () => undefined,
        );
        throw SecretError.casMismatch(path, options.cas ?? 0, current === undefined ? null : current);
      }
      throw error;
    }
  }

  async versions(path: string): Promise<SecretVersionInfo[]> {
    assertSecretPath(path);
    const metadata = await this.versionsRaw(path);
    if (!metadata?.versions) return [];
    return Object.entries(metadata.versions)
      .map(([version, info]) => ({
        version: Number(version),
        createdTime: new Date(info.created_time ?? 0),
        deletedTime: info.deletion_time ? new Date(info.deletion_time) : null,
        destroyed: info.destroyed === true,
      }))
      .sort((a, b) => a.version - b.version);
  }

  async delete(path: string): Promise<void> {
    assertSecretPath(path);
    await this.call('delete', path, 'data', 'delete', () => this.client.delete(this.kvPath('data', path)));
  }

  async destroy(path: string, options: { versions?: number[] } = {}): Promise<void> {
    assertSecretPath(path);
    if (options.versions === undefined) {
      await this.call('destroy', path, 'metadata', 'delete', () => this.client.delete(this.kvPath('metadata', path)));
      return;
    }
    if (options.versions.length === 0)
      throw SecretError.invalid(`Secret ${path}: no version numbers to destroy.`, path);
    for (const version of options.versions) assertVersion(path, 'version', version, 1);
    const versions = [...options.versions];
    await this.call('destroy', path, 'destroy', 'update', () =>
      this.client.write(this.kvPath('destroy', path), { versions }),
    );
  }

  async list(prefix: string): Promise<string[]> {
    const base = normalizeListPrefix(prefix);
    const response = await this.call<{ data?: { keys?: unknown } } | null>('list', base, 'metadata', 'list', () =>
      this.client.list(`${this.mount}/metadata/${encodePath(`${this.prefix}${base}`)}`),
    );
    const keys = response?.data?.keys;
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string').sort() : [];
  }

  async health(): Promise<SecretStoreHealth> {
    let body: { initialized?: boolean; sealed?: boolean; standby?: boolean; version?: string };
    try {
      // node-vault resolves sys/health with the body for every status (429, 503, ...).
      body = ((await this.client.health()) ?? {}) as typeof body;
    } catch (error) {
      return { driver: 'vault', ok: false, sealed: false, message: this.mapError(error, 'health', '', 'read').message };
    }
    if (body.initialized === false) {
      return {
        driver: 'vault',
        ok: false,
        sealed: body.sealed === true,
        message: `Vault at ${this.address} is not initialized.`,
      };
    }
    if (body.sealed === true) {
      return { driver: 'vault', ok: false, sealed: true, message: SecretError.sealed(this.address).message };
    }
    try {
      await this.ensureAuthenticated();
    } catch (error) {
      return { driver: 'vault', ok: false, sealed: false, message: (error as Error).message };
    }
    const role = body.standby ? 'standby (requests are forwarded)' : 'active';
    return {
      driver: 'vault',
      ok: true,
      sealed: false,
      message: `Vault ${body.version ?? '?'} at ${this.address}, ${role}`,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
  }

  // ---- authentication and renewal -----------------------------------------------------------------

  private ensureAuthenticated(): Promise<void> {
    if (this.authenticated) return Promise.resolve();
    return this.authenticate();
  }

  /** Logs in (AppRole) or checks the token (lookup-self); concurrent callers share one attempt. */
  private authenticate(): Promise<void> {
    this.authInFlight ??= this.doAuthenticate().finally(() => {
      this.authInFlight = null;
    });
    return this.authInFlight;
  }

  private async doAuthenticate(): Promise<void> {
    this.clearTimer();
    if (this.auth.method === 'approle') {
      const { roleId, secretId, mountPath } = this.auth;
      let response: AuthResponse;
      try {
        // node-vault stores the returned client_token on the client (tokenSource).
        response = (await this.client.approleLogin({
          role_id: roleId,
          secret_id: secretId,
          ...(mountPath ? { mount_point: mountPath } : {}),
        })) as AuthResponse;
      } catch (error) {
        throw this.mapError(error, 'login', `auth/${mountPath ?? 'approle'}/login`, 'update');
      }
      const lease = response.auth?.lease_duration ?? 0;
      if (!response.auth?.client_token) throw SecretError.unavailable('Vault AppRole login returned no token.');
      this.authenticated = true;
      this.loginLease = lease;
      this.logger.info({ leaseSeconds: lease }, 'vault: logged in with AppRole');
      this.schedule(lease, response.auth.renewable !== false ? 'renew' : 'login');
      return;
    }
    let lookup: { data?: { ttl?: number; renewable?: boolean } };
    try {
      lookup = (await this.client.tokenLookupSelf()) as typeof lookup;
    } catch (error) {
      throw this.mapError(error, 'token lookup', 'auth/token/lookup-self', 'read');
    }
    this.authenticated = true;
    const ttl = lookup.data?.ttl ?? 0;
    this.loginLease = ttl;
    // ttl 0: a token that never expires (root or periodic without TTL); nothing to renew.
    if (ttl > 0 && lookup.data?.renewable) this.schedule(ttl, 'renew');
    else if (ttl > 0) this.logger.warn({ ttlSeconds: ttl }, 'vault: the token is not renewable and will expire');
  }

  private schedule(leaseSeconds: number, action: 'renew' | 'login'): void {
    this.clearTimer();
    if (this.closed || leaseSeconds <= 0) return;
    const delay = Math.max(50, Math.floor(leaseSeconds * 1000 * this.renewFraction));
    this.timer = setTimeout(() => void this.refresh(action), delay);
    this.timer.unref();
  }

  private retryLater(action: 'renew' | 'login'): void {
    this.clearTimer();
    if (this.closed) return;
    this.timer = setTimeout(() => void this.refresh(action), this.retryDelayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async refresh(action: 'renew' | 'login'): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    if (action === 'renew') {
      try {
        const response = (await this.client.tokenRenewSelf({})) as AuthResponse;
        const lease = response.auth?.lease_duration ?? 0;
        this.logger.info({ leaseSeconds: lease }, 'vault: token renewed');
        // Less than we had at login: the max TTL caps it. AppRole logs in again before it runs out.
        const capped = lease < this.loginLease || lease <= 0 || response.auth?.renewable === false;
        if (capped && this.auth.method === 'approle') this.schedule(lease, 'login');
        else if (capped) {
          this.logger.warn(
            { leaseSeconds: lease },
            'vault: the token reaches its max TTL soon; provide a new VAULT_TOKEN',
          );
          this.schedule(lease, 'renew');
        } else this.schedule(lease, 'renew');
        return;
      } catch (error) {
        this.logger.warn(
          { err: this.mapError(error, 'renew', 'auth/token/renew-self', 'update') },
          'vault: renewal failed',
        );
        if (this.auth.method !== 'approle') {
          this.retryLater('renew');
          return;
        }
      }
    }
    try {
      this.authenticated = false;
      await this.authenticate();
    } catch (error) {
      this.logger.error({ err: error }, 'vault: login failed; retrying');
      this.retryLater('login');
    }
  }

  // ---- requests -----------------------------------------------------------------------------------

  private kvPath(kind: 'data' | 'metadata' | 'destroy', path: string): string {
    return `${this.mount}/${kind}/${encodePath(`${this.prefix}${path}`)}`;
  }

  private async versionsRaw(path: string): Promise<NonNullable<KvMetadataResponse['data']> | null> {
    const response = await this.call<KvMetadataResponse | null>('read versions of', path, 'metadata', 'read', () =>
      this.client.read(this.kvPath('metadata', path)),
    );
    return response?.data ?? null;
  }

  /**
   * Runs one Vault request: authenticates first, maps failures, and (AppRole) logs in again once when
   * Vault answers 403, which is what an expired or revoked token gets. A 404 whose `errors` is empty
   * (missing key, deleted version, empty list) resolves to null; any other 404 means a missing mount.
   */
  private async call<T>(
    operation: string,
    path: string,
    kind: string,
    capability: string,
    request: () => Promise<unknown>,
  ): Promise<T> {
    if (this.closed) throw SecretError.unavailable('The Vault secret store is closed.');
    const target = `${this.mount}/${kind}/${this.prefix}${path}`;
    await this.ensureAuthenticated();
    const attempt = async (): Promise<T> => {
      try {
        return (await request()) as T;
      } catch (error) {
        const http = vaultHttpError(error);
        if (http?.status === 404 && http.messages.length === 0) return null as T;
        throw error;
      }
    };
    const tokenBefore = this.client.token;
    try {
      return await attempt();
    } catch (error) {
      if (vaultHttpError(error)?.status === 403 && this.auth.method === 'approle') {
        this.logger.warn({ operation, target }, 'vault: permission denied; logging in again in case the token expired');
        try {
          // Another request may already have logged in again.
          if (this.client.token === tokenBefore) {
            this.authenticated = false;
            await this.authenticate();
          }
          return await attempt();
        } catch (retryError) {
          throw this.mapError(retryError, operation, target, capability);
        }
      }
      throw this.mapError(error, operation, target, capability);
    }
  }

  private mapError(error: unknown, operation: string, target: string, capability: string): SecretError {
    if (error instanceof SecretError) return error;
    const http = vaultHttpError(error);
    if (!http) {
      const code = (error as { code?: unknown } | null)?.code;
      const detail = typeof code === 'string' ? code : (error as Error)?.message;
      if ((error as Error)?.name === 'ValidationError' || (error as { dataPath?: unknown })?.dataPath !== undefined) {
        return SecretError.invalid(`Vault ${operation} request was rejected by the client: ${short(String(detail))}`);
      }
      // No `cause`: axios errors carry the request body (secret values) in `config.data`, and loggers
      // serialise causes.
      return SecretError.unavailable(
        `Vault at ${this.address} is unreachable (${short(String(detail))}); ${operation} of ${target} failed.`,
      );
    }
    const said = short(http.messages.join('; ') || `HTTP ${http.status}`);
    switch (http.status) {
      case 400:
        if (said.includes('check-and-set parameter did not match')) return SecretError.casMismatch(target, -1, null);
        if (said.includes('invalid role or secret ID')) {
          return SecretError.denied(
            'AppRole login',
            target,
            'the role_id or secret_id is wrong or the secret_id expired; issue a new VAULT_SECRET_ID.',
          );
        }
        return SecretError.invalid(`Vault rejected ${operation} of ${target}: ${said}`);
      case 403: {
        const hint =
          this.auth.method === 'approle'
            ? `the AppRole's policies must grant "${capability}" on ${target} (logging in again did not help).`
            : `the token is invalid or expired, or its policies lack "${capability}" on ${target}.`;
        return SecretError.denied(operation, target, hint);
      }
      case 404:
        if (said.includes('namespace not found')) {
          return SecretError.notFound(`Vault namespace of ${target} (VAULT_NAMESPACE) does not exist`, 404);
        }
        return SecretError.notFound(
          `Vault has no route for ${target} (${said}): enable a KV v2 engine at ${this.mount}/ (vault secrets enable -path=${this.mount} kv-v2)`,
          404,
        );
      case 503:
        if (said.toLowerCase().includes('sealed')) return SecretError.sealed(this.address);
        return SecretError.unavailable(`Vault at ${this.address} is unavailable (503: ${said}).`, { status: 503 });
      default:
        return SecretError.unavailable(`Vault ${operation} of ${target} failed with HTTP ${http.status}: ${said}`, {
          status: http.status,
        });
    }
  }
}
