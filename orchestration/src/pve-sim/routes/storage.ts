// Storage config, per-node storage status/content/RRD, and Ceph (status, OSDs, pools).
import { hasPriv } from '../auth.js';
import { PveError } from '../errors.js';
import { storageRrd, type Timeframe } from '../metrics.js';
import type { Router } from '../router.js';
import type { Sim } from '../sim.js';
import { GiB, type SimStorage } from '../state.js';
import { allocDisk, findVolume, freeVolume } from './guest-common.js';

function storageOf(sim: Sim, id: string): SimStorage {
  const s = sim.state.storages.find((x) => x.storage === id);
  if (!s) throw PveError.internal(`storage '${id}' does not exist`);
  return s;
}

function status(sim: Sim, s: SimStorage, node: string) {
  const used = sim.storageUsed(s.storage, node);
  return {
    storage: s.storage,
    type: s.type,
    content: s.content.join(','),
    active: 1,
    enabled: 1,
    shared: s.shared,
    total: s.total,
    used,
    avail: s.total - used,
    used_fraction: used / s.total,
  };
}

export function storageRoutes(r: Router) {
  r.on('GET', '/storage', ({ sim, params, identity }) =>
    sim.state.storages
      .filter((s) => !params.has('type') || s.type === params.str('type'))
      .filter((s) =>
        hasPriv(sim.state, identity, `/storage/${s.storage}`, ['Datastore.Audit', 'Datastore.AllocateSpace'], true),
      )
      .map((s) => ({
        storage: s.storage,
        type: s.type,
        content: s.content.join(','),
        digest: 'b0c4f1c6b5e4f0b1d7e0b5f1c6b5e4f0b1d7e0b5',
        ...(s.shared ? { shared: 1 } : {}),
        ...(s.path ? { path: s.path } : {}),
        ...(s.thinpool ? { thinpool: s.thinpool, vgname: s.vgname } : {}),
        ...(s.pool ? { pool: s.pool, krbd: 0 } : {}),
      })),
  );
  r.on('GET', '/storage/{storage}', ({ sim, params }) => {
    const s = storageOf(sim, params.req('storage'));
    return {
      storage: s.storage,
      type: s.type,
      content: s.content.join(','),
      shared: s.shared,
      digest: 'b0c4f1c6b5e4f0b1d7e0b5f1c6b5e4f0b1d7e0b5',
    };
  });

  r.on('GET', '/nodes/{node}/storage', ({ sim, params, identity }) => {
    sim.node(params.node);
    const content = params.str('content');
    return sim.state.storages
      .filter((s) => !params.has('storage') || s.storage === params.str('storage'))
      .filter((s) => !content || content.split(',').every((c) => s.content.includes(c)))
      .filter((s) =>
        hasPriv(sim.state, identity, `/storage/${s.storage}`, ['Datastore.Audit', 'Datastore.AllocateSpace'], true),
      )
      .map((s) => status(sim, s, params.node));
  });
  r.on('GET', '/nodes/{node}/storage/{storage}', ({ sim, params }) => {
    storageOf(sim, params.req('storage'));
    return [
      'content',
      'download-url',
      'file-restore',
      'import-metadata',
      'prunebackups',
      'rrd',
      'rrddata',
      'status',
      'upload',
    ].map((subdir) => ({ subdir }));
  });
  r.on('GET', '/nodes/{node}/storage/{storage}/status', ({ sim, params }) => {
    const s = status(sim, storageOf(sim, params.req('storage')), params.node);
    return {
      type: s.type,
      content: s.content,
      active: 1,
      enabled: 1,
      shared: s.shared,
      total: s.total,
      used: s.used,
      avail: s.avail,
    };
  });
  r.on('GET', '/nodes/{node}/storage/{storage}/rrddata', ({ sim, params }) => {
    const s = storageOf(sim, params.req('storage'));
    return storageRrd(
      sim.nowSec(),
      params.req('timeframe') as Timeframe,
      s.total,
      sim.storageUsed(s.storage, params.node),
      sim.rrdLayout,
    );
  });
  r.on('GET', '/nodes/{node}/storage/{storage}/content', ({ sim, params }) => {
    const s = storageOf(sim, params.req('storage'));
    const vmid = params.int('vmid');
    const content = params.str('content');
    return sim.state.volumes
      .filter((v) => v.storage === s.storage && (s.shared || v.node === params.node))
      .filter((v) => (vmid === undefined || v.vmid === vmid) && (!content || v.content === content))
      .map((v) => ({
        volid: v.volid,
        format: v.format,
        size: v.size,
        content: v.content,
        ctime: v.ctime,
        ...(v.vmid ? { vmid: v.vmid } : {}),
        ...(v.parent ? { parent: v.parent } : {}),
        ...(v.content === 'images' || v.content === 'rootdir'
          ? { used: v.parent ? Math.round(v.size * 0.05) : v.size }
          : {}),
      }));
  });
  r.on('POST', '/nodes/{node}/storage/{storage}/content', ({ sim, params }) => {
    const s = storageOf(sim, params.req('storage'));
    const vmid = params.vmid;
    const size = params.req('size');
    const m = /^(\d+)([MG]?)$/.exec(size);
    const bytes = Number(m?.[1] ?? 0) * (m?.[2] === 'G' ? GiB : m?.[2] === 'M' ? 1024 * 1024 : 1024);
    const filename = params.req('filename');
    return allocDisk(sim, {
      storage: s.storage,
      node: params.node,
      vmid,
      size: bytes,
      type: 'qemu',
      name: `${s.storage}:${filename}`,
    });
  });
  r.on('GET', '/nodes/{node}/storage/{storage}/content/{volume}', ({ sim, params }) => {
    const volid = params.req('volume').includes(':')
      ? params.req('volume')
      : `${params.req('storage')}:${params.req('volume')}`;
    const v = findVolume(sim, volid, params.node);
    if (!v) throw PveError.internal(`volume '${volid}' does not exist`);
    return {
      path: `/dev/rbd/${v.volid.replace(':', '/')}`,
      size: v.size,
      used: v.size,
      format: v.format,
      ...(v.parent ? { parent: v.parent } : {}),
    };
  });
  r.on('DELETE', '/nodes/{node}/storage/{storage}/content/{volume}', (req) => {
    const { sim, params } = req;
    const volid = params.req('volume').includes(':')
      ? params.req('volume')
      : `${params.req('storage')}:${params.req('volume')}`;
    if (!findVolume(sim, volid, params.node)) throw PveError.internal(`volume '${volid}' does not exist`);
    return sim.tasks.start({
      node: params.node,
      type: 'imgdel',
      id: volid,
      identity: req.identity,
      work: async (t) => {
        await t.sleep(500);
        freeVolume(sim, volid, params.node);
        sim.changed();
      },
    });
  });

  // --- Ceph
  const osds = (sim: Sim) =>
    sim.state.nodes.flatMap((n, i) =>
      [0, 1, 2, 3].map((j) => ({ id: i * 4 + j, name: `osd.${i * 4 + j}`, host: n.name, up: n.status === 'online' })),
    );
  r.on('GET', '/cluster/ceph/status', ({ sim }) => cephStatus(sim, osds(sim)));
  r.on('GET', '/nodes/{node}/ceph/status', ({ sim, params }) => (sim.node(params.node), cephStatus(sim, osds(sim))));
  r.on('GET', '/nodes/{node}/ceph/osd', ({ sim, params }) => {
    sim.node(params.node);
    const list = osds(sim);
    return {
      flags: 'sortbitwise,recovery_deletes,purged_snapdirs,pglog_hardlimit',
      root: {
        id: -1,
        name: 'default',
        type: 'root',
        leaf: 0,
        children: sim.state.nodes.map((n, i) => ({
          id: -(i + 2),
          name: n.name,
          type: 'host',
          leaf: 0,
          version: '19.2.3',
          children: list
            .filter((o) => o.host === n.name)
            .map((o) => ({
              id: o.id,
              name: o.name,
              type: 'osd',
              leaf: 1,
              host: n.name,
              status: o.up ? 'up' : 'down',
              in: 1,
              crush_weight: 3.49309,
              device_class: 'nvme',
              total_space: 3.84e12,
              bytes_used: Math.round(3.84e12 * 0.31),
              percent_used: 31.2,
              apply_latency_ms: 1,
              commit_latency_ms: 1,
              osdtype: 'bluestore',
              blfsdev: '/dev/nvme0n1',
              version: '19.2.3',
              pgs: 97,
            })),
        })),
      },
    };
  });
  r.on('GET', '/nodes/{node}/ceph/pool', ({ sim, params }) => {
    sim.node(params.node);
    const used = sim.storageUsed('ceph-vm');
    return [
      {
        pool: 1,
        pool_name: '.mgr',
        size: 3,
        min_size: 2,
        pg_num: 1,
        pg_num_min: 1,
        pg_autoscale_mode: 'on',
        crush_rule: 0,
        crush_rule_name: 'replicated_rule',
        percent_used: 0.00001,
        bytes_used: 3_145_728,
        type: 'replicated',
        application_metadata: { mgr: {} },
      },
      {
        pool: 2,
        pool_name: 'ceph-vm',
        size: 3,
        min_size: 2,
        pg_num: 128,
        pg_num_final: 128,
        pg_autoscale_mode: 'on',
        crush_rule: 0,
        crush_rule_name: 'replicated_rule',
        percent_used: used / (24 * 1024 * GiB),
        bytes_used: used * 3,
        type: 'replicated',
        target_size: 0,
        target_size_ratio: 0,
        autoscale_status: {},
        application_metadata: { rbd: {} },
      },
    ];
  });
}

function cephStatus(sim: Sim, osds: { up: boolean }[]) {
  const up = osds.filter((o) => o.up).length;
  const offline = sim.state.nodes.filter((n) => n.status === 'offline').map((n) => n.name);
  const healthy = offline.length === 0;
  return {
    fsid: '5f1b1d8e-6a3c-4a53-9a8e-2f6cbb8a7d10',
    health: {
      status: healthy ? 'HEALTH_OK' : 'HEALTH_WARN',
      checks: healthy
        ? {}
        : {
            OSD_HOST_DOWN: {
              severity: 'HEALTH_WARN',
              summary: { message: `${offline.length} host (${osds.length - up} osds) down`, count: offline.length },
              muted: false,
            },
          },
      mutes: [],
    },
    election_epoch: 42,
    quorum: sim.state.nodes.map((_, i) => i).filter((i) => sim.state.nodes[i]?.status === 'online'),
    quorum_names: sim.state.nodes.filter((n) => n.status === 'online').map((n) => n.name),
    quorum_age: 864000,
    monmap: { epoch: 3, min_mon_release_name: 'squid', num_mons: sim.state.nodes.length },
    osdmap: {
      epoch: 512,
      num_osds: osds.length,
      num_up_osds: up,
      osd_up_since: 1700000000,
      num_in_osds: osds.length,
      osd_in_since: 1700000000,
      num_remapped_pgs: 0,
    },
    pgmap: {
      pgs_by_state: [{ state_name: healthy ? 'active+clean' : 'active+undersized+degraded', count: 129 }],
      num_pgs: 129,
      num_pools: 2,
      num_objects: 48213,
      data_bytes: sim.storageUsed('ceph-vm'),
      bytes_used: sim.storageUsed('ceph-vm') * 3,
      bytes_avail: 24 * 1024 * GiB * 3 - sim.storageUsed('ceph-vm') * 3,
      bytes_total: 24 * 1024 * GiB * 3,
      read_bytes_sec: 12_582_912,
      write_bytes_sec: 8_388_608,
      read_op_per_sec: 310,
      write_op_per_sec: 190,
    },
    fsmap: { epoch: 1, by_rank: [], up: 0, in: 0, max: 0 },
    mgrmap: {
      available: true,
      num_standbys: sim.state.nodes.length - 1,
      modules: ['iostat', 'nfs', 'restful'],
      services: {},
    },
    servicemap: { epoch: 1, modified: '2026-01-01T00:00:00.000000+0000', services: {} },
    progress_events: {},
  };
}
