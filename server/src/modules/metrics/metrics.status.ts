// A cluster's status from what the collector stored: the nodes of its latest tick, the guests of
// that tick, and the last Ceph reading.
import type { MetricsDb } from '@pvepaas/orchestration/metrics/index';
import type { CephStatus, ClusterStatus } from './metrics.types.js';

export async function clusterStatus(db: MetricsDb, clusterId: string): Promise<ClusterStatus> {
  // The latest live tick within the last day (the collector writes all of a tick with one ts).
  const latest = await db.query<{ ts: string | Date | null }>(
    `select max(ts) as ts from metric_sample
      where cluster_id = $1 and kind = 'node' and not backfilled and ts > now() - interval '1 day'`,
    [clusterId],
  );
  const ts = latest.rows[0]?.ts ?? null;
  const status: ClusterStatus = {
    clusterId,
    collectedAt: ts ? new Date(ts).toISOString() : null,
    nodes: [],
    guestsRunning: 0,
    guestsTotal: 0,
    ceph: null,
  };
  if (ts) {
    const { rows } = await db.query<{
      kind: string;
      node: string;
      status: string;
      cpu: number;
      cpus: number;
      mem_used: number;
      mem_total: number;
    }>(
      `select kind, node, status, cpu, cpus, mem_used, mem_total from metric_sample
        where cluster_id = $1 and ts = $2 and kind in ('node', 'machine') and not backfilled order by node`,
      [clusterId, new Date(ts).toISOString()],
    );
    for (const r of rows) {
      if (r.kind === 'machine') {
        status.guestsTotal++;
        if (r.status === 'running') status.guestsRunning++;
        continue;
      }
      status.nodes.push({
        node: r.node,
        status: r.status,
        at: new Date(ts).toISOString(),
        cpu: Number(r.cpu),
        cpus: Number(r.cpus),
        memoryBytes: Number(r.mem_used),
        memoryTotalBytes: Number(r.mem_total),
      });
    }
  }
  const ceph = await db.query<Record<string, unknown>>(`select * from cluster_ceph_status where cluster_id = $1`, [
    clusterId,
  ]);
  const c = ceph.rows[0];
  if (c) status.ceph = toCeph(c);
  return status;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function toCeph(c: Record<string, unknown>): CephStatus {
  return {
    collectedAt: new Date(c.collected_at as string).toISOString(),
    available: Boolean(c.available),
    health: (c.health as string | null) ?? null,
    checks: json(c.checks),
    osdsTotal: Number(c.osds_total),
    osdsUp: Number(c.osds_up),
    osdsIn: Number(c.osds_in),
    pgsTotal: Number(c.pgs_total),
    pgsByState: json(c.pgs_by_state),
    pools: json(c.pools),
    bytesUsed: Number(c.bytes_used),
    bytesTotal: Number(c.bytes_total),
    error: (c.error as string | null) ?? null,
  };
}
