// Resource pools and SDN (zones, vnets, subnets with pending changes applied by PUT /cluster/sdn).
import { PveError } from '../errors.js';
import type { ApiRequest, Router } from '../router.js';
import type { Sim } from '../sim.js';
import type { Pool, SdnObject } from '../state.js';
import { guestResource, storageResource } from './views.js';

function pool(sim: Sim, id: string): Pool {
  const p = sim.state.pools.find((x) => x.poolid === id);
  if (!p) throw PveError.internal(`pool '${id}' does not exist`);
  return p;
}

function members(sim: Sim, p: Pool, type?: string) {
  const out: Record<string, unknown>[] = [];
  for (const vmid of p.vms) {
    const g = sim.findGuest(vmid);
    if (g && (!type || type === g.type)) out.push(guestResource(sim, g));
  }
  if (!type || type === 'storage') {
    for (const s of p.storage) {
      const st = sim.state.storages.find((x) => x.storage === s);
      if (st) for (const n of sim.state.nodes) out.push(storageResource(sim, st, n.name));
    }
  }
  return out;
}

function updatePool(req: ApiRequest, p: Pool) {
  const { sim, params } = req;
  const vms = (params.str('vms') ?? '')
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map(Number);
  const storage = (params.str('storage') ?? '').split(/[,;\s]+/).filter(Boolean);
  const del = params.bool('delete');
  if (params.has('comment')) p.comment = params.str('comment');
  for (const vmid of vms) {
    if (del) {
      p.vms = p.vms.filter((v) => v !== vmid);
      continue;
    }
    if (!sim.findGuest(vmid)) throw PveError.internal(`VM ${vmid} does not exist`);
    const other = sim.state.pools.find((x) => x !== p && x.vms.includes(vmid));
    if (other && !params.bool('allow-move')) throw PveError.internal(`VM ${vmid} is already a pool member`);
    if (other) other.vms = other.vms.filter((v) => v !== vmid);
    if (!p.vms.includes(vmid)) p.vms.push(vmid);
  }
  for (const s of storage) {
    if (del) p.storage = p.storage.filter((x) => x !== s);
    else if (!p.storage.includes(s)) p.storage.push(s);
  }
  sim.changed();
}

export function poolRoutes(r: Router) {
  r.on('GET', '/pools', ({ sim, params }) => {
    const id = params.str('poolid');
    return sim.state.pools
      .filter((p) => !id || p.poolid === id)
      .map((p) => ({
        poolid: p.poolid,
        ...(p.comment ? { comment: p.comment } : {}),
        ...(id ? { members: members(sim, p, params.str('type')) } : {}),
      }));
  });
  r.on('POST', '/pools', ({ sim, params }) => {
    const poolid = params.req('poolid');
    if (sim.state.pools.some((p) => p.poolid === poolid))
      throw PveError.internal(`create pool failed: pool '${poolid}' already exists`);
    sim.state.pools.push({
      poolid,
      ...(params.str('comment') ? { comment: params.str('comment') } : {}),
      vms: [],
      storage: [],
    });
    sim.changed();
    return null;
  });
  r.on('PUT', '/pools', (req) => (updatePool(req, pool(req.sim, req.params.req('poolid'))), null));
  r.on('DELETE', '/pools', ({ sim, params }) => deletePool(sim, params.req('poolid')));
  r.on('GET', '/pools/{poolid}', ({ sim, params }) => {
    const p = pool(sim, params.req('poolid'));
    return { ...(p.comment ? { comment: p.comment } : {}), members: members(sim, p, params.str('type')) };
  });
  r.on('PUT', '/pools/{poolid}', (req) => (updatePool(req, pool(req.sim, req.params.req('poolid'))), null));
  r.on('DELETE', '/pools/{poolid}', ({ sim, params }) => deletePool(sim, params.req('poolid')));
}

function deletePool(sim: Sim, id: string) {
  const p = pool(sim, id);
  if (p.vms.length || p.storage.length) throw PveError.internal(`delete pool failed: pool '${id}' is not empty`);
  sim.state.pools = sim.state.pools.filter((x) => x !== p);
  sim.changed();
  return null;
}

type Kind = 'zones' | 'vnets' | 'subnets';
const ID: Record<Kind, string> = { zones: 'zone', vnets: 'vnet', subnets: 'subnet' };

function listSdn(
  sim: Sim,
  kind: Kind,
  params: ApiRequest['params'],
  filter?: (c: Record<string, string | number>) => boolean,
) {
  const out: Record<string, unknown>[] = [];
  for (const [id, obj] of Object.entries(sim.state.sdn[kind])) {
    const effective = params.bool('running')
      ? obj.config
      : obj.pending === 'deleted'
        ? undefined
        : (obj.pending ?? obj.config);
    const base = effective ?? obj.config;
    if (filter && !filter(base)) continue;
    if (params.bool('pending')) {
      out.push({
        ...obj.config,
        [ID[kind]]: id,
        ...(obj.state ? { state: obj.state } : {}),
        ...(obj.pending && obj.pending !== 'deleted' ? { pending: obj.pending } : {}),
      });
    } else if (effective && !(params.bool('running') && obj.state === 'new'))
      out.push({ ...effective, [ID[kind]]: id, ...(kind === 'vnets' ? { type: 'vnet' } : {}) });
  }
  return out;
}

function sdnGet(sim: Sim, kind: Kind, id: string): SdnObject {
  const o = sim.state.sdn[kind][id];
  if (!o || o.pending === 'deleted') throw PveError.internal(`sdn ${ID[kind]} '${id}' does not exist`);
  return o;
}

function stage(sim: Sim, kind: Kind, id: string, values: Record<string, string | number> | 'deleted', create = false) {
  const existing = sim.state.sdn[kind][id];
  if (create) {
    if (existing && existing.pending !== 'deleted')
      throw PveError.internal(`${kind.slice(0, -1)} ID '${id}' already defined`);
    sim.state.sdn[kind][id] = { config: existing?.config ?? {}, pending: values, state: existing ? 'changed' : 'new' };
  } else if (existing) {
    if (values === 'deleted' && existing.state === 'new') delete sim.state.sdn[kind][id];
    else
      Object.assign(existing, {
        pending: values,
        state: values === 'deleted' ? 'deleted' : existing.state === 'new' ? 'new' : 'changed',
      });
  }
  sim.changed();
}

export function sdnRoutes(r: Router) {
  r.on('GET', '/cluster/sdn', () => ['vnets', 'zones', 'controllers', 'ipams', 'dns', 'fabrics'].map((id) => ({ id })));
  r.on('PUT', '/cluster/sdn', (req) => {
    const { sim } = req;
    return sim.tasks.start({
      node: sim.state.nodes[0]?.name ?? 'pve1',
      type: 'reloadnetworkall',
      id: '',
      identity: req.identity,
      work: async (t) => {
        await t.checkpoint();
        for (const n of sim.state.nodes) t.log(`${n.name}: reloading network config`);
        await t.sleep(1500);
        for (const kind of ['zones', 'vnets', 'subnets'] as Kind[]) {
          for (const [id, obj] of Object.entries(sim.state.sdn[kind])) {
            if (obj.pending === 'deleted') delete sim.state.sdn[kind][id];
            else if (obj.pending) sim.state.sdn[kind][id] = { config: obj.pending };
          }
        }
        sim.changed();
      },
    });
  });

  for (const kind of ['zones', 'vnets'] as const) {
    const key = ID[kind];
    r.on('GET', `/cluster/sdn/${kind}`, ({ sim, params }) =>
      listSdn(sim, kind, params, (c) => !params.has('type') || c.type === params.str('type')),
    );
    r.on('POST', `/cluster/sdn/${kind}`, ({ sim, params }) => {
      const id = params.req(key);
      if (kind === 'vnets') sdnGet(sim, 'zones', params.req('zone'));
      stage(sim, kind, id, { ...params.rest(['lock-token']), [key]: id }, true);
      return null;
    });
    r.on('GET', `/cluster/sdn/${kind}/{${key}}`, ({ sim, params }) => {
      const o = sdnGet(sim, kind, params.req(key));
      return {
        ...(params.bool('running') ? o.config : o.pending && o.pending !== 'deleted' ? o.pending : o.config),
        [key]: params.req(key),
        ...(kind === 'vnets' ? { type: 'vnet' } : {}),
        digest: 'b0c4f1c6b5e4f0b1d7e0b5f1c6b5e4f0b1d7e0b5',
      };
    });
    r.on('PUT', `/cluster/sdn/${kind}/{${key}}`, ({ sim, params }) => {
      const o = sdnGet(sim, kind, params.req(key));
      const next = {
        ...(o.pending && o.pending !== 'deleted' ? o.pending : o.config),
        ...params.rest(['delete', 'digest', 'lock-token']),
      };
      for (const k of (params.str('delete') ?? '').split(/[,;\s]+/).filter(Boolean)) delete next[k];
      stage(sim, kind, params.req(key), next);
      return null;
    });
    r.on('DELETE', `/cluster/sdn/${kind}/{${key}}`, ({ sim, params }) => {
      const id = params.req(key);
      sdnGet(sim, kind, id);
      if (
        kind === 'zones' &&
        Object.values(sim.state.sdn.vnets).some((v) => v.pending !== 'deleted' && (v.pending ?? v.config).zone === id)
      )
        throw PveError.internal(`cannot delete zone '${id}', it is still used by a vnet`);
      if (
        kind === 'vnets' &&
        Object.values(sim.state.sdn.subnets).some((s) => s.pending !== 'deleted' && (s.pending ?? s.config).vnet === id)
      )
        throw PveError.internal(`cannot delete vnet '${id}', it still has subnets`);
      stage(sim, kind, id, 'deleted');
      return null;
    });
  }

  r.on('GET', '/cluster/sdn/vnets/{vnet}/subnets', ({ sim, params }) => {
    sdnGet(sim, 'vnets', params.req('vnet'));
    return listSdn(sim, 'subnets', params, (c) => c.vnet === params.req('vnet'));
  });
  r.on('POST', '/cluster/sdn/vnets/{vnet}/subnets', ({ sim, params }) => {
    const vnet = sdnGet(sim, 'vnets', params.req('vnet'));
    const zone = String((vnet.pending && vnet.pending !== 'deleted' ? vnet.pending : vnet.config).zone);
    const cidr = params.req('subnet');
    const [network = '', mask = ''] = cidr.split('/');
    const id = `${zone}-${network}-${mask}`;
    stage(
      sim,
      'subnets',
      id,
      { ...params.rest(['lock-token']), subnet: id, cidr, network, mask, zone, vnet: params.req('vnet') },
      true,
    );
    return null;
  });
  r.on('GET', '/cluster/sdn/vnets/{vnet}/subnets/{subnet}', ({ sim, params }) => {
    const o = sdnGet(sim, 'subnets', params.req('subnet'));
    return {
      ...(o.pending && o.pending !== 'deleted' ? o.pending : o.config),
      digest: 'b0c4f1c6b5e4f0b1d7e0b5f1c6b5e4f0b1d7e0b5',
    };
  });
  r.on('PUT', '/cluster/sdn/vnets/{vnet}/subnets/{subnet}', ({ sim, params }) => {
    const o = sdnGet(sim, 'subnets', params.req('subnet'));
    const next = {
      ...(o.pending && o.pending !== 'deleted' ? o.pending : o.config),
      ...params.rest(['delete', 'digest', 'lock-token', 'vnet', 'subnet']),
    };
    for (const k of (params.str('delete') ?? '').split(/[,;\s]+/).filter(Boolean)) delete next[k];
    stage(sim, 'subnets', params.req('subnet'), next);
    return null;
  });
  r.on('DELETE', '/cluster/sdn/vnets/{vnet}/subnets/{subnet}', ({ sim, params }) => {
    sdnGet(sim, 'subnets', params.req('subnet'));
    stage(sim, 'subnets', params.req('subnet'), 'deleted');
    return null;
  });
}
