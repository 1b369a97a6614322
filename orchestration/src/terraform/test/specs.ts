import type { LxcSpec, VmSpec } from '../machine-spec.js';

/** One spec per template kind the platform offers; tests share them. */
export const linuxVm: VmSpec = {
  kind: 'vm',
  os: 'linux',
  machineId: '0f6c3a52-debian',
  node: 'pve1',
  name: 'web-1',
  pool: 'tenant-acme',
  tags: ['tenant-acme', 'debian', 'pvepaas'],
  cores: 2,
  memoryMb: 2048,
  diskGb: 20,
  datastore: 'local-lvm',
  template: { vmid: 9000 },
  username: 'debian',
  sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests acme@laptop'],
  nics: [{ bridge: 'acmenet', ipv4: { address: '10.42.0.10/24', gateway: '10.42.0.1' } }],
  dns: { servers: ['10.42.0.1'], domain: 'acme.internal' },
};

export const windowsGpuVm: VmSpec = {
  kind: 'vm',
  os: 'windows',
  machineId: '7d1e9b20-gaming',
  node: 'pve2',
  vmid: 4200,
  name: 'parsec-1',
  pool: 'tenant-acme',
  tags: ['windows', 'gpu', 'pvepaas'],
  cores: 8,
  memoryMb: 16384,
  diskGb: 128,
  datastore: 'nvme',
  template: { vmid: 9100, node: 'pve2' },
  username: 'Administrator',
  password: 'initial-Secret-1',
  sshKeys: [],
  gpuMappings: ['rtx4070'],
  nics: [{ bridge: 'vmbr0', vlanId: 20, ipv4: 'dhcp' }],
};

export const debianLxc: LxcSpec = {
  kind: 'lxc',
  machineId: '3b8f0c11-ct',
  node: 'pve1',
  name: 'cache-1',
  tags: ['lxc', 'pvepaas'],
  cores: 1,
  memoryMb: 512,
  diskGb: 8,
  datastore: 'local-lvm',
  templateFileId: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
  osType: 'debian',
  nesting: true,
  sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests acme@laptop'],
  nics: [{ bridge: 'acmenet', ipv4: { address: '10.42.0.20/24', gateway: '10.42.0.1' } }],
};
