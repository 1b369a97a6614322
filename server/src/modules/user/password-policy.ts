// What a new password must be, in one place: account creation by invitation and password change.
// Length is what matters most (NIST SP 800-63B: at least 8, we ask 12); beyond that, only refusals
// of the obviously guessable, each with a message that says what to change.

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** Why `password` is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string | null): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (new Set(password).size < 5) return 'is too easy to guess: use at least 5 different characters';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 3 && password.toLowerCase().includes(local))
    return 'must not contain your email address';
  return null;
}
