// Conformance: every typed call of the client is driven against a local recording server, and every
// request it sends must be a path+method of the published PVE 9.1 schema with parameters that
// validate against that schema. The same requests are checked against PVE 8.4: differences are only
// allowed for the listed 9.x-only parameters/endpoints, and a client talking to an 8.x cluster must
// refuse those before sending anything (README §0.2, api-subset.json diff_vs_pve8_4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxmoxClient } from './client.js';
import { ProxmoxError } from './errors.js';
import type { SentRequest } from './http.js';
import { cloudInitDrive, diskAllocation, resizeArgument } from './property-strings.js';
import { formatUpid, isUpid } from './upid.js';
import { apiSurface } from './test/api-surface.js';
import { silentLogger, startFakeServer, type FakeServer } from './test/fake-server.js';
import { loadApiSchema, returnsType, matchPath, validateRequest, type HttpMethod } from './test/schema-validator.js';

const schemaDir = new URL('../../pve-schema/', import.meta.url);
const pve91 = loadApiSchema(new URL('apidata-9.1.json', schemaDir), '9.1');
const pve84 = loadApiSchema(new URL('apidata-8.4.json', schemaDir), '8.4');

const UPID = formatUpid({
  node: 'pve1',
  pid: 1,
  pstart: 1,
  starttime: 1_700_000_000,
  type: 'qmstart',
  id: '100',
  user: 'paas@pve!platform',
});

type Call = (c: ProxmoxClient) => Promise<unknown>;
/** `pve9`: the call uses parameters or endpoints that only exist on PVE 9. */
const calls: Record<string, { run: Call; pve9?: boolean }> = {
  version: { run: (c) => c.version() },
  checkPermissions: { run: (c) => c.checkPermissions() },
  permissions: { run: (c) => c.permissions({ path: '/vms', userid: 'paas@pve!platform' }) },
  waitForTask: { run: (c) => c.waitForTask(UPID, { onLog: () => undefined }) },

  'cluster.version': { run: (c) => c.cluster.version() },
  'cluster.nodes': { run: (c) => c.cluster.nodes() },
  'cluster.nodeStatus': { run: (c) => c.cluster.nodeStatus('pve1') },
  'cluster.nodeRrddata': { run: (c) => c.cluster.nodeRrddata('pve1', 'hour', 'MAX') },
  'cluster.nodeRrddata (decade)': { pve9: true, run: (c) => c.cluster.nodeRrddata('pve1', 'decade') },
  'cluster.resources': { run: (c) => c.cluster.resources('vm') },
  'cluster.status': { run: (c) => c.cluster.status() },
  'cluster.findGuest': { run: (c) => c.cluster.findGuest(100) },
  'cluster.nextId': { run: (c) => c.cluster.nextId() },
  'cluster.isVmidFree': { run: (c) => c.cluster.isVmidFree(4321) },

  'tasks.status': { run: (c) => c.tasks.status(UPID) },
  'tasks.log': { run: (c) => c.tasks.log(UPID, 10) },
  'tasks.stop': { run: (c) => c.tasks.stop(UPID) },
  'tasks.listNode': {
    run: (c) =>
      c.tasks.listNode('pve1', {
        vmid: 100,
        typefilter: 'qmstart',
        errors: true,
        source: 'all',
        limit: 10,
        start: 0,
        since: 1,
        until: 2,
      }),
  },
  'tasks.listCluster': { run: (c) => c.tasks.listCluster() },
  'tasks.wait': { run: (c) => c.tasks.wait(UPID) },
  'tasks.runRetryingLocks': { run: (c) => c.tasks.runRetryingLocks(async () => UPID) },

  'qemu.list': { run: (c) => c.qemu.list('pve1') },
  'qemu.create': {
    run: (c) =>
      c.qemu.create('pve1', {
        vmid: 100,
        name: 'web-1',
        memory: 2048,
        cores: 2,
        sockets: 1,
        cpu: 'x86-64-v2-AES',
        ostype: 'l26',
        bios: 'ovmf',
        machine: 'q35',
        scsihw: 'virtio-scsi-single',
        agent: true,
        boot: 'order=scsi0;net0',
        vga: 'std',
        efidisk0: 'local-lvm:1,efitype=4m,pre-enrolled-keys=1',
        net: {
          0: { model: 'virtio', macaddr: 'BC:24:11:00:00:01', bridge: 'vmbr0', tag: 20, firewall: true },
          1: { model: 'e1000', bridge: 'vnet1' },
        },
        scsi: { 0: { file: diskAllocation('local-lvm', '32G'), iothread: true, discard: 'on', ssd: true } },
        virtio: { 1: { file: 'local-lvm:vm-100-disk-1', cache: 'writeback' } },
        ide: { 2: cloudInitDrive('local-lvm') },
        hostpci: {
          0: { host: '0000:01:00.0', pcie: true, xVga: true },
          1: { mapping: 'gpu-a100', mdev: 'nvidia-1234' },
        },
        ipconfig: { 0: { ip: '10.0.0.5/24', gw: '10.0.0.1' }, 1: { ip: 'dhcp', ip6: 'auto' } },
        ciuser: 'ubuntu',
        cipassword: 'pw',
        sshkeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO+/x= me@host'],
        nameserver: '1.1.1.1 8.8.8.8',
        searchdomain: 'example.com',
        tags: ['tenant-a', 'web'],
        description: 'hello, world',
        onboot: true,
        pool: 'tenant-a',
        start: false,
      }),
  },
  'qemu.create (PVE 9 params)': {
    pve9: true,
    run: (c) => c.qemu.create('pve1', { vmid: 101, 'allow-ksm': false, 'ha-managed': true }),
  },
  'qemu.status': { run: (c) => c.qemu.status('pve1', 100) },
  'qemu.pending': { run: (c) => c.qemu.pending('pve1', 100) },
  'lxc.pending': { run: (c) => c.lxc.pending('pve1', 200) },
  'qemu.getConfig': { run: (c) => c.qemu.getConfig('pve1', 100, { current: true }) },
  'qemu.setConfig': {
    run: (c) =>
      c.qemu.setConfig(
        'pve1',
        100,
        { memory: 4096, net: { 0: { model: 'virtio', bridge: 'vmbr0' } } },
        { delete: ['net1', 'hostpci0'], digest: 'abc', skiplock: true },
      ),
  },
  'qemu.setConfigAsync': {
    run: (c) => c.qemu.setConfigAsync('pve1', 100, { scsi: { 1: { file: 'local-lvm:10' } } }, { backgroundDelay: 5 }),
  },
  'qemu.start': { run: (c) => c.qemu.start('pve1', 100, { timeout: 120, machine: 'q35' }) },
  'qemu.stop': { run: (c) => c.qemu.stop('pve1', 100, { timeout: 30, keepActive: true, overruleShutdown: true }) },
  'qemu.shutdown': { run: (c) => c.qemu.shutdown('pve1', 100, { timeout: 60, forceStop: true }) },
  'qemu.reboot': { run: (c) => c.qemu.reboot('pve1', 100, { timeout: 60 }) },
  'qemu.reset': { run: (c) => c.qemu.reset('pve1', 100) },
  'qemu.suspend': { run: (c) => c.qemu.suspend('pve1', 100, { todisk: true }) },
  'qemu.resume': { run: (c) => c.qemu.resume('pve1', 100) },
  'qemu.clone': {
    run: (c) =>
      c.qemu.clone('pve1', 9000, {
        newid: 102,
        name: 'web-2',
        full: true,
        storage: 'local-lvm',
        format: 'raw',
        target: 'pve2',
        pool: 'tenant-a',
        bwlimit: 1000,
        description: 'x',
      }),
  },
  'qemu.resize': { run: (c) => c.qemu.resize('pve1', 100, 'scsi0', resizeArgument(10 * 1024 ** 3, 'grow')) },
  'qemu.migrate': {
    run: (c) =>
      c.qemu.migrate('pve1', 100, {
        target: 'pve2',
        online: true,
        withLocalDisks: true,
        targetstorage: 'local-lvm',
        bwlimit: 100,
      }),
  },
  'qemu.migratePrecheck': { run: (c) => c.qemu.migratePrecheck('pve1', 100, 'pve2') },
  'qemu.listSnapshots': { run: (c) => c.qemu.listSnapshots('pve1', 100) },
  'qemu.createSnapshot': {
    run: (c) => c.qemu.createSnapshot('pve1', 100, 'before_upgrade', { description: 'x', vmstate: true }),
  },
  'qemu.rollbackSnapshot': { run: (c) => c.qemu.rollbackSnapshot('pve1', 100, 'before_upgrade', { start: true }) },
  'qemu.deleteSnapshot': { run: (c) => c.qemu.deleteSnapshot('pve1', 100, 'before_upgrade', { force: true }) },
  'qemu.destroy': {
    run: (c) => c.qemu.destroy('pve1', 100, { purge: true, destroyUnreferencedDisks: true, skiplock: true }),
  },
  'qemu.vncproxy': { run: (c) => c.qemu.vncproxy('pve1', 100) },
  'qemu.termproxy': { run: (c) => c.qemu.termproxy('pve1', 100, { serial: 'serial0' }) },
  'qemu.rrddata': { run: (c) => c.qemu.rrddata('pve1', 100, 'day', 'AVERAGE') },
  'qemu.agentNetworkInterfaces': { run: (c) => c.qemu.agentNetworkInterfaces('pve1', 100) },
  'qemu.convertToTemplate': { run: (c) => c.qemu.convertToTemplate('pve1', 100) },
  'qemu.firewall.listRules': { run: (c) => c.qemu.firewall.listRules('pve1', 100) },
  'qemu.firewall.getRule': { run: (c) => c.qemu.firewall.getRule('pve1', 100, 0) },
  'qemu.firewall.createRule': {
    run: (c) =>
      c.qemu.firewall.createRule('pve1', 100, {
        type: 'in',
        action: 'ACCEPT',
        proto: 'tcp',
        dport: '22',
        source: '10.0.0.0/8',
        iface: 'net0',
        log: 'nolog',
        enable: true,
        comment: 'ssh',
        pos: 0,
      }),
  },
  'qemu.firewall.updateRule': {
    run: (c) => c.qemu.firewall.updateRule('pve1', 100, 0, { moveto: 2, enable: false, delete: ['comment'] }),
  },
  'qemu.firewall.deleteRule': { run: (c) => c.qemu.firewall.deleteRule('pve1', 100, 0, { digest: 'abc' }) },
  'qemu.firewall.getOptions': { run: (c) => c.qemu.firewall.getOptions('pve1', 100) },
  'qemu.firewall.setOptions': {
    run: (c) =>
      c.qemu.firewall.setOptions('pve1', 100, {
        enable: true,
        policy_in: 'DROP',
        policy_out: 'ACCEPT',
        ipfilter: true,
        macfilter: true,
        ndp: true,
        dhcp: true,
        log_level_in: 'info',
      }),
  },

  'lxc.list': { run: (c) => c.lxc.list('pve1') },
  'lxc.create': {
    run: (c) =>
      c.lxc.create('pve1', {
        vmid: 200,
        ostemplate: 'local:vztmpl/debian-12-standard_12.2-1_amd64.tar.zst',
        hostname: 'ct-1',
        memory: 512,
        swap: 512,
        cores: 1,
        rootfs: { volume: diskAllocation('local-lvm', '8G') },
        mp: { 0: { volume: 'local-lvm:10', mp: '/data', backup: true } },
        net: {
          0: {
            name: 'eth0',
            bridge: 'vmbr0',
            ip: 'dhcp',
            ip6: 'auto',
            firewall: true,
            hwaddr: 'BC:24:11:00:00:02',
            tag: 30,
          },
        },
        features: 'nesting=1,keyctl=1',
        password: 'secret-pw',
        sshPublicKeys: ['ssh-ed25519 AAAA me@host'],
        unprivileged: true,
        nameserver: '1.1.1.1',
        tags: ['tenant-a'],
        pool: 'tenant-a',
        start: true,
      }),
  },
  'lxc.create (PVE 9 params)': {
    pve9: true,
    run: (c) =>
      c.lxc.create('pve1', {
        vmid: 201,
        ostemplate: 'local:vztmpl/alpine.tar.xz',
        entrypoint: '/bin/sh',
        'ha-managed': true,
      }),
  },
  'lxc.status': { run: (c) => c.lxc.status('pve1', 200) },
  'lxc.getConfig': { run: (c) => c.lxc.getConfig('pve1', 200, { snapshot: 'snap1' }) },
  'lxc.setConfig': {
    run: (c) =>
      c.lxc.setConfig(
        'pve1',
        200,
        { memory: 1024, net: { 1: { name: 'eth1', bridge: 'vnet1', ip: '10.1.0.2/24', gw: '10.1.0.1' } } },
        { delete: ['mp0'], digest: 'abc' },
      ),
  },
  'lxc.start': { run: (c) => c.lxc.start('pve1', 200, { skiplock: true }) },
  'lxc.stop': { run: (c) => c.lxc.stop('pve1', 200, { overruleShutdown: true }) },
  'lxc.shutdown': { run: (c) => c.lxc.shutdown('pve1', 200, { timeout: 60, forceStop: true }) },
  'lxc.reboot': { run: (c) => c.lxc.reboot('pve1', 200, { timeout: 30 }) },
  'lxc.suspend': { run: (c) => c.lxc.suspend('pve1', 200) },
  'lxc.resume': { run: (c) => c.lxc.resume('pve1', 200) },
  'lxc.clone': {
    run: (c) =>
      c.lxc.clone('pve1', 200, {
        newid: 202,
        name: 'ct-2',
        full: true,
        storage: 'local-lvm',
        pool: 'tenant-a',
        target: 'pve2',
      }),
  },
  'lxc.resize': { run: (c) => c.lxc.resize('pve1', 200, 'rootfs', '16G') },
  'lxc.migrate': {
    run: (c) => c.lxc.migrate('pve1', 200, { target: 'pve2', restart: true, timeout: 180, targetstorage: 'local-lvm' }),
  },
  'lxc.migratePrecheck': { pve9: true, run: (c) => c.lxc.migratePrecheck('pve1', 200, 'pve2') },
  'lxc.listSnapshots': { run: (c) => c.lxc.listSnapshots('pve1', 200) },
  'lxc.createSnapshot': { run: (c) => c.lxc.createSnapshot('pve1', 200, 'snap1', { description: 'x' }) },
  'lxc.rollbackSnapshot': { run: (c) => c.lxc.rollbackSnapshot('pve1', 200, 'snap1', { start: true }) },
  'lxc.deleteSnapshot': { run: (c) => c.lxc.deleteSnapshot('pve1', 200, 'snap1') },
  'lxc.destroy': {
    run: (c) => c.lxc.destroy('pve1', 200, { purge: true, force: true, destroyUnreferencedDisks: true }),
  },
  'lxc.vncproxy': { run: (c) => c.lxc.vncproxy('pve1', 200, { width: 800, height: 600 }) },
  'lxc.termproxy': { run: (c) => c.lxc.termproxy('pve1', 200) },
  'lxc.rrddata': { run: (c) => c.lxc.rrddata('pve1', 200, 'week') },
  'lxc.interfaces': { run: (c) => c.lxc.interfaces('pve1', 200) },
  'lxc.convertToTemplate': { run: (c) => c.lxc.convertToTemplate('pve1', 200) },
  'lxc.firewall.listRules': { run: (c) => c.lxc.firewall.listRules('pve1', 200) },
  'lxc.firewall.getRule': { run: (c) => c.lxc.firewall.getRule('pve1', 200, 1) },
  'lxc.firewall.createRule': {
    run: (c) => c.lxc.firewall.createRule('pve1', 200, { type: 'group', action: 'tenant_a' }),
  },
  'lxc.firewall.updateRule': { run: (c) => c.lxc.firewall.updateRule('pve1', 200, 1, { action: 'DROP', type: 'in' }) },
  'lxc.firewall.deleteRule': { run: (c) => c.lxc.firewall.deleteRule('pve1', 200, 1) },
  'lxc.firewall.getOptions': { run: (c) => c.lxc.firewall.getOptions('pve1', 200) },
  'lxc.firewall.setOptions': {
    run: (c) => c.lxc.firewall.setOptions('pve1', 200, { enable: false, delete: ['log_level_in'] }),
  },

  'storage.listConfig': { run: (c) => c.storage.listConfig('lvmthin') },
  'storage.list': { run: (c) => c.storage.list('pve1', { content: 'images', enabled: true }) },
  'storage.content': { run: (c) => c.storage.content('pve1', 'local', { content: 'vztmpl', vmid: 100 }) },
  'ceph.status': { run: (c) => c.ceph.status() },
  'ceph.status (node)': { run: (c) => c.ceph.status('pve1') },
  'ceph.osds': { run: (c) => c.ceph.osds('pve1') },
  'ceph.pools': { run: (c) => c.ceph.pools('pve1') },
  'hardware.pciDevices': { run: (c) => c.hardware.pciDevices('pve1', { verbose: true, classBlacklist: '05;06;0b' }) },
  'hardware.mdevTypes': { run: (c) => c.hardware.mdevTypes('pve1', '0000:01:00.0') },
  'pciMappings.list': { run: (c) => c.pciMappings.list({ checkNode: 'pve1' }) },
  'pciMappings.get': { run: (c) => c.pciMappings.get('gpu-a100') },
  'pciMappings.create': {
    run: (c) =>
      c.pciMappings.create({
        id: 'gpu-a100',
        description: 'A100',
        mdev: true,
        map: [
          { node: 'pve1', path: '0000:01:00.0', id: '10de:20b0', iommugroup: 3, 'subsystem-id': '10de:1450' },
          { node: 'pve2', path: '0000:81:00.0', id: '10de:20b0' },
        ],
      }),
  },
  'pciMappings.update': {
    run: (c) => c.pciMappings.update('gpu-a100', { description: 'x', delete: ['mdev'], digest: 'abc' }),
  },
  'pciMappings.delete': { run: (c) => c.pciMappings.delete('gpu-a100') },
  'firewall.getOptions': { run: (c) => c.firewall.getOptions() },
  'firewall.setOptions': { run: (c) => c.firewall.setOptions({ enable: true, policy_in: 'DROP' }) },
  'pools.list': { run: (c) => c.pools.list({ type: 'qemu' }) },
  'pools.get': { run: (c) => c.pools.get('tenant-a') },
  'pools.create': { run: (c) => c.pools.create('tenant-a', 'Tenant A') },
  'pools.update': {
    run: (c) => c.pools.update('tenant-a', { vms: [100, 101], storage: ['local-lvm'], allowMove: true }),
  },
  'pools.delete': { run: (c) => c.pools.delete('tenant-a') },
  'sdn.zones': { run: (c) => c.sdn.zones({ type: 'vxlan', pending: true }) },
  'sdn.createZone': {
    run: (c) =>
      c.sdn.createZone({
        zone: 'tenants',
        type: 'vxlan',
        peers: ['10.0.0.1', '10.0.0.2'],
        mtu: 1450,
        nodes: ['pve1', 'pve2'],
      }),
  },
  'sdn.deleteZone': { run: (c) => c.sdn.deleteZone('tenants') },
  'sdn.vnets': { run: (c) => c.sdn.vnets({ running: true }) },
  'sdn.createVnet': {
    run: (c) =>
      c.sdn.createVnet({ vnet: 'tenanta', zone: 'tenants', tag: 1000, alias: 'Tenant A', isolatePorts: true }),
  },
  'sdn.createVnet (PVE 9 lock)': {
    pve9: true,
    run: (c) => c.sdn.createVnet({ vnet: 'tenantb', zone: 'tenants' }, { lockToken: 'tok' }),
  },
  'sdn.updateVnet': { run: (c) => c.sdn.updateVnet('tenanta', { alias: 'A', delete: ['tag'] }) },
  'sdn.deleteVnet': { run: (c) => c.sdn.deleteVnet('tenanta') },
  'sdn.subnets': { run: (c) => c.sdn.subnets('tenanta') },
  'sdn.createSubnet': {
    run: (c) =>
      c.sdn.createSubnet('tenanta', {
        subnet: '10.10.0.0/24',
        gateway: '10.10.0.1',
        snat: true,
        dhcpRange: [{ start: '10.10.0.100', end: '10.10.0.200' }],
      }),
  },
  'sdn.deleteSubnet': { run: (c) => c.sdn.deleteSubnet('tenanta', 'tenants-10.10.0.0-24') },
  'sdn.apply': { run: (c) => c.sdn.apply() },
  'sdn.apply (PVE 9 lock)': { pve9: true, run: (c) => c.sdn.apply({ lockToken: 'tok', releaseLock: true }) },
  'access.users': { run: (c) => c.access.users({ enabled: true, full: true }) },
  'access.createUser': {
    run: (c) =>
      c.access.createUser({
        userid: 'tenant-a@pve',
        password: 'long-enough-secret',
        email: 'a@example.com',
        groups: ['tenants'],
        enable: true,
      }),
  },
  'access.deleteUser': { run: (c) => c.access.deleteUser('tenant-a@pve') },
  'access.tokens': { run: (c) => c.access.tokens('paas@pve') },
  'access.createToken': {
    run: (c) => c.access.createToken('paas@pve', 'platform', { privsep: true, comment: 'PaaS', expire: 0 }),
  },
  'access.deleteToken': { run: (c) => c.access.deleteToken('paas@pve', 'platform') },
  'access.acl': { run: (c) => c.access.acl() },
  'access.updateAcl': {
    run: (c) =>
      c.access.updateAcl({
        path: '/vms',
        roles: ['PVEVMAdmin', 'PVEAuditor'],
        tokens: ['paas@pve!platform'],
        users: ['paas@pve'],
        propagate: true,
      }),
  },
  'access.roles': { run: (c) => c.access.roles() },
  'access.permissions': { run: (c) => c.access.permissions({ path: '/' }) },
};

/** Calls whose TypeScript result is a TaskId (UPID). */
const TASK_CALLS = [
  ...[
    'start',
    'stop',
    'shutdown',
    'reboot',
    'suspend',
    'resume',
    'clone',
    'resize',
    'migrate',
    'createSnapshot',
    'rollbackSnapshot',
    'deleteSnapshot',
    'destroy',
    'create',
  ].flatMap((m) => [`qemu.${m}`, `lxc.${m}`]),
  'qemu.reset',
  'qemu.convertToTemplate',
  'sdn.apply',
];

interface Recorded extends SentRequest {
  call: string;
}

async function driveAll(
  version: string,
  srv: FakeServer,
): Promise<{ sent: Recorded[]; results: Map<string, unknown> }> {
  const sent: Recorded[] = [];
  let current = '';
  srv.handle((r) => {
    if (r.path === '/version')
      return { body: { data: { version, release: version.split('.').slice(0, 2).join('.'), repoid: 'abc' } } };
    if (r.path.endsWith('/status') && r.path.includes('/tasks/')) {
      return { body: { data: { upid: UPID, node: 'pve1', status: 'stopped', exitstatus: 'OK' } } };
    }
    if (r.path.endsWith('/vncproxy') || r.path.endsWith('/termproxy')) {
      return { body: { data: { user: 'paas@pve!platform', ticket: 'PVEVNC:x', port: '5900', upid: UPID } } };
    }
    const m = matchPath(pve91, r.path);
    const type = m ? returnsType(pve91, r.method as HttpMethod, m.template) : undefined;
    const data =
      type === 'array' ? [] : type === 'object' ? {} : type === 'string' ? UPID : type === 'integer' ? 1 : null;
    return { body: { data } };
  });
  const client = new ProxmoxClient({
    url: srv.url,
    auth: { type: 'token', tokenId: 'paas@pve!platform', secret: 's' },
    logger: silentLogger,
    onRequest: (r) => sent.push({ ...r, call: current }),
    taskClock: { now: () => 0, sleep: async () => undefined },
  });
  const results = new Map<string, unknown>();
  for (const [name, { run }] of Object.entries(calls)) {
    current = name;
    results.set(name, await run(client).catch((e: unknown) => e));
  }
  client.close();
  return { sent, results };
}

let srv: FakeServer;
beforeAll(async () => {
  srv = await startFakeServer();
});
afterAll(() => srv.close());

describe('conformance with the published API schema', () => {
  it('drives every public typed call', () => {
    const c = new ProxmoxClient({
      url: 'https://pve.invalid:8006',
      auth: { type: 'token', tokenId: 'a@pve!b', secret: 'x' },
      logger: silentLogger,
    });
    // openConsole opens a websocket (no request to record); its URL is checked below.
    const all = apiSurface(c).filter((m) => m !== 'openConsole');
    c.close();
    const driven = new Set(Object.keys(calls).map((k) => k.replace(/ \(.*\)$/, '')));
    expect(all.filter((m) => !driven.has(m))).toEqual([]);
  });

  it('PVE 9.1: every request exists in the 9.1 schema and its parameters validate', async () => {
    const { sent, results } = await driveAll('9.1.2', srv);
    for (const [name, r] of results) expect(r instanceof Error ? `${name}: ${r.message}` : 'ok').toBe('ok');
    // Calls typed as returning a task id hit endpoints whose schema `returns` is a string (the
    // recording server answers a UPID exactly then, null for `returns: null`).
    const notUpid = TASK_CALLS.filter((name) => !isUpid(results.get(name)));
    expect(notUpid).toEqual([]);
    const problems: string[] = [];
    const unchecked = new Set<string>();
    const endpoints = new Set<string>();
    for (const r of sent) {
      const v = validateRequest(pve91, r.method as HttpMethod, r.path, r.params);
      v.uncheckedFormats.forEach((f) => unchecked.add(f));
      if (v.template) endpoints.add(`${r.method} ${v.template}`);
      problems.push(...v.errors.map((e) => `[${r.call}] ${r.method} ${r.path}: ${e}`));
    }
    expect(problems).toEqual([]);
    // Formats the validator cannot check must not hide client mistakes: only these free-form ones.
    const freeForm = [
      'pve-fw-addr-spec',
      'pve-fw-dport-spec',
      'pve-fw-protocol-spec',
      'pve-fw-sport-spec',
      'pve-fw-icmp-type-spec',
      'pve-qm-boot',
      'pve-vm-cpu-conf',
    ];
    expect([...unchecked].filter((f) => !freeForm.includes(f))).toEqual([]);
    expect(endpoints.size).toBeGreaterThan(90);
  });

  it('ticket login and renewal requests validate too', async () => {
    srv.handle((r) =>
      r.path === '/access/ticket'
        ? {
            body: {
              data: { username: 'paas@pve', ticket: 'PVE:paas@pve:6553F100::sig', CSRFPreventionToken: '6553F100:tok' },
            },
          }
        : { body: { data: { version: '9.1.2' } } },
    );
    const sent: SentRequest[] = [];
    let now = 0;
    const c = new ProxmoxClient({
      url: srv.url,
      auth: { type: 'ticket', username: 'paas', realm: 'pve', password: 'pw' },
      logger: silentLogger,
      now: () => now,
      onRequest: (r) => sent.push(r),
    });
    await c.cluster.version();
    now += 2 * 3600_000;
    await c.cluster.version();
    c.close();
    const logins = sent.filter((r) => r.path === '/access/ticket');
    expect(logins.map((r) => r.params.get('password'))).toEqual(['pw', 'PVE:paas@pve:6553F100::sig']);
    for (const r of logins) expect(validateRequest(pve91, 'POST', r.path, r.params).errors).toEqual([]);
  });

  it("the console websocket URL is the schema's vncwebsocket GET with valid parameters", () => {
    const c = new ProxmoxClient({
      url: 'https://pve.invalid:8006',
      auth: { type: 'token', tokenId: 'a@pve!b', secret: 'x' },
      logger: silentLogger,
    });
    for (const api of [c.qemu, c.lxc]) {
      const url = new URL(api.vncWebsocketPath('pve1', 100, 5901, 'PVEVNC:6553F100::c2ln+/=='), 'https://x');
      for (const schema of [pve91, pve84]) {
        expect(validateRequest(schema, 'GET', url.pathname, url.searchParams).errors).toEqual([]);
      }
    }
    c.close();
  });

  it('PVE 8.4: the same requests differ only in the known 9.x-only parameters/endpoints', async () => {
    const { sent } = await driveAll('9.1.2', srv);
    const diffs = new Set<string>();
    for (const r of sent) {
      const v = validateRequest(pve84, r.method as HttpMethod, r.path, r.params);
      for (const e of v.errors)
        diffs.add(`[${r.call}] ${e.replace(/ in PVE 8\.4| of (GET|POST|PUT|DELETE) \S+/g, '')}`);
    }
    expect([...diffs].sort()).toEqual(
      [
        "[cluster.nodeRrddata (decade)] timeframe: 'decade' not in enum hour|day|week|month|year",
        '[lxc.create (PVE 9 params)] entrypoint: not a parameter',
        '[lxc.create (PVE 9 params)] ha-managed: not a parameter',
        '[lxc.migratePrecheck] GET /nodes/pve1/lxc/200/migrate: no such endpoint',
        '[qemu.create (PVE 9 params)] allow-ksm: not a parameter',
        '[qemu.create (PVE 9 params)] ha-managed: not a parameter',
        '[sdn.apply (PVE 9 lock)] lock-token: not a parameter',
        '[sdn.apply (PVE 9 lock)] release-lock: not a parameter',
        '[sdn.createVnet (PVE 9 lock)] lock-token: not a parameter',
      ].sort(),
    );
  });

  it('against a PVE 8.4 cluster the client refuses 9.x-only calls before sending, and the rest validates against 8.4', async () => {
    const { sent, results } = await driveAll('8.4.1', srv);
    for (const [name, { pve9 }] of Object.entries(calls)) {
      const r = results.get(name);
      if (pve9) {
        expect(r, name).toBeInstanceOf(ProxmoxError);
        expect((r as ProxmoxError).code, name).toBe('NOT_IMPLEMENTED');
        expect(
          sent.filter((s) => s.call === name && s.path !== '/version'),
          name,
        ).toEqual([]);
      } else {
        expect(r instanceof Error ? `${name}: ${r.message}` : 'ok').toBe('ok');
      }
    }
    const problems = sent.flatMap((r) =>
      validateRequest(pve84, r.method as HttpMethod, r.path, r.params).errors.map((e) => `[${r.call}] ${e}`),
    );
    expect(problems).toEqual([]);
    // The permission check asks for VM.Monitor (8.x name) instead of VM.GuestAgent.Audit.
    const report = results.get('checkPermissions') as { required: { privilege: string }[] };
    expect(report.required.map((p) => p.privilege)).toContain('VM.Monitor');
  });
});
