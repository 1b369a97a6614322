// Filling gaps from Proxmox's own RRD: when the collector was down, or a guest appeared between
// two ticks, `rrddata?timeframe=hour` has one averaged row per minute for the last hour. Those rows
// become samples (marked `backfilled`, each standing for 60 s) for the minutes the table lacks.
import type { ProxmoxClient } from '../proxmox/client.js';
import type { MetricKind } from './sample.js';
import type { StoredSample } from './store.js';

export interface Gap {
  kind: Extract<MetricKind, 'machine' | 'node'>;
  clusterId: string;
  node: string;
  vmid?: number;
  guestType?: 'qemu' | 'lxc';
  /** Exclusive bounds (ms): rows strictly after the last sample and whose minute ended by `toMs`. */
  fromMs: number;
  toMs: number;
}

type Point = { time: number } & Record<string, number>;
const f = (v: number | undefined): number => (Number.isFinite(v) ? (v as number) : 0);

export async function backfillGap(client: ProxmoxClient, gap: Gap): Promise<StoredSample[]> {
  let points: Point[];
  if (gap.kind === 'machine') {
    const api = gap.guestType === 'lxc' ? client.lxc : client.qemu;
    points = (await api.rrddata(gap.node, gap.vmid as number, 'hour', 'AVERAGE')) as Point[];
  } else {
    points = (await client.cluster.nodeRrddata(gap.node, 'hour', 'AVERAGE')) as Point[];
  }
  const out: StoredSample[] = [];
  for (const p of points) {
    const startMs = p.time * 1000;
    // Only whole minutes inside the gap, and only minutes the guest ran (a stopped or not yet
    // created guest's rows carry no cpu).
    if (startMs <= gap.fromMs || startMs + 60_000 > gap.toMs || p.cpu === undefined) continue;
    const machine = gap.kind === 'machine';
    out.push({
      ts: new Date(startMs).toISOString(),
      kind: gap.kind,
      clusterId: gap.clusterId,
      node: gap.node,
      ...(machine ? { vmid: gap.vmid } : {}),
      cpu: f(p.cpu),
      cpus: f(p.maxcpu),
      memUsed: f(machine ? p.mem : p.memused),
      memTotal: f(machine ? p.maxmem : p.memtotal),
      netInBps: f(p.netin),
      netOutBps: f(p.netout),
      diskReadBps: f(p.diskread),
      diskWriteBps: f(p.diskwrite),
      diskUsed: f(machine ? p.disk : p.rootused),
      diskTotal: f(machine ? p.maxdisk : p.roottotal),
      status: machine ? 'running' : 'online',
      weightSeconds: 60,
      backfilled: true,
    });
  }
  return out;
}
