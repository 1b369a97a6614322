import { describe, expect, it } from 'vitest';
import { resizeProblems, snapshotNameProblem } from './snapshot.validation';

describe('snapshot names', () => {
  it('accepts what Proxmox accepts and says why it refuses the rest', () => {
    expect(snapshotNameProblem('before-upgrade_1')).toBeNull();
    expect(snapshotNameProblem('')).toMatch(/Enter a name/);
    expect(snapshotNameProblem('1abc')).toMatch(/Start with a letter/);
    expect(snapshotNameProblem('a')).toMatch(/2 to 40/);
    expect(snapshotNameProblem('current')).toMatch(/choose another/);
  });
});

describe('resize', () => {
  const current = { cores: 2, memoryMiB: 2048, diskGiB: 20 };
  it('refuses a smaller disk, naming the current size', () => {
    expect(resizeProblems(current, { ...current, diskGiB: 10 })).toEqual({
      diskGiB: 'Disks only grow: choose at least 20 GiB (the current size).',
    });
  });
  it('accepts fewer cores and less memory (the API decides whether the guest allows it)', () => {
    expect(resizeProblems(current, { cores: 1, memoryMiB: 1024, diskGiB: 20 })).toEqual({});
  });
  it('refuses zero cores and tiny memory', () => {
    expect(Object.keys(resizeProblems(current, { cores: 0, memoryMiB: 32, diskGiB: 20 }))).toEqual([
      'cores',
      'memoryMiB',
    ]);
  });
});
