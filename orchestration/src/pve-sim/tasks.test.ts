import { describe, expect, it } from 'vitest';
import { client, useSim } from './test/client.js';

const UPID_RE =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-F]{8}):([0-9A-F]{8,9}):([0-9A-F]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

describe('tasks, errors and locks', () => {
  const start = useSim();

  it('answers 500 for a missing guest and 501 for unknown paths and methods', async () => {
    const api = client(await start());
    const missing = await api.get('/nodes/pve1/qemu/123/config');
    expect(missing.status).toBe(500);
    expect(missing.statusText).toBe("Configuration file 'nodes/pve1/qemu-server/123.conf' does not exist");
    expect(missing.body).toEqual({
      data: null,
      message: "Configuration file 'nodes/pve1/qemu-server/123.conf' does not exist\n",
    });
    const wrongNode = await api.get('/nodes/pve2/qemu/9000/status/current');
    expect(wrongNode.statusText).toBe("Configuration file 'nodes/pve2/qemu-server/9000.conf' does not exist");
    const lxc = await api.get('/nodes/pve1/lxc/9000/config');
    expect(lxc.statusText).toBe("Configuration file 'nodes/pve1/lxc/9000.conf' does not exist");
    const unknown = await api.get('/foo/bar');
    expect([unknown.status, unknown.statusText]).toEqual([501, "Method 'GET /foo/bar' not implemented"]);
    const method = await api.call('PATCH', '/version');
    expect(method.status).toBe(501);
    const notInSchema = await api.del('/version');
    expect(notInSchema.statusText).toBe("Method 'DELETE /version' not implemented");
  });

  it('runs a task: UPID, running → stopped, exit status and paged log', async () => {
    const sim = await start({ timeFactor: 0.003 });
    const api = client(sim);
    const r = await api.post<string>('/nodes/pve1/qemu/9002/clone', { newid: 200, name: 'win', full: 1 });
    const upid = r.body!.data;
    const m = UPID_RE.exec(upid);
    expect(m?.[1]).toBe('pve1');
    expect(m?.[6]).toBe('qmclone');
    expect(m?.[7]).toBe('9002');
    expect(m?.[8]).toBe('root@pam!sim-full');
    const running = await api.get<{ status: string; exitstatus?: string; tokenid?: string; user: string }>(
      `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`,
    );
    expect(running.body!.data).toMatchObject({ status: 'running', user: 'root@pam', tokenid: 'sim-full' });
    expect(running.body!.data.exitstatus).toBeUndefined();
    const listed = await api.get<{ upid: string; status: string }[]>('/nodes/pve1/tasks', { source: 'active' });
    expect(listed.body!.data.find((t) => t.upid === upid)?.status).toBe('RUNNING');
    expect((await api.wait(upid)).exitstatus).toBe('OK');

    const log = await api.get<{ n: number; t: string }[]>(`/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, {
      start: 1,
      limit: 2,
    });
    expect(log.body!.total).toBeGreaterThan(3);
    expect(log.body!.data.map((l) => l.n)).toEqual([2, 3]);
    const all = await api.get<{ n: number; t: string }[]>(`/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, {
      limit: 500,
    });
    expect(all.body!.data[0]?.t).toMatch(/^create full clone of drive /);
    expect(all.body!.data.at(-1)?.t).toBe('TASK OK');
    const cluster = await api.get<{ upid: string; status: string }[]>('/cluster/tasks');
    expect(cluster.body!.data.find((t) => t.upid === upid)?.status).toBe('OK');
  });

  it('fails a task only in its status (a 200 says nothing about success)', async () => {
    const sim = await start();
    const api = client(sim);
    const r = await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 210 });
    await api.wait(r.body!.data);
    const s1 = await api.post<string>('/nodes/pve1/qemu/210/status/start');
    expect((await api.wait(s1.body!.data)).exitstatus).toBe('OK');
    const s2 = await api.post<string>('/nodes/pve1/qemu/210/status/start');
    expect(s2.status).toBe(200);
    expect((await api.wait(s2.body!.data)).exitstatus).toBe('VM 210 already running');
    const log = await api.get<{ t: string }[]>(`/nodes/pve1/tasks/${encodeURIComponent(s2.body!.data)}/log`);
    expect(log.body!.data.at(-1)?.t).toBe('TASK ERROR: VM 210 already running');
    const reboot = await api.post('/nodes/pve1/qemu/9001/status/reboot');
    expect([reboot.status, reboot.statusText]).toEqual([500, 'VM 9001 not running']);
  });

  it("times out on a held config lock with PVE's message", async () => {
    const sim = await start({ timeFactor: 0.02 });
    const api = client(sim);
    await api.wait((await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 220 })).body!.data);
    sim.control.stallTasks('qmstart');
    const startTask = (await api.post<string>('/nodes/pve1/qemu/220/status/start')).body!.data;
    await new Promise((r) => setTimeout(r, 30));
    const t0 = Date.now();
    const put = await api.put('/nodes/pve1/qemu/220/config', { cores: 4 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190); // 10 s × 0.02
    expect(put.status).toBe(500);
    expect(put.statusText).toBe("can't lock file '/var/lock/qemu-server/lock-220.conf' - got timeout");
    const asyncCfg = await api.post<string>('/nodes/pve1/qemu/220/config', { cores: 4 });
    expect((await api.wait(asyncCfg.body!.data)).exitstatus).toBe(
      "can't lock file '/var/lock/qemu-server/lock-220.conf' - got timeout",
    );
    sim.control.releaseTasks('qmstart');
    expect((await api.wait(startTask)).exitstatus).toBe('OK');
    expect((await api.put('/nodes/pve1/qemu/220/config', { cores: 4 })).status).toBe(200);
  });

  it('refuses to start a guest beyond the node memory overcommit ratio', async () => {
    const sim = await start({ overcommitRatio: 1 });
    const api = client(sim);
    await api.wait((await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 230 })).body!.data);
    await api.wait((await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 231 })).body!.data);
    // pve1 has 256 GiB; ask for 200 GiB twice.
    await api.put('/nodes/pve1/qemu/230/config', { memory: 204800 });
    await api.put('/nodes/pve1/qemu/231/config', { memory: 204800 });
    expect((await api.wait((await api.post<string>('/nodes/pve1/qemu/230/status/start')).body!.data)).exitstatus).toBe(
      'OK',
    );
    const second = (await api.post<string>('/nodes/pve1/qemu/231/status/start')).body!.data;
    expect((await api.wait(second)).exitstatus).toBe('start failed: QEMU exited with code 1');
    const log = await api.get<{ t: string }[]>(`/nodes/pve1/tasks/${encodeURIComponent(second)}/log`);
    expect(log.body!.data.map((l) => l.t)).toContain(
      "kvm: cannot set up guest memory 'pc.ram': Cannot allocate memory",
    );
  });

  it('clones linked from templates by default and refuses linked clones of non-templates', async () => {
    const sim = await start();
    const api = client(sim);
    await api.wait(
      (await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 240, target: 'pve2', pool: 'templates' })).body!
        .data,
    );
    const cfg = await api.get<Record<string, string>>('/nodes/pve2/qemu/240/config');
    expect(cfg.body!.data.scsi0).toMatch(/^ceph-vm:base-9000-disk-0\/vm-240-disk-0,/);
    expect(cfg.body!.data.ide2).toBe('ceph-vm:vm-240-cloudinit,media=cdrom');
    const linked = await api.post('/nodes/pve2/qemu/240/clone', { newid: 241, full: 0 });
    expect(linked.statusText).toBe("Linked clone feature is not supported for drive 'scsi0'");
    const storage = await api.post('/nodes/pve1/qemu/9000/clone', { newid: 242, storage: 'local-lvm' });
    expect(storage.statusText).toBe("parameter 'storage' not allowed for linked clones");
    const dup = await api.post('/nodes/pve1/qemu/9000/clone', { newid: 240 });
    expect(dup.statusText).toBe('unable to create VM 240: config file already exists');
    const destroyTemplate = await api.del<string>('/nodes/pve1/qemu/9000');
    expect((await api.wait(destroyTemplate.body!.data)).exitstatus).toBe(
      "volume deletion failed: base volume 'ceph-vm:base-9000-disk-0' is still in use by linked clone",
    );
  });
});

describe('full clone duration model', () => {
  const start = useSim();
  it('takes disk size / storage throughput, shared by concurrent copies', async () => {
    const sim = await start({ timeFactor: 0.002 });
    const api = client(sim);
    const clone = async (newid: number) => {
      const upid = (await api.post<string>('/nodes/pve1/qemu/9002/clone', { newid, full: 1 })).body!.data;
      return api.wait(upid);
    };
    let t0 = Date.now();
    await clone(800);
    const single = Date.now() - t0;
    // 64 GiB at 200 MiB/s = 328 s, × 0.002 ≈ 0.66 s (plus the small EFI/TPM disks)
    expect(single).toBeGreaterThan(550);
    t0 = Date.now();
    await Promise.all([clone(801), clone(802)]);
    const pair = Date.now() - t0;
    expect(pair / single).toBeGreaterThan(1.5);
  });
});
