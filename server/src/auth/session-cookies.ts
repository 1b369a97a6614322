// How a browser holds its session: three cookies, all SameSite=Lax and Secure when the request came
// over HTTPS (directly or, as `trust proxy` reports it, through the web app).
//
//   pvepaas_session  httpOnly  the access JWT; expires with it (ACCESS_TOKEN_TTL_SECONDS)
//   pvepaas_refresh  httpOnly  the refresh token; expires with the session (SESSION_TTL_SECONDS)
//   pvepaas_csrf     readable  the session's CSRF token, which the web app copies into X-CSRF-Token
//
// Lax, not Strict: OIDC sign-in ends with a redirect chain that began on the identity provider's
// site, and a link to the platform from a mail or a chat is a cross-site navigation too; Strict
// cookies would be missing from those first requests and the user would look signed out. Lax still
// keeps the cookies off cross-site POSTs, iframes and fetches; csrf.ts covers the rest.
import type { Request, Response } from 'express';
import { familyOf } from './refresh-token-store.js';
import { SESSION_COOKIE, type SessionKeys } from './session.js';
import type { SessionTokens } from './session-tokens.js';

export const ACCESS_COOKIE = SESSION_COOKIE;
export const REFRESH_COOKIE = 'pvepaas_refresh';
export const CSRF_COOKIE = 'pvepaas_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const base = (req: Request | undefined) => ({ sameSite: 'lax' as const, secure: req?.secure ?? false, path: '/' });

export function setSessionCookies(req: Request | undefined, res: Response | undefined, tokens: SessionTokens): void {
  if (!res) return;
  const now = Date.now();
  res.cookie(ACCESS_COOKIE, tokens.accessToken, {
    ...base(req),
    httpOnly: true,
    maxAge: tokens.accessTokenExpiresAt.getTime() - now,
  });
  const sessionMs = tokens.sessionExpiresAt.getTime() - now;
  // Null within the grace window: the browser keeps the refresh cookie the winning request set.
  if (tokens.refreshToken)
    res.cookie(REFRESH_COOKIE, tokens.refreshToken, { ...base(req), httpOnly: true, maxAge: sessionMs });
  res.cookie(CSRF_COOKIE, tokens.csrfToken, { ...base(req), httpOnly: false, maxAge: sessionMs });
}

export function clearSessionCookies(req: Request | undefined, res: Response | undefined): void {
  if (!res) return;
  res.clearCookie(ACCESS_COOKIE, { ...base(req), httpOnly: true });
  res.clearCookie(REFRESH_COOKIE, { ...base(req), httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { ...base(req), httpOnly: false });
}

export function requestCookies(req: Request | undefined): Record<string, string> {
  return (req?.cookies as Record<string, string> | undefined) ?? {};
}

/** The bearer credential of a request, if it sent `Authorization: Bearer`. */
export function bearerOf(req: Request | undefined): string | null {
  const auth = req?.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
}

/**
 * The session family the request's cookies speak for, or null when they name none (no cookies, or
 * cookies that are not ours). The refresh cookie names it in clear; the access cookie in its signed `sid`.
 */
export async function cookieFamily(req: Request | undefined, keys: SessionKeys): Promise<string | null> {
  const cookies = requestCookies(req);
  const refresh = cookies[REFRESH_COOKIE];
  if (refresh) {
    const family = familyOf(refresh);
    if (family) return family;
  }
  const access = cookies[ACCESS_COOKIE];
  return access ? ((await keys.claims(access))?.familyId ?? null) : null;
}
