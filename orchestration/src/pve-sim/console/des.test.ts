import { createCipheriv, getCiphers, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { S_BOXES, desEncryptBlockPure, desEncryptEcb, vncAuthResponse, vncKey } from './des.js';

const hex = (s: string) => Buffer.from(s, 'hex');

describe('DES', () => {
  // Published known-answer vectors: the worked example from J. Orlin Grabbe's "The DES Algorithm
  // Illustrated", the all-zero key, and entries of the NBS/NIST validation tables (SP 500-20).
  const vectors: Array<[key: string, plain: string, cipher: string]> = [
    ['133457799bbcdff1', '0123456789abcdef', '85e813540f0ab405'],
    ['0000000000000000', '0000000000000000', '8ca64de9c1b123a7'],
    ['ffffffffffffffff', 'ffffffffffffffff', '7359b2163e4edc58'],
    ['0123456789abcdef', '4e6f772069732074', '3fa40e8a984d4815'],
    ['0101010101010101', '8000000000000000', '95f8a5e5dd31d900'],
    ['8001010101010101', '0000000000000000', '95a8d72813daa94d'],
  ];

  it.each(vectors)('key %s encrypts %s to %s', (key, plain, cipher) => {
    expect(desEncryptBlockPure(hex(key), hex(plain)).toString('hex')).toBe(cipher);
    expect(desEncryptEcb(hex(key), hex(plain)).toString('hex')).toBe(cipher);
  });

  it('has S-boxes whose rows are permutations of 0..15', () => {
    for (const box of S_BOXES) {
      for (let row = 0; row < 4; row++) {
        expect([...box.slice(row * 16, row * 16 + 16)].sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
      }
    }
  });

  // Triple DES with three equal keys is single DES, and OpenSSL 3 keeps des-ede3 in its default
  // provider: an independent oracle for random keys and blocks.
  it.runIf(getCiphers().includes('des-ede3-ecb'))('agrees with OpenSSL 3DES(k,k,k) on random inputs', () => {
    for (let i = 0; i < 200; i++) {
      const key = randomBytes(8);
      const block = randomBytes(8);
      const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null).setAutoPadding(false);
      expect(desEncryptBlockPure(key, block)).toEqual(Buffer.concat([cipher.update(block), cipher.final()]));
    }
  });

  it('encrypts several blocks independently in ECB mode', () => {
    const key = hex('133457799bbcdff1');
    const twice = desEncryptEcb(key, hex('0123456789abcdef0123456789abcdef'));
    expect(twice.toString('hex')).toBe('85e813540f0ab405'.repeat(2));
    expect(() => desEncryptEcb(key, Buffer.alloc(5))).toThrow(RangeError);
  });
});

describe('VNC Authentication', () => {
  it('bit-reverses each password byte and truncates or pads to 8 bytes', () => {
    // 'a' = 0x61 = 01100001 -> 10000110 = 0x86; 'P' = 0x50 = 01010000 -> 00001010 = 0x0a.
    expect(vncKey('aP').toString('hex')).toBe('860a000000000000');
    expect(vncKey('PVEVNC:6A1B2C3D::sig')).toEqual(vncKey('PVEVNC:6'));
  });

  it('answers a challenge with DES of both halves under the reversed key', () => {
    const challenge = hex('00112233445566778899aabbccddeeff');
    const key = vncKey('secret!!');
    const expected = Buffer.concat([
      desEncryptBlockPure(key, challenge.subarray(0, 8)),
      desEncryptBlockPure(key, challenge.subarray(8)),
    ]);
    expect(vncAuthResponse('secret!!', challenge)).toEqual(expected);
    expect(vncAuthResponse('secret!!xyz', challenge)).toEqual(expected);
    expect(vncAuthResponse('secret!?', challenge)).not.toEqual(expected);
  });
});
