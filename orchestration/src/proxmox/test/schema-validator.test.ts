// The conformance test is only as good as its validator: these cases must be rejected.
import { describe, expect, it } from 'vitest';
import { loadApiSchema, validateRequest } from './schema-validator.js';

const pve91 = loadApiSchema(new URL('../../../pve-schema/apidata-9.1.json', import.meta.url), '9.1');
const check = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: Record<string, string | string[]>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) q.append(k, x);
  return validateRequest(pve91, method, path, q).errors;
};

describe('schema validator', () => {
  it('accepts a valid create', () => {
    expect(
      check('POST', '/nodes/pve1/qemu', {
        vmid: '100',
        net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0',
        scsi0: 'local-lvm:32',
        onboot: '1',
      }),
    ).toEqual([]);
  });
  it.each([
    ['unknown path', 'GET', '/nodes/pve1/nope', {}, /no such endpoint/],
    ['wrong method', 'DELETE', '/version', {}, /no such endpoint/],
    ['boolean as true', 'POST', '/nodes/pve1/qemu', { vmid: '100', onboot: 'true' }, /boolean must be 0\/1/],
    ['unknown parameter', 'POST', '/nodes/pve1/qemu', { vmid: '100', bogus: '1' }, /not a parameter/],
    ['missing required', 'POST', '/nodes/pve1/qemu/100/clone', {}, /newid: required/],
    ['vmid below minimum', 'POST', '/nodes/pve1/qemu', { vmid: '99' }, /minimum|valid pve-vmid/],
    ['bad enum', 'POST', '/nodes/pve1/qemu', { vmid: '100', ostype: 'beos' }, /not in enum/],
    ['bad nic model', 'POST', '/nodes/pve1/qemu', { vmid: '100', net0: 'virtio2,bridge=vmbr0' }, /net0.model/],
    [
      'unknown property-string key',
      'POST',
      '/nodes/pve1/qemu',
      { vmid: '100', net0: 'virtio,vlan=3' },
      /unknown key 'vlan'/,
    ],
    ['multicast MAC', 'POST', '/nodes/pve1/qemu', { vmid: '100', net0: 'virtio=01:00:00:00:00:01' }, /mac-addr/],
    ['sshkeys with spaces', 'POST', '/nodes/pve1/qemu', { vmid: '100', sshkeys: 'ssh-rsa AAA' }, /urlencoded/],
    [
      'hostpci without host or mapping',
      'POST',
      '/nodes/pve1/qemu',
      { vmid: '100', hostpci0: 'pcie=1' },
      /pve-qm-hostpci/,
    ],
    ['bad ipconfig', 'POST', '/nodes/pve1/qemu', { vmid: '100', ipconfig0: 'ip=10.0.0.5' }, /pve-qm-ipconfig/],
    ['resize size pattern', 'PUT', '/nodes/pve1/qemu/100/resize', { disk: 'scsi0', size: '10GB' }, /does not match/],
    ['perl-flag pattern (userid)', 'GET', '/access/permissions', { userid: 'no-realm' }, /does not match/],
    ['repeated scalar', 'GET', '/cluster/resources', { type: ['vm', 'node'] }, /not an array/],
  ] as const)('rejects %s', (_n, method, path, params, re) => {
    const errors = check(method, path, params as Record<string, string | string[]>);
    expect(errors.join('\n')).toMatch(re);
  });
});
