// The simulator's shared context: state, clock, tasks, locks, faults and derived views (resource
// usage, counters) that several route modules need.
import type { ConsoleBroker } from './console/types.js';
import { PveError } from './errors.js';
import type { Faults } from './faults.js';
import {
  bytesIn,
  cpuAt,
  guestWaves,
  memAt,
  RRD_LAYOUT,
  RRD_LAYOUT_PVE8,
  type GuestWaves,
  type RateKind,
  type RrdLayout,
} from './metrics.js';
import { createRng, type Rng } from './rng.js';
import { GiB, MiB, parseSize, type Guest, type GuestType, type SimNode, type SimStateData } from './state.js';
import type { LockManager, TaskManager } from './tasks.js';

export interface SimOptions {
  seed: number;
  timeFactor: number;
  overcommitRatio: number;
  /** Which published API the simulator answers as (schema, version, RRD layout). */
  pveVersion: '9.1' | '8.4';
}

export class Sim {
  /** Added to the wall clock by control.advanceTime(), for ticket expiry tests. */
  clockOffsetMs = 0;
  /**
   * When set, the clock stands still at this instant (plus the offset) instead of following the
   * wall clock: metrics tests read exact values at instants they choose (control.freezeTime).
   */
  frozenAtMs: number | undefined;
  broker?: ConsoleBroker;
  /** Resolvers of running `vncproxy` tasks, called when the broker reports the worker's end. */
  readonly consoleEnds = new Map<string, (exitstatus: string) => void>();
  readonly rng: Rng;
  tasks!: TaskManager;
  locks!: LockManager;
  faults!: Faults;
  private persist: () => void = () => undefined;
  private readonly waves = new WeakMap<Guest, GuestWaves>();

  constructor(
    public state: SimStateData,
    readonly options: SimOptions,
    readonly key: string,
  ) {
    this.rng = createRng(options.seed ^ 0xa5a5);
  }

  /** Results of guest-agent `exec` calls by `vmid:pid`. */
  readonly execs = new Map<string, { code: number; out: string; err: string }>();
  /** Draw counters of the per-key seeded streams (see `deterministic`). */
  readonly draws = new Map<string, number>();
  /** Full copies in flight per storage, which share its throughput. */
  readonly activeCopies = new Map<string, number>();
  /** Bumped on every state change; read models cache on (version, second). */
  version = 0;
  readonly memo = new Map<string, { version: number; sec: number; json: string }>();

  get versionInfo() {
    return this.options.pveVersion === '8.4'
      ? { version: '8.4.1', release: '8.4', repoid: '2a5fa54a8503f96d' }
      : { version: '9.1.4', release: '9.1', repoid: 'a1b2c3d4e5f60718' };
  }

  get rrdLayout(): RrdLayout {
    return this.options.pveVersion === '8.4' ? RRD_LAYOUT_PVE8 : RRD_LAYOUT;
  }

  /** PVE 8 RRDs have no memhost, memavailable or pressure data sources. */
  rrdFields(point: Record<string, number>): Record<string, number> {
    if (this.options.pveVersion !== '8.4') return point;
    return Object.fromEntries(
      Object.entries(point).filter(([k]) => k !== 'memhost' && k !== 'memavailable' && !k.startsWith('pressure')),
    );
  }

  onChange(fn: () => void) {
    this.persist = fn;
  }

  changed() {
    this.version++;
    this.persist();
  }

  /**
   * A JSON body computed at most once per simulated second and state version: sampled values
   * (CPU, counters) move once a second here, as they do every 10 s through pvestatd on real PVE.
   */
  memoJson(key: string, compute: () => unknown): string {
    const sec = this.nowSec();
    const hit = this.memo.get(key);
    if (hit && hit.sec === sec && hit.version === this.version) return hit.json;
    const json = JSON.stringify(compute());
    if (this.memo.size > 1000) this.memo.clear();
    this.memo.set(key, { version: this.version, sec, json });
    return json;
  }

  nowMs(): number {
    return (this.frozenAtMs ?? Date.now()) + this.clockOffsetMs;
  }

  nowSec(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  scale(modelMs: number): number {
    return modelMs * this.options.timeFactor;
  }

  sleep(modelMs: number): Promise<void> {
    const ms = this.scale(modelMs);
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }

  node(name: string): SimNode {
    const n = this.state.nodes.find((x) => x.name === name);
    if (!n) throw PveError.noSuchNode(name);
    return n;
  }

  findGuest(vmid: number): Guest | undefined {
    return this.state.guests.find((g) => g.vmid === vmid);
  }

  /** The guest on `node` of `type`, or the 500 PVE answers when its config file is missing. */
  guest(node: string, vmid: number, type: GuestType): Guest {
    const g = this.findGuest(vmid);
    if (!g || g.node !== node || g.type !== type) throw PveError.vmConfigMissing(node, vmid, type);
    return g;
  }

  /** Memory in bytes a guest's config asks for. */
  guestMemory(g: Guest): number {
    const raw = g.config.memory ?? (g.type === 'lxc' ? '512' : '512');
    const m = /(?:current=)?(\d+)/.exec(raw);
    return Number(m?.[1] ?? 512) * MiB;
  }

  guestCpus(g: Guest): number {
    if (g.type === 'lxc') return Number(g.config.cores ?? this.node(g.node).cpus);
    return Number(g.config.cores ?? 1) * Number(g.config.sockets ?? 1);
  }

  /** Size of the boot/root disk in bytes. */
  guestDisk(g: Guest): number {
    const key =
      g.type === 'lxc'
        ? 'rootfs'
        : (['scsi0', 'virtio0', 'sata0', 'ide0'].find((k) => g.config[k] && !g.config[k]?.includes('media=cdrom')) ??
          'scsi0');
    const size = /(?:^|,)size=([^,]+)/.exec(g.config[key] ?? '')?.[1];
    return size ? (parseSize(size, 1) ?? 0) : 0;
  }

  uptime(g: Guest): number {
    return g.status !== 'stopped' && g.startedAt ? Math.max(0, Math.floor((this.nowMs() - g.startedAt) / 1000)) : 0;
  }

  /** Cumulative bytes since the current boot (0 when stopped), as /cluster/resources reports. */
  counter(g: Guest, kind: RateKind): number {
    if (g.status === 'stopped' || !g.startedAt) return 0;
    return bytesIn(this.wavesOf(g)[kind], g.startedAt / 1000, this.nowMs() / 1000);
  }

  /** The guest's metric parameters, computed once per guest object. */
  wavesOf(g: Guest): GuestWaves {
    let w = this.waves.get(g);
    if (!w) {
      w = guestWaves(this.options.seed, this.metricId(g));
      this.waves.set(g, w);
    }
    return w;
  }

  metricId(g: Guest): string {
    return `vm${g.vmid}:${g.createdAt}`;
  }

  cpuUsage(g: Guest): number {
    if (g.status !== 'running') return 0;
    return cpuAt(this.wavesOf(g).cpu, this.nowSec(), 10);
  }

  memUsage(g: Guest): number {
    if (g.status === 'stopped') return 0;
    return Math.round(this.guestMemory(g) * memAt(this.wavesOf(g).mem, this.nowSec()));
  }

  /** Memory committed to running guests on a node, in bytes. */
  committedMemory(node: string, except?: number): number {
    return this.state.guests
      .filter((g) => g.node === node && g.status !== 'stopped' && g.vmid !== except)
      .reduce((sum, g) => sum + this.guestMemory(g), 0);
  }

  storageUsed(storage: string, node?: string): number {
    const s = this.state.storages.find((x) => x.storage === storage);
    const base = s?.type === 'rbd' ? 2 * 1024 * GiB : s?.type === 'dir' ? 12 * GiB : 0;
    return (
      base +
      this.state.volumes
        .filter((v) => v.storage === storage && (s?.shared || v.node === node))
        .reduce((sum, v) => sum + (v.parent ? Math.round(v.size * 0.05) : v.size), 0)
    );
  }

  nextVmid(): number {
    const used = new Set(this.state.guests.map((g) => g.vmid));
    let id = 100;
    while (used.has(id)) id++;
    return id;
  }
}
