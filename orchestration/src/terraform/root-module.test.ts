import { describe, expect, it } from 'vitest';
import { applyArgv, destroyArgv, initArgv, planArgv, terraformEnv, workspaceSelectArgv } from './commands.js';
import { TerraformStream } from './json-stream.js';
import { buildRootModule, secretEnv, workspaceName } from './root-module.js';
import { debianLxc, linuxVm, windowsGpuVm } from './test/specs.js';

const opts = { modulesDir: '/srv/pvepaas/terraform/modules', stateSchema: 'pvepaas_tf', workspaceDir: '/var/lib/pvepaas/tf/machine-x' };

describe('buildRootModule', () => {
  it('Linux VM: clone + cloud-init, pg backend, outputs from the module, relative module source', () => {
    const root = buildRootModule(linuxVm, opts);
    expect(root.terraform.backend).toEqual({ pg: { schema_name: 'pvepaas_tf' } });
    expect(root.module.machine).toMatchObject({
      source: '../../../../../srv/pvepaas/terraform/modules/vm',
      node_name: 'pve1',
      name: 'web-1',
      pool_id: 'tenant-acme',
      tags: ['debian', 'pvepaas', 'tenant-acme'],
      clone: { vm_id: 9000, full: true },
      cpu: { cores: 2, type: 'x86-64-v2-AES' },
      memory: { dedicated: 2048 },
      disk: { datastore_id: 'local-lvm', size: 20 },
      network_devices: [{ bridge: 'acmenet', firewall: true }],
      cloud_init: { username: 'debian', ipv4: [{ address: '10.42.0.10/24', gateway: '10.42.0.1' }], dns_servers: ['10.42.0.1'] },
      os_type: 'l26',
    });
    expect(root.module.machine).not.toHaveProperty('vm_id');
    expect(root.module.machine).not.toHaveProperty('hostpci');
    expect(Object.keys(root.output)).toEqual(['vmid', 'node', 'addresses']);
    expect(root.output.vmid!.value).toBe('${module.machine.vmid}');
  });

  it('Windows GPU VM: OVMF, q35, EFI + TPM, hostpci by resource mapping (API-token friendly), host CPU', () => {
    const m = buildRootModule(windowsGpuVm, opts).module.machine;
    expect(m).toMatchObject({
      vm_id: 4200,
      os_type: 'win11',
      bios: 'ovmf',
      machine: 'q35',
      efi_disk: { datastore_id: 'nvme', type: '4m', pre_enrolled_keys: true },
      tpm_state: { datastore_id: 'nvme', version: 'v2.0' },
      hostpci: [{ device: 'hostpci0', mapping: 'rtx4070', pcie: true, xvga: false }],
      cpu: { cores: 8, type: 'host' },
      clone: { vm_id: 9100, node_name: 'pve2', full: true },
      network_devices: [{ bridge: 'vmbr0', vlan_id: 20, firewall: true }],
      cloud_init: { username: 'Administrator', ipv4: [{ address: 'dhcp' }] },
    });
    expect(JSON.stringify(m)).not.toMatch(/"id":/); // never a raw PCI id (root@pam only)
  });

  it('keeps the initial password out of the JSON: a sensitive variable fed from TF_VAR_machine_password', () => {
    const root = buildRootModule(windowsGpuVm, opts);
    expect(JSON.stringify(root)).not.toContain(windowsGpuVm.password);
    expect(root.module.machine).toMatchObject({ cloud_init: { password: '${var.machine_password}' } });
    expect(root.variable).toEqual({ machine_password: expect.objectContaining({ sensitive: true, default: null }) });
    expect(secretEnv(windowsGpuVm)).toEqual({ TF_VAR_machine_password: 'initial-Secret-1' });
    expect(secretEnv(linuxVm)).toEqual({});
    expect(buildRootModule(linuxVm, opts)).not.toHaveProperty('variable');
  });

  it('LXC: template file, unprivileged with nesting, eth0', () => {
    const m = buildRootModule(debianLxc, opts).module.machine;
    expect(m).toMatchObject({
      source: '../../../../../srv/pvepaas/terraform/modules/lxc',
      hostname: 'cache-1',
      template_file_id: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      os_type: 'debian',
      unprivileged: true,
      nesting: true,
      network_interfaces: [{ name: 'eth0', bridge: 'acmenet', firewall: true }],
    });
  });

  it('is pure: same spec, same JSON', () => {
    expect(JSON.stringify(buildRootModule(linuxVm, opts))).toBe(JSON.stringify(buildRootModule(structuredClone(linuxVm), opts)));
  });

  it('names workspaces safely', () => {
    expect(workspaceName('0F6C/../x y')).toBe('machine-0f6c----x-y');
  });
});

describe('argv builders', () => {
  it('never use a shell and always disable input and colour', () => {
    expect(initArgv('terraform')).toEqual(['terraform', 'init', '-input=false', '-no-color', '-json']);
    expect(initArgv('terraform', { initJson: false })).toEqual(['terraform', 'init', '-input=false', '-no-color']);
    expect(workspaceSelectArgv('tofu', 'machine-a')).toEqual(['tofu', 'workspace', 'select', '-or-create=true', 'machine-a']);
    expect(planArgv('terraform', { destroy: true, lockTimeout: '5m' })).toEqual([
      'terraform', 'plan', '-input=false', '-no-color', '-json', '-lock-timeout=5m', '-destroy', '-out=plan.bin',
    ]);
    expect(applyArgv('terraform')).toEqual(['terraform', 'apply', '-input=false', '-no-color', '-json', '-lock-timeout=60s', 'plan.bin']);
    expect(destroyArgv('terraform')).toEqual([
      'terraform', 'destroy', '-auto-approve', '-input=false', '-no-color', '-json', '-lock-timeout=60s',
    ]);
  });

  it('builds the child environment from an allow-list plus the secrets Terraform needs', () => {
    const env = terraformEnv({
      base: { PATH: '/usr/bin', HOME: '/root', DATABASE_URL: 'postgres://leak', VAULT_TOKEN: 'leak' },
      workspace: 'machine-a',
      stateConnStr: 'postgres://tf@db/pvepaas',
      proxmox: { endpoint: 'https://pve:8006/', apiToken: 'u@pve!t=s' },
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/root',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      TF_WORKSPACE: 'machine-a',
      PG_CONN_STR: 'postgres://tf@db/pvepaas',
      PROXMOX_VE_ENDPOINT: 'https://pve:8006/',
      PROXMOX_VE_API_TOKEN: 'u@pve!t=s',
      PROXMOX_VE_INSECURE: 'false',
    });
  });
});

describe('TerraformStream', () => {
  it('turns non-JSON lines into log events, strips colour codes and ignores blank lines', () => {
    const s = new TerraformStream('terraform.init', () => new Date('2026-01-01T00:00:00Z'));
    expect(s.push('')).toBeUndefined();
    expect(s.push('\u001b[32mSuccessfully configured the backend "pg"!\u001b[0m')).toEqual({
      step: 'terraform.init',
      status: 'info',
      message: 'Successfully configured the backend "pg"!',
      at: '2026-01-01T00:00:00.000Z',
      detail: { type: 'text' },
    });
  });

  it('computes percent from planned changes and marks drift as a warning', () => {
    const s = new TerraformStream('terraform.apply');
    s.push(JSON.stringify({ type: 'planned_change', change: { resource: { addr: 'a' }, action: 'create' } }));
    s.push(JSON.stringify({ type: 'planned_change', change: { resource: { addr: 'b' }, action: 'update' } }));
    expect(s.push(JSON.stringify({ type: 'apply_complete', hook: { resource: { addr: 'a' } } }))?.percent).toBe(50);
    expect(s.push(JSON.stringify({ type: 'resource_drift', change: { resource: { addr: 'b' }, action: 'update' } }))?.status).toBe('warning');
  });
});
