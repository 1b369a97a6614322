import { join, relative, sep } from 'node:path';
import type { Ipv4Config, LxcSpec, MachineSpec, VmSpec } from './machine-spec.js';

export interface RootModuleOptions {
  /** Absolute path of terraform/modules (the `vm` and `lxc` modules live below it). */
  modulesDir: string;
  /** PostgreSQL schema holding this platform's Terraform states (the pg backend creates it). */
  stateSchema: string;
  /**
   * Where main.tf.json is written. Module sources are made relative to it: Terraform treats only
   * `./` and `../` paths as local modules and would copy an absolute one like a remote package.
   */
  workspaceDir?: string;
}

/** The root module's JSON (`main.tf.json`). Terraform's JSON syntax: `${...}` strings are expressions. */
export interface RootModule {
  '//': string;
  terraform: { required_version: string; backend: { pg: { schema_name: string } } };
  variable?: Record<string, { type: string; sensitive: boolean; nullable: boolean; default: null; description: string }>;
  module: { machine: Record<string, unknown> & { source: string } };
  output: Record<string, { value: string; description: string }>;
}

/** Module call name; outputs and resource addresses in progress events are below `module.machine`. */
export const MACHINE_MODULE = 'machine';

/**
 * The initial password never appears in main.tf.json: the root module declares a sensitive variable
 * and the driver passes its value as TF_VAR_machine_password (see secretEnv). It does end up in the
 * state, which lives in the platform's database.
 */
export const PASSWORD_VARIABLE = 'machine_password';
const PASSWORD_REF = `\${var.${PASSWORD_VARIABLE}}`;

/** Environment carrying the spec's secrets to Terraform (input variables of the root module). */
export function secretEnv(spec: MachineSpec): Record<string, string> {
  return spec.password === undefined ? {} : { [`TF_VAR_${PASSWORD_VARIABLE}`]: spec.password };
}

const ipv4 = (ip: Ipv4Config) => (ip === 'dhcp' ? { address: 'dhcp' } : { ...ip });

/** Module inputs for the `vm` module. Only keys the module declares; undefined ones are omitted. */
export function vmModuleInputs(spec: VmSpec): Record<string, unknown> {
  const windows = spec.os === 'windows';
  const gpus = spec.gpuMappings ?? [];
  const inputs: Record<string, unknown> = {
    node_name: spec.node,
    vm_id: spec.vmid,
    name: spec.name,
    pool_id: spec.pool,
    tags: [...new Set(spec.tags)].sort(),
    clone: { vm_id: spec.template.vmid, node_name: spec.template.node, full: spec.template.full ?? true },
    cpu: { cores: spec.cores, type: spec.cpuType ?? (gpus.length > 0 ? 'host' : 'x86-64-v2-AES') },
    memory: { dedicated: spec.memoryMb },
    disk: { datastore_id: spec.datastore, size: spec.diskGb },
    network_devices: spec.nics.map((n) => ({ bridge: n.bridge, vlan_id: n.vlanId, firewall: n.firewall ?? true })),
    cloud_init: {
      datastore_id: spec.datastore,
      username: spec.username,
      ssh_keys: spec.sshKeys,
      password: spec.password === undefined ? undefined : PASSWORD_REF,
      dns_servers: spec.dns?.servers,
      dns_domain: spec.dns?.domain,
      ipv4: spec.nics.map((n) => ipv4(n.ipv4)),
    },
    os_type: windows ? 'win11' : 'l26',
  };
  if (windows) {
    // Windows 11 needs UEFI with Secure Boot keys and a TPM; q35 for PCIe passthrough.
    Object.assign(inputs, {
      bios: 'ovmf',
      machine: 'q35',
      efi_disk: { datastore_id: spec.datastore, type: '4m', pre_enrolled_keys: true },
      tpm_state: { datastore_id: spec.datastore, version: 'v2.0' },
    });
  }
  if (gpus.length > 0) {
    inputs.machine = 'q35';
    inputs.hostpci = gpus.map((mapping, i) => ({ device: `hostpci${i}`, mapping, pcie: true, xvga: false }));
  }
  return dropUndefined(inputs);
}

/** Module inputs for the `lxc` module. */
export function lxcModuleInputs(spec: LxcSpec): Record<string, unknown> {
  return dropUndefined({
    node_name: spec.node,
    vm_id: spec.vmid,
    hostname: spec.name,
    pool_id: spec.pool,
    tags: [...new Set(spec.tags)].sort(),
    template_file_id: spec.templateFileId,
    os_type: spec.osType,
    cores: spec.cores,
    memory: { dedicated: spec.memoryMb },
    disk: { datastore_id: spec.datastore, size: spec.diskGb },
    network_interfaces: spec.nics.map((n, i) => ({
      name: `eth${i}`,
      bridge: n.bridge,
      vlan_id: n.vlanId,
      firewall: n.firewall ?? true,
    })),
    initialization: {
      ssh_keys: spec.sshKeys,
      password: spec.password === undefined ? undefined : PASSWORD_REF,
      dns_servers: spec.dns?.servers,
      dns_domain: spec.dns?.domain,
      ipv4: spec.nics.map((n) => ipv4(n.ipv4)),
    },
    unprivileged: spec.unprivileged ?? true,
    nesting: spec.nesting ?? false,
  });
}

/**
 * Machine spec → the root module Terraform runs in the machine's workspace directory. Pure: same spec,
 * same JSON, so re-planning an unchanged machine is a no-op. No secrets in it: the Proxmox token,
 * the state connection string and the initial password reach Terraform through the environment
 * (commands.ts, secretEnv).
 */
export function buildRootModule(spec: MachineSpec, options: RootModuleOptions): RootModule {
  const kind = spec.kind;
  const inputs = kind === 'vm' ? vmModuleInputs(spec) : lxcModuleInputs(spec);
  return {
    '//': `Generated by pvepaas for machine ${spec.machineId}; rewritten on every run, do not edit.`,
    terraform: {
      required_version: '>= 1.5.0',
      backend: { pg: { schema_name: options.stateSchema } },
    },
    ...(spec.password === undefined
      ? {}
      : {
          variable: {
            // Null when not given (a later destroy): the modules ignore password changes after creation.
            [PASSWORD_VARIABLE]: {
              type: 'string',
              sensitive: true,
              nullable: true,
              default: null,
              description: 'Initial password (TF_VAR_machine_password)',
            },
          },
        }),
    module: { [MACHINE_MODULE]: { source: moduleSource(options, kind), ...inputs } } as RootModule['module'],
    output: {
      vmid: { value: `\${module.${MACHINE_MODULE}.vmid}`, description: 'VMID/CTID' },
      node: { value: `\${module.${MACHINE_MODULE}.node}`, description: 'Node the guest runs on' },
      addresses: { value: `\${module.${MACHINE_MODULE}.addresses}`, description: 'Guest addresses { ipv4, ipv6 }' },
    },
  };
}

function moduleSource(options: RootModuleOptions, kind: MachineSpec['kind']): string {
  const absolute = join(options.modulesDir, kind);
  if (!options.workspaceDir) return absolute;
  const rel = relative(options.workspaceDir, absolute).split(sep).join('/');
  return rel.startsWith('../') ? rel : `./${rel}`;
}

/** Terraform workspace (state name in the pg backend) of a machine. */
export function workspaceName(machineId: string): string {
  const safe = machineId.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return `machine-${safe}`;
}

function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropUndefined) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, dropUndefined(v)]),
    ) as T;
  }
  return value;
}
