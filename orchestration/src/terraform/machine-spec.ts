/**
 * What the platform asks Terraform for: one machine, already resolved to a node, template and network.
 * Plain data (from the machine record and its template), turned into module inputs by root-module.ts.
 */
export type Ipv4Config = 'dhcp' | { address: string; gateway?: string };

export interface NicSpec {
  bridge: string;
  vlanId?: number;
  firewall?: boolean;
  ipv4: Ipv4Config;
}

interface CommonSpec {
  /** Platform machine id; names the workspace directory and the Terraform state. */
  machineId: string;
  node: string;
  /** Fixed VMID, or undefined to let Proxmox choose. */
  vmid?: number;
  name: string;
  /** Proxmox resource pool of the tenant. */
  pool?: string;
  tags: string[];
  cores: number;
  memoryMb: number;
  diskGb: number;
  datastore: string;
  nics: NicSpec[];
  sshKeys: string[];
  dns?: { servers: string[]; domain?: string };
}

export interface VmSpec extends CommonSpec {
  kind: 'vm';
  os: 'linux' | 'windows';
  template: { vmid: number; node?: string; full?: boolean };
  /** Cloud-init user (Linux) or the local administrator created by cloudbase-init (Windows). */
  username: string;
  password?: string;
  /** PCI resource mappings (Datacenter → Resource Mappings) to pass through, e.g. a GPU. */
  gpuMappings?: string[];
  cpuType?: string;
}

export interface LxcSpec extends CommonSpec {
  kind: 'lxc';
  /** `<storage>:vztmpl/<file>` */
  templateFileId: string;
  osType: 'debian' | 'ubuntu' | 'alpine' | 'unmanaged';
  nesting?: boolean;
  unprivileged?: boolean;
  password?: string;
}

export type MachineSpec = VmSpec | LxcSpec;
