import { describe, expect, it } from 'vitest';
import { recoveryCodesFile } from './recovery-codes.file';

describe('the recovery codes file', () => {
  it('names the site, then holds one code per line', () => {
    const text = recoveryCodesFile(['aaaa-bbbb', 'cccc-dddd'], 'paas.example.com');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/paas\.example\.com/);
    expect(lines.slice(2, 4)).toEqual(['aaaa-bbbb', 'cccc-dddd']);
  });
});
