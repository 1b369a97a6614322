// The relay's flow control on real sockets: a fast upstream and a browser that stops reading.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { HIGH_WATER, relay, sendableCode } from './console.relay.js';

/** A WebSocket pair over 127.0.0.1: [client end, server end]. */
async function pair(servers: Server[], sockets: WebSocket[]): Promise<[WebSocket, WebSocket]> {
  const http = createServer();
  servers.push(http);
  const wss = new WebSocketServer({ server: http });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const accepted = new Promise<WebSocket>((r) => wss.once('connection', r));
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  await new Promise((r, j) => (client.once('open', r), client.once('error', j)));
  const end = await accepted;
  sockets.push(client, end);
  return [client, end];
}

describe('console relay', () => {
  const servers: Server[] = [];
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    for (const s of servers.splice(0)) {
      await new Promise((r) => s.close(r));
    }
  });

  it('pauses the upstream while the browser is backed up, then delivers every byte in order', async () => {
    const [browser, browserEnd] = await pair(servers, sockets);
    const [upstream, proxmox] = await pair(servers, sockets);
    relay(browserEnd, Buffer.alloc(0), upstream, Buffer.alloc(0));

    // The browser stops reading: its TCP window fills, and the proxy's queue towards it grows.
    (browser as unknown as { _socket: { pause(): void } })._socket.pause();
    const chunk = 64 << 10;
    const total = 24 << 20;
    const sent = createHash('sha256');
    let maxQueued = 0;
    let sawPause = false;
    for (let offset = 0; offset < total; offset += chunk) {
      const data = Buffer.alloc(chunk, offset / chunk);
      sent.update(data);
      proxmox.send(data);
      await new Promise((r) => setImmediate(r));
      maxQueued = Math.max(maxQueued, browserEnd.bufferedAmount);
      sawPause ||= upstream.isPaused;
    }
    await new Promise((r) => setTimeout(r, 200));
    sawPause ||= upstream.isPaused;
    expect(sawPause).toBe(true);
    // Bounded by the high-water mark plus what was in flight when it paused (kernel buffers aside).
    expect(maxQueued).toBeLessThan(HIGH_WATER + 8 * chunk);

    const got = createHash('sha256');
    let received = 0;
    const done = new Promise<void>((resolve) =>
      browser.on('message', (m: Buffer) => {
        got.update(m);
        received += m.length;
        if (received === total) resolve();
      }),
    );
    (browser as unknown as { _socket: { resume(): void } })._socket.resume();
    await done;
    expect(got.digest('hex')).toBe(sent.digest('hex'));
    expect(upstream.isPaused).toBe(false);
  }, 30_000);

  it("closes the other side with the closing side's code and reason", async () => {
    const [browser, browserEnd] = await pair(servers, sockets);
    const [upstream, proxmox] = await pair(servers, sockets);
    relay(browserEnd, Buffer.alloc(0), upstream, Buffer.alloc(0));
    const closed = new Promise<[number, string]>((r) => browser.once('close', (c, why) => r([c, why.toString()])));
    proxmox.close(4000, 'guest went away');
    expect(await closed).toEqual([4000, 'guest went away']);
  });

  it('maps codes that cannot be sent', () => {
    expect([1000, 1005, 1006, 1015, 4001, 999].map(sendableCode)).toEqual([1000, 1000, 1011, 1011, 4001, 1011]);
  });
});
