/**
 * The one way a page leaves for the sign-in form after its session has ended.
 *
 * Signing out ends the session while the page's live queries and subscriptions are still running;
 * they then fail with UNAUTHENTICATED and would start a navigation of their own (apollo.provider.tsx),
 * aborting the one already under way. Whoever leaves first marks the page as leaving, and every later
 * attempt stands down. A full load (not a client-side route change) also drops the Apollo cache and
 * closes the subscription socket, so nothing of the signed-out user stays in memory.
 */
let leaving = false;

export function isLeavingForSignIn(): boolean {
  return leaving;
}

export function leaveForSignIn(how: 'assign' | 'replace' | 'reload' = 'assign'): void {
  if (leaving) return;
  leaving = true;
  if (how === 'reload') window.location.reload();
  else window.location[how]('/sign-in');
}
