// The relay on real sockets: a `ws` browser and a `ws` Proxmox, the proxy's own handshakes and
// frame forwarding between them. Flow control, ordering, fragmentation and close propagation.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { buildTls } from '@pvepaas/orchestration/proxmox/tls';
import { selfSignedCertificate } from '@pvepaas/orchestration/pve-sim/tls';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { HIGH_WATER, relay, sendableCode } from './console.relay.js';
import type { ConsoleSocket } from './console.socket.js';
import { acceptBrowser, checkHandshake, connectUpstream } from './console.upgrade.js';

interface Wired {
  /** The browser (a `ws` client) and the proxy's end of its socket. */
  browser: WebSocket;
  browserEnd: ConsoleSocket;
  /** The proxy's socket to Proxmox and Proxmox's end (a `ws` server socket). */
  upstream: ConsoleSocket;
  proxmox: WebSocket;
}

describe('console relay', () => {
  const servers: Server[] = [];
  const sockets: { terminate(): void }[] = [];
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  const listen = async (server: Server) => {
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  };

  /** Both legs connected, nothing relayed yet. */
  async function wire(): Promise<Wired> {
    const proxy = createServer();
    const browserEnd = new Promise<ConsoleSocket>((resolve, reject) =>
      proxy.on('upgrade', (req, socket, head) => {
        const bad = checkHandshake(req);
        if (bad) return reject(new Error(bad.message));
        resolve(acceptBrowser(req, socket, head));
      }),
    );
    const pve = createServer();
    const wss = new WebSocketServer({ server: pve });
    const proxmox = new Promise<WebSocket>((r) => wss.once('connection', r));
    const [proxyPort, pvePort] = [await listen(proxy), await listen(pve)];
    const browser = new WebSocket(`ws://127.0.0.1:${proxyPort}`, ['binary']);
    await new Promise((r, j) => (browser.once('open', r), browser.once('error', j)));
    const upstream = await connectUpstream(`http://127.0.0.1:${pvePort}/`, { headers: {}, timeoutMs: 5000 });
    const w = { browser, browserEnd: await browserEnd, upstream, proxmox: await proxmox };
    sockets.push(w.browser, w.browserEnd, w.upstream, w.proxmox);
    return w;
  }

  it('pauses the upstream while the browser is backed up, then delivers every byte in order', async () => {
    const { browser, browserEnd, upstream, proxmox } = await wire();
    void relay(browserEnd, upstream);

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

  it('passes messages of every size both ways as binary, in order, with fragments and pings', async () => {
    const { browser, browserEnd, upstream, proxmox } = await wire();
    // Bytes one side sent before the relay started (read ahead by a handshake) go first.
    proxmox.send(Buffer.from('early'));
    await new Promise((r) => setTimeout(r, 50));
    void relay(browserEnd, upstream);

    const sizes = [0, 1, 125, 126, 127, 65535, 65536, 70_000, 1_228_816, 3, 200_000];
    const down = sizes.map((n) => randomBytes(n));
    const up = sizes.filter((n) => n <= 1 << 20).map((n) => randomBytes(n));
    const fromProxmox: Buffer[] = [];
    const fromBrowser: Buffer[] = [];
    const binary: boolean[] = [];
    browser.on('message', (m: Buffer, isBinary) => (fromProxmox.push(m), binary.push(isBinary)));
    proxmox.on('message', (m: Buffer, isBinary) => (fromBrowser.push(m), binary.push(isBinary)));
    const pong = new Promise<Buffer>((r) => proxmox.once('pong', r));
    for (const m of down) proxmox.send(m);
    proxmox.ping(Buffer.from('are you there'));
    // A text message and a fragmented one from the browser (both reach Proxmox as binary).
    browser.send('keys', { binary: false });
    browser.send(Buffer.from('frag-'), { fin: false });
    browser.send(Buffer.from('mented'), { fin: true });
    for (const m of up) browser.send(m);

    await expect.poll(() => fromProxmox.length, { timeout: 10_000 }).toBe(down.length + 1);
    await expect.poll(() => fromBrowser.length, { timeout: 10_000 }).toBe(up.length + 2);
    expect(fromProxmox[0]!.toString()).toBe('early');
    expect(fromProxmox.slice(1).every((m, i) => m.equals(down[i]!))).toBe(true);
    expect(fromBrowser[0]!.toString()).toBe('keys');
    expect(fromBrowser[1]!.toString()).toBe('frag-mented');
    expect(fromBrowser.slice(2).every((m, i) => m.equals(up[i]!))).toBe(true);
    expect(binary.every(Boolean)).toBe(true);
    // The browser answered Proxmox's ping through the relay.
    expect((await pong).toString()).toBe('are you there');
  }, 30_000);

  it("closes the other side with the closing side's code and reason", async () => {
    const { browser, browserEnd, upstream, proxmox } = await wire();
    const relayed = relay(browserEnd, upstream);
    const closed = new Promise<[number, string]>((r) => browser.once('close', (c, why) => r([c, why.toString()])));
    proxmox.close(4000, 'guest went away');
    expect(await closed).toEqual([4000, 'guest went away']);
    await relayed;
  });

  it('closes the browser with 1011 when Proxmox drops the connection, and Proxmox with 1000 after a bare close', async () => {
    const a = await wire();
    void relay(a.browserEnd, a.upstream);
    const closed = new Promise<[number, string]>((r) => a.browser.once('close', (c, why) => r([c, why.toString()])));
    a.proxmox.terminate();
    expect(await closed).toEqual([1011, 'the other side dropped the connection']);

    const b = await wire();
    void relay(b.browserEnd, b.upstream);
    const upClosed = new Promise<number>((r) => b.proxmox.once('close', (c) => r(c)));
    b.browser.close();
    expect(await upClosed).toBe(1000);
  });

  it('closes with 1002 a browser that sends unmasked frames, and tells Proxmox', async () => {
    const { browserEnd, upstream, proxmox } = await wire();
    void relay(browserEnd, upstream);
    const upClosed = new Promise<number>((r) => proxmox.once('close', (c) => r(c)));
    // An unmasked binary frame written straight onto the browser's TCP socket.
    (browserEnd.socket as unknown as { emit(e: string, b: Buffer): void }).emit('data', Buffer.from([0x82, 1, 0x41]));
    expect(await upClosed).toBe(1011);
  });

  it("opens the Proxmox leg over TLS only when the certificate matches the cluster's pinned fingerprint", async () => {
    const cert = selfSignedCertificate('127.0.0.1');
    const pve = createHttpsServer({ key: cert.keyPem, cert: cert.certPem });
    const wss = new WebSocketServer({ server: pve });
    wss.on('connection', (ws) => (sockets.push(ws), ws.send('RFB 003.008\n')));
    const url = `https://127.0.0.1:${await listen(pve)}/`;
    const logger = { warn: () => undefined };
    const pinned = (fingerprint: string) => {
      const t = buildTls({ fingerprint }, logger, url);
      return { agent: t.agent, rejectUnauthorized: t.https.rejectUnauthorized };
    };
    const up = await connectUpstream(url, { headers: {}, tls: pinned(cert.fingerprint), timeoutMs: 5000 });
    sockets.push(up);
    expect((await up.read(12, 5000)).toString()).toBe('RFB 003.008\n');
    const wrong = cert.fingerprint.replace(/^[0-9A-F]{2}/i, (h) => (h.toUpperCase() === 'AA' ? 'BB' : 'AA'));
    await expect(connectUpstream(url, { headers: {}, tls: pinned(wrong), timeoutMs: 5000 })).rejects.toThrow(
      /does not match the pinned/,
    );
    expect(wss.clients.size).toBe(1);
  });

  it('maps codes that cannot be sent', () => {
    expect([1000, 1005, 1006, 1015, 4001, 999].map(sendableCode)).toEqual([1000, 1000, 1011, 1011, 4001, 1011]);
  });
});
