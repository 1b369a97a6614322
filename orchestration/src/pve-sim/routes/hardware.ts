// Host PCI devices, their mediated device types, and cluster PCI resource mappings.
import { PveError } from '../errors.js';
import type { Router } from '../router.js';
import type { Sim } from '../sim.js';
import type { PciMapping } from '../state.js';
import { mdevUsed } from './pci.js';

function mapping(sim: Sim, id: string): PciMapping {
  const m = sim.state.mappings.find((x) => x.id === id);
  if (!m) throw PveError.internal(`PCI mapping '${id}' not found`);
  return m;
}

/** Mdev types minus the instances running (or starting) guests hold on that device. */
function mdevAvailability(sim: Sim, node: string, pciId: string, type: string, total: number): number {
  return Math.max(0, total - mdevUsed(sim, node, pciId, type));
}

export function hardwareRoutes(r: Router) {
  r.on(
    'GET',
    '/nodes/{node}/hardware',
    ({ sim, params }) => (sim.node(params.node), [{ type: 'pci' }, { type: 'usb' }]),
  );
  r.on('GET', '/nodes/{node}/hardware/pci', ({ sim, params }) => {
    const n = sim.node(params.node);
    const blacklist = (params.str('pci-class-blacklist') ?? '05;06;0b').split(/[;,\s]+/).filter(Boolean);
    const verbose = params.bool('verbose', true);
    return n.pci
      .filter((d) => !blacklist.some((c) => d.class.slice(2).startsWith(c)))
      .map((d) => ({
        id: d.id,
        class: d.class,
        vendor: d.vendor,
        device: d.device,
        iommugroup: d.iommugroup,
        subsystem_vendor: d.subsystem_vendor,
        subsystem_device: d.subsystem_device,
        ...(verbose
          ? {
              vendor_name: d.vendor_name,
              device_name: d.device_name,
              subsystem_vendor_name: d.vendor_name,
              subsystem_device_name: '',
            }
          : {}),
        ...(d.mdev ? { mdev: 1 } : {}),
      }));
  });
  r.on(
    'GET',
    '/nodes/{node}/hardware/pci/{pci-id-or-mapping}',
    ({ sim, params }) => (sim.node(params.node), [{ method: 'mdev' }]),
  );
  r.on('GET', '/nodes/{node}/hardware/pci/{pci-id-or-mapping}/mdev', ({ sim, params }) => {
    const n = sim.node(params.node);
    const key = params.req('pci-id-or-mapping');
    let ids: string[];
    if (
      /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-9a-f]$/i.test(key) ||
      /^[0-9a-f]{2}:[0-9a-f]{2}\.[0-9a-f]$/i.test(key)
    )
      ids = [key.length === 7 ? `0000:${key}` : key];
    else {
      const m = sim.state.mappings.find((x) => x.id === key);
      if (!m) throw PveError.internal(`PCI mapping '${key}' not found`);
      ids = m.map.filter((e) => e.includes(`node=${n.name}`)).map((e) => /path=([^,;]+)/.exec(e)?.[1] ?? '');
    }
    const device = n.pci.find((d) => ids.includes(d.id));
    if (!device) throw PveError.internal(`unable to find PCI device '${key}'`);
    if (!device.mdev) throw PveError.internal(`The given PCI device does not support mediated devices`);
    // NVIDIA's sysfs API lists only creatable types, each with available 1 (qemu-server Mdev.pm);
    // classic mdev_supported_types report available_instances.
    return device.mdev
      .map((t) => ({ t, left: mdevAvailability(sim, n.name, device.id, t.type, t.available) }))
      .filter(({ t, left }) => !t.type.startsWith('nvidia-') || left > 0)
      .map(({ t, left }) => ({
        type: t.type,
        name: t.name,
        description: t.description,
        available: t.type.startsWith('nvidia-') ? 1 : left,
      }));
  });

  r.on('GET', '/cluster/mapping', () => [{ name: 'dir' }, { name: 'pci' }, { name: 'usb' }]);
  r.on('GET', '/cluster/mapping/pci', ({ sim, params }) => {
    const check = params.str('check-node');
    return sim.state.mappings.map((m) => ({
      id: m.id,
      map: m.map,
      ...(m.description ? { description: m.description } : {}),
      ...(m.mdev ? { mdev: m.mdev } : {}),
      ...(check ? { checks: checks(sim, m, check) } : {}),
    }));
  });
  r.on('POST', '/cluster/mapping/pci', ({ sim, params }) => {
    const id = params.req('id');
    if (sim.state.mappings.some((m) => m.id === id)) throw PveError.internal(`PCI mapping '${id}' already exists`);
    sim.state.mappings.push({
      id,
      map: params.list('map'),
      ...(params.str('description') ? { description: params.str('description') } : {}),
      ...(params.has('mdev') ? { mdev: params.bool('mdev') ? 1 : 0 } : {}),
      ...(params.has('live-migration-capable')
        ? { 'live-migration-capable': params.bool('live-migration-capable') ? 1 : 0 }
        : {}),
    });
    sim.changed();
    return null;
  });
  r.on('GET', '/cluster/mapping/pci/{id}', ({ sim, params }) => {
    const m = mapping(sim, params.req('id'));
    return { ...m, digest: 'b0c4f1c6b5e4f0b1d7e0b5f1c6b5e4f0b1d7e0b5', type: 'pci' };
  });
  r.on('PUT', '/cluster/mapping/pci/{id}', ({ sim, params }) => {
    const m = mapping(sim, params.req('id'));
    for (const k of (params.str('delete') ?? '').split(/[,;\s]+/).filter(Boolean))
      delete (m as unknown as Record<string, unknown>)[k];
    if (params.has('map')) m.map = params.list('map');
    if (params.has('description')) m.description = params.str('description');
    if (params.has('mdev')) m.mdev = params.bool('mdev') ? 1 : 0;
    if (params.has('live-migration-capable'))
      m['live-migration-capable'] = params.bool('live-migration-capable') ? 1 : 0;
    sim.changed();
    return null;
  });
  r.on('DELETE', '/cluster/mapping/pci/{id}', ({ sim, params }) => {
    mapping(sim, params.req('id'));
    sim.state.mappings = sim.state.mappings.filter((m) => m.id !== params.req('id'));
    sim.changed();
    return null;
  });
}

function checks(sim: Sim, m: PciMapping, node: string) {
  const n = sim.state.nodes.find((x) => x.name === node);
  const entries = m.map.filter((e) => e.includes(`node=${node}`));
  if (!n || !entries.length) return [{ severity: 'warning', message: `No mapping for node '${node}'` }];
  const out: { severity: string; message: string }[] = [];
  for (const e of entries) {
    const path = /path=([^,;]+)/.exec(e)?.[1];
    if (!n.pci.some((d) => d.id === path))
      out.push({ severity: 'error', message: `PCI device '${path}' does not exist` });
  }
  return out;
}
