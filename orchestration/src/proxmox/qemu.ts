// QEMU VMs: create, sync/async config, reset, hibernate, agent, template (README §4.3).
import { apiPath, type Params, type ProxmoxHttp } from './http.js';
import type {
  CloneParams,
  ConfigUpdateOptions,
  MigrateParams,
  MigratePrecheck,
  QemuConfigParams,
  QemuCreateParams,
  QgaInterface,
  ShutdownOptions,
  StartOptions,
  StopOptions,
  TaskId,
} from './guest-types.js';
import { commonConfig, GuestApi, updateParams, type VersionGate } from './guests.js';
import {
  encodeSshKeys,
  formatHostPci,
  formatIpConfig,
  formatQemuDisk,
  formatQemuNet,
  indexed,
} from './property-strings.js';

/** Parameters that only PVE 9 knows (diff_vs_pve8_4). */
const PVE9_QEMU_PARAMS = ['allow-ksm', 'intel-tdx', 'ha-managed'] as const;

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
    o: ConfigUpdateOptions & { backgroundDelay?: number } = {},
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
