import { describe, expect, it } from 'vitest';

describe('toolchain', () => {
  it('runs tests on Node.js 24', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });
});
