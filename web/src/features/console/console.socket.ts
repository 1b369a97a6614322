// The browser end of the platform's console proxy: where the socket goes, and the Proxmox
// terminal framing (xterm.js ⇄ termproxy) the proxy relays untouched.
import { browserWsUrl } from '@/lib/config';

/** `ws(s)://<API host>/console/<session>`: the API that serves graphql-ws also serves consoles. */
export function consoleSocketUrl(path: string, location: Pick<Location, 'protocol' | 'hostname'>): string {
  const url = new URL(browserWsUrl(location));
  url.pathname = path;
  url.search = '';
  return url.toString();
}

const encoder = new TextEncoder();

/** termproxy framing, client → server (Proxmox README §6.2): input, resize, ping. */
export const termFrame = {
  input: (data: string) => `0:${encoder.encode(data).length}:${data}`,
  resize: (cols: number, rows: number) => `1:${cols}:${rows}:`,
  ping: () => '2',
};

/** What a closed console socket means for the person looking at it. */
export function describeClose(code: number, reason: string): string {
  if (reason) return reason;
  if (code === 1000 || code === 1005) return 'The console session ended.';
  if (code === 1001) return 'The platform is restarting.';
  if (code === 1006) return 'The connection dropped.';
  return `The connection closed (code ${code}).`;
}

/** Automatic reconnects after a dropped connection, before the person has to press Reconnect. */
export const AUTO_RECONNECTS = 3;

/**
 * Whether a closed console should reconnect by itself, and after how long: only when it had been
 * connected and the connection dropped (1006: no close frame, or 1001: the API restarting), a few
 * times with a growing delay. Everything else (the session ended, the guest stopped, a refusal)
 * waits for the Reconnect button.
 */
export function reconnectDelay(code: number, wasConnected: boolean, retriesSoFar: number): number | null {
  if (!wasConnected || (code !== 1006 && code !== 1001) || retriesSoFar >= AUTO_RECONNECTS) return null;
  return 1000 * 2 ** retriesSoFar;
}
