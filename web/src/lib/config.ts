// The web app's two addresses of the API. Both have defaults that match `npm start` on one machine.

const DEFAULT_API_URL = 'http://127.0.0.1:4000';
const DEFAULT_WS_PORT = '4000';

/** Base URL of the API as seen from the web server (server components and SSR). Run time. */
export function serverApiUrl(): string {
  return (process.env.API_URL ?? DEFAULT_API_URL).replace(/\/+$/, '');
}

/**
 * The GraphQL WebSocket URL for the browser. `NEXT_PUBLIC_WS_URL` is inlined at build time; without it
 * the socket goes to the page's host on the API's port, with `wss:` when the page came over HTTPS.
 */
export function browserWsUrl(location: Pick<Location, 'protocol' | 'hostname'>): string {
  const configured = process.env.NEXT_PUBLIC_WS_URL;
  if (configured) return configured;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.hostname}:${DEFAULT_WS_PORT}/graphql`;
}
