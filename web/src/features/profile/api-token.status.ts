export type TokenState = 'active' | 'expired' | 'revoked';

/** Whether a token still works at `now`. */
export function tokenState(token: { expiresAt?: string | null; revokedAt?: string | null }, now: Date): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt) <= now) return 'expired';
  return 'active';
}

/** A date input's value (YYYY-MM-DD) as the end of that day in UTC, or a message saying what to fix. */
export function expiryFromInput(value: string, now: Date): { expiresAt: string | null } | { error: string } {
  if (value === '') return { expiresAt: null };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    return { error: 'Enter the date as YYYY-MM-DD, or leave it empty for never.' };
  const end = new Date(`${value}T23:59:59.000Z`);
  if (Number.isNaN(end.getTime()) || end.toISOString().slice(0, 10) !== value)
    return { error: 'That date does not exist; pick one from the calendar.' };
  if (end <= now) return { error: 'Choose a date in the future, or leave it empty for never.' };
  return { expiresAt: end.toISOString() };
}
