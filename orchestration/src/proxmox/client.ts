// The facade the platform uses: one ProxmoxClient per cluster, grouping the typed APIs.
import { AccessApi, type PermissionMap } from './access.js';
import { ClusterApi, parseVersion, type VersionInfo } from './cluster.js';
import { openConsoleSocket, type ConsoleTicket } from './console.js';
import { ProxmoxError } from './errors.js';
import type { GuestKind } from './guest-types.js';
import { ClusterFirewallApi } from './firewall.js';
import { HardwareApi, PciMappingApi } from './hardware.js';
import { ProxmoxHttp, type HttpOptions } from './http.js';
import { LxcApi } from './lxc.js';
import { QemuApi } from './qemu.js';
import { checkPermissions, type PermissionReport } from './permissions.js';
import { PoolApi } from './pools.js';
import { SdnApi } from './sdn.js';
import { CephApi, StorageApi } from './storage.js';
import { TaskApi, type TaskClock, type TaskResult, type WaitOptions } from './tasks.js';

export type ProxmoxClientOptions = HttpOptions & {
  /** Clock for task polling (tests). */
  taskClock?: TaskClock;
};

export class ProxmoxClient {
  readonly http: ProxmoxHttp;
  readonly cluster: ClusterApi;
  readonly tasks: TaskApi;
  readonly qemu: QemuApi;
  readonly lxc: LxcApi;
  readonly storage: StorageApi;
  readonly ceph: CephApi;
  readonly hardware: HardwareApi;
  readonly pciMappings: PciMappingApi;
  readonly pools: PoolApi;
  readonly sdn: SdnApi;
  /** The datacenter firewall; guests' own firewalls are `qemu.firewall` and `lxc.firewall`. */
  readonly firewall: ClusterFirewallApi;
  readonly access: AccessApi;
  private versionInfo: Promise<VersionInfo> | undefined;

  constructor(options: ProxmoxClientOptions) {
    this.http = new ProxmoxHttp(options);
    const gate = (feature: string, major: number) => this.requireMajor(feature, major);
    this.cluster = new ClusterApi(this.http, gate);
    this.tasks = new TaskApi(this.http, options.taskClock);
    this.qemu = new QemuApi(this.http, gate);
    this.lxc = new LxcApi(this.http, gate);
    this.storage = new StorageApi(this.http);
    this.ceph = new CephApi(this.http);
    this.hardware = new HardwareApi(this.http);
    this.pciMappings = new PciMappingApi(this.http);
    this.pools = new PoolApi(this.http);
    this.sdn = new SdnApi(this.http, gate);
    this.firewall = new ClusterFirewallApi(this.http);
    this.access = new AccessApi(this.http);
  }

  get authId(): string {
    return this.http.authId;
  }

  /** GET /version, cached for the client's life (a cluster upgrade means a restart anyway). */
  version(): Promise<VersionInfo> {
    this.versionInfo ??= this.cluster.version().catch((e: unknown) => {
      this.versionInfo = undefined;
      throw e;
    });
    return this.versionInfo;
  }

  permissions(o: { path?: string; userid?: string } = {}): Promise<PermissionMap> {
    return this.access.permissions(o);
  }

  private async requireMajor(feature: string, major: number): Promise<void> {
    const v = await this.version();
    if (parseVersion(v).major < major) throw ProxmoxError.unsupportedByVersion(feature, v.version, `${major}.0`);
  }

  /** Shorthand for tasks.wait. */
  waitForTask(upid: string, o?: WaitOptions): Promise<TaskResult> {
    return this.tasks.wait(upid, o);
  }

  /**
   * Opens the console websocket for a vncproxy/termproxy result (within 10 s of it), with this
   * client's credentials and TLS trust. For termproxy, follow with termproxyLogin().
   */
  openConsole(
    kind: GuestKind,
    node: string,
    vmid: number,
    ticket: ConsoleTicket,
  ): ReturnType<typeof openConsoleSocket> {
    return openConsoleSocket(this.http, kind, node, vmid, ticket);
  }

  checkPermissions(): Promise<PermissionReport> {
    return checkPermissions(this);
  }

  close(): void {
    this.http.close();
  }
}
