// Guest list, create, clone, destroy, migrate, resize and template conversion (qemu and lxc).
import { createHash } from 'node:crypto';
import { PveError } from '../errors.js';
import type { ApiRequest, Router } from '../router.js';
import type { Sim } from '../sim.js';
import { MiB, newGuest, parseSize, sizeText, uuid, type Guest, type GuestType } from '../state.js';
import type { TaskContext } from '../tasks.js';
import {
  bootGuest,
  checkConfigLock,
  deterministic,
  diskSize,
  ensureMac,
  findVolume,
  freeVolume,
  importBytes,
  isDiskKey,
  label,
  storageOf,
  volidOf,
  addToPool,
  checkAllocate,
} from './guest-common.js';
import { cloneGuest } from './guest-clone.js';
import { guestStatus } from './guest-power.js';
import { canAudit } from './views.js';
import { materializeDisk } from './guest-common.js';

const NOT_CONFIG = new Set([
  'node',
  'vmid',
  'start',
  'pool',
  'storage',
  'ostemplate',
  'password',
  'ssh-public-keys',
  'unique',
  'archive',
  'force',
  'restore',
  'live-restore',
  'bwlimit',
  'ignore-unpack-errors',
  'ha-managed',
  'import-working-storage',
  'cipassword',
]);

export function guestLifecycleRoutes(r: Router, type: GuestType) {
  const base = `/nodes/{node}/${type}`;
  const L = label(type);

  r.on('GET', base, (req) => {
    const { sim, params, identity } = req;
    sim.node(params.node);
    return sim.state.guests
      .filter((g) => g.type === type && g.node === params.node && canAudit(sim, identity, `/vms/${g.vmid}`, 'VM.Audit'))
      .map((g) => {
        const s = guestStatus(req, g);
        delete s.ha;
        return s;
      });
  });

  r.on('GET', `${base}/{vmid}`, ({ sim, params }) => {
    sim.guest(params.node, params.vmid, type);
    const dirs =
      type === 'qemu'
        ? [
            'config',
            'pending',
            'status',
            'unlink',
            'vncproxy',
            'termproxy',
            'migrate',
            'resize',
            'move',
            'rrd',
            'rrddata',
            'monitor',
            'agent',
            'snapshot',
            'spiceproxy',
            'sendkey',
            'firewall',
            'mtunnel',
            'remote_migrate',
          ]
        : [
            'config',
            'status',
            'vncproxy',
            'termproxy',
            'vncwebsocket',
            'spiceproxy',
            'migrate',
            'clone',
            'snapshot',
            'firewall',
            'rrd',
            'rrddata',
            'interfaces',
            'pending',
            'mtunnel',
          ];
    return dirs.map((subdir) => ({ subdir }));
  });

  r.on('POST', base, (req) => createGuest(req, type));

  r.on('POST', `${base}/{vmid}/clone`, (req) => cloneGuest(req, type));

  r.on('DELETE', `${base}/{vmid}`, (req) => {
    const { sim, params } = req;
    const g = sim.guest(params.node, params.vmid, type);
    if (g.status !== 'stopped' && !(type === 'lxc' && params.bool('force')))
      throw PveError.internal(`${L} ${g.vmid} is running - destroy failed`);
    if (g.config.protection === '1') throw PveError.internal(`can't remove ${L} ${g.vmid} - protection mode enabled`);
    return sim.tasks.start({
      node: g.node,
      type: type === 'qemu' ? 'qmdestroy' : 'vzdestroy',
      id: String(g.vmid),
      identity: req.identity,
      work: async (t) => {
        await sim.locks.with(type, g.vmid, async () => {
          await t.checkpoint();
          if (!params.bool('skiplock')) checkConfigLock(g);
          await t.sleep(500 + 1000 * deterministic(sim, `destroy:${g.vmid}`)());
          for (const [k, v] of Object.entries(g.config)) {
            if (!isDiskKey(type, k) && !/^unused\d+$/.test(k)) continue;
            if (v.includes('media=cdrom') && !v.includes('cloudinit')) continue;
            const volid = volidOf(v);
            if (findVolume(sim, volid, g.node)) {
              freeVolume(sim, volid, g.node);
              t.log(`Removing image: 100% complete...done.`);
            }
          }
          sim.state.guests = sim.state.guests.filter((x) => x !== g);
          if (params.bool('purge')) {
            for (const p of sim.state.pools) p.vms = p.vms.filter((v) => v !== g.vmid);
            sim.state.acl = sim.state.acl.filter((a) => a.path !== `/vms/${g.vmid}`);
          }
          sim.changed();
        });
      },
    });
  });

  r.on('GET', `${base}/{vmid}/migrate`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const local = localDisks(sim, g);
    const res = deviceResources(sim, g);
    const others = sim.state.nodes.filter((n) => n.name !== g.node && n.status === 'online').map((n) => n.name);
    const notAllowed: Record<string, Record<string, string[]>> = {};
    for (const n of others) {
      const reasons: Record<string, string[]> = {};
      if (local.length) reasons.unavailable_storages = [...new Set(local.map((v) => v.split(':')[0] as string))];
      const missing = res.mapped.filter((m) => !res.mappingNodes(m.mapping).includes(n)).map((m) => m.key);
      if (missing.length) reasons['unavailable-resources'] = missing;
      if (Object.keys(reasons).length) notAllowed[n] = reasons;
    }
    return {
      running: g.status !== 'stopped' ? 1 : 0,
      allowed_nodes: others.filter((n) => !notAllowed[n]),
      not_allowed_nodes: notAllowed,
      local_disks: local.map((volid) => ({ volid, size: 0, drivename: 'scsi0' })),
      local_resources: res.blocking,
      'mapped-resources': res.mapped.map((m) => m.key),
      'mapped-resource-info': Object.fromEntries(
        res.mapped.map((m) => [m.key, { name: m.mapping, ...(m.live ? { 'live-migration': 1 } : {}) }]),
      ),
      'has-dbus-vmstate': 0,
    };
  });

  r.on('POST', `${base}/{vmid}/migrate`, (req) => {
    const { sim, params } = req;
    const g = sim.guest(params.node, params.vmid, type);
    const target = params.req('target');
    const tnode = sim.node(target);
    if (target === g.node) throw PveError.internal(`target is local node.`);
    if (tnode.status === 'offline') throw PveError.internal(`target node '${target}' is not online`);
    const online = type === 'qemu' ? params.bool('online') : params.bool('restart');
    if (g.status !== 'stopped' && !online) {
      throw PveError.internal(
        type === 'qemu'
          ? `can't migrate running VM without --online`
          : `lxc live migration is currently not implemented - use 'restart' mode`,
      );
    }
    const res = deviceResources(sim, g);
    // QemuMigrate: local devices block unless the VM is stopped and --force is given.
    if (res.blocking.length && (g.status !== 'stopped' || !params.bool('force')))
      throw PveError.internal(`can't migrate VM which uses local devices: ${res.blocking.join(', ')}`);
    const unavailable = res.mapped.filter((m) => !res.mappingNodes(m.mapping).includes(target)).map((m) => m.key);
    if (unavailable.length)
      throw PveError.internal(
        `can't migrate VM: mapped devices ${unavailable.join(', ')} not available on node '${target}'`,
      );
    const local = localDisks(sim, g);
    if (local.length && !params.bool('with-local-disks') && type === 'qemu')
      throw PveError.internal(`can't migrate local disk '${local[0]}': use --with-local-disks`);
    return sim.tasks.start({
      node: g.node,
      type: type === 'qemu' ? 'qmigrate' : 'vzmigrate',
      id: String(g.vmid),
      identity: req.identity,
      work: async (t) => {
        await sim.locks.with(type, g.vmid, async () => {
          await t.checkpoint();
          checkConfigLock(g);
          g.config.lock = 'migrate';
        });
        try {
          t.log(`starting migration of ${L} ${g.vmid} to node '${target}' (${tnode.ip})`);
          const r = deterministic(sim, `migrate:${g.vmid}`);
          let ms = 1500 + 2000 * r();
          for (const volid of local)
            ms +=
              (diskSize(Object.values(g.config).find((v) => v.startsWith(volid)) ?? '') /
                storageOf(sim, volid.split(':')[0] ?? '').throughput) *
              1000;
          if (g.status !== 'stopped') ms += (sim.guestMemory(g) / (1024 * MiB)) * 1000;
          await t.sleep(ms);
          if (
            g.status !== 'stopped' &&
            sim.committedMemory(target) + sim.guestMemory(g) > tnode.memory * sim.options.overcommitRatio
          ) {
            throw new Error(`migration problems`);
          }
          for (const v of sim.state.volumes) if (v.vmid === g.vmid && v.node === g.node) v.node = target;
          g.node = target;
          t.log(`migration finished successfully (duration ${new Date(sim.scale(ms)).toISOString().slice(11, 19)})`);
        } finally {
          delete g.config.lock;
          sim.changed();
        }
      },
    });
  });

  r.on('PUT', `${base}/{vmid}/resize`, (req) => {
    const { sim, params } = req;
    const g = sim.guest(params.node, params.vmid, type);
    const disk = params.req('disk');
    const sizeArg = params.req('size');
    const drive = g.config[disk];
    if (!drive) throw PveError.internal(`disk '${disk}' does not exist`);
    if (drive.includes('media=cdrom')) throw PveError.internal(`you can't resize a cdrom`);
    return sim.tasks.start({
      node: g.node,
      type: 'resize',
      id: String(g.vmid),
      identity: req.identity,
      work: async (t) => {
        await sim.locks.with(type, g.vmid, async () => {
          await t.checkpoint();
          checkConfigLock(g, params.bool('skiplock'));
          const current = diskSize(g.config[disk] ?? '');
          const m = /^(\+)?(\d+(?:\.\d+)?[KMGT]?)$/.exec(sizeArg);
          const delta = m ? parseSize(m[2] as string) : undefined;
          if (!m || delta === undefined) throw new Error(`invalid size '${sizeArg}'`);
          const next = m[1] ? current + delta : delta;
          if (next < current) throw new Error('shrinking disks is not supported');
          await t.sleep(300);
          const volid = volidOf(g.config[disk] ?? '');
          const vol = findVolume(sim, volid, g.node);
          if (vol) vol.size = next;
          g.config[disk] = (g.config[disk] ?? '').replace(/(^|,)size=[^,]*/, '') + `,size=${sizeText(next)}`;
          t.log(`Image resized.`);
          sim.changed();
        });
      },
    });
  });

  r.on('POST', `${base}/{vmid}/template`, async (req) => {
    const { sim, params } = req;
    const g = sim.guest(params.node, params.vmid, type);
    if (g.status !== 'stopped') throw PveError.internal(`${L} ${g.vmid} is running - can't convert to template`);
    const convert = async (t?: TaskContext) => {
      await sim.locks.with(type, g.vmid, async () => {
        await t?.checkpoint();
        checkConfigLock(g);
        if (t) await t.sleep(1000);
        for (const [k, v] of Object.entries(g.config)) {
          if (!isDiskKey(type, k) || v.includes('media=cdrom')) continue;
          const vol = findVolume(sim, volidOf(v), g.node);
          if (!vol || vol.parent) continue;
          const based = vol.volid.replace(/:(vm|subvol)-/, ':base-');
          g.config[k] = v.replace(vol.volid, based);
          vol.volid = based;
        }
        g.config.template = '1';
        sim.changed();
      });
    };
    // qemu converts in a `qmtemplate` task; pve-container does it synchronously and returns null.
    if (type === 'lxc') {
      await convert();
      return null;
    }
    return sim.tasks.start({
      node: g.node,
      type: 'qmtemplate',
      id: String(g.vmid),
      identity: req.identity,
      work: convert,
    });
  });
}

/**
 * qemu-server's check_local_resources: `hostpci`/`usb` with `mapping=` are mapped resources (they
 * block a running migration unless the mapping is live-migration-capable); the others are local
 * resources, which block a running migration.
 */
function deviceResources(sim: Sim, g: Guest) {
  const running = g.status !== 'stopped';
  const mapped: { key: string; mapping: string; live: boolean }[] = [];
  const local: string[] = [];
  for (const [key, value] of Object.entries(g.config)) {
    if (!/^(hostpci|usb)\d+$/.test(key)) continue;
    const mapping = /(?:^|,)mapping=([^,]+)/.exec(value)?.[1];
    if (mapping)
      mapped.push({
        key,
        mapping,
        live: sim.state.mappings.find((m) => m.id === mapping)?.['live-migration-capable'] === 1,
      });
    else if (key.startsWith('hostpci') || !/^(spice|host=spice)/.test(value)) local.push(key);
  }
  const blocking = [...local, ...(running ? mapped.filter((m) => !m.live).map((m) => m.key) : [])];
  const mappingNodes = (id: string) =>
    (sim.state.mappings.find((m) => m.id === id)?.map ?? []).map((e) => /(?:^|,)node=([^,]+)/.exec(e)?.[1] ?? '');
  return { mapped, blocking, mappingNodes };
}

function localDisks(sim: Sim, g: Guest): string[] {
  return Object.entries(g.config)
    .filter(([k, v]) => isDiskKey(g.type, k) && !v.includes('media=cdrom'))
    .map(([, v]) => volidOf(v))
    .filter((volid) => sim.state.storages.find((s) => s.storage === volid.split(':')[0])?.shared === 0);
}

function createGuest(req: ApiRequest, type: GuestType): string {
  const { sim, params, identity } = req;
  const node = params.node;
  sim.node(node);
  const vmid = params.vmid;
  const pool = params.str('pool');
  checkAllocate(req, vmid, pool);
  const existing = sim.findGuest(vmid);
  if (existing)
    throw PveError.internal(
      `unable to create ${label(type)} ${vmid} - ${label(type)} ${vmid} already exists on node '${existing.node}'`,
    );
  if (pool && !sim.state.pools.some((p) => p.poolid === pool)) throw PveError.internal(`pool '${pool}' does not exist`);
  const raw = params.rest([...NOT_CONFIG]);
  const config: Record<string, string> = {};
  const rng = deterministic(sim, `create:${vmid}`);
  if (type === 'qemu') {
    Object.assign(config, { ...raw });
    if (!config.smbios1) config.smbios1 = `uuid=${uuid(rng)}`;
    if (!config.vmgenid) config.vmgenid = uuid(rng);
    config.meta = `creation-qemu=10.1.2,ctime=${sim.nowSec()}`;
    const pw = params.str('cipassword');
    if (pw)
      config.cipassword = `$5$${createHash('sha256').update(pw).digest('base64').slice(0, 16)}$${createHash('sha256').update(`x${pw}`).digest('base64').slice(0, 43)}`;
  } else {
    const ostemplate = params.req('ostemplate');
    Object.assign(config, {
      arch: 'amd64',
      ostype: /ubuntu/.test(ostemplate) ? 'ubuntu' : 'debian',
      memory: '512',
      swap: '512',
      unprivileged: '1',
      ...raw,
    });
    if (!config.hostname) config.hostname = `CT${vmid}`;
    if (!config.rootfs) config.rootfs = `${params.str('storage') ?? 'local'}:4`;
  }
  for (const [k, v] of Object.entries(config)) if (/^net\d+$/.test(k)) config[k] = ensureMac(sim, type, v);
  const g = newGuest({ vmid, type, node, config: {}, createdAt: sim.nowMs() });
  g.config = { lock: 'create' };
  sim.state.guests.push(g);
  sim.changed();
  const upid = sim.tasks.start({
    node,
    type: type === 'qemu' ? 'qmcreate' : 'vzcreate',
    id: String(vmid),
    identity,
    work: async (t) => {
      try {
        await sim.locks.with(type, vmid, async () => {
          await t.checkpoint();
          if (type === 'lxc') {
            const tmpl = params.req('ostemplate');
            if (!findVolume(sim, tmpl, node)) throw new Error(`volume '${tmpl}' does not exist`);
            const size = findVolume(sim, tmpl, node)?.size ?? 100 * MiB;
            t.log(`extracting archive '/var/lib/vz/template/cache/${tmpl.split('/').pop()}'`);
            await t.sleep(5000 + Math.min(25000, (size / (200 * MiB)) * 10000 * (0.5 + rng())));
            t.log('Total bytes read: 524503040 (501MiB, 180MiB/s)');
          } else {
            await t.sleep(500 + 1000 * rng());
          }
          for (const [k, v] of Object.entries(config)) {
            if (!isDiskKey(type, k)) continue;
            const bytes = importBytes(sim, node, v);
            config[k] = materializeDisk(sim, { vmid, node, type }, k, v, identity);
            if (bytes) {
              const target = storageOf(sim, volidOf(config[k] ?? '').split(':')[0] ?? '');
              t.log(`importing disk '${/import-from=([^,]+)/.exec(v)?.[1]}' to VM ${vmid} ...`);
              await t.sleep((bytes / target.throughput) * 1000);
              t.log(`transferred ${sizeText(bytes)} of ${sizeText(bytes)} (100.00%)`);
              t.log(`${k}: successfully created disk '${config[k]}'`);
            }
          }
          if (type === 'qemu' && config.scsi0 && !config.boot) config.boot = 'order=scsi0';
          g.config = config;
          addToPool(sim, pool, vmid);
          sim.changed();
        });
      } catch (err) {
        if (g.config.lock === 'create') sim.state.guests = sim.state.guests.filter((x) => x !== g);
        throw err;
      }
      if (params.bool('start')) await bootGuest(sim, g, t);
    },
  });
  return upid;
}
