// The session cookies the API sets (server/src/auth/session-cookies.ts). The web app never reads the
// httpOnly ones' values; it only checks whether they are there, and forwards them.
export const ACCESS_COOKIE = 'pvepaas_session';
export const REFRESH_COOKIE = 'pvepaas_refresh';
export const CSRF_COOKIE = 'pvepaas_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** `name=value` pairs of Set-Cookie lines; an empty value means the API cleared that cookie. */
export function parseSetCookies(lines: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const pair = line.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return out;
}

/**
 * The Cookie header a request should carry after the API answered with `setCookies`: renewed
 * cookies replace the old ones, cleared ones are dropped, the rest stay as they were.
 */
export function mergeCookieHeader(current: Map<string, string>, setCookies: string[]): string {
  const next = new Map(current);
  for (const [name, value] of parseSetCookies(setCookies)) {
    if (value) next.set(name, value);
    else next.delete(name);
  }
  return [...next].map(([name, value]) => `${name}=${value}`).join('; ');
}
