// Clones (qemu and lxc): linked from templates by default, full otherwise; the new guest is
// reserved at once with `lock: clone`, disks are copied in a task at the modelled throughput.
import { hasPriv } from '../auth.js';
import { PveError } from '../errors.js';
import type { ApiRequest } from '../router.js';
import type { Sim } from '../sim.js';
import { newGuest, sizeText, uuid, type Guest, type GuestType } from '../state.js';
import type { TaskContext } from '../tasks.js';
import {
  addToPool,
  allocDisk,
  checkAllocate,
  checkConfigLock,
  deterministic,
  diskSize,
  findVolume,
  isDiskKey,
  label,
  materializeDisk,
  regenerateMacs,
  storageOf,
  volidOf,
} from './guest-common.js';

export function cloneGuest(req: ApiRequest, type: GuestType): string {
  const { sim, params, identity } = req;
  const src = sim.guest(params.node, params.vmid, type);
  const newid = Number(params.req('newid'));
  const pool = params.str('pool');
  const target = params.str('target') ?? src.node;
  const isTemplate = src.config.template === '1';
  const full = params.has('full') ? params.bool('full') : !isTemplate;
  const storage = params.str('storage');
  if (!hasPriv(sim.state, identity, `/vms/${src.vmid}`, ['VM.Clone']))
    throw PveError.permission(`/vms/${src.vmid}`, ['VM.Clone']);
  checkAllocate(req, newid, pool);
  if (storage && !full) throw PveError.internal(`parameter 'storage' not allowed for linked clones`);
  if (params.has('format') && !full) throw PveError.internal(`parameter 'format' not allowed for linked clones`);
  if (sim.findGuest(newid))
    throw PveError.internal(`unable to create ${label(type)} ${newid}: config file already exists`);
  checkConfigLock(src);
  const tnode = sim.node(target);
  if (tnode.status === 'offline') throw PveError.internal(`target node '${target}' is not online`);
  if (target !== src.node && localDisksOf(sim, src, storage).length) {
    throw PveError.internal(`can't clone ${label(type)} to node '${target}' (${label(type)} uses local storage)`);
  }
  if (!full && !isTemplate) {
    const first = Object.keys(src.config).find((k) => isDiskKey(type, k) && !src.config[k]?.includes('media=cdrom'));
    throw PveError.internal(`Linked clone feature is not supported for drive '${first ?? 'scsi0'}'`);
  }
  const clone = newGuest({ vmid: newid, type, node: target, config: { lock: 'clone' }, createdAt: sim.nowMs() });
  if (type === 'lxc') clone.config.hostname = params.str('hostname') ?? `CT${newid}`;
  else clone.config.name = params.str('name') ?? `Copy-of-VM-${src.config.name ?? src.vmid}`;
  sim.state.guests.push(clone);
  sim.changed();
  return sim.tasks.start({
    node: src.node,
    type: type === 'qemu' ? 'qmclone' : 'vzclone',
    id: String(src.vmid),
    identity,
    work: async (t) => {
      const running = src.status !== 'stopped';
      try {
        await sim.locks.with(
          type,
          src.vmid,
          () =>
            sim.locks.with(type, newid, async () => {
              await t.checkpoint();
              await copyDisks(sim, src, clone, t, { full, storage, target });
            }),
          { shared: !running, timeoutMs: running ? undefined : 1000 },
        );
      } catch (err) {
        sim.state.guests = sim.state.guests.filter((x) => x !== clone);
        sim.state.volumes = sim.state.volumes.filter(
          (v) => v.vmid !== newid || sim.state.guests.some((g) => g.vmid === newid),
        );
        sim.changed();
        throw err;
      }
    },
  });

  async function copyDisks(
    sim: Sim,
    src: Guest,
    clone: Guest,
    t: TaskContext,
    o: { full: boolean; storage?: string; target: string },
  ) {
    const config: Record<string, string> = { ...src.config };
    delete config.template;
    delete config.lock;
    for (const k of Object.keys(config)) if (/^unused\d+$/.test(k)) delete config[k];
    if (type === 'qemu') {
      config.name = clone.config.name ?? '';
      config.smbios1 =
        (config.smbios1 ?? '').replace(/uuid=[^,]*/, `uuid=${uuid(deterministic(sim, `uuid:${newid}`))}`) ||
        `uuid=${uuid(deterministic(sim, `uuid:${newid}`))}`;
      config.vmgenid = uuid(deterministic(sim, `gen:${newid}`));
    } else config.hostname = clone.config.hostname ?? '';
    if (params.str('description')) config.description = params.str('description') as string;
    regenerateMacs(sim, type, config);
    const r = deterministic(sim, `clone:${newid}`);
    const created: string[] = [];
    try {
      for (const [k, v] of Object.entries(config)) {
        if (!isDiskKey(type, k)) continue;
        const volid = volidOf(v);
        if (v.includes('media=cdrom')) {
          if (volid.endsWith('-cloudinit'))
            config[k] = v.replace(
              volid,
              materializeDisk(
                sim,
                { vmid: newid, node: o.target, type },
                k,
                `${volid.split(':')[0]}:cloudinit`,
                identity,
              ).split(',')[0] as string,
            );
          continue;
        }
        const vol = findVolume(sim, volid, src.node);
        const size = vol?.size ?? diskSize(v);
        const srcStorage = volid.split(':')[0] as string;
        const dest = o.full ? (o.storage ?? srcStorage) : srcStorage;
        if (o.full) {
          t.log(`create full clone of drive ${k} (${volid})`);
          const newVol = allocDisk(sim, { storage: dest, node: o.target, vmid: newid, size, type });
          created.push(newVol);
          // Concurrent full copies share the slower storage's throughput (re-evaluated per 5 %).
          const bottleneck =
            storageOf(sim, srcStorage).throughput <= storageOf(sim, dest).throughput ? srcStorage : dest;
          sim.activeCopies.set(bottleneck, (sim.activeCopies.get(bottleneck) ?? 0) + 1);
          try {
            for (let pct = 5; pct <= 100; pct += 5) {
              const share = storageOf(sim, bottleneck).throughput / Math.max(1, sim.activeCopies.get(bottleneck) ?? 1);
              await t.sleep((size / 20 / share) * 1000);
              if (pct % 25 === 0)
                t.log(
                  `transferred ${sizeText(Math.round((size * pct) / 100))} of ${sizeText(size)} (${pct.toFixed(2)}%)`,
                );
            }
          } finally {
            sim.activeCopies.set(bottleneck, (sim.activeCopies.get(bottleneck) ?? 1) - 1);
          }
          config[k] = v.replace(volid, newVol);
        } else {
          t.log(`create linked clone of drive ${k} (${volid})`);
          const newVol = allocDisk(sim, { storage: dest, node: o.target, vmid: newid, size, type, parent: volid });
          created.push(newVol);
          t.log(`clone ${volid.split(':')[1]}: ${volid.split(':')[1]} snapname __base__ to ${newVol.split('/').pop()}`);
          await t.sleep(1000 + 4000 * r());
          config[k] = v.replace(volid, newVol);
        }
      }
    } catch (err) {
      for (const volid of created) sim.state.volumes = sim.state.volumes.filter((x) => x.volid !== volid);
      throw err;
    }
    clone.config = config;
    addToPool(sim, pool, newid);
    sim.changed();
  }
}

function localDisksOf(sim: Sim, g: Guest, storage?: string): string[] {
  if (storage && storageOf(sim, storage).shared) return [];
  return Object.entries(g.config)
    .filter(([k, v]) => isDiskKey(g.type, k) && !v.includes('media=cdrom'))
    .map(([, v]) => volidOf(v))
    .filter((volid) => storageOf(sim, volid.split(':')[0] as string).shared === 0);
}
