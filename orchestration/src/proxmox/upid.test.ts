import { describe, expect, it } from 'vitest';
import { formatUpid, isUpid, parseUpid } from './upid.js';

describe('UPID', () => {
  it('parses the real example from bpg#1353 (token-owned, hex fields)', () => {
    const u = parseUpid('UPID:pve1:003CDE3D:025BF6DA:665F0761:qmstart:12001:gitlab@pam!cicd:');
    expect(u).toEqual({
      upid: 'UPID:pve1:003CDE3D:025BF6DA:665F0761:qmstart:12001:gitlab@pam!cicd:',
      node: 'pve1',
      pid: 0x003cde3d,
      pstart: 0x025bf6da,
      starttime: 0x665f0761,
      type: 'qmstart',
      id: '12001',
      user: 'gitlab@pam!cicd',
      tokenId: 'cicd',
    });
  });
  it('accepts a 9-digit pstart and an empty id', () => {
    expect(parseUpid('UPID:node-2:0000ABCD:1025BF6DA:665F0761:vncproxy::root@pam:')).toMatchObject({
      pstart: 0x1025bf6da,
      id: '',
      tokenId: undefined,
    });
  });
  it.each([
    'UPID:pve1:003CDE3D:025BF6DA:665F0761:qmstart:100:root@pam',
    'UPID:-bad:003CDE3D:025BF6DA:665F0761:x:1:u@p:',
    'nope',
  ])('rejects %s', (s) => {
    expect(isUpid(s)).toBe(false);
    expect(() => parseUpid(s)).toThrow(/not a Proxmox task id/);
  });
  it('round-trips through formatUpid', () => {
    const s = formatUpid({
      node: 'pve',
      pid: 1234,
      pstart: 99,
      starttime: 1_700_000_000,
      type: 'qmclone',
      id: '100',
      user: 'root@pam',
    });
    expect(s).toBe('UPID:pve:000004D2:00000063:6553F100:qmclone:100:root@pam:');
    expect(parseUpid(s).starttime).toBe(1_700_000_000);
  });
});
