// DES (FIPS 46-3), only as far as VNC Authentication needs it: encrypting 8-byte blocks in ECB mode.
// OpenSSL 3 moved single DES to its legacy provider, so node:crypto usually lacks `des-ecb`; we use
// it when present and otherwise this bit-level implementation. Speed is irrelevant here (two blocks
// per login), so the code follows the standard's tables literally instead of using SP-box tricks.
import { createCipheriv, getCiphers } from 'node:crypto';

// Tables with 1-based bit positions, bit 1 being the most significant bit of the first byte.
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24,
  16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31,
  23, 15, 7,
];
/** The final permutation is the inverse of IP. */
const FP = IP.map((_, i) => IP.indexOf(i + 1) + 1);
/** Expansion: each 4-bit group with its neighbours' edge bits, wrapping around. */
const E = Array.from({ length: 48 }, (_, i) => ((4 * Math.floor(i / 6) + (i % 6) + 31) % 32) + 1);
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36, 63, 55,
  47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47, 55, 30,
  40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
/** S-boxes, each 4 rows of 16 written as one hex string per box (row-major). */
export const S_BOXES = [
  'e4d12fb83a6c5907' + '0f74e2d1a6cb9538' + '41e8d62bfc973a50' + 'fc8249175b3ea06d',
  'f18e6b34972dc05a' + '3d47f28ec01a69b5' + '0e7ba4d158c6932f' + 'd8a13f42b67c05e9',
  'a09e63f51dc7b428' + 'd709346a285ecbf1' + 'd6498f30b12c5ae7' + '1ad069874fe3b52c',
  '7de3069a1285bc4f' + 'd8b56f03472c1ae9' + 'a690cb7df13e5284' + '3f06a1d8945bc72e',
  '2c417ab6853fd0e9' + 'eb2c47d150fa3986' + '421bad78f9c5630e' + 'b8c71e2d6f09a453',
  'c1af92680d34e75b' + 'af427c9561de0b38' + '9ef528c3704a1db6' + '432c95fabe17608d',
  '4b2ef08d3c975a61' + 'd0b7491ae35c2f86' + '14bdc37eaf680592' + '6bd814a7950fe23c',
  'd2846fb1a93e50c7' + '1fd8a374c56b0e92' + '7b419ce206adf358' + '21e74a8dfc90356b',
].map((hex) => Array.from(hex, (digit) => parseInt(digit, 16)));

type Bits = number[];

const toBits = (bytes: Uint8Array): Bits =>
  Array.from({ length: bytes.length * 8 }, (_, i) => ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);

const fromBits = (bits: Bits): Buffer => {
  const out = Buffer.alloc(bits.length / 8);
  bits.forEach((bit, i) => {
    out[i >> 3] = (out[i >> 3] ?? 0) | (bit << (7 - (i & 7)));
  });
  return out;
};

const permute = (bits: Bits, table: readonly number[]): Bits => table.map((position) => bits[position - 1] ?? 0);
const xor = (a: Bits, b: Bits): Bits => a.map((bit, i) => bit ^ (b[i] ?? 0));
const rotateLeft = (bits: Bits, n: number): Bits => [...bits.slice(n), ...bits.slice(0, n)];

const subkeys = (key: Uint8Array): Bits[] => {
  const cd = permute(toBits(key), PC1);
  let c = cd.slice(0, 28);
  let d = cd.slice(28);
  return SHIFTS.map((shift) => {
    c = rotateLeft(c, shift);
    d = rotateLeft(d, shift);
    return permute([...c, ...d], PC2);
  });
};

const feistel = (right: Bits, subkey: Bits): Bits => {
  const mixed = xor(permute(right, E), subkey);
  const substituted: Bits = [];
  for (let box = 0; box < 8; box++) {
    const [b1, b2, b3, b4, b5, b6] = mixed.slice(box * 6, box * 6 + 6) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const value = S_BOXES[box]?.[(b1 * 2 + b6) * 16 + (b2 * 8 + b3 * 4 + b4 * 2 + b5)] ?? 0;
    substituted.push((value >> 3) & 1, (value >> 2) & 1, (value >> 1) & 1, value & 1);
  }
  return permute(substituted, P);
};

/** Encrypts one 8-byte block with an 8-byte key (parity bits ignored), in pure JavaScript. */
export const desEncryptBlockPure = (key: Uint8Array, block: Uint8Array): Buffer => {
  if (key.length !== 8 || block.length !== 8) throw new RangeError('DES needs an 8-byte key and an 8-byte block');
  const permuted = permute(toBits(block), IP);
  let left = permuted.slice(0, 32);
  let right = permuted.slice(32);
  for (const subkey of subkeys(key)) {
    [left, right] = [right, xor(left, feistel(right, subkey))];
  }
  return fromBits(permute([...right, ...left], FP));
};

const nativeDes = getCiphers().includes('des-ecb');

/** Encrypts `data` (a multiple of 8 bytes) with DES in ECB mode, natively when OpenSSL still offers it. */
export const desEncryptEcb = (key: Uint8Array, data: Uint8Array): Buffer => {
  if (data.length % 8 !== 0) throw new RangeError('DES-ECB data must be a multiple of 8 bytes');
  if (nativeDes) {
    const cipher = createCipheriv('des-ecb', key, null).setAutoPadding(false);
    return Buffer.concat([cipher.update(data), cipher.final()]);
  }
  const blocks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += 8) {
    blocks.push(desEncryptBlockPure(key, data.subarray(offset, offset + 8)));
  }
  return Buffer.concat(blocks);
};

const reverseBits = (byte: number): number => {
  let out = 0;
  for (let i = 0; i < 8; i++) out |= ((byte >> i) & 1) << (7 - i);
  return out;
};

/**
 * The VNC key for a password: its first 8 bytes (Latin-1; shorter passwords padded with NUL), each
 * byte bit-reversed, a quirk every VNC implementation inherited from the original d3des code.
 */
export const vncKey = (password: string): Buffer => {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  return Buffer.from(key.map(reverseBits));
};

/** The client's answer to a 16-byte VNC Authentication challenge. */
export const vncAuthResponse = (password: string, challenge: Uint8Array): Buffer =>
  desEncryptEcb(vncKey(password), challenge);
