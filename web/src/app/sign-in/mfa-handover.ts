// An OIDC sign-in for an account with a second factor comes back as /sign-in#mfa=<challenge>&returnTo=<path>
// (server/src/auth/auth.routes.ts): the fragment never reaches a server, a log or a Referer.

export interface MfaHandover {
  challengeToken: string;
  returnTo: string;
}

/** The handover in a location hash, or null. `returnTo` only ever names a path of this site. */
export function readMfaHandover(hash: string): MfaHandover | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const challengeToken = params.get('mfa');
  if (!challengeToken) return null;
  const returnTo = params.get('returnTo') ?? '/';
  return { challengeToken, returnTo: /^\/(?![/\\])/.test(returnTo) ? returnTo : '/' };
}
