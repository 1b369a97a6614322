// What the platform's API token must be allowed to do, and which of it a token lacks.
// Privilege names and paths were checked against the `permissions` blocks of the 9.1 and 8.4 schemas
// (reference/proxmox/apidata-*.json). `/access/permissions?path=P` returns the caller's effective
// privileges on P (inherited ones included), each with its propagate flag; a privilege is usable
// on children of P (e.g. /vms/100 under /vms) only when it propagates.

export interface PrivilegeRequirement {
  path: string;
  privilege: string;
  /** Must apply to children of `path` (all guests, all storages, ...). */
  propagate: boolean;
  why: string;
  /** Features still work without it, with less detail; reported separately. */
  optional?: boolean;
}

/** PVE 9 renamed VM.Monitor (agent calls) to VM.GuestAgent.*. */
export function requiredPrivileges(pveMajor: number): PrivilegeRequirement[] {
  const vm = (privilege: string, why: string, optional = false): PrivilegeRequirement => ({
    path: '/vms',
    privilege,
    propagate: true,
    why,
    optional,
  });
  return [
    vm('VM.Allocate', 'create and destroy guests (POST /nodes/{node}/qemu|lxc, DELETE ...), convert to template'),
    vm('VM.Clone', 'clone machines from templates (POST .../clone needs it on the source)'),
    vm('VM.Config.Disk', 'add and resize disks (scsiN/virtioN/rootfs/mpN, PUT .../resize)'),
    vm('VM.Config.CDROM', 'attach the cloud-init drive and ISO images (ide2)'),
    vm('VM.Config.CPU', 'set cores/sockets/cpu type'),
    vm('VM.Config.Memory', 'set memory/balloon'),
    vm('VM.Config.Network', 'set netN and guest firewall rules/options'),
    vm('VM.Config.HWType', 'set hostpciN (GPU passthrough), machine, scsihw, vga'),
    vm('VM.Config.Options', 'set name, tags, description, onboot, agent'),
    vm('VM.Config.Cloudinit', 'set ciuser, sshkeys, ipconfigN'),
    vm('VM.PowerMgmt', 'start, stop, shutdown, reboot, suspend, resume'),
    vm('VM.Console', 'open consoles (vncproxy, termproxy, vncwebsocket)'),
    vm('VM.Audit', 'read status, config, RRD metrics, snapshots, firewall rules, LXC interfaces'),
    vm('VM.Snapshot', 'create and delete snapshots'),
    vm('VM.Snapshot.Rollback', 'roll back to a snapshot'),
    vm('VM.Migrate', 'migrate guests between nodes'),
    pveMajor >= 9
      ? vm('VM.GuestAgent.Audit', 'read guest IP addresses via the QEMU agent (network-get-interfaces)', true)
      : vm('VM.Monitor', 'read guest IP addresses via the QEMU agent (network-get-interfaces, PVE 8)', true),
    {
      path: '/storage',
      privilege: 'Datastore.AllocateSpace',
      propagate: true,
      why: 'allocate guest disks on any storage (create, clone, resize)',
    },
    {
      path: '/storage',
      privilege: 'Datastore.Audit',
      propagate: true,
      why: 'list storages and their content (templates, ISOs, volumes)',
    },
    {
      path: '/',
      privilege: 'Sys.Audit',
      propagate: true,
      why: "node status and RRD, PCI device and mdev listing, Ceph status/OSDs/pools, other users' tasks on /nodes/{node}",
    },
    {
      path: '/sdn/zones',
      privilege: 'SDN.Use',
      propagate: true,
      why: 'attach NICs to bridges and vnets (create, clone, netN)',
    },
    {
      path: '/sdn/zones',
      privilege: 'SDN.Audit',
      propagate: true,
      why: 'list zones, vnets and subnets',
    },
    {
      path: '/sdn',
      privilege: 'SDN.Allocate',
      propagate: true,
      why: 'create tenant vnets/subnets and apply the SDN config (PUT /cluster/sdn)',
      optional: true,
    },
    {
      path: '/pool',
      privilege: 'Pool.Allocate',
      propagate: true,
      why: 'create tenant pools and add guests to them',
    },
    {
      path: '/pool',
      privilege: 'Pool.Audit',
      propagate: true,
      why: 'list pools and their members',
      optional: true,
    },
    {
      path: '/mapping/pci',
      privilege: 'Mapping.Use',
      propagate: true,
      why: 'give guests mapped PCI devices (hostpciN: mapping=...)',
    },
    {
      path: '/mapping/pci',
      privilege: 'Mapping.Audit',
      propagate: true,
      why: 'list PCI resource mappings',
      optional: true,
    },
  ];
}

export interface PermissionReport {
  authId: string;
  pveVersion: string;
  required: PrivilegeRequirement[];
  /** Required privileges the token does not have (or has without propagation). */
  missing: PrivilegeRequirement[];
  /** Optional privileges the token does not have. */
  missingOptional: PrivilegeRequirement[];
  ok: boolean;
}

export interface PermissionSource {
  authId: string;
  version(): Promise<{ version: string }>;
  permissions(o: { path?: string }): Promise<Record<string, Record<string, number | boolean>>>;
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1';

/** Compares the caller's effective permissions with requiredPrivileges(). */
export async function checkPermissions(client: PermissionSource): Promise<PermissionReport> {
  const { version } = await client.version();
  const major = Number(/^(\d+)/.exec(version)?.[1] ?? 0);
  const required = requiredPrivileges(major);
  const paths = [...new Set(required.map((r) => r.path))];
  const effective = new Map<string, Record<string, number | boolean>>();
  await Promise.all(
    paths.map(async (path) => {
      const map = await client.permissions({ path });
      effective.set(path, map[path] ?? {});
    }),
  );
  const lacks = (r: PrivilegeRequirement) => {
    const privs = effective.get(r.path) ?? {};
    if (!(r.privilege in privs)) return true;
    return r.propagate && !truthy(privs[r.privilege]);
  };
  const missingAll = required.filter(lacks);
  const missing = missingAll.filter((r) => !r.optional);
  return {
    authId: client.authId,
    pveVersion: version,
    required,
    missing,
    missingOptional: missingAll.filter((r) => r.optional),
    ok: missing.length === 0,
  };
}
