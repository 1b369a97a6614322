import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveSimulator, type PveSimulator } from '@pvepaas/orchestration/pve-sim/index';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type Json, type TestApi } from '../../test/api.js';
import { Role } from '../membership/membership.entity.js';
import type { User } from '../user/user.entity.js';

const INVENTORY = `query($id: ID!) {
  gpuInventory(clusterId: $id) {
    devices { node pciId deviceId vendorName deviceName iommuGroup mediated mappings guests { vmid name status via } }
    unreadableNodes
  }
}`;

// The simulator's seeded cluster: pve1..pve3, with two NVIDIA L4 on pve3 (the "big" node), both in
// the cluster PCI mapping `gpu-l4`; pve1 and pve2 have only a VGA-less set of other PCI devices.
describe.skipIf(postgresUnavailable())('GPU inventory over HTTP', () => {
  let api: TestApi;
  let sim: PveSimulator;
  let admin: { user: User; token: string };
  let clusterId: string;

  const inventory = async () => (await api.ok(INVENTORY, { id: clusterId }, admin.token)).gpuInventory as Json;
  const device = (inv: Json, pciId: string) => (inv.devices as Json[]).find((d) => d.pciId === pciId) as Json;

  beforeAll(async () => {
    sim = await createPveSimulator({ seed: 11, timeFactor: 0, port: 0 });
    api = await startTestApi();
    admin = await api.user({ admin: true });
    const token = sim.credentials.tokens.full;
    ({
      createCluster: { id: clusterId },
    } = await api.ok(
      `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`,
      { input: { name: 'gpu-sim', apiUrl: sim.url, tokenId: token.tokenid, tokenSecret: token.secret } },
      admin.token,
    ));
  });
  afterAll(async () => {
    await api?.close();
    await sim?.close();
  });

  it('lists every display controller of the online nodes, with its mapping, and nothing else', async () => {
    const inv = await inventory();
    expect(inv.unreadableNodes).toEqual([]);
    expect((inv.devices as Json[]).map((d) => `${d.node} ${d.pciId}`)).toEqual([
      'pve3 0000:41:00.0',
      'pve3 0000:c1:00.0',
    ]);
    expect(device(inv, '0000:41:00.0')).toEqual({
      node: 'pve3',
      pciId: '0000:41:00.0',
      deviceId: '10de:27b8',
      vendorName: 'NVIDIA Corporation',
      deviceName: 'AD104GL [L4]',
      iommuGroup: 40,
      mediated: true,
      mappings: ['gpu-l4'],
      guests: [],
    });
  });

  it('names the VMs configured with each GPU, by address (short or full) or through its mapping', async () => {
    const [direct, short, mapped, plain] = sim.control.addGuests(4, { type: 'qemu', running: false });
    for (const vmid of [direct!, short!, mapped!, plain!]) sim.control.moveGuest(vmid, 'pve3');
    sim.control.setGuestConfig(direct!, { hostpci0: 'host=0000:41:00.0,pcie=1,x-vga=1' });
    sim.control.setGuestConfig(short!, { hostpci0: 'c1:00,pcie=1' });
    sim.control.setGuestConfig(mapped!, { hostpci1: 'mapping=gpu-l4,pcie=1' });
    sim.control.startGuest(direct!);

    const inv = await inventory();
    const vmids = (pciId: string) => (device(inv, pciId).guests as Json[]).map((g) => g.vmid).sort();
    expect(vmids('0000:41:00.0')).toEqual([direct, mapped].sort());
    expect(vmids('0000:c1:00.0')).toEqual([short, mapped].sort());
    const first = (device(inv, '0000:41:00.0').guests as Json[]).find((g) => g.vmid === direct);
    expect(first).toMatchObject({ status: 'running', via: '0000:41:00.0' });
    const viaMapping = (device(inv, '0000:c1:00.0').guests as Json[]).find((g) => g.vmid === mapped);
    expect(viaMapping).toMatchObject({ status: 'stopped', via: 'mapping gpu-l4' });
    // A VM without hostpci entries is nowhere.
    expect((inv.devices as Json[]).flatMap((d) => (d.guests as Json[]).map((g) => g.vmid))).not.toContain(plain);
  });

  it('reports a node whose devices cannot be read instead of failing the whole inventory', async () => {
    const fault = sim.control.addRouteFault({
      method: 'GET',
      path: '/nodes/pve3/hardware/pci',
      status: 500,
      message: 'pci scan failed',
    });
    try {
      const inv = await inventory();
      expect(inv.devices).toEqual([]);
      expect(inv.unreadableNodes).toHaveLength(1);
      expect(inv.unreadableNodes[0]).toMatch(/^pve3: .*pci scan failed/);
    } finally {
      sim.control.removeRouteFault(fault);
    }
    // An offline node is simply not asked.
    sim.control.setNodeOnline('pve3', false);
    try {
      expect(await inventory()).toEqual({ devices: [], unreadableNodes: [] });
    } finally {
      sim.control.setNodeOnline('pve3', true);
    }
  });

  it('is for platform admins only, and names an unknown cluster', async () => {
    const owner = await api.user();
    await api.org(owner.user, Role.OWNER);
    const refused = await api.fail(INVENTORY, { id: clusterId }, owner.token);
    expect(refused.extensions?.code).toBe('FORBIDDEN');
    const missing = await api.fail(INVENTORY, { id: '00000000-0000-4000-8000-000000000000' }, admin.token);
    expect(missing.extensions?.code).toBe('NOT_FOUND');
  });
});
