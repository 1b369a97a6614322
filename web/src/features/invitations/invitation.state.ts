export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';

export function invitationState(
  i: { acceptedAt?: string | null; revokedAt?: string | null; expiresAt: string },
  now: Date,
): InvitationState {
  if (i.acceptedAt) return 'accepted';
  if (i.revokedAt) return 'revoked';
  if (new Date(i.expiresAt) <= now) return 'expired';
  return 'pending';
}

/** The link the invited person opens: the token travels in the fragment, so no server log sees it. */
export function invitationLink(origin: string, token: string): string {
  return `${origin}/invite#${encodeURIComponent(token)}`;
}

/** The token from `location.hash` (`#<token>`), or null. */
export function tokenFromHash(hash: string): string | null {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  return raw ? decodeURIComponent(raw) : null;
}
