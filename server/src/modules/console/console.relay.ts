// The byte relay between the browser's socket and Proxmox's, once both handshakes are done.
import { WebSocket } from 'ws';

/**
 * Relay flow control: stop reading a side while the other has more than this queued. A full
 * 640x480 RFB update is 1.2 MB: the mark leaves room for a few in flight, or the relay would stall
 * on every frame (bench/console measured 0.5 of direct throughput with a 1 MiB mark).
 */
export const HIGH_WATER = 8 << 20;
export const LOW_WATER = 2 << 20;
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

/** Pipes both ways until either side closes; each side pauses while the other is backed up. */
export function relay(browser: WebSocket, toUpstream: Buffer, upstream: WebSocket, toBrowser: Buffer): void {
  if (toUpstream.length) upstream.send(toUpstream, { binary: true });
  if (toBrowser.length) browser.send(toBrowser, { binary: true });
  pipe(browser, upstream);
  pipe(upstream, browser);
  const closeOther = (other: WebSocket) => (code: number, reason: Buffer) => {
    if (other.readyState === WebSocket.OPEN || other.readyState === WebSocket.CONNECTING) {
      other.close(
        sendableCode(code),
        reasonText(reason.toString() || (code === 1006 ? 'the other side dropped the connection' : '')),
      );
    }
  };
  browser.once('close', closeOther(upstream));
  upstream.once('close', closeOther(browser));
  browser.on('error', () => browser.terminate());
  upstream.on('error', () => upstream.terminate());
}

export function pipe(from: WebSocket, to: WebSocket): void {
  let paused = false;
  from.on('message', (data: Buffer) => {
    if (to.readyState !== WebSocket.OPEN) return;
    to.send(data, { binary: true }, () => {
      if (paused && to.bufferedAmount < LOW_WATER) {
        paused = false;
        from.resume();
      }
    });
    if (!paused && to.bufferedAmount > HIGH_WATER) {
      paused = true;
      from.pause();
    }
  });
}
