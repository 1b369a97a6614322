import { describe, expect, it } from 'vitest';
import { expiryFromInput, tokenState } from './api-token.status';

const now = new Date('2026-11-26T12:00:00Z');

describe('API token state', () => {
  it('is revoked before expired before active', () => {
    expect(tokenState({ revokedAt: '2026-11-01T00:00:00Z', expiresAt: '2026-01-01T00:00:00Z' }, now)).toBe('revoked');
    expect(tokenState({ expiresAt: '2026-11-26T11:59:59Z' }, now)).toBe('expired');
    expect(tokenState({ expiresAt: null }, now)).toBe('active');
  });
});

describe('expiry input', () => {
  it('empty means never; a day means its end in UTC', () => {
    expect(expiryFromInput('', now)).toEqual({ expiresAt: null });
    expect(expiryFromInput('2026-12-31', now)).toEqual({ expiresAt: '2026-12-31T23:59:59.000Z' });
  });
  it('refuses the past and nonsense with what to do', () => {
    expect(expiryFromInput('2026-11-25', now)).toEqual({
      error: 'Choose a date in the future, or leave it empty for never.',
    });
    expect(expiryFromInput('2026-02-31', now)).toMatchObject({ error: expect.stringMatching(/does not exist/) });
    expect(expiryFromInput('tomorrow', now)).toMatchObject({ error: expect.stringMatching(/YYYY-MM-DD/) });
  });
});
