import { describe, expect, it } from 'vitest';
import { labelsOf } from './select.labels';

// What a picker shows while its code loads: the labels of the chosen values, as the picker will.
describe('labelsOf', () => {
  it('finds labels of items, plain strings and grouped items, in the order of the values', () => {
    const data = [
      { value: 'o1', label: 'Acme' },
      'RUNNING',
      { group: 'Platform', items: [{ value: '', label: 'All (platform)' }, 'STOPPED'] },
    ];
    expect(labelsOf(data, ['STOPPED', 'o1', ''])).toEqual(['STOPPED', 'Acme', 'All (platform)']);
  });

  it('leaves out values that are not in the data, so nothing unknown is shown', () => {
    expect(labelsOf([{ value: 'a', label: 'A' }], ['b', 'a'])).toEqual(['A']);
    expect(labelsOf(undefined, ['a'])).toEqual([]);
  });
});
