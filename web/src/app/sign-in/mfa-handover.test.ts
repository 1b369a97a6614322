import { describe, expect, it } from 'vitest';
import { readMfaHandover } from './mfa-handover';

describe('the second-factor handover of an OIDC sign-in', () => {
  it('reads the challenge and where to land', () => {
    expect(readMfaHandover('#mfa=abc.def&returnTo=%2Fmachines')).toEqual({
      challengeToken: 'abc.def',
      returnTo: '/machines',
    });
  });

  it('lands only on paths of this site', () => {
    expect(readMfaHandover('#mfa=t&returnTo=https://evil.example')?.returnTo).toBe('/');
    expect(readMfaHandover('#mfa=t&returnTo=//evil.example')?.returnTo).toBe('/');
    expect(readMfaHandover('#mfa=t')?.returnTo).toBe('/');
  });

  it('is absent without a challenge', () => {
    expect(readMfaHandover('')).toBeNull();
    expect(readMfaHandover('#returnTo=/')).toBeNull();
  });
});
