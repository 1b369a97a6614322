import { describe, expect, it } from 'vitest';
import { client, useSim } from './test/client.js';

describe('authentication and permissions', () => {
  const start = useSim();

  it('issues tickets and CSRF tokens, and requires CSRF on writes', async () => {
    const sim = await start();
    const api = client(sim, 'anonymous');
    const bad = await api.post('/access/ticket', { username: 'root@pam', password: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.raw).toBe('');
    const ok = await api.post<{
      ticket: string;
      CSRFPreventionToken: string;
      username: string;
      cap: Record<string, unknown>;
    }>('/access/ticket', { username: 'root', realm: 'pam', password: sim.credentials.root.password });
    expect(ok.status).toBe(200);
    const { ticket, CSRFPreventionToken: csrf } = ok.body!.data;
    expect(ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::\S+$/);
    expect(csrf).toMatch(/^[0-9A-F]{8}:\S+$/);
    expect(ok.body!.data.cap.vms).toMatchObject({ 'VM.Allocate': 1 });

    expect((await api.get('/nodes', {}, { ticket })).status).toBe(200);
    const noCsrf = await api.post('/nodes/pve1/qemu/9000/clone', { newid: 120 }, { ticket });
    expect(noCsrf.status).toBe(401);
    expect(noCsrf.statusText).toBe('Permission denied - invalid csrf token');
    const withCsrf = await api.post('/nodes/pve1/qemu/9000/clone', { newid: 120 }, { ticket, csrf });
    expect(withCsrf.status).toBe(200);

    // A ticket renews with itself as the password.
    const renewed = await api.post<{ ticket: string }>('/access/ticket', { username: 'root@pam', password: ticket });
    expect(renewed.status).toBe(200);

    // Tickets expire after two hours.
    sim.control.advanceTime(7201);
    const expired = await api.get('/nodes', {}, { ticket });
    expect(expired.status).toBe(401);
    expect(expired.statusText).toBe('Authentication failed!');
  });

  it('refuses missing and malformed credentials with an empty 401', async () => {
    const sim = await start();
    const api = client(sim, 'anonymous');
    const none = await api.get('/nodes');
    expect([none.status, none.statusText, none.raw]).toEqual([401, 'No ticket', '']);
    const badToken = await api.get(
      '/nodes',
      {},
      { token: 'PVEAPIToken=root@pam!sim-full=00000000-0000-0000-0000-000000000000' },
    );
    expect([badToken.status, badToken.statusText]).toEqual([401, 'Authentication failed!']);
    // Authentication comes before the method lookup: strangers get 401 even for unknown paths.
    expect((await api.get('/no/such/path')).status).toBe(401);
    // World-readable endpoints need nothing.
    expect((await api.get('/access/domains')).status).toBe(200);
  });

  it('API tokens need no CSRF; allowtoken=0 endpoints refuse them', async () => {
    const sim = await start();
    const api = client(sim);
    expect((await api.post('/nodes/pve1/qemu/9000/clone', { newid: 130 })).status).toBe(200);
    const pw = await api.put('/access/password', { userid: 'root@pam', password: 'another-one' });
    expect(pw.status).toBe(403);
    expect(pw.body?.message).toBe("URI '/access/password' not available with API token, need proper ticket.\n");
  });

  it('privilege-separated tokens get the intersection of user and token ACLs', async () => {
    const sim = await start();
    const limited = client(sim, { token: sim.credentials.tokens.limited.header });
    const perms = await limited.get<Record<string, Record<string, number>>>('/access/permissions');
    expect(perms.status).toBe(200);
    // user: PVEVMUser on /, token: PVEAuditor on / → VM.Audit (+ VM.GuestAgent.Audit) only
    expect(perms.body!.data['/']).toEqual({ 'VM.Audit': 1, 'VM.GuestAgent.Audit': 1 });
    const vms = await limited.get<{ type: string }[]>('/cluster/resources', { type: 'vm' });
    expect(vms.body!.data.length).toBeGreaterThan(0);
    const nodes = await limited.get<unknown[]>('/cluster/resources', { type: 'node' });
    expect(nodes.body!.data).toEqual([]);
    const denied = await limited.post('/nodes/pve1/qemu/9000/status/start');
    expect(denied.status).toBe(403);
    expect(denied.statusText).toBe('Permission check failed (/vms/9000, VM.PowerMgmt)');
    expect(denied.body).toEqual({ data: null, message: 'Permission check failed (/vms/9000, VM.PowerMgmt)\n' });

    // Granting the token more on one VM still cannot exceed the user's own privileges.
    const root = client(sim);
    expect(
      (await root.put('/access/acl', { path: '/vms/9000', roles: 'PVEVMAdmin', tokens: 'paas@pve!sim-limited' }))
        .status,
    ).toBe(200);
    const p9000 = await limited.get<Record<string, Record<string, number>>>('/access/permissions', {
      path: '/vms/9000',
    });
    expect(Object.keys(p9000.body!.data['/vms/9000'] ?? {}).sort()).toEqual([
      'VM.Audit',
      'VM.Backup',
      'VM.Config.CDROM',
      'VM.Config.Cloudinit',
      'VM.Console',
      'VM.GuestAgent.Audit',
      'VM.PowerMgmt',
    ]);
  });

  it('manages users, tokens and ACLs', async () => {
    const sim = await start();
    const api = client(sim);
    expect((await api.post('/access/users', { userid: 'alice@pve', password: 'secret123' })).status).toBe(200);
    const tok = await api.post<{ 'full-tokenid': string; value: string; info: { privsep: number } }>(
      '/access/users/alice@pve/token/ci',
      { privsep: 0 },
    );
    expect(tok.body!.data['full-tokenid']).toBe('alice@pve!ci');
    expect(tok.body!.data.info.privsep).toBe(0);
    const alice = client(sim, { token: `PVEAPIToken=alice@pve!ci=${tok.body!.data.value}` });
    expect((await alice.get<unknown[]>('/cluster/resources', { type: 'vm' })).body!.data).toEqual([]);
    await api.put('/access/acl', { path: '/vms/9001', roles: 'PVEAuditor', users: 'alice@pve' });
    const seen = await alice.get<{ vmid: number }[]>('/cluster/resources', { type: 'vm' });
    expect(seen.body!.data.map((g) => g.vmid)).toEqual([9001]);
    const acl =
      await api.get<{ path: string; ugid: string; roleid: string; type: string; propagate: number }[]>('/access/acl');
    expect(acl.body!.data).toContainEqual({
      path: '/vms/9001',
      ugid: 'alice@pve',
      roleid: 'PVEAuditor',
      type: 'user',
      propagate: 1,
    });
    const list = await api.get<{ tokenid: string }[]>('/access/users/alice@pve/token');
    expect(list.body!.data.map((t) => t.tokenid)).toEqual(['ci']);

    // Custom roles, and a password change by ticket (tokens may not).
    expect((await api.post('/access/roles', { roleid: 'PaasGuest', privs: 'VM.Audit,VM.Console' })).status).toBe(200);
    const anon = client(sim, 'anonymous');
    const login = await anon.post<{ ticket: string; CSRFPreventionToken: string }>('/access/ticket', {
      username: 'alice@pve',
      password: 'secret123',
    });
    const alice2 = { ticket: login.body!.data.ticket, csrf: login.body!.data.CSRFPreventionToken };
    const wrong = await anon.put(
      '/access/password',
      { userid: 'alice@pve', password: 'newsecret1', 'confirmation-password': 'nope' },
      alice2,
    );
    expect(wrong.status).toBe(400);
    const changed = await anon.put(
      '/access/password',
      { userid: 'alice@pve', password: 'newsecret1', 'confirmation-password': 'secret123' },
      alice2,
    );
    expect(changed.status).toBe(200);
    expect((await anon.post('/access/ticket', { username: 'alice@pve', password: 'newsecret1' })).status).toBe(200);
  });
});
