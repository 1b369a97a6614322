// Reads a cluster's GPUs from Proxmox: every online node's display controllers
// (`/nodes/{node}/hardware/pci`), the cluster's PCI mappings that include them, and the VMs on
// those nodes whose `hostpciN` entries point at them. Nothing is stored: the hardware and the guests'
// configuration are Proxmox's to know, and an operator opening this view wants them as they are now.
import {
  qemuConfigView,
  type PciDevice,
  type PciMapping,
  type ProxmoxClient,
} from '@pvepaas/orchestration/proxmox/index';
import type { GpuDevice, GpuGuest, GpuInventory } from './gpu.types.js';

/** PCI base class 03: display controllers (VGA 0300, XGA 0301, 3D 0302, other 0380). */
const DISPLAY_CLASS = /^(0x)?03/i;
/** VM configurations read at once per node: enough to be quick, few enough not to load pveproxy. */
const CONFIG_READS_AT_ONCE = 4;

/** `01:00.0` and `0000:01:00.0` name the same function; `01:00` names all functions of the device. */
function normalisePci(id: string): string {
  const full = /^[0-9a-f]{4}:/i.test(id) ? id : `0000:${id}`;
  return full.toLowerCase();
}

function refersTo(host: string, deviceId: string): boolean {
  const h = normalisePci(host);
  const d = normalisePci(deviceId);
  return h === d || (!/\.\d+$/.test(h) && d.startsWith(`${h}.`));
}

const hex = (s: string | undefined) => (s ?? '').replace(/^0x/i, '').toLowerCase();

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

interface GuestPci {
  vmid: number;
  name: string | null;
  status: string;
  hosts: string[];
  mappings: string[];
}

async function guestsWithPci(client: ProxmoxClient, node: string): Promise<GuestPci[]> {
  const vms = await client.qemu.list(node);
  const read = await inBatches(vms, CONFIG_READS_AT_ONCE, async (vm): Promise<GuestPci> => {
    const view = qemuConfigView(await client.qemu.getConfig(node, vm.vmid));
    const entries = Object.values(view.hostpci);
    return {
      vmid: vm.vmid,
      name: vm.name ?? view.name ?? null,
      status: vm.status,
      hosts: entries.flatMap((e) => (e.host === undefined ? [] : Array.isArray(e.host) ? e.host : [e.host])),
      mappings: entries.flatMap((e) => (e.mapping ? [e.mapping] : [])),
    };
  });
  return read.filter((g) => g.hosts.length > 0 || g.mappings.length > 0);
}

function describe(node: string, d: PciDevice, mappings: PciMapping[], guests: GuestPci[]): GpuDevice {
  const mine = mappings
    .filter((m) => m.map.some((e) => e.node === node && e.path.split(';').some((p) => refersTo(p, d.id))))
    .map((m) => m.id);
  const users: GpuGuest[] = [];
  for (const g of guests) {
    const host = g.hosts.find((h) => refersTo(h, d.id));
    const mapping = g.mappings.find((m) => mine.includes(m));
    if (host !== undefined) users.push({ vmid: g.vmid, name: g.name, status: g.status, via: host });
    else if (mapping !== undefined)
      users.push({ vmid: g.vmid, name: g.name, status: g.status, via: `mapping ${mapping}` });
  }
  return {
    node,
    pciId: d.id,
    deviceId: `${hex(d.vendor)}:${hex(d.device)}`,
    vendorName: d.vendor_name ?? null,
    deviceName: d.device_name ?? null,
    iommuGroup: d.iommugroup >= 0 ? d.iommugroup : null,
    mediated: d.mdev === true,
    mappings: mine,
    guests: users,
  };
}

export async function readGpuInventory(client: ProxmoxClient): Promise<GpuInventory> {
  const [nodes, mappings] = await Promise.all([client.cluster.nodes(), client.pciMappings.list()]);
  const devices: GpuDevice[] = [];
  const unreadableNodes: string[] = [];
  const online = nodes.filter((n) => n.status === 'online').sort((a, b) => a.node.localeCompare(b.node));
  await Promise.all(
    online.map(async ({ node }) => {
      try {
        const gpus = (await client.hardware.pciDevices(node)).filter((d) => DISPLAY_CLASS.test(d.class));
        if (gpus.length === 0) return;
        const guests = await guestsWithPci(client, node);
        devices.push(...gpus.map((d) => describe(node, d, mappings, guests)));
      } catch (err) {
        unreadableNodes.push(`${node}: ${(err as Error).message}`);
      }
    }),
  );
  devices.sort((a, b) => a.node.localeCompare(b.node) || a.pciId.localeCompare(b.pciId));
  return { devices, unreadableNodes: unreadableNodes.sort() };
}
