import { describe, expect, it } from 'vitest';
import { lxcConfigView, qemuConfigView } from './config.js';

describe('config views', () => {
  it('qemu: nets, disks (incl. cloud-init), hostpci, ipconfig, memory, sshkeys, tags', () => {
    const v = qemuConfigView({
      name: 'web-1',
      memory: 'current=4096',
      cores: 2,
      sockets: '1',
      net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1,tag=20',
      net2: 'e1000=BC:24:11:00:00:02,bridge=vnet1',
      scsi0: 'local-lvm:vm-100-disk-0,discard=on,iothread=1,size=32G',
      ide2: 'local-lvm:vm-100-cloudinit,media=cdrom',
      efidisk0: 'local-lvm:vm-100-disk-1,efitype=4m,size=4M',
      hostpci0: 'mapping=gpu-l4,mdev=nvidia-922,pcie=1',
      ipconfig0: 'ip=10.0.0.5/24,gw=10.0.0.1',
      sshkeys: 'ssh-ed25519%20AAAA%20me%40host%0A',
      tags: 'tenant-a;web',
      template: 0,
      digest: 'abc',
    });
    expect(v).toMatchObject({
      name: 'web-1',
      memory: 4096,
      cores: 2,
      sockets: 1,
      template: false,
      tags: ['tenant-a', 'web'],
      digest: 'abc',
    });
    expect(Object.keys(v.nets)).toEqual(['0', '2']);
    expect(v.nets[0]).toMatchObject({ model: 'virtio', macaddr: 'BC:24:11:00:00:01', tag: 20, firewall: true });
    expect(v.disks.scsi0).toMatchObject({ file: 'local-lvm:vm-100-disk-0', size: 32 * 1024 ** 3, iothread: true });
    expect(v.disks.ide2).toMatchObject({ media: 'cdrom' });
    expect(v.disks.efidisk0?.size).toBe(4 * 1024 ** 2);
    expect(v.hostpci[0]).toMatchObject({ mapping: 'gpu-l4', mdev: 'nvidia-922', pcie: true });
    expect(v.ipconfig[0]).toMatchObject({ ip: '10.0.0.5/24', gw: '10.0.0.1' });
    expect(v.sshkeys).toEqual(['ssh-ed25519 AAAA me@host']);
  });

  it('qemu: plain numeric memory (older PVE) and a template', () => {
    expect(qemuConfigView({ memory: 2048, template: '1' })).toMatchObject({ memory: 2048, template: true });
  });

  it('qemu: shapes seen from PVE 7 (numeric memory, agent options, cloud-init on ide0, sizes in M)', () => {
    // Shapes as in a recorded PVE 7 config reply (README §2: memory was a number before PVE 8).
    const v = qemuConfigView({
      memory: 2000,
      cores: 2,
      agent: '1,fstrim_cloned_disks=1',
      sata0: 'local-lvm:vm-4242-disk-0,discard=on,size=4712M,ssd=1',
      ide0: 'local-lvm:vm-4242-cloudinit,media=cdrom,size=4M',
      net0: 'virtio=66:87:C3:0D:86:13,bridge=vmbr1',
      ipconfig0: 'ip=192.0.2.10/24,gw=192.0.2.1',
      cipassword: '**********',
      description: '# Owner\n\nsomeone, somewhere',
      serial0: 'socket',
    });
    expect(v.memory).toBe(2000);
    expect(v.disks.sata0).toMatchObject({ size: 4712 * 1024 ** 2, ssd: true, discard: 'on' });
    expect(v.disks.ide0).toMatchObject({ media: 'cdrom', size: 4 * 1024 ** 2 });
    expect(v.nets[0]).toMatchObject({ model: 'virtio', macaddr: '66:87:C3:0D:86:13', bridge: 'vmbr1' });
  });

  it('lxc: nets, rootfs, mount points', () => {
    const v = lxcConfigView({
      hostname: 'ct-1',
      memory: '512',
      swap: 512,
      unprivileged: 1,
      net0: 'name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:03,ip=dhcp,type=veth',
      rootfs: 'local-lvm:vm-200-disk-0,size=8G',
      mp0: 'local-lvm:vm-200-disk-1,mp=/data,backup=1,size=10G',
    });
    expect(v).toMatchObject({ hostname: 'ct-1', memory: 512, swap: 512, unprivileged: true, template: false });
    expect(v.nets[0]).toMatchObject({ name: 'eth0', ip: 'dhcp', hwaddr: 'BC:24:11:00:00:03' });
    expect(v.rootfs).toMatchObject({ volume: 'local-lvm:vm-200-disk-0', size: 8 * 1024 ** 3 });
    expect(v.mountpoints[0]).toMatchObject({ mp: '/data', backup: true, size: 10 * 1024 ** 3 });
  });
});
