// Renews an expired session before a request reaches the pages or the API. Access tokens live ten
// minutes; when the browser's access cookie is gone but its refresh cookie is still there, this asks
// the API for a new pair (POST /auth/refresh, with the CSRF token as any cookie-authenticated call
// needs), hands the renewed cookies to this request's server components and rewrites, and passes
// them on to the browser. Concurrent requests that all renew are fine: the API lets a just-rotated
// refresh token be used again for a few seconds (REFRESH_REUSE_GRACE_SECONDS) without counting it as theft.
import { type NextRequest, NextResponse } from 'next/server';
import { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE, mergeCookieHeader } from '@/lib/auth/session-cookies';
import { serverApiUrl } from '@/lib/config';

export async function proxy(request: NextRequest) {
  if (request.cookies.has(ACCESS_COOKIE) || !request.cookies.has(REFRESH_COOKIE)) return NextResponse.next();

  let renewed: Response;
  try {
    renewed = await fetch(`${serverApiUrl()}/auth/refresh`, {
      method: 'POST',
      cache: 'no-store',
      signal: AbortSignal.timeout(5_000),
      headers: {
        cookie: request.headers.get('cookie') ?? '',
        [CSRF_HEADER]: request.cookies.get(CSRF_COOKIE)?.value ?? '',
        // So the API marks the cookies Secure when the browser came over HTTPS, and audits the right address.
        'x-forwarded-proto': request.nextUrl.protocol.replace(/:$/, ''),
        'x-forwarded-for': request.headers.get('x-forwarded-for') ?? '',
        'user-agent': request.headers.get('user-agent') ?? '',
      },
    });
  } catch {
    // The API is unreachable: let the page load; it reports the problem itself.
    return NextResponse.next();
  }
  const setCookies = renewed.headers.getSetCookie();
  if (!setCookies.length) return NextResponse.next();

  const current = new Map(request.cookies.getAll().map((c) => [c.name, c.value]));
  const headers = new Headers(request.headers);
  headers.set('cookie', mergeCookieHeader(current, setCookies));
  const response = NextResponse.next({ request: { headers } });
  for (const line of setCookies) response.headers.append('set-cookie', line);
  return response;
}

export const config = {
  // Not for static files, and not for /auth/* (those go to the API, which handles its own cookies).
  matcher: ['/((?!_next/static|_next/image|auth/|icon.svg|favicon.ico).*)'],
};
