import { describe, expect, it } from 'vitest';
import { quotaShare } from './quota.share';

describe('quota share', () => {
  it('warns near the limit and caps at 100', () => {
    expect(quotaShare(5, 10)).toEqual({ percent: 50, color: 'blue' });
    expect(quotaShare(8, 10)).toEqual({ percent: 80, color: 'yellow' });
    expect(quotaShare(12, 10)).toEqual({ percent: 100, color: 'red' });
    expect(quotaShare(0, 0)).toEqual({ percent: 100, color: 'red' });
    expect(quotaShare(3, null)).toEqual({ percent: 0, color: 'gray' });
  });
});
