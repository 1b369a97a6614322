// A guest's NIC must be on a bridge that exists when it starts, as on Proxmox VE: a node bridge or
// an SDN VNet that was applied (PUT /cluster/sdn). A VNet only staged is not on the nodes yet.
import { describe, expect, it } from 'vitest';
import { client, useSim } from './test/client.js';

describe('NIC bridges at guest start', () => {
  const start = useSim();

  it('fails to start a VM on a VNet that is staged but not applied, and starts it once applied', async () => {
    const api = client(await start());
    expect((await api.post('/cluster/sdn/zones', { zone: 'tenants', type: 'simple' })).status).toBe(200);
    expect((await api.post('/cluster/sdn/vnets', { vnet: 'tenant1', zone: 'tenants' })).status).toBe(200);
    const create = await api.post<string>('/nodes/pve1/qemu', {
      vmid: 710,
      name: 'on-vnet',
      memory: 512,
      net0: 'virtio,bridge=tenant1,firewall=1',
    });
    expect((await api.wait(create.body!.data)).exitstatus).toBe('OK');

    const refused = await api.post<string>('/nodes/pve1/qemu/710/status/start');
    expect((await api.wait(refused.body!.data)).exitstatus).toBe('start failed: QEMU exited with code 1');
    const log = await api.get<{ t: string }[]>(`/nodes/pve1/tasks/${encodeURIComponent(refused.body!.data)}/log`);
    expect(log.body!.data.map((l) => l.t)).toContain("bridge 'tenant1' does not exist");

    expect((await api.wait((await api.put<string>('/cluster/sdn')).body!.data)).exitstatus).toBe('OK');
    const started = await api.post<string>('/nodes/pve1/qemu/710/status/start');
    expect((await api.wait(started.body!.data)).exitstatus).toBe('OK');
  });

  it('fails to start a container on a bridge no node has', async () => {
    const api = client(await start());
    const create = await api.post<string>('/nodes/pve1/lxc', {
      vmid: 711,
      ostemplate: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst',
      rootfs: 'local-lvm:4',
      net0: 'name=eth0,bridge=vmbr9,ip=dhcp',
    });
    expect((await api.wait(create.body!.data)).exitstatus).toBe('OK');
    const refused = await api.post<string>('/nodes/pve1/lxc/711/status/start');
    expect((await api.wait(refused.body!.data)).exitstatus).toBe("startup for container '711' failed");
    // vmbr1 is one of every node's bridges.
    await api.put('/nodes/pve1/lxc/711/config', { net0: 'name=eth0,bridge=vmbr1,ip=dhcp' });
    const started = await api.post<string>('/nodes/pve1/lxc/711/status/start');
    expect((await api.wait(started.body!.data)).exitstatus).toBe('OK');
  });
});
