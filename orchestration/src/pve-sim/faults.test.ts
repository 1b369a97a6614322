import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPveSimulator } from './index.js';
import { client, useSim } from './test/client.js';

describe('fault injection and control', () => {
  const start = useSim();

  it('injects errors and latency per route, through control and over HTTP', async () => {
    const sim = await start();
    const api = client(sim);
    const id = sim.control.addRouteFault({
      path: '/nodes/{node}/qemu/{vmid}/clone',
      method: 'POST',
      status: 500,
      message: "cfs-lock 'storage-ceph-vm' error: got lock request timeout",
    });
    const r = await api.post('/nodes/pve1/qemu/9000/clone', { newid: 500 });
    expect([r.status, r.statusText]).toEqual([500, "cfs-lock 'storage-ceph-vm' error: got lock request timeout"]);
    sim.control.removeRouteFault(id);
    expect((await api.post('/nodes/pve1/qemu/9000/clone', { newid: 500 })).status).toBe(200);

    const added = await fetch(`${sim.url}/_sim/faults/route`, {
      method: 'POST',
      body: JSON.stringify({ path: '/version', latencyMs: 80 }),
    });
    expect(((await added.json()) as { data: { id: number } }).data.id).toBeGreaterThan(0);
    const t0 = Date.now();
    expect((await api.get('/version')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(75);

    // An error rate fails about that share of requests (seeded, so deterministic per run).
    sim.control.resetFaults();
    sim.control.addRouteFault({ path: '/cluster/*', errorRate: 0.5, status: 503, message: 'Service Unavailable' });
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => api.get('/cluster/resources').then((x) => x.status)),
    );
    const failed = statuses.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
    await fetch(`${sim.url}/_sim/faults/reset`, { method: 'POST' });
    expect((await api.get('/cluster/resources')).status).toBe(200);
  });

  it('fails the next task of a type and stalls tasks until released', async () => {
    const sim = await start();
    const api = client(sim);
    sim.control.failNextTask('qmclone', "clone failed: rbd error: rbd: couldn't connect to the cluster!");
    const first = await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 510 });
    expect((await api.wait(first.body!.data)).exitstatus).toBe(
      "clone failed: rbd error: rbd: couldn't connect to the cluster!",
    );
    expect((await api.get('/nodes/pve1/qemu/510/config')).status).toBe(500);
    await fetch(`${sim.url}/_sim/faults/warn`, {
      method: 'POST',
      body: JSON.stringify({ type: 'qmclone', lines: ['a', 'b'] }),
    });
    const second = await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 510 });
    expect((await api.wait(second.body!.data)).exitstatus).toBe('WARNINGS: 2');
    const log = await api.get<{ t: string }[]>(`/nodes/pve1/tasks/${encodeURIComponent(second.body!.data)}/log`);
    expect(log.body!.data.slice(-3).map((l) => l.t)).toEqual(['WARN: a', 'WARN: b', 'TASK WARNINGS: 2']);

    await fetch(`${sim.url}/_sim/faults/stall`, { method: 'POST', body: JSON.stringify({ type: 'qmstart' }) });
    const startTask = (await api.post<string>('/nodes/pve1/qemu/510/status/start')).body!.data;
    await new Promise((r) => setTimeout(r, 100));
    expect(await sim.control.waitForTask(startTask, 1).catch((e: Error) => e.message)).toMatch(/still running/);
    await fetch(`${sim.url}/_sim/faults/release`, { method: 'POST', body: '{}' });
    expect((await sim.control.waitForTask(startTask)).exitstatus).toBe('OK');
  });

  it('takes a node offline: 595 for proxied calls, guests stopped, node listed offline', async () => {
    const sim = await start();
    const api = client(sim);
    const [vmid] = sim.control
      .addGuests(3)
      .filter((id) => sim.state.guests.find((g) => g.vmid === id)?.node === 'pve2');
    await fetch(`${sim.url}/_sim/nodes/pve2/offline`, { method: 'POST' });
    const r = await api.get('/nodes/pve2/qemu');
    expect(r.status).toBe(595);
    const nodes = await api.get<{ node: string; status: string }[]>('/nodes');
    expect(nodes.body!.data.find((n) => n.node === 'pve2')?.status).toBe('offline');
    expect(sim.state.guests.find((g) => g.vmid === vmid)?.status).toBe('stopped');
    const rows = await api.get<{ id: string; status: string }[]>('/cluster/resources');
    expect(rows.body!.data.find((r) => r.id === `qemu/${vmid}`)?.status).toBe('unknown');
    expect(rows.body!.data.find((r) => r.id === 'storage/pve2/local')?.status).toBe('unknown');
    sim.control.setNodeOnline('pve2', true);
    expect((await api.get('/nodes/pve2/qemu')).status).toBe(200);
  });

  it('changes guests behind the platform’s back', async () => {
    const sim = await start();
    const api = client(sim);
    const [a, b, c] = sim.control.addGuests(3, { running: true });
    const nodeOf = (id: number) => sim.state.guests.find((g) => g.vmid === id)?.node;
    sim.control.stopGuest(a!);
    expect((await api.get<{ status: string }>(`/nodes/${nodeOf(a!)}/qemu/${a}/status/current`)).body!.data.status).toBe(
      'stopped',
    );
    const target = nodeOf(b!) === 'pve3' ? 'pve1' : 'pve3';
    await fetch(`${sim.url}/_sim/guests/${b}/move`, { method: 'POST', body: JSON.stringify({ node: target }) });
    expect((await api.get(`/nodes/${target}/qemu/${b}/config`)).status).toBe(200);
    const node = nodeOf(c!);
    sim.control.deleteGuest(c!);
    expect((await api.get(`/nodes/${node}/qemu/${c}/config`)).statusText).toBe(
      `Configuration file 'nodes/${node}/qemu-server/${c}.conf' does not exist`,
    );
    const state = (await (await fetch(`${sim.url}/_sim/state`)).json()) as { data: { guests: { vmid: number }[] } };
    expect(state.data.guests.some((g) => g.vmid === c)).toBe(false);
  });
});

describe('persistence', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('round-trips guests, tasks, tokens and tickets through the state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pve-sim-'));
    dirs.push(dir);
    const stateFile = join(dir, 'state.json');
    const first = await createPveSimulator({ timeFactor: 0.01, stateFile, seed: 7, consoleBroker: false });
    const api = client(first);
    const upid = (await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 600, name: 'kept' })).body!.data;
    await api.wait(upid);
    const tok = await api.post<{ value: string }>('/access/users/root@pam/token/ci', { privsep: 0 });
    const ticket = (
      await client(first, 'anonymous').post<{ ticket: string }>('/access/ticket', {
        username: 'root@pam',
        password: first.credentials.root.password,
      })
    ).body!.data.ticket;
    await first.close();
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).guests.some((g: { vmid: number }) => g.vmid === 600)).toBe(true);

    const second = await createPveSimulator({ timeFactor: 0.01, stateFile, consoleBroker: false });
    try {
      const again = client(second, { token: `PVEAPIToken=root@pam!ci=${tok.body!.data.value}` });
      const cfg = await again.get<{ name: string }>('/nodes/pve1/qemu/600/config');
      expect(cfg.body!.data.name).toBe('kept');
      expect(
        (await again.get<{ exitstatus: string }>(`/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`)).body!.data
          .exitstatus,
      ).toBe('OK');
      expect((await again.get('/nodes', {}, { ticket })).status).toBe(200);
      expect(second.credentials.tokens.full.secret).toBe(first.credentials.tokens.full.secret);
    } finally {
      await second.close();
    }
  });
});

describe('task interruption', () => {
  const start = useSim();
  it('DELETE …/tasks/{upid} stops a task; its cleanup runs (the half-made clone disappears)', async () => {
    const sim = await start();
    const api = client(sim);
    sim.control.stallTasks('qmclone');
    const upid = (await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 650 })).body!.data;
    expect((await api.get<{ lock: string }>('/nodes/pve1/qemu/650/config')).body!.data.lock).toBe('clone');
    expect((await api.del(`/nodes/pve1/tasks/${encodeURIComponent(upid)}`)).status).toBe(200);
    expect((await api.wait(upid)).exitstatus).toBe('interrupted by signal');
    await new Promise((r) => setTimeout(r, 20));
    expect((await api.get('/nodes/pve1/qemu/650/config')).status).toBe(500);
  });

  it('delays 401 answers by 3 s × timeFactor', async () => {
    const sim = await start({ timeFactor: 0.1 });
    const t0 = Date.now();
    const r = await client(sim, 'anonymous').get('/version');
    expect(r.status).toBe(401);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });
});
