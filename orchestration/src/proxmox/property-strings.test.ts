import { describe, expect, it } from 'vitest';
import {
  cloudInitDrive,
  decodeSshKeys,
  diskAllocation,
  encodeSshKeys,
  formatHostPci,
  formatIpConfig,
  formatLxcMountPoint,
  formatLxcNet,
  formatLxcRootfs,
  formatPropertyString,
  formatQemuDisk,
  formatQemuNet,
  formatSize,
  indexed,
  parseHostPci,
  parseIpConfig,
  parseLxcMountPoint,
  parseLxcNet,
  parseLxcRootfs,
  parsePropertyString,
  parseQemuDisk,
  parseQemuNet,
  parseSize,
  resizeArgument,
} from './property-strings.js';

describe('generic property strings', () => {
  it('parses key=value lists with a bare default key', () => {
    expect(parsePropertyString('local-lvm:vm-100-disk-0,size=32G,ssd=1', 'file')).toEqual({
      file: 'local-lvm:vm-100-disk-0',
      size: '32G',
      ssd: '1',
    });
  });
  it('rejects a bare item without a default key', () => {
    expect(() => parsePropertyString('foo,bar=1')).toThrow(/no key/);
  });
  it('formats booleans as 1/0, drops undefined, puts the default key first', () => {
    expect(formatPropertyString({ a: true, file: 'x:1', b: undefined, c: false, d: 3 }, 'file')).toBe(
      'x:1,a=1,c=0,d=3',
    );
  });
  it('refuses values containing commas', () => {
    expect(() => formatPropertyString({ a: 'x,y' })).toThrow(/must not contain/);
  });
});

describe('sizes', () => {
  it.each([
    ['32G', 32 * 1024 ** 3],
    ['512M', 512 * 1024 ** 2],
    ['1.5T', 1.5 * 1024 ** 4],
    ['4K', 4096],
    ['100', 100],
    ['8GiB', 8 * 1024 ** 3],
  ])('%s → bytes', (s, bytes) => expect(parseSize(s)).toBe(bytes));
  it('rejects garbage', () => expect(() => parseSize('32X')).toThrow(/invalid size/));
  it('formats with the largest exact unit', () => {
    expect(formatSize(32 * 1024 ** 3)).toBe('32G');
    expect(formatSize(1536 * 1024 ** 2)).toBe('1536M');
    expect(formatSize(1000)).toBe('1000');
    expect(resizeArgument(10 * 1024 ** 3, 'grow')).toBe('+10G');
  });
});

describe('qemu net[n]', () => {
  it('builds model=MAC with bridge, tag and firewall', () => {
    expect(
      formatQemuNet({ model: 'virtio', macaddr: 'bc:24:11:aa:bb:cc', bridge: 'vmbr0', tag: 20, firewall: true }),
    ).toBe('virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,tag=20,firewall=1');
  });
  it('builds a bare model when no MAC is given', () => {
    expect(formatQemuNet({ model: 'e1000', bridge: 'vmbr1', trunks: [10, 20] })).toBe(
      'e1000,bridge=vmbr1,trunks=10;20',
    );
  });
  it('parses what Proxmox returns', () => {
    expect(parseQemuNet('virtio=BC:24:11:2E:7A:01,bridge=vmbr0,firewall=1,tag=5')).toMatchObject({
      model: 'virtio',
      macaddr: 'BC:24:11:2E:7A:01',
      bridge: 'vmbr0',
      firewall: true,
      tag: 5,
    });
    expect(parseQemuNet('model=virtio,macaddr=BC:24:11:2E:7A:01')).toMatchObject({
      model: 'virtio',
      macaddr: 'BC:24:11:2E:7A:01',
    });
  });
  it('round-trips', () => {
    const n = { model: 'virtio' as const, macaddr: 'BC:24:11:00:00:01', bridge: 'vmbr0', tag: 7, firewall: false };
    expect(parseQemuNet(formatQemuNet(n))).toMatchObject(n);
  });
});

describe('qemu disks and cloud-init', () => {
  it('allocation syntax is storage:GiB', () => {
    expect(diskAllocation('local-lvm', '32G')).toBe('local-lvm:32');
    expect(diskAllocation('ceph', 512 * 1024 ** 2)).toBe('ceph:0.5');
  });
  it('formats and parses a disk', () => {
    const s = formatQemuDisk({ file: 'local-lvm:vm-100-disk-0', size: 32 * 1024 ** 3, iothread: true, discard: 'on' });
    expect(s).toBe('local-lvm:vm-100-disk-0,discard=on,iothread=1,size=32G');
    expect(parseQemuDisk('local-lvm:vm-100-disk-0,size=32G,ssd=1')).toMatchObject({
      file: 'local-lvm:vm-100-disk-0',
      size: 32 * 1024 ** 3,
      ssd: true,
    });
  });
  it('cloud-init drive', () => {
    expect(cloudInitDrive('local-lvm')).toBe('local-lvm:cloudinit');
    expect(parseQemuDisk('local-lvm:vm-100-cloudinit,media=cdrom')).toMatchObject({ media: 'cdrom' });
  });
  it('ipconfig', () => {
    expect(formatIpConfig({ ip: '10.0.0.5/24', gw: '10.0.0.1' })).toBe('ip=10.0.0.5/24,gw=10.0.0.1');
    expect(formatIpConfig({ ip: 'dhcp', ip6: 'auto' })).toBe('ip=dhcp,ip6=auto');
    expect(parseIpConfig('ip=dhcp,ip6=auto')).toEqual({ ip: 'dhcp', ip6: 'auto', gw: undefined, gw6: undefined });
  });
  it('sshkeys are URL-encoded with %20 for spaces', () => {
    const keys = ['ssh-ed25519 AAAAC3Nz+/= user@host', 'ssh-rsa AAAAB3 other'];
    const enc = encodeSshKeys(keys);
    expect(enc).toBe('ssh-ed25519%20AAAAC3Nz%2B%2F%3D%20user%40host%0Assh-rsa%20AAAAB3%20other');
    expect(enc).toMatch(/^[-%a-zA-Z0-9_.!~*'()]*$/); // Proxmox's `urlencoded` format check
    expect(decodeSshKeys(enc)).toEqual(keys);
  });
});

describe('hostpci[n]', () => {
  it('host id with pcie and x-vga', () => {
    expect(formatHostPci({ host: '0000:01:00.0', pcie: true, xVga: true })).toBe('0000:01:00.0,pcie=1,x-vga=1');
  });
  it('mapping and mdev', () => {
    expect(formatHostPci({ mapping: 'gpu-a100', pcie: true })).toBe('mapping=gpu-a100,pcie=1');
    expect(formatHostPci({ host: '0000:81:00.4', mdev: 'nvidia-1234' })).toBe('0000:81:00.4,mdev=nvidia-1234');
  });
  it('several VFs joined with ;', () => {
    expect(formatHostPci({ host: ['01:00.1', '01:00.2'] })).toBe('01:00.1;01:00.2');
  });
  it('needs exactly one of host or mapping, and a valid id', () => {
    expect(() => formatHostPci({})).toThrow(/exactly one/);
    expect(() => formatHostPci({ host: '01:00.0', mapping: 'x' })).toThrow(/exactly one/);
    expect(() => formatHostPci({ host: 'zz:00.0' })).toThrow(/invalid PCI id/);
  });
  it('parses', () => {
    expect(parseHostPci('0000:01:00,pcie=1,x-vga=1')).toMatchObject({ host: '0000:01:00', pcie: true, xVga: true });
    expect(parseHostPci('mapping=gpu,mdev=nvidia-1')).toMatchObject({ mapping: 'gpu', mdev: 'nvidia-1' });
  });
});

describe('lxc', () => {
  it('net[n]', () => {
    const s = formatLxcNet({ name: 'eth0', bridge: 'vmbr0', ip: 'dhcp', hwaddr: 'bc:24:11:00:00:02', firewall: true });
    expect(s).toBe('name=eth0,bridge=vmbr0,ip=dhcp,hwaddr=BC:24:11:00:00:02,firewall=1');
    expect(parseLxcNet('name=eth0,bridge=vmbr0,ip=10.1.0.2/24,gw=10.1.0.1,type=veth')).toMatchObject({
      name: 'eth0',
      ip: '10.1.0.2/24',
      gw: '10.1.0.1',
      type: 'veth',
    });
  });
  it('rootfs and mp[n]', () => {
    expect(formatLxcRootfs({ volume: diskAllocation('local-lvm', '8G') })).toBe('local-lvm:8');
    expect(
      formatLxcRootfs({ volume: 'local-lvm:vm-101-disk-0', size: 8 * 1024 ** 3, mountoptions: ['noatime', 'nodev'] }),
    ).toBe('local-lvm:vm-101-disk-0,mountoptions=noatime;nodev,size=8G');
    expect(parseLxcRootfs('local-lvm:vm-101-disk-0,size=8G')).toMatchObject({
      volume: 'local-lvm:vm-101-disk-0',
      size: 8 * 1024 ** 3,
    });
    const mp = formatLxcMountPoint({ volume: 'local-lvm:10', mp: '/data', backup: true });
    expect(mp).toBe('local-lvm:10,mp=/data,backup=1');
    expect(parseLxcMountPoint('local-lvm:vm-101-disk-1,mp=/data,size=10G')).toMatchObject({
      mp: '/data',
      size: 10 * 1024 ** 3,
    });
  });
});

describe('indexed keys', () => {
  it('flattens to name0, name1', () => {
    expect(indexed('net', { 0: { model: 'virtio' as const }, 3: 'e1000,bridge=vmbr1' }, formatQemuNet)).toEqual({
      net0: 'virtio',
      net3: 'e1000,bridge=vmbr1',
    });
  });
});
