import { describe, expect, it } from 'vitest';
import { invitationLink, invitationState, tokenFromHash } from './invitation.state';

describe('invitations', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  it('is accepted, revoked, expired or pending, in that order', () => {
    const future = '2026-12-01T00:00:00Z';
    expect(invitationState({ acceptedAt: '2026-11-25T00:00:00Z', expiresAt: future }, now)).toBe('accepted');
    expect(invitationState({ revokedAt: '2026-11-25T00:00:00Z', expiresAt: future }, now)).toBe('revoked');
    expect(invitationState({ expiresAt: '2026-11-26T11:00:00Z' }, now)).toBe('expired');
    expect(invitationState({ expiresAt: future }, now)).toBe('pending');
  });
  it('round-trips the token through the link fragment', () => {
    const link = invitationLink('https://paas.example.com', 'pvi_a/b+c');
    expect(link).toBe('https://paas.example.com/invite#pvi_a%2Fb%2Bc');
    expect(tokenFromHash(new URL(link).hash)).toBe('pvi_a/b+c');
    expect(tokenFromHash('')).toBeNull();
  });
});
