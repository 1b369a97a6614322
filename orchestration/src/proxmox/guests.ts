// QEMU VMs and LXC containers: the calls both share live in GuestApi (this file), the differences in
// qemu.ts and lxc.ts. Paths and parameters follow the 9.1 schema (README §4.3); everything async
// returns the task's UPID, which callers pass to TaskApi.wait.
import { ProxmoxParameterError } from './errors.js';
import { FirewallApi } from './firewall.js';
import type {
  CloneParams,
  ConfigUpdateOptions,
  DeleteOptions,
  GuestConfig,
  GuestKind,
  GuestListItem,
  GuestStatus,
  LxcConfigParams,
  MigrateParams,
  PendingChange,
  QemuConfigParams,
  RrdPoint,
  RrdTimeframe,
  ShutdownOptions,
  Snapshot,
  StartOptions,
  StopOptions,
  TaskId,
  TermProxy,
  VncProxy,
} from './guest-types.js';
import { apiPath, seg, type Params, type ProxmoxHttp } from './http.js';

/** Checks that the cluster runs at least `major` before sending a version-specific parameter. */
export type VersionGate = (feature: string, major: number) => Promise<void>;

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

  /** Config changes not applied to the running guest yet (hotplug impossible: a reboot applies them). */
  async pending(node: string, vmid: number): Promise<PendingChange[]> {
    return (await this.http.get<PendingChange[]>(`${this.base(node, vmid)}/pending`)) ?? [];
  }

  protected abstract startParams(o: StartOptions): Params;
  protected abstract stopParams(o: StopOptions): Params;
  protected abstract shutdownParams(o: ShutdownOptions): Params;

  /**
   * Starts the guest; the task ends when QEMU/LXC runs, not when the OS has booted. For HA-managed
   * guests Proxmox answers with a `hastart` task that only queues the request: poll status() for
   * `running` afterwards (README §3).
   */
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

export function commonConfig(p: QemuConfigParams | LxcConfigParams): Params {
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

export function updateParams(o: ConfigUpdateOptions): Params {
  return {
    delete: o.delete?.length ? o.delete.join(',') : undefined,
    revert: o.revert?.length ? o.revert.join(',') : undefined,
    digest: o.digest,
    skiplock: o.skiplock,
    force: o.force,
  };
}
