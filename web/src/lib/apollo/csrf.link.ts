import { ApolloLink } from '@apollo/client';

/** The cookie the API sets at sign-in and the header it wants it back in (server/src/auth/session-cookies.ts). */
export const CSRF_COOKIE = 'pvepaas_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** The CSRF token from a `document.cookie` string, or null. */
export function csrfTokenFrom(cookies: string): string | null {
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

/**
 * Mutations sent with the session cookie must carry the session's CSRF token (a double submit): another
 * site can make the browser send our cookies but cannot read this one, so it cannot set the header.
 */
export const csrfLink = new ApolloLink((operation, forward) => {
  const token = typeof document === 'undefined' ? null : csrfTokenFrom(document.cookie);
  if (token) {
    operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
      headers: { ...headers, [CSRF_HEADER]: token },
    }));
  }
  return forward(operation);
});
