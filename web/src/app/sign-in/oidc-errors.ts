// Why a sign-in through an identity provider came back to this page (`/sign-in?error=<reason>`; the
// reasons are OidcFailure in server/src/auth/oidc/oidc.service.ts), in words a user can act on.
const MESSAGES: Record<string, string> = {
  UNKNOWN_PROVIDER: 'That sign-in option is not available any more. Choose another one.',
  SIGN_IN_EXPIRED: 'The sign-in took too long or was started in another window. Please start again.',
  STATE_MISMATCH: 'The answer from the identity provider did not belong to this browser. Please start again.',
  PROVIDER_ERROR: 'The identity provider did not complete the sign-in. Try again in a moment.',
  MISCONFIGURED: 'This sign-in option is not set up completely. Tell the platform’s operators.',
  EMAIL_MISSING: 'The identity provider did not share your email address, so no account could be found.',
  EMAIL_UNVERIFIED: 'Your email address is not verified at the identity provider. Verify it there, then sign in again.',
  SIGN_UP_DISABLED: 'No account uses that email address. Ask an administrator for an invitation.',
  ACCOUNT_DISABLED: 'This account is disabled. Ask an administrator.',
};

/** The message for a sign-in error reason, or null when there is none to show. */
export function signInErrorMessage(reason: string | string[] | undefined): string | null {
  if (typeof reason !== 'string' || !reason) return null;
  return MESSAGES[reason] ?? 'Signing in through the identity provider failed. Please try again.';
}
