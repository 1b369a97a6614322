// Which pages may open a console socket. Browsers send `Origin` with every WebSocket upgrade and
// send the session cookie along whatever page opens it, so without this check any site a signed-in
// user visits could try the console path with their cookie (cross-site WebSocket hijacking).
// Clients that are not browsers send no Origin and authenticate with a bearer token: allowed.
import type { IncomingMessage } from 'node:http';

/**
 * Same origin (the `Host` the request came to) is always allowed. With `webOrigins` configured,
 * those exact origins too; without, any page on the API's own host name, whatever its port (the
 * web app's default: it opens the socket on its own host name, on the API's port).
 */
export function originAllowed(req: IncomingMessage, webOrigins: readonly string[] | undefined): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return false; // includes `null`: sandboxed frames and file pages
  }
  const host = req.headers.host?.toLowerCase();
  if (!host) return false;
  if (page.host === host) return true;
  if (webOrigins) return webOrigins.includes(page.origin);
  try {
    return page.hostname === new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
}
