import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProxmoxError, ProxmoxParameterError } from './errors.js';
import { apiPath, backoffDelay, encodeParams, ProxmoxHttp, type HttpOptions } from './http.js';
import { silentLogger, startFakeServer, type FakeServer } from './test/fake-server.js';

let srv: FakeServer;
let sleeps: number[];
const make = (o: Partial<HttpOptions> = {}) =>
  new ProxmoxHttp({
    url: srv.url,
    auth: { type: 'token', tokenId: 'paas@pve!platform', secret: 'abc-123' },
    logger: silentLogger,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...o,
  });

beforeEach(async () => {
  srv = await startFakeServer();
  sleeps = [];
});
afterEach(() => srv.close());

describe('encoding', () => {
  it('encodes booleans as 1/0, drops undefined/null, repeats arrays', () => {
    expect(encodeParams({ a: true, b: false, c: undefined, d: null, e: 3, f: ['x', 'y'] }).toString()).toBe(
      'a=1&b=0&e=3&f=x&f=y',
    );
  });
  it('apiPath encodes each segment but keeps : @ !', () => {
    const upid = 'UPID:pve:0000:0000:0000:qmstart:100:u@pve!tok:';
    expect(apiPath`/nodes/${'pve'}/tasks/${upid}/status`).toBe(`/nodes/pve/tasks/${upid}/status`);
    expect(apiPath`/nodes/${'pve'}/storage/${'local'}/content/${'local:iso/a b.iso'}`).toBe(
      '/nodes/pve/storage/local/content/local:iso%2Fa%20b.iso',
    );
  });
  it('sends GET/DELETE parameters in the query and POST/PUT as a form body, with the token header', async () => {
    srv.handle(() => ({ body: { data: { ok: 1 } } }));
    const http = make();
    expect(await http.get('/cluster/resources', { type: 'vm', x: undefined })).toEqual({ ok: 1 });
    await http.post('/nodes/pve/qemu', { vmid: 100, start: false, name: 'a b' });
    await http.put('/nodes/pve/qemu/100/config', { onboot: true });
    await http.delete('/nodes/pve/qemu/100', { purge: true });
    const [g, p, u, d] = srv.requests;
    expect(g!.method).toBe('GET');
    expect(g!.params.toString()).toBe('type=vm');
    expect(g!.headers.authorization).toBe('PVEAPIToken=paas@pve!platform=abc-123');
    expect(p!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(p!.rawBody).toBe('vmid=100&start=0&name=a+b');
    expect(u!.rawBody).toBe('onboot=1');
    expect(d!.params.get('purge')).toBe('1');
    expect(d!.rawBody).toBe('');
    // API tokens need no CSRF token
    expect(p!.headers.csrfpreventiontoken).toBeUndefined();
  });
  it('accepts a base URL with /api2/json', async () => {
    srv.handle(() => ({ body: { data: 'x' } }));
    expect(await make({ url: `${srv.url}/api2/json/` }).get('/version')).toBe('x');
  });
});

describe('errors', () => {
  it('maps a 400 with per-field errors', async () => {
    srv.handle(() => ({
      status: 400,
      statusMessage: 'Parameter verification failed.',
      body: { data: null, message: 'Parameter verification failed.\n', errors: { vmid: 'VM 100 already exists' } },
    }));
    const err = await make()
      .get('/cluster/nextid', { vmid: 100 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxmoxParameterError);
    expect((err as ProxmoxParameterError).errors.vmid).toBe('VM 100 already exists');
    expect((err as ProxmoxError).request).toEqual({ method: 'GET', path: '/cluster/nextid' });
  });
  it('non-JSON 200 → UNAVAILABLE', async () => {
    srv.handle(() => ({ raw: '<html>' }));
    await expect(make().get('/version')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('retries', () => {
  it('backoff is exponential, capped and jittered between half and all of the cap', () => {
    const p = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, p, () => 0)).toBe(50);
    expect(backoffDelay(0, p, () => 1)).toBe(100);
    expect(backoffDelay(3, p, () => 1)).toBe(800);
    expect(backoffDelay(10, p, () => 0.5)).toBe(750);
  });
  it('retries a GET on 503 and succeeds', async () => {
    let n = 0;
    srv.handle(() => (++n < 3 ? { status: 503, statusMessage: 'Service Unavailable' } : { body: { data: 42 } }));
    expect(await make().get('/cluster/nextid')).toBe(42);
    expect(srv.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(125);
    expect(sleeps[0]).toBeLessThanOrEqual(250);
    expect(sleeps[1]).toBeGreaterThanOrEqual(250);
    expect(sleeps[1]).toBeLessThanOrEqual(500);
  });
  it('gives up after the configured retries', async () => {
    srv.handle(() => ({ status: 502, statusMessage: 'Bad Gateway' }));
    await expect(make({ retry: { retries: 2 } }).get('/nodes')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      status: 502,
    });
    expect(srv.requests).toHaveLength(3);
  });
  it('never repeats a write on 5xx', async () => {
    srv.handle(() => ({ status: 503, statusMessage: 'Service Unavailable' }));
    await expect(make().post('/nodes/pve/qemu/100/status/start')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(srv.requests).toHaveLength(1);
  });
  it('does not retry a deterministic 500 on GET', async () => {
    srv.handle(() => ({ status: 500, body: { data: null, message: 'QEMU guest agent is not running\n' } }));
    await expect(make().get('/nodes/pve/qemu/100/agent/network-get-interfaces')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      status: 500,
    });
    expect(srv.requests).toHaveLength(1);
  });
  it('repeats a write that failed on a lock timeout (nothing was changed)', async () => {
    let n = 0;
    srv.handle(() =>
      ++n === 1
        ? {
            status: 500,
            body: { data: null, message: "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout\n" },
          }
        : { body: { data: null } },
    );
    await make().put('/nodes/pve/qemu/100/config', { cores: 2 });
    expect(srv.requests).toHaveLength(2);
  });
  it('retries a GET on connection refused, then reports UNAVAILABLE', async () => {
    const url = srv.url;
    await srv.close();
    const http = make({ url, retry: { retries: 1 } });
    await expect(http.get('/version')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(sleeps).toHaveLength(1);
    srv = await startFakeServer();
  });
});

describe('ticket auth', () => {
  const ticketFor = (n: number) => `PVE:paas@pve:6553F10${n}::sig${n}`;
  let logins: URLSearchParams[];
  let valid: string;
  beforeEach(() => {
    logins = [];
    valid = '';
    srv.handle((r) => {
      if (r.path === '/access/ticket') {
        logins.push(r.params);
        if (r.params.get('password') !== 'secret' && r.params.get('password') !== valid) {
          return { status: 401, statusMessage: 'authentication failure' };
        }
        valid = ticketFor(logins.length);
        return { body: { data: { username: 'paas@pve', ticket: valid, CSRFPreventionToken: `csrf${logins.length}` } } };
      }
      if (r.headers.cookie !== `PVEAuthCookie=${valid}`) return { status: 401, statusMessage: 'invalid ticket' };
      if (r.method !== 'GET' && r.headers.csrfpreventiontoken !== `csrf${logins.length}`) {
        return { status: 401, statusMessage: 'Permission denied - invalid csrf token' };
      }
      return { body: { data: 'ok' } };
    });
  });
  const ticketAuth = { type: 'ticket' as const, username: 'paas@pve', password: 'secret' };

  it('logs in once, sends the cookie, and the CSRF token only on writes', async () => {
    const http = make({ auth: ticketAuth });
    await Promise.all([http.get('/version'), http.get('/nodes')]);
    await http.post('/nodes/pve/qemu/100/status/start');
    expect(logins).toHaveLength(1);
    expect(logins[0]!.get('username')).toBe('paas@pve');
    const get = srv.requests.find((r) => r.path === '/version')!;
    expect(get.headers.csrfpreventiontoken).toBeUndefined();
    expect(get.headers.authorization).toBeUndefined();
    const post = srv.requests.find((r) => r.method === 'POST' && r.path !== '/access/ticket')!;
    expect(post.headers.csrfpreventiontoken).toBe('csrf1');
  });

  it('renews with the current ticket as password after 1h45', async () => {
    let now = 1_000_000;
    const http = make({ auth: ticketAuth, now: () => now });
    await http.get('/version');
    now += 104 * 60_000;
    await http.get('/version');
    expect(logins).toHaveLength(1);
    now += 2 * 60_000;
    await http.get('/version');
    expect(logins).toHaveLength(2);
    expect(logins[1]!.get('password')).toBe(ticketFor(1));
  });

  it('logs in again once on a 401 and repeats the request', async () => {
    const http = make({ auth: ticketAuth });
    await http.get('/version');
    valid = 'revoked';
    expect(await http.post('/nodes/pve/qemu/100/status/start')).toBe('ok');
    expect(logins).toHaveLength(2);
    expect(logins[1]!.get('password')).toBe('secret');
  });

  it('concurrent requests that hit a 401 share one re-login', async () => {
    const http = make({ auth: ticketAuth });
    await http.get('/version');
    valid = 'revoked';
    expect(await Promise.all([1, 2, 3, 4, 5].map(() => http.get('/nodes')))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(logins).toHaveLength(2);
  });

  it('bad credentials → AUTH', async () => {
    const http = make({ auth: { ...ticketAuth, password: 'wrong' } });
    await expect(http.get('/version')).rejects.toMatchObject({ code: 'AUTH' });
  });

  it('a user that needs TFA is refused with a clear message', async () => {
    srv.handle(() => ({ body: { data: { username: 'paas@pve', ticket: 'PVE:!tfa!x', NeedTFA: 1 } } }));
    await expect(make({ auth: ticketAuth }).get('/version')).rejects.toThrow(/second factor/);
  });
});
