// PCI passthrough at guest start: `hostpciN` (host= or mapping=) resolves to a device of the node;
// a whole device serves one running guest, an mdev type as many as it has instances. Assignments
// live on the guest while it runs (qemu-server's reserve_pci_usage).
import type { Sim } from '../sim.js';
import type { Guest, PciDevice } from '../state.js';

const norm = (id: string) => (/^[0-9a-f]{4}:/i.test(id) ? id : `0000:${id}`).toLowerCase();

function users(sim: Sim, node: string, except: number) {
  return sim.state.guests.filter((o) => o.node === node && o.vmid !== except && o.pciAssigned);
}

/** Running guests on the node holding an instance of this mdev type on this device. */
export function mdevUsed(sim: Sim, node: string, pciId: string, type: string, except = -1): number {
  let n = 0;
  for (const o of users(sim, node, except)) {
    for (const [key, dev] of Object.entries(o.pciAssigned ?? {})) {
      if (dev === pciId && new RegExp(`(?:^|,)mdev=${type}(?:,|$)`).test(o.config[key] ?? '')) n++;
    }
  }
  return n;
}

function holders(sim: Sim, node: string, pciId: string, except: number) {
  return users(sim, node, except).flatMap((o) =>
    Object.entries(o.pciAssigned ?? {})
      .filter(([, dev]) => dev === pciId)
      .map(([key]) => ({ vmid: o.vmid, mdev: /(?:^|,)mdev=/.test(o.config[key] ?? '') })),
  );
}

/** Picks devices for every hostpciN of `g` on its node, or throws qemu-server's error. */
export function assignPci(sim: Sim, g: Guest): Record<string, string> {
  const node = sim.node(g.node);
  const assigned: Record<string, string> = {};
  for (const [key, value] of Object.entries(g.config)) {
    if (!/^hostpci\d+$/.test(key)) continue;
    const mdev = /(?:^|,)mdev=([^,]+)/.exec(value)?.[1];
    const mapping = /(?:^|,)mapping=([^,]+)/.exec(value)?.[1];
    let candidates: string[];
    if (mapping) {
      const m = sim.state.mappings.find((x) => x.id === mapping);
      if (!m) throw new Error(`PCI mapping '${mapping}' not found`);
      candidates = m.map
        .filter((e) => new RegExp(`(?:^|,)node=${node.name}(?:,|$)`).test(e))
        .map((e) => norm(/(?:^|,)path=([^,;]+)/.exec(e)?.[1] ?? ''));
      if (!candidates.length) throw new Error(`no PCI device in mapping '${mapping}' for node '${node.name}'`);
    } else {
      const host = /^(?:host=)?([^,]+)/.exec(value)?.[1] ?? '';
      candidates = host.split(';').map((h) => norm(h.includes('.') ? h : `${h}.0`));
    }
    const free = candidates.find((id) => {
      const dev: PciDevice | undefined = node.pci.find((d) => d.id === id);
      if (!dev) return false;
      const held = holders(sim, node.name, id, g.vmid).concat(
        Object.entries(assigned)
          .filter(([, d]) => d === id)
          .map(() => ({ vmid: g.vmid, mdev: !!mdev })),
      );
      if (!mdev) return held.length === 0;
      const type = dev.mdev?.find((t) => t.type === mdev);
      if (!type || held.some((h) => !h.mdev)) return false;
      return mdevUsed(sim, node.name, id, mdev, g.vmid) < type.available;
    });
    if (!free) {
      const first = candidates[0] ?? '';
      const dev = node.pci.find((d) => d.id === first);
      if (!dev) throw new Error(`no PCI device found for '${first}'`);
      if (mdev) throw new Error(`mediated device type '${mdev}' is not available on PCI device '${first}'`);
      const other = holders(sim, node.name, first, g.vmid)[0];
      throw new Error(
        mapping
          ? `no free PCI device in mapping '${mapping}' on node '${node.name}'`
          : `PCI device '${first}' already in use by VMID '${other?.vmid ?? '?'}'`,
      );
    }
    assigned[key] = free;
  }
  return assigned;
}
