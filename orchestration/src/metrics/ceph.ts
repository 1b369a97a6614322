// Ceph health of a cluster, from the three reads Proxmox VE offers: `ceph status` (health, checks,
// placement groups), the OSD tree (up/in per OSD) and the pools with their usage. A cluster without
// Ceph answers errors; that is recorded as "not available", not as a failure.
import type { ProxmoxClient } from '../proxmox/client.js';
import type { MetricsDb } from './db.js';

export interface CephCheck {
  name: string;
  severity: string;
  message: string;
}

export interface CephPoolUsage {
  name: string;
  bytesUsed: number;
  percentUsed: number;
  size: number;
  pgNum: number;
}

export interface CephSnapshot {
  available: boolean;
  health: string | null;
  checks: CephCheck[];
  osdsTotal: number;
  osdsUp: number;
  osdsIn: number;
  pgsTotal: number;
  pgsByState: { state: string; count: number }[];
  pools: CephPoolUsage[];
  bytesUsed: number;
  bytesTotal: number;
  error: string | null;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const n = (v: unknown): number => (Number.isFinite(Number(v)) ? Number(v) : 0);

interface OsdLeaf {
  status?: string;
  in?: number | boolean;
}

function osdLeaves(node: unknown, out: OsdLeaf[] = []): OsdLeaf[] {
  const o = obj(node);
  if (o.type === 'osd') out.push(o as OsdLeaf);
  for (const c of (o.children as unknown[] | undefined) ?? []) osdLeaves(c, out);
  return out;
}

export async function readCeph(client: ProxmoxClient, node: string | undefined): Promise<CephSnapshot> {
  const empty: CephSnapshot = {
    available: false,
    health: null,
    checks: [],
    osdsTotal: 0,
    osdsUp: 0,
    osdsIn: 0,
    pgsTotal: 0,
    pgsByState: [],
    pools: [],
    bytesUsed: 0,
    bytesTotal: 0,
    error: null,
  };
  let status: Obj;
  try {
    status = await client.ceph.status();
  } catch (err) {
    return { ...empty, error: (err as Error).message };
  }
  const health = obj(status.health);
  const checks = Object.entries(obj(health.checks)).map(([name, c]) => ({
    name,
    severity: String(obj(c).severity ?? ''),
    message: String(obj(obj(c).summary).message ?? ''),
  }));
  const pgmap = obj(status.pgmap);
  const osdmap = obj(status.osdmap);
  const snap: CephSnapshot = {
    ...empty,
    available: true,
    health: typeof health.status === 'string' ? health.status : null,
    checks,
    osdsTotal: n(osdmap.num_osds),
    osdsUp: n(osdmap.num_up_osds),
    osdsIn: n(osdmap.num_in_osds),
    pgsTotal: n(pgmap.num_pgs),
    pgsByState: ((pgmap.pgs_by_state as unknown[] | undefined) ?? []).map((s) => ({
      state: String(obj(s).state_name),
      count: n(obj(s).count),
    })),
    bytesUsed: n(pgmap.bytes_used),
    bytesTotal: n(pgmap.bytes_total),
  };
  if (!node) return snap;
  // The OSD tree and pools are per-node reads of cluster-wide data: any online node answers.
  const [tree, pools] = await Promise.allSettled([client.ceph.osds(node), client.ceph.pools(node)]);
  if (tree.status === 'fulfilled') {
    const leaves = osdLeaves(tree.value.root);
    if (leaves.length > 0) {
      snap.osdsTotal = leaves.length;
      snap.osdsUp = leaves.filter((l) => l.status === 'up').length;
      snap.osdsIn = leaves.filter((l) => Number(l.in) === 1).length;
    }
  }
  if (pools.status === 'fulfilled') {
    snap.pools = pools.value.map((p) => ({
      name: p.pool_name,
      bytesUsed: n(p.bytes_used),
      percentUsed: n(p.percent_used),
      size: n(p.size),
      pgNum: n(p.pg_num),
    }));
  }
  return snap;
}

export async function writeCeph(db: MetricsDb, clusterId: string, at: Date, s: CephSnapshot): Promise<void> {
  await db.query(
    `insert into cluster_ceph_status (cluster_id, collected_at, available, health, checks, osds_total, osds_up,
       osds_in, pgs_total, pgs_by_state, pools, bytes_used, bytes_total, error)
     values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, $14)
     on conflict (cluster_id) do update set collected_at = excluded.collected_at, available = excluded.available,
       health = excluded.health, checks = excluded.checks, osds_total = excluded.osds_total,
       osds_up = excluded.osds_up, osds_in = excluded.osds_in, pgs_total = excluded.pgs_total,
       pgs_by_state = excluded.pgs_by_state, pools = excluded.pools, bytes_used = excluded.bytes_used,
       bytes_total = excluded.bytes_total, error = excluded.error`,
    [
      clusterId,
      at.toISOString(),
      s.available,
      s.health,
      JSON.stringify(s.checks),
      s.osdsTotal,
      s.osdsUp,
      s.osdsIn,
      s.pgsTotal,
      JSON.stringify(s.pgsByState),
      JSON.stringify(s.pools),
      s.bytesUsed,
      s.bytesTotal,
      s.error,
    ],
  );
}
