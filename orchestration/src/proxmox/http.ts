// The transport: one got instance per cluster, auth headers, form encoding, the {data} envelope,
// error mapping and the retry policy. Everything above this file speaks in typed calls.
// Reference: reference/proxmox/README.md §1 (transport, auth) and §2 (envelope, errors).
import got, { type Got, type Method } from 'got';
import { pino } from 'pino';
import { mapHttpError, mapTransportError, ProxmoxError } from './errors.js';
import { buildTls, type ProxmoxTlsOptions, type TlsSetup } from './tls.js';

export interface TokenAuth {
  type: 'token';
  /** `user@realm!tokenname` */
  tokenId: string;
  secret: string;
}

export interface TicketAuth {
  type: 'ticket';
  /** `user@realm` (or `user` plus `realm`). */
  username: string;
  password: string;
  realm?: string;
}

export type ProxmoxAuth = TokenAuth | TicketAuth;

export interface ProxmoxLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface RetryPolicy {
  /** Extra attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export type ParamScalar = string | number | boolean;
export type ParamValue = ParamScalar | readonly ParamScalar[] | undefined | null;
export type Params = Record<string, ParamValue>;

/** What the client sent, for observers (the conformance test records every request with it). */
export interface SentRequest {
  method: Method;
  /** API path without `/api2/json`, as sent (segments URL-encoded). */
  path: string;
  /** The encoded parameters, exactly as they went on the wire (query or form body). */
  params: URLSearchParams;
}

export interface HttpOptions {
  /** `https://host:8006` (a trailing `/api2/json` is accepted). */
  url: string;
  auth: ProxmoxAuth;
  tls?: ProxmoxTlsOptions;
  /** Per-attempt timeout; default 30 s (pveproxy's own proxy timeout). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Renew a ticket once it is this old; default 1 h 45 min (tickets live 2 h). */
  ticketRenewAfterMs?: number;
  logger?: ProxmoxLogger;
  /** Injected clock and sleep (tests). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * Observer of every request (tests, diagnostics). The parameters are unredacted: the login's
   * `password` and cloud-init `cipassword` appear in clear, so never log them as they are.
   */
  onRequest?: (req: SentRequest) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 250, maxDelayMs: 5_000 };
export const TICKET_RENEW_AFTER_MS = 105 * 60_000;

/** Encodes one path segment; keeps `:`, `@` and `!` (legal in paths, common in UPIDs and user ids). */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value)).replace(/%3A/gi, ':').replace(/%40/gi, '@');
}

/** Tagged template for API paths: every interpolation is one encoded path segment. */
export function apiPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce((acc, s, i) => acc + s + (i < values.length ? seg(values[i]!) : ''), '');
}

/** Form/query encoding: booleans as 1/0, undefined/null dropped, arrays as repeated keys. */
export function encodeParams(params: Params | undefined): URLSearchParams {
  const out = new URLSearchParams();
  if (!params) return out;
  const scalar = (v: ParamScalar) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v as readonly ParamScalar[]) out.append(k, scalar(item));
    else out.append(k, scalar(v as ParamScalar));
  }
  return out;
}

/** Full jitter between half and all of the capped exponential delay. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

interface Ticket {
  ticket: string;
  csrf: string;
  username: string;
  obtainedAt: number;
}

export interface RequestOptions {
  /** Set false to disable retries (e.g. polling loops with their own backoff). */
  retry?: boolean;
}

export class ProxmoxHttp {
  readonly baseUrl: string;
  readonly tlsMode: TlsSetup['mode'];
  private readonly got: Got;
  private readonly retry: RetryPolicy;
  private readonly logger: ProxmoxLogger;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly agent: TlsSetup['agent'];
  private readonly tls: TlsSetup;
  private ticket: Ticket | undefined;
  private login: Promise<Ticket> | undefined;

  constructor(private readonly options: HttpOptions) {
    this.logger = options.logger ?? pino({ name: 'proxmox' });
    const root = options.url.replace(/\/+$/, '').replace(/\/api2\/json$/, '');
    const url = new URL(root);
    this.baseUrl = `${url.origin}/api2/json`;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    const tls = buildTls(options.tls ?? {}, this.logger, root);
    this.tlsMode = url.protocol === 'https:' ? tls.mode : 'system';
    this.agent = tls.agent;
    this.tls = tls;
    this.got = got.extend({
      prefixUrl: this.baseUrl,
      throwHttpErrors: false,
      retry: { limit: 0 },
      followRedirect: false,
      timeout: { request: options.timeoutMs ?? 30_000 },
      responseType: 'text',
      agent: { https: tls.agent },
      https: tls.https,
      headers: { accept: 'application/json', 'user-agent': 'pvepaas-orchestration' },
    });
  }

  get authId(): string {
    const a = this.options.auth;
    if (a.type === 'token') return a.tokenId;
    return a.realm && !a.username.includes('@') ? `${a.username}@${a.realm}` : a.username;
  }

  get<T>(path: string, params?: Params, o?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, params, o);
  }
  post<T>(path: string, params?: Params, o?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, params, o);
  }
  put<T>(path: string, params?: Params, o?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, params, o);
  }
  delete<T>(path: string, params?: Params, o?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, params, o);
  }

  /**
   * One API call. Retries (jittered exponential backoff) only when repeating cannot do harm:
   * GETs on transient failures, and any method on a lock timeout (Proxmox gave up before changing
   * anything). A 401 under ticket auth triggers one re-login and one repeat (the request was refused
   * before it ran). Other write failures are never repeated.
   */
  async request<T>(method: Method, path: string, params?: Params, o: RequestOptions = {}): Promise<T> {
    const retries = o.retry === false ? 0 : this.retry.retries;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, params);
      } catch (e) {
        const err = e as ProxmoxError;
        const safe = err.code === 'LOCK_TIMEOUT' || (method === 'GET' && err.transient);
        if (!safe || attempt >= retries) throw err;
        const delay = backoffDelay(attempt, this.retry, this.random);
        this.logger.debug({ method, path, attempt, delay, code: err.code }, 'retrying Proxmox request');
        await this.sleep(delay);
      }
    }
  }

  private async once<T>(method: Method, path: string, params: Params | undefined): Promise<T> {
    const auth = this.options.auth;
    const ticket = auth.type === 'ticket' ? await this.currentTicket() : undefined;
    try {
      return await this.send<T>(method, path, params, ticket);
    } catch (e) {
      if (ticket && e instanceof ProxmoxError && e.code === 'AUTH') {
        // The ticket may have expired early (clock skew) or the cluster's auth key rotated: log in
        // once more. Only drop it if no concurrent request has replaced it already.
        if (this.ticket === ticket) this.ticket = undefined;
        return this.send<T>(method, path, params, await this.currentTicket());
      }
      throw e;
    }
  }

  private async send<T>(method: Method, path: string, params: Params | undefined, ticket?: Ticket): Promise<T> {
    const rel = path.replace(/^\/+/, '');
    const encoded = encodeParams(params);
    const request = { method, path: `/${rel}` };
    this.options.onRequest?.({ method, path: `/${rel}`, params: encoded });
    const headers: Record<string, string> = {};
    const auth = this.options.auth;
    if (auth.type === 'token') headers.authorization = `PVEAPIToken=${auth.tokenId}=${auth.secret}`;
    if (ticket) {
      headers.cookie = `PVEAuthCookie=${ticket.ticket}`;
      if (method !== 'GET') headers.csrfpreventiontoken = ticket.csrf;
    }
    const withBody = method === 'POST' || method === 'PUT';
    if (withBody) headers['content-type'] = 'application/x-www-form-urlencoded';
    let res;
    try {
      res = await this.got(rel, {
        method,
        headers,
        ...(withBody ? { body: encoded.toString() } : { searchParams: encoded }),
      });
    } catch (err) {
      throw mapTransportError(err, request);
    }
    let body: unknown;
    try {
      body = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      if (res.statusCode === 200) throw ProxmoxError.badResponse(`non-JSON body from ${method} /${rel}`, { request });
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      return (body && typeof body === 'object' && 'data' in body ? body.data : null) as T;
    }
    throw mapHttpError({ status: res.statusCode, statusMessage: res.statusMessage, body }, request);
  }

  private currentTicket(): Promise<Ticket> {
    const t = this.ticket;
    if (t && this.now() - t.obtainedAt < (this.options.ticketRenewAfterMs ?? TICKET_RENEW_AFTER_MS)) {
      return Promise.resolve(t);
    }
    // One login at a time; concurrent requests wait for the same one.
    this.login ??= this.obtainTicket(t).finally(() => {
      this.login = undefined;
    });
    return this.login;
  }

  private async obtainTicket(previous: Ticket | undefined): Promise<Ticket> {
    const auth = this.options.auth as TicketAuth;
    if (previous) {
      try {
        // Renewal: a valid ticket works as the password (README §1.2).
        return await this.postTicket({ username: previous.username, password: previous.ticket });
      } catch (e) {
        this.logger.debug({ err: (e as Error).message }, 'ticket renewal failed, logging in again');
      }
    }
    return this.postTicket({ username: auth.username, password: auth.password, realm: auth.realm });
  }

  private async postTicket(params: Params): Promise<Ticket> {
    const data = await this.send<{
      ticket?: string;
      CSRFPreventionToken?: string;
      username: string;
      NeedTFA?: number;
    }>('POST', '/access/ticket', params);
    if (data?.NeedTFA) {
      throw ProxmoxError.auth('the user needs a second factor; use an API token for the platform');
    }
    if (!data?.ticket || !data.CSRFPreventionToken) throw ProxmoxError.auth('no ticket in the /access/ticket reply');
    this.ticket = {
      ticket: data.ticket,
      csrf: data.CSRFPreventionToken,
      username: data.username,
      obtainedAt: this.now(),
    };
    return this.ticket;
  }

  /** TLS settings for other connections to the same server (console websockets). */
  tlsOptions(): { agent: TlsSetup['agent']; rejectUnauthorized: boolean; ca?: string } {
    return {
      agent: this.agent,
      rejectUnauthorized: this.tls.https.rejectUnauthorized,
      ...(this.tls.https.certificateAuthority ? { ca: this.tls.https.certificateAuthority } : {}),
    };
  }

  /** For console websockets: the headers a server-side proxy sends to `vncwebsocket`. */
  async authHeaders(): Promise<Record<string, string>> {
    const auth = this.options.auth;
    if (auth.type === 'token') return { authorization: `PVEAPIToken=${auth.tokenId}=${auth.secret}` };
    const t = await this.currentTicket();
    return { cookie: `PVEAuthCookie=${t.ticket}` };
  }

  close(): void {
    this.agent.destroy();
  }
}
