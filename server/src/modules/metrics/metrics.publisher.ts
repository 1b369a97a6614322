// Live samples: after each collection, every machine's sample on its own channel, every node's on
// its own, and each project's sum on the project's. Subscribers listen to exactly the channels they
// were authorised for; nothing is broadcast to everyone and filtered afterwards.
import type { CollectionListener, MetricsDb } from '@pvepaas/orchestration/metrics/index';
import type { PubSub, Topics } from '../../realtime/pubsub.js';

export function metricsPublisher(db: MetricsDb, pubsub: PubSub): CollectionListener {
  return async (clusterId, samples, at) => {
    const { rows } = await db.query<{ id: string; vmid: number; project_id: string }>(
      `select id, vmid, project_id from machine where cluster_id = $1 and vmid is not null`,
      [clusterId],
    );
    const byVmid = new Map(rows.map((r) => [Number(r.vmid), r]));
    const iso = at.toISOString();
    const projects = new Map<string, Topics['projectMetrics']>();
    const sends: Promise<void>[] = [];
    for (const s of samples) {
      if (s.kind === 'node') {
        sends.push(
          pubsub.publish('nodeMetrics', `${clusterId}:${s.node}`, {
            clusterId,
            node: s.node,
            at: iso,
            status: s.status,
            cpu: s.cpu,
            cpus: s.cpus,
            memoryBytes: s.memUsed,
            memoryTotalBytes: s.memTotal,
            netIn: s.netInBps,
            netOut: s.netOutBps,
            diskRead: s.diskReadBps,
            diskWrite: s.diskWriteBps,
          }),
        );
        continue;
      }
      if (s.kind !== 'machine' || s.vmid === undefined) continue;
      const machine = byVmid.get(s.vmid);
      if (!machine) continue;
      sends.push(
        pubsub.publish('machineMetrics', machine.id, {
          machineId: machine.id,
          at: iso,
          cpu: s.cpu,
          memoryBytes: s.memUsed,
          netIn: s.netInBps,
          netOut: s.netOutBps,
          diskRead: s.diskReadBps,
          diskWrite: s.diskWriteBps,
        }),
      );
      let p = projects.get(machine.project_id);
      if (!p) {
        p = {
          projectId: machine.project_id,
          at: iso,
          machines: 0,
          cpu: 0,
          memoryBytes: 0,
          netIn: 0,
          netOut: 0,
          diskRead: 0,
          diskWrite: 0,
        };
        projects.set(machine.project_id, p);
      }
      p.machines++;
      p.cpu += s.cpu * s.cpus;
      p.memoryBytes += s.memUsed;
      p.netIn += s.netInBps;
      p.netOut += s.netOutBps;
      p.diskRead += s.diskReadBps;
      p.diskWrite += s.diskWriteBps;
    }
    for (const p of projects.values()) sends.push(pubsub.publish('projectMetrics', p.projectId, p));
    await Promise.all(sends);
  };
}
