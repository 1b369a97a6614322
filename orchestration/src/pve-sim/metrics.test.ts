import { describe, expect, it } from 'vitest';
import { client, useSim } from './test/client.js';

type Point = Record<string, number>;

describe('metrics', () => {
  const start = useSim();

  it('serves node rrddata with the PVE 9 steps and field names', async () => {
    const api = client(await start());
    const hour = await api.get<Point[]>('/nodes/pve1/rrddata', { timeframe: 'hour' });
    expect(hour.body!.data).toHaveLength(60);
    const [a, b] = hour.body!.data;
    expect(b!.time! - a!.time!).toBe(60);
    expect(Object.keys(a!).sort()).toEqual(
      [
        'arcsize',
        'cpu',
        'iowait',
        'loadavg',
        'maxcpu',
        'memavailable',
        'memtotal',
        'memused',
        'netin',
        'netout',
        'pressurecpusome',
        'pressureiofull',
        'pressureiosome',
        'pressurememoryfull',
        'pressurememorysome',
        'rootused',
        'roottotal',
        'swaptotal',
        'swapused',
        'time',
      ].sort(),
    );
    const decade = await api.get<Point[]>('/nodes/pve1/rrddata', { timeframe: 'decade' });
    expect(decade.body!.data).toHaveLength(570);
    expect(decade.body!.data[1]!.time! - decade.body!.data[0]!.time!).toBe(604800);
    const week = await api.get<Point[]>('/nodes/pve1/rrddata', { timeframe: 'week', cf: 'MAX' });
    expect(week.body!.data[1]!.time! - week.body!.data[0]!.time!).toBe(1800);
    const bad = await api.get('/nodes/pve1/qemu/9000/rrddata', { timeframe: 'decade' });
    expect(bad.status).toBe(400);
  });

  it('serves guest rrddata: only `time` while stopped, bytes/s while running', async () => {
    const sim = await start();
    const api = client(sim);
    const [vmid] = sim.control.addGuests(1, { running: true });
    const g = sim.state.guests.find((x) => x.vmid === vmid)!;
    const day = await api.get<Point[]>(`/nodes/${g.node}/qemu/${vmid}/rrddata`, { timeframe: 'day' });
    const pts = day.body!.data;
    expect(pts.length).toBeGreaterThan(0);
    const running = pts.filter((p) => 'cpu' in p);
    expect(running.length).toBeGreaterThan(0);
    for (const p of running) {
      expect(p.cpu).toBeGreaterThanOrEqual(0);
      expect(p.cpu).toBeLessThanOrEqual(1);
      expect(p.maxmem).toBe(1024 * 1024 ** 2);
      for (const k of [
        'netin',
        'netout',
        'diskread',
        'diskwrite',
        'mem',
        'maxcpu',
        'maxdisk',
        'disk',
        'memhost',
        'time',
      ])
        expect(typeof p[k]).toBe('number');
    }
    const stoppedTemplate = await api.get<Point[]>('/nodes/pve1/qemu/9000/rrddata', { timeframe: 'hour' });
    expect(stoppedTemplate.body!.data).toHaveLength(60);
    expect(Object.keys(stoppedTemplate.body!.data[0]!).sort()).toEqual(['disk', 'maxcpu', 'maxdisk', 'maxmem', 'time']);
    // A brand-new guest has no RRD file until pvestatd's first write (10 s, scaled).
    const clone = await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 300 });
    const fresh = await api.get('/nodes/pve1/qemu/300/rrddata', { timeframe: 'hour' });
    expect(fresh.statusText).toBe(
      "RRD error: opening '/var/lib/rrdcached/db/pve-vm-9.0/300': No such file or directory",
    );
    await api.wait(clone.body!.data);
    await new Promise((r) => setTimeout(r, 120));
    const later = await api.get<Point[]>('/nodes/pve1/qemu/300/rrddata', { timeframe: 'hour' });
    expect(later.body!.data.at(-1)).toMatchObject({ maxcpu: 2 });
    expect(Object.keys(later.body!.data[0]!)).toEqual(['time']);
    const storage = await api.get<Point[]>('/nodes/pve1/storage/ceph-vm/rrddata', { timeframe: 'hour' });
    expect(Object.keys(storage.body!.data[0]!).sort()).toEqual(['time', 'total', 'used']);
  });

  it('keeps /cluster/resources counters monotonic and resets them at restart', async () => {
    const sim = await start();
    const api = client(sim);
    const [vmid] = sim.control.addGuests(1, { running: true });
    const row = async () =>
      (await api.get<Record<string, number>[]>('/cluster/resources', { type: 'vm' })).body!.data.find(
        (r) => r.vmid === vmid,
      )!;
    const first = await row();
    sim.control.advanceTime(120);
    const second = await row();
    for (const k of ['netin', 'netout', 'diskread', 'diskwrite']) expect(second[k]!).toBeGreaterThan(first[k]!);
    expect(second.uptime).toBeGreaterThanOrEqual(first.uptime! + 120);
    sim.control.stopGuest(vmid!);
    sim.control.startGuest(vmid!);
    sim.control.advanceTime(5);
    const third = await row();
    expect(third.netin!).toBeLessThan(second.netin!);
    expect(third.uptime).toBeLessThan(10);
    expect(third).toMatchObject({ type: 'qemu', id: `qemu/${vmid}`, status: 'running', maxcpu: 1, template: 0 });
  });

  it('filters /cluster/resources by type', async () => {
    const api = client(await start());
    const types = async (type?: string) =>
      new Set(
        (await api.get<{ type: string }[]>('/cluster/resources', type ? { type } : {})).body!.data.map((r) => r.type),
      );
    expect(await types('vm')).toEqual(new Set(['qemu']));
    expect(await types('node')).toEqual(new Set(['node']));
    expect(await types('storage')).toEqual(new Set(['storage']));
    expect(await types()).toEqual(new Set(['node', 'qemu', 'storage', 'sdn', 'pool']));
  });
});

describe('Proxmox VE 8.4 mode', () => {
  const start = useSim();
  it('validates against the 8.4 schema and answers with 8.x versions and RRD layout', async () => {
    const sim = await start({ pveVersion: '8.4' });
    const api = client(sim);
    expect((await api.get<{ version: string }>('/version')).body!.data.version).toBe('8.4.1');
    const hour = await api.get<Point[]>('/nodes/pve1/rrddata', { timeframe: 'hour' });
    expect(hour.body!.data).toHaveLength(70);
    expect(Object.keys(hour.body!.data[0]!)).not.toContain('memavailable');
    const day = await api.get<Point[]>('/nodes/pve1/rrddata', { timeframe: 'day' });
    expect(day.body!.data[1]!.time! - day.body!.data[0]!.time!).toBe(1800);
    expect((await api.get('/nodes/pve1/rrddata', { timeframe: 'decade' })).status).toBe(400);
    // GET lxc/{vmid}/migrate is new in 9.x
    const ct = await api.post<string>('/nodes/pve1/lxc', {
      vmid: 150,
      ostemplate: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst',
      rootfs: 'local-lvm:4',
    });
    await api.wait(ct.body!.data);
    expect((await api.get('/nodes/pve1/lxc/150/migrate')).status).toBe(501);
  });
});
