// /cluster/resources rows → samples. One call returns every guest, node and storage of a cluster;
// guests carry cumulative counters, turned into rates by `CounterRates`.
import type { ClusterResource } from '../proxmox/cluster.js';
import { CounterRates } from './rates.js';
import type { MetricSample } from './sample.js';

const num = (v: unknown): number => {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};

/** The stable key of a resource within its cluster: vmid, node name, or node/storage. */
export function resourceKey(s: Pick<MetricSample, 'kind' | 'node' | 'vmid' | 'storage'>): string {
  if (s.kind === 'machine') return String(s.vmid);
  if (s.kind === 'storage') return `${s.node}/${s.storage ?? ''}`;
  return s.node;
}

export function toSamples(clusterId: string, rows: ClusterResource[], at: Date, rates: CounterRates): MetricSample[] {
  const ts = at.toISOString();
  const out: MetricSample[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (!r.node) continue;
    if (r.type === 'qemu' || r.type === 'lxc') {
      // Templates never run; they would only add rows of zeros.
      if (r.template || r.vmid === undefined) continue;
      const key = `${r.vmid}`;
      seen.add(key);
      const running = r.status === 'running';
      const counters = {
        netin: num(r.netin),
        netout: num(r.netout),
        diskread: num(r.diskread),
        diskwrite: num(r.diskwrite),
      };
      const rate = running
        ? rates.rates(key, at.getTime(), counters, num(r.uptime))
        : (rates.rates(key, at.getTime(), counters), { netin: 0, netout: 0, diskread: 0, diskwrite: 0 });
      out.push({
        ts,
        kind: 'machine',
        clusterId,
        node: r.node,
        vmid: r.vmid,
        cpu: num(r.cpu),
        cpus: num(r.maxcpu),
        memUsed: num(r.mem),
        memTotal: num(r.maxmem),
        netInBps: rate.netin,
        netOutBps: rate.netout,
        diskReadBps: rate.diskread,
        diskWriteBps: rate.diskwrite,
        diskUsed: num(r.disk),
        diskTotal: num(r.maxdisk),
        status: r.status ?? 'unknown',
      });
    } else if (r.type === 'node') {
      out.push({
        ts,
        kind: 'node',
        clusterId,
        node: r.node,
        cpu: num(r.cpu),
        cpus: num(r.maxcpu),
        memUsed: num(r.mem),
        memTotal: num(r.maxmem),
        // /cluster/resources has no traffic for nodes; the node's rrddata has (see backfill).
        netInBps: 0,
        netOutBps: 0,
        diskReadBps: 0,
        diskWriteBps: 0,
        diskUsed: num(r.disk),
        diskTotal: num(r.maxdisk),
        status: r.status ?? 'unknown',
      });
    } else if (r.type === 'storage' && r.storage) {
      out.push({
        ts,
        kind: 'storage',
        clusterId,
        node: r.node,
        storage: r.storage,
        cpu: 0,
        cpus: 0,
        memUsed: 0,
        memTotal: 0,
        netInBps: 0,
        netOutBps: 0,
        diskReadBps: 0,
        diskWriteBps: 0,
        diskUsed: num(r.disk),
        diskTotal: num(r.maxdisk),
        status: r.status ?? 'unknown',
      });
    }
  }
  rates.retain(seen);
  return out;
}
