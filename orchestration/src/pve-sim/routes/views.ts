// Read models shared by several routes: /cluster/resources rows, guest status, node status.
import { hasPriv, type Identity } from '../auth.js';
import { nodeSample } from '../metrics.js';
import type { Sim } from '../sim.js';
import { GiB, type Guest, type SimNode, type SimStorage } from '../state.js';

export function guestResource(sim: Sim, g: Guest): Record<string, unknown> {
  if (sim.state.nodes.find((n) => n.name === g.node)?.status === 'offline') {
    // The node's pvestatd is gone: PVE lists its guests from the cluster config, status unknown.
    return {
      id: `${g.type}/${g.vmid}`,
      type: g.type,
      vmid: g.vmid,
      name: g.type === 'lxc' ? (g.config.hostname ?? `CT${g.vmid}`) : (g.config.name ?? `VM ${g.vmid}`),
      node: g.node,
      status: 'unknown',
      template: g.config.template === '1' ? 1 : 0,
      ...(g.config.tags ? { tags: g.config.tags } : {}),
    };
  }
  const running = g.status !== 'stopped';
  const mem = sim.memUsage(g);
  const pool = sim.state.pools.find((p) => p.vms.includes(g.vmid));
  const row: Record<string, unknown> = {
    id: `${g.type}/${g.vmid}`,
    type: g.type,
    vmid: g.vmid,
    name: g.type === 'lxc' ? (g.config.hostname ?? `CT${g.vmid}`) : (g.config.name ?? `VM ${g.vmid}`),
    node: g.node,
    status: running ? 'running' : 'stopped',
    template: g.config.template === '1' ? 1 : 0,
    maxcpu: sim.guestCpus(g),
    cpu: sim.cpuUsage(g),
    maxmem: sim.guestMemory(g),
    mem,
    maxdisk: sim.guestDisk(g),
    disk: g.type === 'lxc' && running ? Math.round(sim.guestDisk(g) * 0.3) : 0,
    netin: sim.counter(g, 'netin'),
    netout: sim.counter(g, 'netout'),
    diskread: sim.counter(g, 'diskread'),
    diskwrite: sim.counter(g, 'diskwrite'),
    uptime: sim.uptime(g),
  };
  if (g.type === 'qemu') row.memhost = running ? Math.round(mem * 1.05) : 0;
  if (g.config.tags) row.tags = g.config.tags;
  if (g.config.lock) row.lock = g.config.lock;
  if (pool) row.pool = pool.poolid;
  return row;
}

export function nodeUsage(sim: Sim, n: SimNode) {
  const running = sim.state.guests.filter((g) => g.node === n.name && g.status === 'running');
  const load = 1 + running.length / 10;
  const sample = nodeSample(
    sim.options.seed,
    {
      id: `node:${n.name}`,
      maxcpu: n.cpus,
      memtotal: n.memory,
      roottotal: n.rootfs,
      load,
      bootedAt: n.bootedAt,
      online: true,
    },
    sim.nowSec(),
    10,
  );
  const guestCpu = running.reduce((s, g) => s + sim.cpuUsage(g) * sim.guestCpus(g), 0) / n.cpus;
  const guestMem = running.reduce((s, g) => s + sim.memUsage(g), 0);
  return {
    cpu: Math.min(1, 0.01 + guestCpu + sample.cpu * 0.05),
    mem: Math.min(n.memory, Math.round(4 * GiB + guestMem * 1.05)),
    loadavg: sample.loadavg,
    uptime: Math.floor((sim.nowMs() - n.bootedAt) / 1000),
    rootused: Math.round(n.rootfs * 0.12),
    iowait: sample.iowait,
  };
}

export function nodeResource(sim: Sim, n: SimNode): Record<string, unknown> {
  if (n.status === 'offline') return { id: `node/${n.name}`, type: 'node', node: n.name, status: 'offline' };
  const u = nodeUsage(sim, n);
  return {
    id: `node/${n.name}`,
    type: 'node',
    node: n.name,
    status: 'online',
    cpu: u.cpu,
    maxcpu: n.cpus,
    mem: u.mem,
    maxmem: n.memory,
    disk: u.rootused,
    maxdisk: n.rootfs,
    uptime: u.uptime,
    level: '',
    'cgroup-mode': 2,
  };
}

export function storageResource(sim: Sim, s: SimStorage, node: string): Record<string, unknown> {
  if (sim.state.nodes.find((n) => n.name === node)?.status === 'offline') {
    return { id: `storage/${node}/${s.storage}`, type: 'storage', node, storage: s.storage, status: 'unknown' };
  }
  return {
    id: `storage/${node}/${s.storage}`,
    type: 'storage',
    node,
    storage: s.storage,
    status: 'available',
    plugintype: s.type,
    content: s.content.join(','),
    shared: s.shared,
    disk: sim.storageUsed(s.storage, node),
    maxdisk: s.total,
  };
}

export function canAudit(sim: Sim, id: Identity, path: string, priv: string): boolean {
  return hasPriv(sim.state, id, path, [priv]);
}

export function clusterResources(sim: Sim, id: Identity, type?: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const { state } = sim;
  if (!type || type === 'node') {
    for (const n of state.nodes)
      if (canAudit(sim, id, `/nodes/${n.name}`, 'Sys.Audit')) rows.push(nodeResource(sim, n));
  }
  if (!type || type === 'vm') {
    for (const g of state.guests) if (canAudit(sim, id, `/vms/${g.vmid}`, 'VM.Audit')) rows.push(guestResource(sim, g));
  }
  if (!type || type === 'storage') {
    for (const n of state.nodes) {
      for (const s of state.storages)
        if (canAudit(sim, id, `/storage/${s.storage}`, 'Datastore.Audit')) rows.push(storageResource(sim, s, n.name));
    }
  }
  if (!type || type === 'sdn') {
    for (const n of state.nodes) {
      if (n.status === 'offline' || !canAudit(sim, id, `/sdn/zones/localnetwork`, 'SDN.Audit')) continue;
      rows.push({ id: `sdn/${n.name}/localnetwork`, type: 'sdn', sdn: 'localnetwork', node: n.name, status: 'ok' });
      for (const zone of Object.keys(state.sdn.zones)) {
        rows.push({
          id: `sdn/${n.name}/${zone}`,
          type: 'sdn',
          sdn: zone,
          node: n.name,
          status: 'available',
          'zone-type': String(state.sdn.zones[zone]?.config.type ?? 'simple'),
        });
      }
    }
  }
  if (!type) {
    for (const p of state.pools)
      if (canAudit(sim, id, `/pool/${p.poolid}`, 'Pool.Audit'))
        rows.push({ id: `pool/${p.poolid}`, type: 'pool', pool: p.poolid });
  }
  return rows;
}
