// The relay between the browser's socket and Proxmox's, once both handshakes are done: frames pass
// as they came, with backpressure (console.socket.ts), and a close on one side closes the other.
import type { CloseInfo, ConsoleSocket } from './console.socket.js';

export { HIGH_WATER, LOW_WATER } from './console.socket.js';

/** WebSocket close reasons are at most 123 bytes. */
export const reasonText = (s: string) =>
  Buffer.from(s)
    .subarray(0, 123)
    .toString()
    .replace(/\uFFFD$/, '');

/** A close code one may send on: 1005 (none given) becomes 1000, reserved or abnormal ones 1011. */
export function sendableCode(code: number): number {
  if (code === 1005) return 1000;
  const valid = (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);
  return valid ? code : 1011;
}

/**
 * Pipes both ways until either side closes; each side pauses while the other is backed up. The
 * bytes either handshake read ahead go first. Resolves when both sockets have closed.
 */
export async function relay(browser: ConsoleSocket, upstream: ConsoleSocket): Promise<void> {
  const closeOther = (other: ConsoleSocket) => (info: CloseInfo) =>
    other.close(
      sendableCode(info.code),
      reasonText(info.reason || (info.code === 1006 ? 'the other side dropped the connection' : '')),
    );
  const toUpstream = browser.relayTo(upstream, closeOther(upstream));
  const toBrowser = upstream.relayTo(browser, closeOther(browser));
  if (toUpstream.length) upstream.send(toUpstream);
  if (toBrowser.length) browser.send(toBrowser);
  await Promise.all([browser.closed, upstream.closed]);
}
