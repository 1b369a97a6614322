import { describe, expect, it } from 'vitest';
import { client, useSim } from './test/client.js';

describe('guests and cluster objects', () => {
  const start = useSim();

  it('creates a cloud-init VM with disks, NIC MACs and URL-encoded ssh keys', async () => {
    const api = client(await start({ timeFactor: 0.05 }));
    const keys = encodeURIComponent('ssh-ed25519 AAAAC3Nza user@host\n').replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16)}`,
    );
    const up = await api.post<string>('/nodes/pve2/qemu', {
      vmid: 700,
      name: 'api-1',
      memory: 4096,
      cores: 2,
      net0: 'virtio,bridge=vmbr0,firewall=1',
      scsi0: 'local-lvm:16,discard=on',
      ide2: 'local-lvm:cloudinit',
      ciuser: 'ops',
      sshkeys: keys,
      ipconfig0: 'ip=10.0.0.5/24,gw=10.0.0.1',
      tags: 'paas;tenant-a',
      agent: 'enabled=1',
      start: 1,
    });
    expect((await api.wait(up.body!.data)).exitstatus).toBe('OK');
    const cfg = (await api.get<Record<string, string | number>>('/nodes/pve2/qemu/700/config')).body!.data;
    expect(cfg.scsi0).toBe('local-lvm:vm-700-disk-0,discard=on,size=16G');
    expect(cfg.ide2).toBe('local-lvm:vm-700-cloudinit,media=cdrom');
    expect(cfg.net0).toMatch(/^virtio=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr0,firewall=1$/);
    expect(cfg.sshkeys).toBe(keys);
    expect(cfg.cores).toBe(2);
    expect(cfg.memory).toBe('4096');
    const content = await api.get<{ volid: string; size: number }[]>('/nodes/pve2/storage/local-lvm/content', {
      vmid: 700,
    });
    expect(content.body!.data.map((v) => v.volid).sort()).toEqual([
      'local-lvm:vm-700-cloudinit',
      'local-lvm:vm-700-disk-0',
    ]);

    // The agent answers only after boot, then reports the ipconfig address.
    const early = await api.get('/nodes/pve2/qemu/700/agent/network-get-interfaces');
    expect(early.statusText).toBe('QEMU guest agent is not running');
    for (let i = 0; i < 300 && (await api.get('/nodes/pve2/qemu/700/agent/network-get-interfaces')).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 10));
    const ifs = await api.get<{
      result: { name: string; 'ip-addresses': { 'ip-address': string; prefix: number }[] }[];
    }>('/nodes/pve2/qemu/700/agent/network-get-interfaces');
    expect(ifs.body!.data.result.find((i) => i.name === 'eth0')?.['ip-addresses'][0]).toMatchObject({
      'ip-address': '10.0.0.5',
      prefix: 24,
    });
    const exec = await api.post<{ pid: number }>('/nodes/pve2/qemu/700/agent/exec', { command: ['hostname'] });
    const done = await api.get<{ exited: number; exitcode: number; 'out-data': string }>(
      '/nodes/pve2/qemu/700/agent/exec-status',
      { pid: exec.body!.data.pid },
    );
    expect(done.body!.data).toEqual({ exited: 1, exitcode: 0, 'out-data': 'api-1\n' });
    const noAgent = await api.get('/nodes/pve1/qemu/9002/agent/network-get-interfaces');
    expect(noAgent.statusText).toBe('VM 9002 is not running');
    await api.put('/nodes/pve2/qemu/700/config', { delete: 'agent' });
    expect((await api.get('/nodes/pve2/qemu/700/agent/network-get-interfaces')).statusText).toBe(
      'No QEMU guest agent configured',
    );

    const user = await api.get<string>('/nodes/pve2/qemu/700/cloudinit/dump', { type: 'user' });
    expect(user.body!.data).toContain('user: ops\nssh_authorized_keys:\n  - ssh-ed25519 AAAAC3Nza user@host\n');
    const net = await api.get<string>('/nodes/pve2/qemu/700/cloudinit/dump', { type: 'network' });
    expect(net.body!.data).toContain(
      "address: '10.0.0.5'\n        netmask: '255.255.255.0'\n        gateway: '10.0.0.1'",
    );

    // Memory on a running VM is pending until the next boot.
    await api.put('/nodes/pve2/qemu/700/config', { memory: 8192 });
    expect((await api.get<{ memory: string }>('/nodes/pve2/qemu/700/config', { current: 1 })).body!.data.memory).toBe(
      '4096',
    );
    expect((await api.get<{ memory: string }>('/nodes/pve2/qemu/700/config')).body!.data.memory).toBe('8192');
    const pending = await api.get<{ key: string; pending?: string }[]>('/nodes/pve2/qemu/700/pending');
    expect(pending.body!.data.find((p) => p.key === 'memory')).toMatchObject({ value: '4096', pending: '8192' });
    const digest = (await api.get<{ digest: string }>('/nodes/pve2/qemu/700/config')).body!.data.digest;
    await api.put('/nodes/pve2/qemu/700/config', { description: 'changed' });
    const stale = await api.put('/nodes/pve2/qemu/700/config', { description: 'again', digest });
    expect(stale.statusText).toBe('detected modified configuration - file changed by other user? Try again.');
  });

  it('creates, starts and inspects a container', async () => {
    const api = client(await start());
    const bad = await api.post<string>('/nodes/pve1/lxc', {
      vmid: 710,
      ostemplate: 'local:vztmpl/nope.tar.zst',
      rootfs: 'local-lvm:8',
    });
    expect((await api.wait(bad.body!.data)).exitstatus).toBe("volume 'local:vztmpl/nope.tar.zst' does not exist");
    const up = await api.post<string>('/nodes/pve1/lxc', {
      vmid: 710,
      ostemplate: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst',
      hostname: 'ct-1',
      rootfs: 'ceph-vm:8',
      net0: 'name=eth0,bridge=vmbr0,ip=10.1.0.9/24,gw=10.1.0.1',
      password: 'secret1',
      unprivileged: 1,
      features: 'nesting=1',
      start: 1,
    });
    expect((await api.wait(up.body!.data)).exitstatus).toBe('OK');
    const cfg = (await api.get<Record<string, string>>('/nodes/pve1/lxc/710/config')).body!.data;
    expect(cfg.rootfs).toBe('ceph-vm:vm-710-disk-0,size=8G');
    expect(cfg.net0).toMatch(/hwaddr=BC:24:11:/);
    const ifs = await api.get<{ name: string; inet?: string }[]>('/nodes/pve1/lxc/710/interfaces');
    expect(ifs.body!.data.find((i) => i.name === 'eth0')?.inet).toBe('10.1.0.9/24');
    const status = await api.get<{ status: string; type: string }>('/nodes/pve1/lxc/710/status/current');
    expect(status.body!.data).toMatchObject({ status: 'running', type: 'lxc' });
    const stop = await api.post<string>('/nodes/pve1/lxc/710/status/shutdown');
    expect((await api.wait(stop.body!.data)).exitstatus).toBe('OK');
    const del = await api.del<string>('/nodes/pve1/lxc/710', { purge: 1 });
    expect((await api.wait(del.body!.data)).exitstatus).toBe('OK');
    expect((await api.get('/nodes/pve1/lxc/710/config')).status).toBe(500);
  });

  it('snapshots, rolls back and deletes snapshots; resizes and migrates', async () => {
    const api = client(await start());
    await api.wait((await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 720 })).body!.data);
    await api.wait(
      (await api.post<string>('/nodes/pve1/qemu/720/snapshot', { snapname: 'before', description: 'x' })).body!.data,
    );
    await api.put('/nodes/pve1/qemu/720/config', { cores: 8 });
    const snaps = await api.get<{ name: string; parent?: string }[]>('/nodes/pve1/qemu/720/snapshot');
    expect(snaps.body!.data.map((s) => s.name)).toEqual(['before', 'current']);
    expect(snaps.body!.data[1]?.parent).toBe('before');
    await api.wait((await api.post<string>('/nodes/pve1/qemu/720/snapshot/before/rollback')).body!.data);
    expect((await api.get<{ cores: number }>('/nodes/pve1/qemu/720/config')).body!.data.cores).toBe(2);
    await api.wait((await api.del<string>('/nodes/pve1/qemu/720/snapshot/before')).body!.data);
    expect((await api.get<unknown[]>('/nodes/pve1/qemu/720/snapshot')).body!.data).toHaveLength(1);

    const grow = await api.put<string>('/nodes/pve1/qemu/720/resize', { disk: 'scsi0', size: '+5G' });
    expect((await api.wait(grow.body!.data)).exitstatus).toBe('OK');
    expect((await api.get<{ scsi0: string }>('/nodes/pve1/qemu/720/config')).body!.data.scsi0).toMatch(/size=8G$/);
    const shrink = await api.put<string>('/nodes/pve1/qemu/720/resize', { disk: 'scsi0', size: '4G' });
    expect((await api.wait(shrink.body!.data)).exitstatus).toBe('shrinking disks is not supported');

    await api.wait((await api.post<string>('/nodes/pve1/qemu/720/status/start')).body!.data);
    const offline = await api.post('/nodes/pve1/qemu/720/migrate', { target: 'pve3' });
    expect(offline.statusText).toBe("can't migrate running VM without --online");
    const mig = await api.post<string>('/nodes/pve1/qemu/720/migrate', { target: 'pve3', online: 1 });
    expect((await api.wait(mig.body!.data)).exitstatus).toBe('OK');
    expect((await api.get<{ status: string }>('/nodes/pve3/qemu/720/status/current')).body!.data.status).toBe(
      'running',
    );
  });

  it('manages guest firewall rules and options', async () => {
    const api = client(await start());
    const base = '/nodes/pve1/qemu/9000/firewall';
    await api.post(`${base}/rules`, {
      type: 'in',
      action: 'ACCEPT',
      proto: 'tcp',
      dport: '22',
      enable: 1,
      comment: 'ssh',
    });
    await api.post(`${base}/rules`, { type: 'in', action: 'ACCEPT', macro: 'HTTPS', enable: 1 });
    const rules = await api.get<{ pos: number; macro?: string; dport?: string }[]>(`${base}/rules`);
    expect(rules.body!.data.map((r) => [r.pos, r.macro ?? r.dport])).toEqual([
      [0, 'HTTPS'],
      [1, '22'],
    ]);
    await api.put(`${base}/rules/1`, { moveto: 0 });
    expect((await api.get<{ dport?: string }>(`${base}/rules/0`)).body!.data.dport).toBe('22');
    await api.del(`${base}/rules/1`);
    expect((await api.get<unknown[]>(`${base}/rules`)).body!.data).toHaveLength(1);
    const badRule = await api.post(`${base}/rules`, {
      type: 'sideways',
      action: 'ACCEPT',
      dport: '70000',
      source: '10.0.0.300',
    });
    expect(badRule.status).toBe(400);
    expect(badRule.body!.errors).toMatchObject({
      dport: "invalid format - invalid port '70000'",
      source: "invalid format - invalid IP address '10.0.0.300'",
    });
    await api.put(`${base}/options`, { enable: 1, policy_in: 'DROP' });
    expect((await api.get<{ enable: number; policy_in: string }>(`${base}/options`)).body!.data).toMatchObject({
      enable: 1,
      policy_in: 'DROP',
    });
  });

  it('lists PCI devices, mdev types and PCI mappings', async () => {
    const api = client(await start());
    const pci = await api.get<{ id: string; mdev?: number; vendor: string }[]>('/nodes/pve3/hardware/pci');
    const gpus = pci.body!.data.filter((d) => d.vendor === '0x10de');
    expect(gpus).toHaveLength(2);
    expect(gpus.every((g) => g.mdev === 1)).toBe(true);
    const mdev = await api.get<{ type: string; available: number }[]>(
      `/nodes/pve3/hardware/pci/${encodeURIComponent(gpus[0]!.id)}/mdev`,
    );
    expect(mdev.body!.data.map((t) => [t.type, t.available])).toEqual([
      ['nvidia-920', 1],
      ['nvidia-922', 1],
      ['nvidia-925', 1],
    ]);
    expect(
      (await api.get<unknown[]>('/nodes/pve1/hardware/pci')).body!.data.some(
        (d) => (d as { vendor: string }).vendor === '0x10de',
      ),
    ).toBe(false);
    const maps = await api.get<{ id: string; map: string[] }[]>('/cluster/mapping/pci', { 'check-node': 'pve3' });
    expect(maps.body!.data[0]).toMatchObject({ id: 'gpu-l4', checks: [] });
    expect(
      (await api.post('/cluster/mapping/pci', { id: 'nic', map: ['node=pve1,path=0000:02:00.0,id=8086:1521'] })).status,
    ).toBe(200);
    expect((await api.get<{ map: string[] }>('/cluster/mapping/pci/nic')).body!.data.map).toEqual([
      'node=pve1,path=0000:02:00.0,id=8086:1521',
    ]);
  });

  it('stages SDN changes and applies them with PUT /cluster/sdn', async () => {
    const api = client(await start());
    expect((await api.post('/cluster/sdn/vnets', { vnet: 'tenant1', zone: 'paas', tag: 10001 })).status).toBe(200);
    expect(
      (
        await api.post('/cluster/sdn/vnets/tenant1/subnets', {
          subnet: '10.77.0.0/24',
          type: 'subnet',
          gateway: '10.77.0.1',
          snat: 1,
        })
      ).status,
    ).toBe(200);
    const running = await api.get<{ vnet: string }[]>('/cluster/sdn/vnets', { running: 1 });
    expect(running.body!.data.map((v) => v.vnet)).toEqual(['tenant0']);
    const pending = await api.get<{ vnet: string; state?: string }[]>('/cluster/sdn/vnets', { pending: 1 });
    expect(pending.body!.data.find((v) => v.vnet === 'tenant1')?.state).toBe('new');
    const apply = await api.put<string>('/cluster/sdn');
    expect(apply.body!.data).toMatch(/:reloadnetworkall::root@pam!sim-full:$/);
    await api.wait(apply.body!.data);
    expect(
      (await api.get<{ vnet: string }[]>('/cluster/sdn/vnets', { running: 1 })).body!.data.map((v) => v.vnet),
    ).toEqual(['tenant0', 'tenant1']);
    const subnets = await api.get<{ subnet: string; cidr: string }[]>('/cluster/sdn/vnets/tenant1/subnets');
    expect(subnets.body!.data).toMatchObject([{ subnet: 'paas-10.77.0.0-24', cidr: '10.77.0.0/24' }]);
    const zones = await api.get<{ zone: string; type: string }[]>('/cluster/sdn/zones');
    expect(zones.body!.data).toMatchObject([{ zone: 'paas', type: 'vxlan' }]);
  });

  it('serves pools, storage and Ceph views', async () => {
    const api = client(await start());
    await api.post('/pools', { poolid: 'tenant-a', comment: 'A' });
    await api.put('/pools', { poolid: 'tenant-a', vms: '9001', 'allow-move': 1 });
    const pool = await api.get<{ poolid: string; members: { vmid: number }[] }[]>('/pools', { poolid: 'tenant-a' });
    expect(pool.body!.data[0]?.members.map((m) => m.vmid)).toEqual([9001]);
    const storages =
      await api.get<{ storage: string; shared: number; total: number; used: number; avail: number }[]>(
        '/nodes/pve1/storage',
      );
    expect(storages.body!.data.map((s) => s.storage)).toEqual(['local', 'local-lvm', 'ceph-vm']);
    expect(storages.body!.data.find((s) => s.storage === 'ceph-vm')?.shared).toBe(1);
    const tmpl = await api.get<{ volid: string }[]>('/nodes/pve2/storage/local/content', { content: 'vztmpl' });
    expect(tmpl.body!.data.map((v) => v.volid)).toEqual(['local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst']);
    const ceph = await api.get<{ health: { status: string } }>('/cluster/ceph/status');
    expect(ceph.body!.data.health.status).toBe('HEALTH_OK');
    const osd = await api.get<{ root: { children: unknown[] } }>('/nodes/pve1/ceph/osd');
    expect(osd.body!.data.root.children).toHaveLength(3);
    const pools = await api.get<{ pool_name: string }[]>('/nodes/pve1/ceph/pool');
    expect(pools.body!.data.map((p) => p.pool_name)).toEqual(['.mgr', 'ceph-vm']);
    const bridges = await api.get<{ iface: string }[]>('/nodes/pve1/network', { type: 'bridge' });
    expect(bridges.body!.data.map((b) => b.iface)).toEqual(['vmbr0', 'vmbr1']);
    const dl = await api.post<string>('/nodes/pve1/storage/local/download-url', {
      url: 'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2',
      content: 'iso',
      filename: 'debian-12.iso',
    });
    expect((await api.wait(dl.body!.data)).exitstatus).toBe('OK');
    expect(
      (await api.get<{ volid: string }[]>('/nodes/pve1/storage/local/content', { content: 'iso' })).body!.data.map(
        (v) => v.volid,
      ),
    ).toContain('local:iso/debian-12.iso');
    // A downloaded cloud image imported as a VM disk.
    const img = await api.post<string>('/nodes/pve2/storage/local/download-url', {
      url: 'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2',
      content: 'import',
      filename: 'debian-12.qcow2',
    });
    await api.wait(img.body!.data);
    const imported = await api.post<string>('/nodes/pve2/qemu', {
      vmid: 760,
      scsi0: 'local-lvm:0,import-from=local:import/debian-12.qcow2',
    });
    expect((await api.wait(imported.body!.data)).exitstatus).toBe('OK');
    expect((await api.get<{ scsi0: string }>('/nodes/pve2/qemu/760/config')).body!.data.scsi0).toBe(
      'local-lvm:vm-760-disk-0,size=600M',
    );
    const status = await api.get<{ cpuinfo: { cpus: number }; memory: { total: number } }>('/nodes/pve3/status');
    expect(status.body!.data.cpuinfo.cpus).toBe(64);
  });
});

describe('PCI passthrough at start', () => {
  const start = useSim();

  it('gives a whole device to one guest and mdev instances up to their count', async () => {
    const sim = await start();
    const api = client(sim);
    const vm = async (vmid: number, hostpci0: string) => {
      const up = await api.post<string>('/nodes/pve3/qemu', { vmid, memory: 1024, hostpci0, machine: 'q35' });
      expect((await api.wait(up.body!.data)).exitstatus).toBe('OK');
      return (await api.wait((await api.post<string>(`/nodes/pve3/qemu/${vmid}/status/start`)).body!.data)).exitstatus;
    };
    expect(await vm(900, '0000:41:00.0,pcie=1')).toBe('OK');
    expect(await vm(901, '0000:41:00.0,pcie=1')).toBe("PCI device '0000:41:00.0' already in use by VMID '900'");
    expect(await vm(902, 'mapping=gpu-l4,pcie=1')).toBe('OK'); // the other L4
    expect(await vm(903, 'mapping=gpu-l4,pcie=1')).toBe("no free PCI device in mapping 'gpu-l4' on node 'pve3'");
    await api.wait((await api.post<string>('/nodes/pve3/qemu/900/status/stop')).body!.data);
    await api.wait((await api.post<string>('/nodes/pve3/qemu/902/status/stop')).body!.data);
    // nvidia-925 (L4-24Q) has one instance per GPU: two guests fit, the third does not.
    expect(await vm(904, 'mapping=gpu-l4,mdev=nvidia-925')).toBe('OK');
    expect(await vm(905, 'mapping=gpu-l4,mdev=nvidia-925')).toBe('OK');
    expect(await vm(906, 'mapping=gpu-l4,mdev=nvidia-925')).toBe(
      "mediated device type 'nvidia-925' is not available on PCI device '0000:41:00.0'",
    );
    const types = await api.get<{ type: string }[]>('/nodes/pve3/hardware/pci/gpu-l4/mdev');
    expect(types.body!.data.map((t) => t.type)).not.toContain('nvidia-925');
    const onPve1 = await api.post<string>('/nodes/pve1/qemu', { vmid: 907, memory: 1024, hostpci0: 'mapping=gpu-l4' });
    await api.wait(onPve1.body!.data);
    expect((await api.wait((await api.post<string>('/nodes/pve1/qemu/907/status/start')).body!.data)).exitstatus).toBe(
      "no PCI device in mapping 'gpu-l4' for node 'pve1'",
    );
  });
});
