// The HTTP edge, as pveproxy/pvedaemon behave: /api2/json paths resolved against the published
// schema (501 when absent), form/JSON bodies merged with the query string, authentication
// (ticket + CSRF, API tokens), parameter verification, the schema's permission checks, then the
// handler; errors become PVE's status line and envelope. Fault injection applies before handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { authid, checkPermission, verifyCsrf, verifyTicket, type Identity } from './auth.js';
import { PveError, PveHttpError } from './errors.js';
import { Paged, Params, RawJson, type Router } from './router.js';
import type { ApiSchema, HttpMethod } from './schema.js';
import type { Sim } from './sim.js';
import { validateParams, type RawParams } from './validate.js';

const MAX_BODY = 64 * 1024;
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

export interface EdgeDeps {
  sim: Sim;
  router: Router;
  schema: ApiSchema;
  control: (req: IncomingMessage, res: ServerResponse, path: string, body: string) => Promise<void>;
}

export function createRequestHandler(deps: EdgeDeps) {
  return (req: IncomingMessage, res: ServerResponse) => {
    void handle(deps, req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendError(res, err instanceof PveHttpError ? err : PveError.internal('internal simulator error'));
      console.error('pve-sim: unexpected error', err);
    });
  };
}

async function handle(deps: EdgeDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const body = await readBody(req);
  if (url.pathname.startsWith('/_sim/')) return deps.control(req, res, url.pathname, body ?? '');
  if (body === undefined) return sendError(res, new PveHttpError(501, 'for data too large'));
  const method = (req.method ?? 'GET').toUpperCase();
  if (!url.pathname.startsWith('/api2/json/') && url.pathname !== '/api2/json') {
    res
      .writeHead(404, 'Not Found', { 'Content-Type': 'text/plain' })
      .end('not found (the simulator serves /api2/json only)');
    return;
  }
  const apiPath = url.pathname.slice('/api2/json'.length).replace(/\/+$/, '') || '/';
  const result = await dispatch(deps, req, method, apiPath, url.searchParams, body, req.headers['content-type']);
  send(res, result);
}

type Outcome = { status: 200; data: unknown; total?: number; raw?: boolean } | PveHttpError;

async function dispatch(
  deps: EdgeDeps,
  req: IncomingMessage,
  method: string,
  apiPath: string,
  query: URLSearchParams,
  body: string,
  contentType: string | undefined,
): Promise<Outcome> {
  const { sim, router, schema } = deps;
  const match = schema.match(apiPath);
  const methodSchema = METHODS.has(method) ? match?.methods[method as HttpMethod] : undefined;
  // pveproxy authenticates before it looks the method up: an unknown path is 401 to strangers.
  const world = methodSchema?.permissions?.user === 'world';

  let identity: Identity | undefined;
  if (!world) {
    const auth = authenticate(sim, req, method);
    if (auth instanceof PveHttpError) {
      await delayUnauthorized(sim);
      return auth;
    }
    identity = auth;
  }
  if (!match || !methodSchema) return PveError.notImplemented(method, apiPath);
  if (identity?.via === 'token' && methodSchema.allowtoken === 0) return PveError.tokenNotAllowed(apiPath);

  let raw: RawParams;
  try {
    raw = parseParams(body, contentType, query);
  } catch (err) {
    return err instanceof PveHttpError ? err : PveError.internal(String(err));
  }
  for (const [k, v] of Object.entries(match.params)) {
    if (raw[k] !== undefined && raw[k] !== v) {
      return PveError.param(k, 'duplicate parameter (already defined in URI) with conflicting values!');
    }
    raw[k] = v;
  }

  const fault = sim.faults.forRequest(method, match.template, apiPath);
  if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
  if (fault.error) return new PveHttpError(fault.error.status, fault.error.message);

  try {
    validateParams(methodSchema, raw);
    const node = typeof raw.node === 'string' ? raw.node : undefined;
    if (node && methodSchema.proxyto === 'node') {
      const n = sim.node(node);
      if (n.status === 'offline') return new PveHttpError(595, `No route to host`);
    }
    const id = identity ?? { userid: '', privsep: false, via: 'ticket' as const };
    if (identity) {
      const perm = checkPermission(sim.state, identity, methodSchema.permissions, raw);
      if (!perm.ok) return PveError.permission(perm.path, perm.privs);
    }
    const handler = router.get(method as HttpMethod, match.template);
    if (!handler) return PveError.notImplemented(method, apiPath);
    const data = await handler({
      sim,
      method: method as HttpMethod,
      template: match.template,
      path: apiPath,
      params: new Params(raw),
      identity: id,
    });
    if (data instanceof Paged) return { status: 200, data: data.data, total: data.total };
    if (data instanceof RawJson) return { status: 200, data, raw: true };
    return { status: 200, data: data === undefined ? null : data };
  } catch (err) {
    if (err instanceof PveHttpError) return err;
    if (err instanceof Error) return PveError.internal(err.message);
    return PveError.internal(String(err));
  }
}

/** Cookie or Authorization header → identity, or the 401 PVE answers. */
export function authenticate(sim: Sim, req: IncomingMessage, method: string): Identity | PveHttpError {
  const cookie = /(?:^|;\s*)PVEAuthCookie=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
  const header = req.headers.authorization ?? '';
  const ticket = cookie ?? /(?:^|\s)PVEAuthCookie(?:=| )([^;]*)/.exec(header)?.[1];
  if (ticket) {
    const userid = verifyTicket(sim.key, safeDecode(ticket), sim.nowSec());
    if (!userid) return PveError.authFailed();
    const user = sim.state.users.find((u) => u.userid === userid);
    if (!user?.enable) return PveError.authFailed();
    if (method !== 'GET') {
      const csrf = req.headers.csrfpreventiontoken;
      if (typeof csrf !== 'string' || !verifyCsrf(sim.key, csrf, userid, sim.nowSec())) return PveError.csrf();
    }
    return { userid, privsep: false, via: 'ticket' };
  }
  const token = /^PVEAPIToken(?:=| )(.+)$/.exec(header.trim())?.[1];
  if (token) {
    const value = safeDecode(token);
    const eq = value.lastIndexOf('=');
    const full = value.slice(0, eq);
    const secret = value.slice(eq + 1);
    const m = /^(\S+@[A-Za-z][A-Za-z0-9.\-_]+)!([A-Za-z][A-Za-z0-9.\-_]+)$/.exec(full);
    if (eq < 0 || !m) return PveError.authFailed();
    const [, userid = '', name = ''] = m;
    const user = sim.state.users.find((u) => u.userid === userid);
    const tok = user?.tokens[name];
    if (!user?.enable || !tok || tok.secret !== secret) return PveError.authFailed();
    if (tok.expire && tok.expire < sim.nowSec()) return PveError.authFailed();
    return { userid, tokenid: full, privsep: tok.privsep === 1, via: 'token' };
  }
  return PveError.noTicket();
}

/** "always delay unauthorized calls by 3 seconds" (pve-http-server), scaled by timeFactor. */
const delayUnauthorized = (sim: Sim) => sim.sleep(3000);

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function parseParams(body: string, contentType: string | undefined, query: URLSearchParams): RawParams {
  const raw: RawParams = {};
  const add = (k: string, v: string) => {
    const cur = raw[k];
    raw[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
  };
  if (body.length) {
    if (contentType?.startsWith('application/json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new PveHttpError(400, 'malformed JSON string');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw PveError.internal('Not a HASH reference');
      }
      for (const [k, v] of Object.entries(parsed)) {
        if (v === null || v === undefined) continue;
        if (Array.isArray(v)) for (const item of v) add(k, jsonScalar(item));
        else add(k, jsonScalar(v));
      }
    } else {
      for (const [k, v] of new URLSearchParams(body)) add(k, v);
    }
  }
  const fromQuery: RawParams = {};
  for (const [k, v] of query) {
    const cur = fromQuery[k];
    fromQuery[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  Object.assign(raw, fromQuery);
  delete raw._dc;
  return raw;
}

const jsonScalar = (v: unknown) =>
  v === true ? '1' : v === false ? '0' : typeof v === 'object' ? JSON.stringify(v) : String(v);

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const HEADERS = {
  'Content-Type': 'application/json;charset=UTF-8',
  Server: 'pve-api-daemon/3.0',
  'Cache-Control': 'max-age=0',
  Pragma: 'no-cache',
};

function reason(message: string): string {
  const first = message.split('\n')[0] ?? '';
  return first.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

function send(res: ServerResponse, outcome: Outcome) {
  if (outcome instanceof PveHttpError) return sendError(res, outcome);
  if (outcome.data instanceof RawJson) {
    const text = `{"data":${outcome.data.json}}`;
    res.writeHead(200, 'OK', { ...HEADERS, 'Content-Length': Buffer.byteLength(text) }).end(text);
    return;
  }
  const payload: Record<string, unknown> = { data: outcome.data };
  if (outcome.total !== undefined) payload.total = outcome.total;
  const body = JSON.stringify(payload);
  res.writeHead(200, 'OK', { ...HEADERS, 'Content-Length': Buffer.byteLength(body) }).end(body);
}

export function sendError(res: ServerResponse, err: PveHttpError) {
  if (err.status === 401) {
    res.writeHead(401, reason(err.message), { ...HEADERS, 'Content-Length': 0 }).end();
    return;
  }
  const payload: Record<string, unknown> = { data: null, message: `${err.message}\n` };
  if (err.errors) payload.errors = err.errors;
  const body = JSON.stringify(payload);
  res.writeHead(err.status, reason(err.message), { ...HEADERS, 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/**
 * A stopped guest has nothing to attach to: like `qm vncproxy` failing behind pveproxy, the
 * WebSocket opens (101) and is then closed; the vncproxy task records the failure.
 */
function closeAfterHandshake(socket: Duplex) {
  const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
  socket.write = ((chunk: unknown, ...rest: unknown[]) => {
    const ok = write(chunk, ...rest);
    if (String(chunk).startsWith('HTTP/1.1 101')) setImmediate(() => socket.destroy());
    return ok;
  }) as typeof socket.write;
}

/** The `upgrade` event: GET .../vncwebsocket authenticated like any API call, then the broker. */
export function createUpgradeHandler(deps: EdgeDeps) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const fail = (status: number, message: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason(message)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://sim');
    const m = /^\/api2\/json\/nodes\/([^/]+)\/(qemu|lxc)\/(\d+)\/vncwebsocket$/.exec(url.pathname);
    if (!m) return fail(501, `Method 'GET ${url.pathname}' not implemented`);
    const [, node = '', type, vmidText = ''] = m;
    const { sim } = deps;
    const identity = authenticate(sim, req, 'GET');
    if (identity instanceof PveHttpError) return void delayUnauthorized(sim).then(() => fail(401, identity.message));
    const schemaMethod = deps.schema.method(`/nodes/{node}/${type}/{vmid}/vncwebsocket`, 'GET');
    const raw = parseParams('', undefined, url.searchParams);
    Object.assign(raw, { node, vmid: vmidText });
    try {
      if (schemaMethod) validateParams(schemaMethod, raw);
      const vmid = Number(vmidText);
      const guest = sim.guest(node, vmid, type as 'qemu' | 'lxc');
      if (guest.status === 'stopped') closeAfterHandshake(socket);
      const perm = checkPermission(sim.state, identity, schemaMethod?.permissions, raw);
      if (!perm.ok) return fail(403, PveError.permission(perm.path, perm.privs).message);
      if (!sim.broker) return fail(501, 'console broker not available');
      sim.broker.handleUpgrade(
        { node, vmid, type: type as 'qemu' | 'lxc' },
        { port: String(raw.port ?? ''), vncticket: String(raw.vncticket ?? ''), user: authid(identity) },
        req,
        socket,
        head,
      );
    } catch (err) {
      const e = err instanceof PveHttpError ? err : PveError.internal(String(err));
      fail(e.status, e.message);
    }
  };
}
