// The seeded demo cluster: nodes, storages, templates, users and tokens, SDN, PCI devices.
// Deterministic for a seed; see PROTOCOL.md "The cluster".
import { SEEDED_CLUSTER_FIREWALL } from './routes/cluster-firewall.js';
import { createRng, hex, type Rng } from './rng.js';
import {
  BUILTIN_ROLES,
  DEBIAN_CT_TEMPLATE,
  GiB,
  macAddress,
  MiB,
  newGuest,
  sizeText,
  uuid,
  type MdevType,
  type PciDevice,
  type SimNode,
  type SimStateData,
  type SimStorage,
} from './state.js';

export interface SeedOptions {
  seed: number;
  nodes?: number;
  rootPassword: string;
  now: number;
  authKey: string;
}

export interface SeededSecrets {
  fullToken: { tokenid: string; secret: string };
  limitedToken: { tokenid: string; secret: string };
  limitedUser: { userid: string; password: string };
}

export function secretsFor(seed: number): SeededSecrets {
  const rng = createRng(seed ^ 0x5eed);
  return {
    fullToken: { tokenid: 'root@pam!sim-full', secret: uuid(rng) },
    limitedToken: { tokenid: 'paas@pve!sim-limited', secret: uuid(rng) },
    limitedUser: { userid: 'paas@pve', password: `paas-${hex(rng, 12)}` },
  };
}

export function seedState(opts: SeedOptions): SimStateData {
  const rng = createRng(opts.seed);
  const nodeCount = opts.nodes ?? 3;
  const nowSec = Math.floor(opts.now / 1000);
  const secrets = secretsFor(opts.seed);
  const nodes: SimNode[] = [];
  for (let i = 1; i <= nodeCount; i++) {
    const big = i % 3 === 0;
    nodes.push({
      name: `pve${i}`,
      status: 'online',
      ip: `10.10.0.${10 + i}`,
      cpus: big ? 64 : 32,
      sockets: big ? 2 : 1,
      cpuModel: big ? 'AMD EPYC 7543 32-Core Processor' : 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz',
      memory: (big ? 512 : 256) * GiB,
      rootfs: 100 * GiB,
      bootedAt: opts.now - Math.floor((3 + rng() * 40) * 86400_000),
      pci: basePci(i, big),
      fingerprint: Array.from({ length: 32 }, () => hex(rng, 2).toUpperCase()).join(':'),
    });
  }
  const storages: SimStorage[] = [
    {
      storage: 'local',
      type: 'dir',
      content: ['backup', 'iso', 'vztmpl', 'snippets', 'import'],
      shared: 0,
      total: 100 * GiB,
      throughput: 300 * MiB,
      path: '/var/lib/vz',
    },
    {
      storage: 'local-lvm',
      type: 'lvmthin',
      content: ['images', 'rootdir'],
      shared: 0,
      total: 1800 * GiB,
      throughput: 450 * MiB,
      thinpool: 'data',
      vgname: 'pve',
    },
    {
      storage: 'ceph-vm',
      type: 'rbd',
      content: ['images', 'rootdir'],
      shared: 1,
      total: 24 * 1024 * GiB,
      throughput: 200 * MiB,
      pool: 'ceph-vm',
    },
  ];
  const state: SimStateData = {
    version: 1,
    seed: opts.seed,
    clusterName: 'sim-cluster',
    nodes,
    storages,
    volumes: [],
    guests: [],
    pools: [{ poolid: 'templates', comment: 'Golden images', vms: [], storage: [] }],
    clusterFirewall: { options: { ...SEEDED_CLUSTER_FIREWALL } },
    sdn: {
      zones: {
        paas: {
          config: { zone: 'paas', type: 'vxlan', peers: nodes.map((n) => n.ip).join(','), mtu: 1450, ipam: 'pve' },
        },
      },
      vnets: { tenant0: { config: { vnet: 'tenant0', zone: 'paas', tag: 10000, alias: 'default tenant network' } } },
      subnets: {
        'paas-10.200.0.0-24': {
          config: {
            subnet: 'paas-10.200.0.0-24',
            vnet: 'tenant0',
            type: 'subnet',
            cidr: '10.200.0.0/24',
            gateway: '10.200.0.1',
            snat: 1,
            network: '10.200.0.0',
            mask: '24',
            zone: 'paas',
          },
        },
      },
    },
    users: [
      {
        userid: 'root@pam',
        enable: 1,
        expire: 0,
        firstname: '',
        lastname: '',
        email: 'root@example.invalid',
        comment: 'Built-in superuser',
        groups: [],
        password: opts.rootPassword,
        tokens: {
          'sim-full': {
            secret: secrets.fullToken.secret,
            privsep: 0,
            expire: 0,
            comment: 'simulator: full privileges',
          },
        },
      },
      {
        userid: 'paas@pve',
        enable: 1,
        expire: 0,
        comment: 'platform service user',
        groups: ['paas'],
        password: secrets.limitedUser.password,
        tokens: {
          'sim-limited': {
            secret: secrets.limitedToken.secret,
            privsep: 1,
            expire: 0,
            comment: 'simulator: privilege separated, audit only',
          },
        },
      },
    ],
    groups: [{ groupid: 'paas', comment: 'platform' }],
    acl: [
      { path: '/', type: 'user', ugid: 'paas@pve', roleid: 'PVEVMUser', propagate: 1 },
      { path: '/', type: 'token', ugid: 'paas@pve!sim-limited', roleid: 'PVEAuditor', propagate: 1 },
    ],
    roles: { ...BUILTIN_ROLES },
    mappings: [],
    tasks: [],
    macCounter: 0,
    authKey: opts.authKey,
  };
  for (const n of nodes) {
    state.volumes.push({
      volid: DEBIAN_CT_TEMPLATE,
      storage: 'local',
      node: n.name,
      content: 'vztmpl',
      format: 'tzst',
      size: 126 * MiB,
      ctime: nowSec - 86400 * 30,
    });
    state.volumes.push({
      volid: 'local:iso/virtio-win-0.1.271.iso',
      storage: 'local',
      node: n.name,
      content: 'iso',
      format: 'iso',
      size: 709 * MiB,
      ctime: nowSec - 86400 * 30,
    });
  }
  const gpuNode = nodes[nodeCount >= 3 ? 2 : 0] as SimNode;
  state.mappings.push({
    id: 'gpu-l4',
    description: 'NVIDIA L4 (vGPU capable)',
    map: gpuNode.pci
      .filter((d) => d.vendor === '0x10de')
      .map((d) => `node=${gpuNode.name},path=${d.id},id=10de:27b8,iommugroup=${d.iommugroup},subsystem-id=10de:16ca`),
    mdev: 1,
  });
  const first = (nodes[0] as SimNode).name;
  const tmplCreated = opts.now - 20 * 86400_000;
  addTemplate(state, rng, {
    vmid: 9000,
    node: first,
    name: 'debian-12-cloudinit',
    ostype: 'l26',
    disk: 3 * GiB,
    ciuser: 'debian',
    created: tmplCreated,
  });
  addTemplate(state, rng, {
    vmid: 9001,
    node: first,
    name: 'ubuntu-24.04-cloudinit',
    ostype: 'l26',
    disk: 3.5 * GiB,
    ciuser: 'ubuntu',
    created: tmplCreated,
  });
  addTemplate(state, rng, {
    vmid: 9002,
    node: first,
    name: 'windows-11',
    ostype: 'win11',
    disk: 64 * GiB,
    created: tmplCreated,
  });
  state.pools[0]?.vms.push(9000, 9001, 9002);
  return state;
}

function basePci(index: number, gpus: boolean): PciDevice[] {
  const list: PciDevice[] = [
    {
      id: '0000:00:1f.2',
      class: '0x010601',
      vendor: '0x8086',
      device: '0xa352',
      vendor_name: 'Intel Corporation',
      device_name: 'Cannon Lake PCH SATA AHCI Controller',
      subsystem_vendor: '0x15d9',
      subsystem_device: '0x1c48',
      iommugroup: 9,
    },
    {
      id: '0000:02:00.0',
      class: '0x020000',
      vendor: '0x8086',
      device: '0x1521',
      vendor_name: 'Intel Corporation',
      device_name: 'I350 Gigabit Network Connection',
      subsystem_vendor: '0x15d9',
      subsystem_device: '0x1521',
      iommugroup: 14,
    },
    {
      id: '0000:03:00.0',
      class: '0x010802',
      vendor: '0x144d',
      device: '0xa80a',
      vendor_name: 'Samsung Electronics Co Ltd',
      device_name: 'NVMe SSD Controller PM9A1/PM9A3/980PRO',
      subsystem_vendor: '0x144d',
      subsystem_device: '0xa801',
      iommugroup: 15 + index,
    },
  ];
  if (gpus) {
    const mdev = (gpu: number): MdevType[] => [
      {
        type: 'nvidia-920',
        name: 'NVIDIA L4-1Q',
        description: 'num_heads=4, frl_config=60, framebuffer=1024M, max_resolution=5120x2880, max_instance=24',
        available: 24 - gpu,
      },
      {
        type: 'nvidia-922',
        name: 'NVIDIA L4-4Q',
        description: 'num_heads=4, frl_config=60, framebuffer=4096M, max_resolution=7680x4320, max_instance=6',
        available: 6,
      },
      {
        type: 'nvidia-925',
        name: 'NVIDIA L4-24Q',
        description: 'num_heads=4, frl_config=60, framebuffer=24576M, max_resolution=7680x4320, max_instance=1',
        available: 1,
      },
    ];
    for (const [gpu, bus] of [
      [0, '41'],
      [1, 'c1'],
    ] as const) {
      list.push({
        id: `0000:${bus}:00.0`,
        class: '0x030200',
        vendor: '0x10de',
        device: '0x27b8',
        vendor_name: 'NVIDIA Corporation',
        device_name: 'AD104GL [L4]',
        subsystem_vendor: '0x10de',
        subsystem_device: '0x16ca',
        iommugroup: 40 + gpu,
        mdev: mdev(gpu),
      });
    }
  }
  return list;
}

function addTemplate(
  state: SimStateData,
  rng: Rng,
  t: { vmid: number; node: string; name: string; ostype: string; disk: number; ciuser?: string; created: number },
) {
  const { vmid } = t;
  const win = t.ostype === 'win11';
  const ctime = Math.floor(t.created / 1000);
  const disk = `base-${vmid}-disk-${win ? 1 : 0}`;
  state.volumes.push({
    volid: `ceph-vm:${disk}`,
    storage: 'ceph-vm',
    content: 'images',
    format: 'raw',
    size: t.disk,
    vmid,
    ctime,
  });
  const config: Record<string, string> = {
    name: t.name,
    template: '1',
    memory: win ? '8192' : '2048',
    cores: win ? '4' : '2',
    sockets: '1',
    cpu: win ? 'host' : 'x86-64-v2-AES',
    ostype: t.ostype,
    scsihw: 'virtio-scsi-single',
    scsi0: `ceph-vm:${disk},discard=on,iothread=1,size=${sizeText(t.disk)}`,
    net0: `virtio=${macAddress(state)},bridge=vmbr0,firewall=1`,
    boot: 'order=scsi0',
    agent: '1',
    smbios1: `uuid=${uuid(rng)}`,
    vmgenid: uuid(rng),
    meta: `creation-qemu=10.1.2,ctime=${ctime}`,
    tags: win ? 'template;windows' : 'cloudinit;template',
  };
  if (win) {
    state.volumes.push({
      volid: `ceph-vm:base-${vmid}-disk-0`,
      storage: 'ceph-vm',
      content: 'images',
      format: 'raw',
      size: 1 * MiB,
      vmid,
      ctime,
    });
    state.volumes.push({
      volid: `ceph-vm:base-${vmid}-disk-2`,
      storage: 'ceph-vm',
      content: 'images',
      format: 'raw',
      size: 4 * MiB,
      vmid,
      ctime,
    });
    Object.assign(config, {
      bios: 'ovmf',
      machine: 'pc-q35-10.1',
      efidisk0: `ceph-vm:base-${vmid}-disk-0,efitype=4m,pre-enrolled-keys=1,size=1M`,
      tpmstate0: `ceph-vm:base-${vmid}-disk-2,size=4M,version=v2.0`,
      ide0: 'local:iso/virtio-win-0.1.271.iso,media=cdrom,size=709M',
    });
  } else {
    state.volumes.push({
      volid: `ceph-vm:vm-${vmid}-cloudinit`,
      storage: 'ceph-vm',
      content: 'images',
      format: 'raw',
      size: 4 * MiB,
      vmid,
      ctime,
    });
    Object.assign(config, {
      ide2: `ceph-vm:vm-${vmid}-cloudinit,media=cdrom`,
      serial0: 'socket',
      vga: 'serial0',
      ciuser: t.ciuser ?? 'debian',
      ipconfig0: 'ip=dhcp',
    });
  }
  state.guests.push(newGuest({ vmid, type: 'qemu', node: t.node, config, createdAt: t.created }));
}
