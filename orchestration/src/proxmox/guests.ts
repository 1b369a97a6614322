// QEMU VMs and LXC containers: the calls both share live in GuestApi, the differences in the two
// subclasses. Paths and parameters follow the 9.1 schema (README §4.3); everything async returns the
// task's UPID, which callers pass to TaskApi.wait.
import { ProxmoxParameterError } from './errors.js';
import { apiPath, seg, type Params, type ProxmoxHttp } from './http.js';
import type {
  CloneParams,
  ConfigUpdateOptions,
  DeleteOptions,
  GuestConfig,
  GuestKind,
  GuestListItem,
  GuestStatus,
  LxcConfigParams,
  LxcCreateParams,
  LxcInterface,
  MigrateParams,
  MigratePrecheck,
  QemuConfigParams,
  QemuCreateParams,
  QgaInterface,
  RrdPoint,
  RrdTimeframe,
  ShutdownOptions,
  Snapshot,
  StartOptions,
  StopOptions,
  TermProxy,
  TaskId,
  VncProxy,
} from './guest-types.js';
import {
  encodeSshKeys,
  formatHostPci,
  formatIpConfig,
  formatLxcMountPoint,
  formatLxcNet,
  formatLxcRootfs,
  formatQemuDisk,
  formatQemuNet,
  indexed,
} from './property-strings.js';
import { FirewallApi } from './firewall.js';

/** Checks that the cluster runs at least `major` before sending a version-specific parameter. */
export type VersionGate = (feature: string, major: number) => Promise<void>;

const PVE9_QEMU_PARAMS = ['allow-ksm', 'intel-tdx', 'ha-managed'] as const;
const PVE9_LXC_PARAMS = ['entrypoint', 'env', 'ha-managed'] as const;

const toNumber = (v: unknown): number | undefined =>
  v === undefined || v === null || v === '' ? undefined : typeof v === 'number' ? v : Number(v);
const toBool = (v: unknown): boolean | undefined =>
  v === undefined || v === null ? undefined : v === true || v === 1 || v === '1';

/** Perl's loose types: vmid may come as a string, `template` as 0/1. */
function normaliseGuest<T extends GuestListItem>(g: T): T {
  return { ...g, vmid: toNumber(g.vmid)!, template: toBool(g.template) };
}

export abstract class GuestApi {
  readonly firewall: FirewallApi;

  constructor(
    protected readonly http: ProxmoxHttp,
    readonly kind: GuestKind,
    protected readonly versionGate: VersionGate,
  ) {
    this.firewall = new FirewallApi(http, (node, vmid) => this.base(node, vmid));
  }

  protected base(node: string, vmid: number): string {
    return `${apiPath`/nodes/${node}`}/${this.kind}/${vmid}`;
  }

  async list(node: string): Promise<GuestListItem[]> {
    const items = await this.http.get<GuestListItem[]>(`${apiPath`/nodes/${node}`}/${this.kind}`);
    return (items ?? []).map(normaliseGuest);
  }

  async status(node: string, vmid: number): Promise<GuestStatus> {
    return normaliseGuest(await this.http.get<GuestStatus>(`${this.base(node, vmid)}/status/current`));
  }

  getConfig(node: string, vmid: number, o: { current?: boolean; snapshot?: string } = {}): Promise<GuestConfig> {
    return this.http.get<GuestConfig>(`${this.base(node, vmid)}/config`, {
      current: o.current,
      snapshot: o.snapshot,
    });
  }

  protected abstract startParams(o: StartOptions): Params;
  protected abstract stopParams(o: StopOptions): Params;
  protected abstract shutdownParams(o: ShutdownOptions): Params;

  start(node: string, vmid: number, o: StartOptions = {}): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/status/start`, this.startParams(o));
  }

  stop(node: string, vmid: number, o: StopOptions = {}): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/status/stop`, this.stopParams(o));
  }

  shutdown(node: string, vmid: number, o: ShutdownOptions = {}): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/status/shutdown`, this.shutdownParams(o));
  }

  reboot(node: string, vmid: number, o: { timeout?: number } = {}): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/status/reboot`, { timeout: o.timeout });
  }

  suspend(node: string, vmid: number): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/status/suspend`);
  }

  resume(node: string, vmid: number): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/status/resume`);
  }

  protected abstract cloneParams(p: CloneParams): Params;

  /** Throws PARAMETER locally for `storage`/`format` with `full: false` (Proxmox only allows them on full clones). */
  async clone(node: string, vmid: number, p: CloneParams): Promise<TaskId> {
    if (p.full === false && (p.storage !== undefined || p.format !== undefined)) {
      throw new ProxmoxParameterError('storage and format are only allowed for full clones', {
        ...(p.storage !== undefined ? { storage: "parameter 'storage' not allowed for linked clones" } : {}),
        ...(p.format !== undefined ? { format: "parameter 'format' not allowed for linked clones" } : {}),
      });
    }
    return this.http.post<TaskId>(`${this.base(node, vmid)}/clone`, this.cloneParams(p));
  }

  /** `size`: absolute (`32G`) or growth (`+10G`); see resizeArgument(). */
  resize(node: string, vmid: number, disk: string, size: string, o: { digest?: string } = {}): Promise<TaskId> {
    return this.http.put<TaskId>(`${this.base(node, vmid)}/resize`, { disk, size, digest: o.digest });
  }

  protected abstract migrateParams(p: MigrateParams): Params;

  migrate(node: string, vmid: number, p: MigrateParams): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/migrate`, this.migrateParams(p));
  }

  async listSnapshots(node: string, vmid: number): Promise<Snapshot[]> {
    return (await this.http.get<Snapshot[]>(`${this.base(node, vmid)}/snapshot`)) ?? [];
  }

  createSnapshot(
    node: string,
    vmid: number,
    snapname: string,
    o: { description?: string; vmstate?: boolean } = {},
  ): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/snapshot`, {
      snapname,
      description: o.description,
      ...(this.kind === 'qemu' ? { vmstate: o.vmstate } : {}),
    });
  }

  rollbackSnapshot(node: string, vmid: number, snapname: string, o: { start?: boolean } = {}): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/snapshot/${seg(snapname)}/rollback`, {
      start: o.start,
    });
  }

  deleteSnapshot(node: string, vmid: number, snapname: string, o: { force?: boolean } = {}): Promise<TaskId> {
    return this.http.delete<TaskId>(`${this.base(node, vmid)}/snapshot/${seg(snapname)}`, {
      force: o.force,
    });
  }

  /** Destroys the guest; `purge` also removes it from jobs, HA and ACLs. */
  destroy(node: string, vmid: number, o: DeleteOptions = {}): Promise<TaskId> {
    return this.http.delete<TaskId>(this.base(node, vmid), {
      purge: o.purge,
      'destroy-unreferenced-disks': o.destroyUnreferencedDisks,
      ...(this.kind === 'qemu' ? { skiplock: o.skiplock } : { force: o.force }),
    });
  }

  protected abstract vncParams(o: { width?: number; height?: number }): Params;

  /** Opens a VNC console (websocket mode); connect to vncwebsocket within 10 s. */
  async vncproxy(node: string, vmid: number, o: { width?: number; height?: number } = {}): Promise<VncProxy> {
    const d = await this.http.post<Omit<VncProxy, 'vncPassword'> & { port: number | string }>(
      `${this.base(node, vmid)}/vncproxy`,
      this.vncParams(o),
    );
    return { ...d, port: Number(d.port), vncPassword: d.password ?? d.ticket };
  }

  async termproxy(
    node: string,
    vmid: number,
    o: { serial?: 'serial0' | 'serial1' | 'serial2' | 'serial3' } = {},
  ): Promise<TermProxy> {
    const d = await this.http.post<TermProxy & { port: number | string }>(
      `${this.base(node, vmid)}/termproxy`,
      this.kind === 'qemu' ? { serial: o.serial } : {},
    );
    return { ...d, port: Number(d.port) };
  }

  /** The websocket path for a console opened with vncproxy/termproxy (same API host!). */
  vncWebsocketPath(node: string, vmid: number, port: number, ticket: string): string {
    const q = new URLSearchParams({ port: String(port), vncticket: ticket });
    return `${this.base(node, vmid)}/vncwebsocket?${q.toString()}`;
  }

  async rrddata(
    node: string,
    vmid: number,
    timeframe: RrdTimeframe,
    cf: 'AVERAGE' | 'MAX' = 'AVERAGE',
  ): Promise<RrdPoint[]> {
    return (await this.http.get<RrdPoint[]>(`${this.base(node, vmid)}/rrddata`, { timeframe, cf })) ?? [];
  }

  protected async gate(params: Params, names: readonly string[]): Promise<void> {
    for (const n of names) if (params[n] !== undefined) await this.versionGate(`parameter '${n}'`, 9);
  }
}

function commonConfig(p: QemuConfigParams | LxcConfigParams): Params {
  return {
    memory: p.memory,
    cores: p.cores,
    nameserver: p.nameserver,
    searchdomain: p.searchdomain,
    onboot: p.onboot,
    protection: p.protection,
    tags: p.tags?.join(';'),
    description: p.description,
    ...p.extra,
  };
}

export function qemuConfigParams(p: QemuConfigParams): Params {
  return {
    ...commonConfig(p),
    name: p.name,
    balloon: p.balloon,
    sockets: p.sockets,
    vcpus: p.vcpus,
    cpu: p.cpu,
    cpulimit: p.cpulimit,
    numa: p.numa,
    ostype: p.ostype,
    bios: p.bios,
    machine: p.machine,
    scsihw: p.scsihw,
    agent: typeof p.agent === 'boolean' ? (p.agent ? 'enabled=1' : 'enabled=0') : p.agent,
    boot: p.boot,
    vga: p.vga,
    efidisk0: p.efidisk0,
    tpmstate0: p.tpmstate0,
    ...indexed('net', p.net, formatQemuNet),
    ...indexed('scsi', p.scsi, formatQemuDisk),
    ...indexed('virtio', p.virtio, formatQemuDisk),
    ...indexed('sata', p.sata, formatQemuDisk),
    ...indexed('ide', p.ide, formatQemuDisk),
    ...indexed('hostpci', p.hostpci, formatHostPci),
    ...indexed('ipconfig', p.ipconfig, formatIpConfig),
    ciuser: p.ciuser,
    cipassword: p.cipassword,
    citype: p.citype,
    ciupgrade: p.ciupgrade,
    sshkeys: p.sshkeys ? encodeSshKeys(p.sshkeys) : undefined,
    cicustom: p.cicustom,
    'allow-ksm': p['allow-ksm'],
  };
}

export function lxcConfigParams(p: LxcConfigParams): Params {
  return {
    ...commonConfig(p),
    hostname: p.hostname,
    swap: p.swap,
    cpulimit: p.cpulimit,
    cpuunits: p.cpuunits,
    features: p.features,
    ostype: p.ostype,
    rootfs: typeof p.rootfs === 'object' ? formatLxcRootfs(p.rootfs) : p.rootfs,
    ...indexed('net', p.net, formatLxcNet),
    ...indexed('mp', p.mp, formatLxcMountPoint),
    entrypoint: p.entrypoint,
    env: p.env,
  };
}

function updateParams(o: ConfigUpdateOptions): Params {
  return {
    delete: o.delete?.length ? o.delete.join(',') : undefined,
    revert: o.revert?.length ? o.revert.join(',') : undefined,
    digest: o.digest,
    skiplock: o.skiplock,
    force: o.force,
  };
}

export class QemuApi extends GuestApi {
  constructor(http: ProxmoxHttp, versionGate: VersionGate) {
    super(http, 'qemu', versionGate);
  }

  async create(node: string, p: QemuCreateParams): Promise<TaskId> {
    const params: Params = {
      vmid: p.vmid,
      ...qemuConfigParams(p),
      pool: p.pool,
      storage: p.storage,
      start: p.start,
      unique: p.unique,
      archive: p.archive,
      'ha-managed': p['ha-managed'],
    };
    await this.gate(params, PVE9_QEMU_PARAMS);
    return this.http.post<TaskId>(apiPath`/nodes/${node}/qemu`, params);
  }

  /** Synchronous config change (PUT); returns when the config is written. */
  async setConfig(node: string, vmid: number, p: QemuConfigParams, o: ConfigUpdateOptions = {}): Promise<void> {
    const params = { ...qemuConfigParams(p), ...updateParams(o) };
    await this.gate(params, PVE9_QEMU_PARAMS);
    await this.http.put<null>(`${this.base(node, vmid)}/config`, params);
  }

  /**
   * Asynchronous config change (POST): returns a UPID (`qmconfig`), or null when Proxmox finished
   * within `backgroundDelay` seconds. Needed for changes that allocate disks.
   */
  async setConfigAsync(
    node: string,
    vmid: number,
    p: QemuConfigParams,
    o: Omit<ConfigUpdateOptions, 'revert'> & { revert?: string[]; backgroundDelay?: number } = {},
  ): Promise<TaskId | null> {
    const params = { ...qemuConfigParams(p), ...updateParams(o), background_delay: o.backgroundDelay };
    await this.gate(params, PVE9_QEMU_PARAMS);
    return this.http.post<TaskId | null>(`${this.base(node, vmid)}/config`, params);
  }

  reset(node: string, vmid: number): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/status/reset`);
  }

  /** `todisk` = hibernate (`qmsuspend`); default pauses in RAM (`qmpause`). */
  override suspend(node: string, vmid: number, o: { todisk?: boolean } = {}): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/status/suspend`, { todisk: o.todisk });
  }

  migratePrecheck(node: string, vmid: number, target?: string): Promise<MigratePrecheck> {
    return this.http.get<MigratePrecheck>(`${this.base(node, vmid)}/migrate`, { target });
  }

  /** Guest agent view of the NICs; NOT_FOUND-free 500s such as "QEMU guest agent is not running" map to UNAVAILABLE. */
  async agentNetworkInterfaces(node: string, vmid: number): Promise<QgaInterface[]> {
    const d = await this.http.get<{ result: QgaInterface[] }>(`${this.base(node, vmid)}/agent/network-get-interfaces`);
    return d?.result ?? [];
  }

  convertToTemplate(node: string, vmid: number): Promise<TaskId> {
    return this.http.post<TaskId>(`${this.base(node, vmid)}/template`);
  }

  protected startParams(o: StartOptions): Params {
    return { timeout: o.timeout, skiplock: o.skiplock, machine: o.machine };
  }
  protected stopParams(o: StopOptions): Params {
    return {
      timeout: o.timeout,
      skiplock: o.skiplock,
      keepActive: o.keepActive,
      'overrule-shutdown': o.overruleShutdown,
    };
  }
  protected shutdownParams(o: ShutdownOptions): Params {
    return { timeout: o.timeout, forceStop: o.forceStop, keepActive: o.keepActive };
  }
  protected cloneParams(p: CloneParams): Params {
    return {
      newid: p.newid,
      name: p.name,
      full: p.full,
      storage: p.storage,
      format: p.format,
      target: p.target,
      pool: p.pool,
      snapname: p.snapname,
      bwlimit: p.bwlimit,
      description: p.description,
    };
  }
  protected migrateParams(p: MigrateParams): Params {
    return {
      target: p.target,
      online: p.online,
      'with-local-disks': p.withLocalDisks,
      targetstorage: p.targetstorage,
      bwlimit: p.bwlimit,
    };
  }
  protected vncParams(): Params {
    return { websocket: true, 'generate-password': true };
  }
}

export class LxcApi extends GuestApi {
  constructor(http: ProxmoxHttp, versionGate: VersionGate) {
    super(http, 'lxc', versionGate);
  }

  async create(node: string, p: LxcCreateParams): Promise<TaskId> {
    const params: Params = {
      vmid: p.vmid,
      ostemplate: p.ostemplate,
      ...lxcConfigParams(p),
      password: p.password,
      'ssh-public-keys': p.sshPublicKeys?.join('\n'),
      unprivileged: p.unprivileged,
      storage: p.storage,
      pool: p.pool,
      start: p.start,
      unique: p.unique,
      restore: p.restore,
      'ha-managed': p['ha-managed'],
    };
    await this.gate(params, PVE9_LXC_PARAMS);
    return this.http.post<TaskId>(apiPath`/nodes/${node}/lxc`, params);
  }

  /** LXC has only the synchronous PUT config. */
  async setConfig(node: string, vmid: number, p: LxcConfigParams, o: ConfigUpdateOptions = {}): Promise<void> {
    const { force: _force, skiplock: _skiplock, ...rest } = o;
    const params = { ...lxcConfigParams(p), ...updateParams(rest) };
    await this.gate(params, PVE9_LXC_PARAMS);
    await this.http.put<null>(`${this.base(node, vmid)}/config`, params);
  }

  async interfaces(node: string, vmid: number): Promise<LxcInterface[]> {
    return (await this.http.get<LxcInterface[]>(`${this.base(node, vmid)}/interfaces`)) ?? [];
  }

  /** PVE 9+ only (GET lxc/{vmid}/migrate is new in 9.x). */
  async migratePrecheck(node: string, vmid: number, target?: string): Promise<MigratePrecheck> {
    await this.versionGate('LXC migration precheck', 9);
    return this.http.get<MigratePrecheck>(`${this.base(node, vmid)}/migrate`, { target });
  }

  /** Synchronous for containers (the API returns null, unlike qemu's `qmtemplate` task). */
  async convertToTemplate(node: string, vmid: number): Promise<void> {
    await this.http.post<null>(`${this.base(node, vmid)}/template`);
  }

  protected startParams(o: StartOptions): Params {
    return { skiplock: o.skiplock };
  }
  protected stopParams(o: StopOptions): Params {
    return { skiplock: o.skiplock, 'overrule-shutdown': o.overruleShutdown };
  }
  protected shutdownParams(o: ShutdownOptions): Params {
    return { timeout: o.timeout, forceStop: o.forceStop };
  }
  protected cloneParams(p: CloneParams): Params {
    return {
      newid: p.newid,
      hostname: p.name,
      full: p.full,
      storage: p.storage,
      target: p.target,
      pool: p.pool,
      snapname: p.snapname,
      bwlimit: p.bwlimit,
      description: p.description,
    };
  }
  protected migrateParams(p: MigrateParams): Params {
    return {
      target: p.target,
      online: p.online,
      restart: p.restart,
      timeout: p.timeout,
      'target-storage': p.targetstorage,
      bwlimit: p.bwlimit,
    };
  }
  protected vncParams(o: { width?: number; height?: number }): Params {
    return { websocket: true, width: o.width, height: o.height };
  }
}
