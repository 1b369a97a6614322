// LXC containers: create from a template, sync config, interfaces, template (README §4.3).
import { apiPath, type Params, type ProxmoxHttp } from './http.js';
import type {
  CloneParams,
  ConfigUpdateOptions,
  LxcConfigParams,
  LxcCreateParams,
  LxcInterface,
  MigrateParams,
  MigratePrecheck,
  ShutdownOptions,
  StartOptions,
  StopOptions,
  TaskId,
} from './guest-types.js';
import { commonConfig, GuestApi, updateParams, type VersionGate } from './guests.js';
import { formatLxcMountPoint, formatLxcNet, formatLxcRootfs, indexed } from './property-strings.js';

/** Parameters that only PVE 9 knows (diff_vs_pve8_4). */
const PVE9_LXC_PARAMS = ['entrypoint', 'env', 'ha-managed'] as const;

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
