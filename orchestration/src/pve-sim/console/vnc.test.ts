import { once } from 'node:events';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { glyphCell } from './font.js';
import { ByteSocket, UpgradeRefused, startConsoleServer, type ConsoleServer } from './test/console-server.js';
import { RfbAuthFailed, RfbClient } from './test/rfb-client.js';
import type { ConsoleBrokerOptions, ConsoleTarget } from './types.js';

const vm100: ConsoleTarget = { node: 'pve1', vmid: 100, type: 'qemu' };
const ct200: ConsoleTarget = { node: 'pve1', vmid: 200, type: 'lxc' };
const SCREEN = ['Debian GNU/Linux 13 vm100 tty1', '', 'vm100 login: '];
const GREY = 'aaaaaa00'; // 0x00aaaaaa, little-endian 32 bpp
const BLACK = '00000000';

let server: ConsoleServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const start = async (options: Partial<ConsoleBrokerOptions> = {}) => {
  server = await startConsoleServer({ screen: () => SCREEN, ...options });
  return server;
};

/** The expected framebuffer, drawn here from the glyph cells: text from the top-left corner. */
const expectedFramebuffer = (lines: string[], width: number, height: number): Buffer => {
  const out = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const char = lines[Math.floor(y / 16)]?.[Math.floor(x / 8)] ?? ' ';
      const on = ((glyphCell(char)[y % 16] ?? 0) >> (7 - (x % 8))) & 1;
      if (on) out.write(GREY, (y * width + x) * 4, 'hex');
    }
  }
  return out;
};

const connect = async (target: ConsoleTarget, port: string, ticket: string) =>
  new RfbClient(await ByteSocket.open(server?.url(target, port, ticket) ?? ''));

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the upgrade to be refused');
    },
    (error: unknown) => {
      if (!(error instanceof UpgradeRefused)) throw error;
      return { status: error.status, message: error.statusMessage, body: JSON.parse(error.body) as unknown };
    },
  );

describe('vncproxy', () => {
  it('returns the data shape of Proxmox VE, with a generated password only when asked', async () => {
    const { broker } = await start();
    const upid = 'UPID:pve1:0000A1B2:00C0FFEE:6924A000:vncproxy:100:root@pam:';
    const withPassword = broker.vncproxy(vm100, { user: 'root@pam', upid, generatePassword: true });
    expect(withPassword).toEqual({
      cert: expect.stringMatching(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/),
      port: expect.stringMatching(/^59\d\d$/),
      ticket: expect.stringMatching(/^PVEVNC:[0-9A-F]{8}::[A-Za-z0-9+/]+=*$/),
      upid,
      user: 'root@pam',
      password: expect.stringMatching(/^[!-~]{8}$/),
    });
    const plain = broker.vncproxy(vm100, { user: 'root@pam', upid, generatePassword: false });
    expect(plain).not.toHaveProperty('password');
    expect(plain.port).not.toBe(withPassword.port); // the first worker still listens
  });

  it('stamps the ticket with the current time in hex', async () => {
    const now = Date.UTC(2026, 10, 25, 23, 0, 0);
    const { broker } = await start({ now: () => now });
    const { ticket } = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: false });
    expect(ticket.slice(0, 15)).toBe(`PVEVNC:${(now / 1000).toString(16).toUpperCase()}`);
  });
});

describe('vncwebsocket + RFB 3.8', () => {
  it('authenticates with the generated password and shows the screen text pixel for pixel', async () => {
    const { broker } = await start();
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: true });
    const client = await connect(vm100, data.port, data.ticket);
    const init = await client.handshake(data.password ?? '');
    expect(init).toMatchObject({ width: 640, height: 480, name: 'VM 100' });
    // 32 bpp, depth 24, little-endian, true colour, maxima 255, shifts 16/8/0.
    expect(init.pixelFormat.toString('hex')).toBe('20180001' + '00ff00ff00ff' + '100800' + '000000');

    client.setEncodings([0, -223]);
    client.requestUpdate(false);
    await client.readUpdate();
    expect(client.framebuffer.equals(expectedFramebuffer(SCREEN, 640, 480))).toBe(true);
    // Spot checks against the font drawn by hand: 'D' ('###..' on top, '#..#.' below) fills cell
    // (0,0) from x=1, y=3; the cell's left column is blank.
    expect([0, 1, 2, 3, 4].map((x) => client.pixelHex(x, 3))).toEqual([BLACK, GREY, GREY, GREY, BLACK]);
    expect([0, 1, 2, 3, 4].map((x) => client.pixelHex(x, 4))).toEqual([BLACK, GREY, BLACK, BLACK, GREY]);
  });

  it('accepts the ticket as the password when none was generated (VNC uses its first 8 bytes)', async () => {
    const { broker } = await start();
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: false });
    const socket = await ByteSocket.open(server?.url(vm100, data.port, data.ticket) ?? '', { authid: 'root@pam' });
    expect(socket.ws.protocol).toBe('binary');
    const client = new RfbClient(socket);
    await expect(client.handshake(data.ticket)).resolves.toMatchObject({ name: 'VM 100' });
  });

  it('refuses a wrong password with SecurityResult 1 and a reason, then closes', async () => {
    const { broker } = await start();
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: true });
    const client = await connect(vm100, data.port, data.ticket);
    const failure = await client.handshake('wrong!!!').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RfbAuthFailed);
    expect((failure as RfbAuthFailed).reason).toBe('Authentication failed');
    expect((await client.socket.closed).code).toBe(1000);
  });

  it('speaks RFB 3.3 to an old client (server-chosen security type, no reason)', async () => {
    const { broker } = await start();
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: true });
    const client = await connect(vm100, data.port, data.ticket);
    await expect(client.handshake(data.password ?? '', 'RFB 003.003\n')).resolves.toMatchObject({ width: 640 });
  });

  it('serves a container console at 800x600, including the half cell row at the bottom', async () => {
    const { broker } = await start({ screen: () => ['CT 200 console'] });
    const data = broker.vncproxy(ct200, { user: 'root@pam', upid: 'u', generatePassword: true });
    const client = await connect(ct200, data.port, data.ticket);
    expect(await client.handshake(data.password ?? '')).toMatchObject({ width: 800, height: 600 });
    client.requestUpdate(false);
    const rects = await client.readUpdate();
    expect(Math.max(...rects.map((r) => r.y + r.height))).toBe(600);
    expect(client.framebuffer.equals(expectedFramebuffer(['CT 200 console'], 800, 600))).toBe(true);
  });

  it('sizes a container console by vncproxy width/height, with partial cells at the edges', async () => {
    const { broker } = await start({ screen: () => ['x'.repeat(200)] });
    const data = broker.vncproxy(ct200, {
      user: 'root@pam',
      upid: 'u',
      generatePassword: true,
      width: 804,
      height: 100,
    });
    const client = await connect(ct200, data.port, data.ticket);
    expect(await client.handshake(data.password ?? '')).toMatchObject({ width: 804, height: 100 });
    client.requestUpdate(false);
    await client.readUpdate();
    // 100 whole columns per row; the half column at x = 800..803 stays background.
    const lines = ['x'.repeat(100), 'x'.repeat(100)];
    expect(client.framebuffer.equals(expectedFramebuffer(lines, 804, 100))).toBe(true);
    client.requestUpdate(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(client.socket.unread).toBe(0); // nothing is resent for the partial cells
  });

  it('records pressed keys and echoes typed characters on the last line', async () => {
    const { broker } = await start();
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: true });
    const client = await connect(vm100, data.port, data.ticket);
    await client.handshake(data.password ?? '');
    client.requestUpdate(false);
    await client.readUpdate();

    client.requestUpdate(true); // held: nothing changed yet
    client.pointer(10, 10, 1);
    client.cutText('clipboard text');
    client.key(0xffe1, true); // Shift_L
    client.type('roo');
    client.key(0xffe1, false);
    const rects = await client.readUpdate();
    // Only the last line's changed cells come back: "vm100 login: " is 13 cells.
    expect(rects[0]).toMatchObject({ x: 13 * 8, y: 2 * 16, height: 16 });

    client.type('tx');
    client.key(0xff08, true); // BackSpace
    client.key(0xff08, false);
    client.key(0xff0d, true); // Return
    client.key(0xff0d, false);
    await expect.poll(() => broker.received(vm100).keys.length).toBe(8);
    expect(broker.received(vm100).keys).toEqual([0xffe1, 0x72, 0x6f, 0x6f, 0x74, 0x78, 0xff08, 0xff0d]);
    expect(broker.received(vm100).text).toBe('');

    client.requestUpdate(false);
    await client.readUpdate();
    const lines = [...SCREEN.slice(0, 2), 'vm100 login: root', 'vm100 login: '];
    expect(client.framebuffer.equals(expectedFramebuffer(lines, 640, 480))).toBe(true);
  });

  it('answers incremental requests with only what changed, when it changes', async () => {
    let screen = ['first'];
    const { broker } = await start({ screen: () => screen });
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: true });
    const client = await connect(vm100, data.port, data.ticket);
    await client.handshake(data.password ?? '');
    client.requestUpdate(true); // the viewer has nothing yet: everything is new
    expect((await client.readUpdate()).length).toBeGreaterThan(0);
    client.requestUpdate(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.socket.unread).toBe(0);
    screen = ['first', 'second'];
    const rects = await client.readUpdate(); // picked up by the screen poll
    expect(rects).toEqual([{ x: 0, y: 16, width: 6 * 8, height: 16 }]);
    expect(client.framebuffer.equals(expectedFramebuffer(screen, 640, 480))).toBe(true);
  });

  it('converts pixels to the format the viewer sets (noVNC RGB, 16 bpp, colour map)', async () => {
    const { broker } = await start({ screen: () => ['A'] });
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: true });
    const client = await connect(vm100, data.port, data.ticket);
    await client.handshake(data.password ?? '');
    const area = { x: 0, y: 0, width: 8, height: 16 };
    // 'A' row 6 (y = 3 + 3) is the bar: x = 1..5 lit.
    const noVnc = Buffer.from('20180001' + '00ff00ff00ff' + '000810' + '000000', 'hex');
    client.setPixelFormat(noVnc);
    client.requestUpdate(false, area);
    await client.readUpdate();
    expect([client.pixelHex(0, 6), client.pixelHex(1, 6)]).toEqual([BLACK, GREY]);

    const rgb565 = Buffer.from('10100101' + '001f003f001f' + '0b0500' + '000000', 'hex');
    client.setPixelFormat(rgb565);
    client.requestUpdate(false, area);
    await client.readUpdate();
    // 0xaa scaled: r 21/31, g 43/63, b 21/31 -> (21<<11)|(43<<5)|21 = 0xad55, big-endian.
    expect([client.pixelHex(0, 6), client.pixelHex(1, 6)]).toEqual(['0000', 'ad55']);

    const colourMap = Buffer.from('08080000' + '000000000000' + '000000' + '000000', 'hex');
    client.setPixelFormat(colourMap);
    client.requestUpdate(false, area);
    await client.readUpdate();
    expect(client.colourMap).toEqual([
      [0, 0, 0],
      [0xaaaa, 0xaaaa, 0xaaaa],
    ]);
    expect([client.pixelHex(0, 6), client.pixelHex(1, 6)]).toEqual(['00', '01']);
  });

  it('closes the session on an unknown client message', async () => {
    const { broker } = await start();
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: true });
    const client = await connect(vm100, data.port, data.ticket);
    await client.handshake(data.password ?? '');
    client.socket.send(Buffer.from([99, 0, 0, 0]));
    expect(await client.socket.closed).toEqual({
      code: 1002,
      reason: 'RFB protocol error: unsupported client message type 99',
    });
  });
});

describe('vncwebsocket refusals', () => {
  it('refuses a reused ticket: the worker accepted its one connection', async () => {
    const sessions: Array<[string, string]> = [];
    const { broker } = await start({ onSessionEnd: (upid, status) => sessions.push([upid, status]) });
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'task-1', generatePassword: true });
    const first = await connect(vm100, data.port, data.ticket);
    await first.handshake(data.password ?? '');
    expect(await refusal(ByteSocket.open(server?.url(vm100, data.port, data.ticket) ?? ''))).toEqual({
      status: 502,
      message: `console on port ${data.port} already accepted its connection; request a new ticket`,
      body: {
        data: null,
        message: `console on port ${data.port} already accepted its connection; request a new ticket\n`,
      },
    });
    first.socket.ws.close();
    await first.socket.closed;
    await expect.poll(() => sessions).toEqual([['task-1', 'OK']]);
    await expect(refusal(ByteSocket.open(server?.url(vm100, data.port, data.ticket) ?? ''))).resolves.toMatchObject({
      status: 502,
    });
  });

  it('refuses after the 10 s connect window and ends the task with "connection timed out"', async () => {
    let now = Date.UTC(2026, 10, 25, 23, 0, 0);
    const sessions: Array<[string, string]> = [];
    const { broker } = await start({ now: () => now, onSessionEnd: (upid, status) => sessions.push([upid, status]) });
    const late = broker.vncproxy(vm100, { user: 'root@pam', upid: 'late', generatePassword: true });
    const onTime = broker.vncproxy(vm100, { user: 'root@pam', upid: 'on-time', generatePassword: true });
    now += 10_000;
    const client = await connect(vm100, onTime.port, onTime.ticket); // exactly 10 s: still accepted
    await client.handshake(onTime.password ?? '');
    now += 1;
    expect(await refusal(ByteSocket.open(server?.url(vm100, late.port, late.ticket) ?? ''))).toMatchObject({
      status: 502,
      message: `console on port ${late.port} stopped listening: nobody connected within 10 s; request a new ticket`,
    });
    expect(sessions).toEqual([['late', 'connection timed out']]);
  });

  it('ends an unused worker after 10 s on its own and frees its port', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const sessions: string[] = [];
      const { broker } = await start({ onSessionEnd: (upid, status) => sessions.push(`${upid}: ${status}`) });
      const first = broker.vncproxy(vm100, { user: 'root@pam', upid: 'first', generatePassword: false });
      vi.advanceTimersByTime(9_999);
      expect(sessions).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(sessions).toEqual(['first: connection timed out']);
      expect(broker.vncproxy(vm100, { user: 'root@pam', upid: 'second', generatePassword: false }).port).toBe(
        first.port,
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses tickets that are forged, for another guest or port, or outside -20 s … +40 s', async () => {
    let now = Date.UTC(2026, 10, 25, 23, 0, 0);
    const { broker } = await start({ now: () => now });
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: false });
    const url = (target: ConsoleTarget, port: string, ticket: string) => server?.url(target, port, ticket) ?? '';
    const invalid = { status: 401, message: 'permission denied - invalid PVEVNC ticket' };
    const forged = data.ticket.replace(/::./, (m) => (m.endsWith('A') ? '::B' : '::A'));
    expect(await refusal(ByteSocket.open(url(vm100, data.port, forged)))).toMatchObject(invalid);
    expect(await refusal(ByteSocket.open(url({ ...vm100, vmid: 101 }, data.port, data.ticket)))).toMatchObject(invalid);
    expect(await refusal(ByteSocket.open(url(ct200, data.port, data.ticket)))).toMatchObject(invalid);
    expect(await refusal(ByteSocket.open(url(vm100, String(Number(data.port) + 1), data.ticket)))).toMatchObject(
      invalid,
    );
    expect(await refusal(ByteSocket.open(url(vm100, 'abc', data.ticket)))).toMatchObject({ status: 400 });
    // The API side authenticated someone else than the vncproxy caller.
    const asBob = ByteSocket.open(url(vm100, data.port, data.ticket), { authid: 'bob@pve' });
    expect(await refusal(asBob)).toMatchObject(invalid);
    now -= 21_000; // the node's clock is behind the ticket's by more than 20 s
    expect(await refusal(ByteSocket.open(url(vm100, data.port, data.ticket)))).toMatchObject(invalid);
    now += 21_000 + 41_000;
    expect(await refusal(ByteSocket.open(url(vm100, data.port, data.ticket)))).toMatchObject(invalid);
  });

  it('lets ws answer a non-WebSocket request and ends that worker', async () => {
    const sessions: string[] = [];
    const { broker } = await start({ onSessionEnd: (_upid, status) => sessions.push(status) });
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: true });
    const url = (server?.url(vm100, data.port, data.ticket) ?? '').replace('ws:', 'http:');
    const request = httpGet(url, { headers: { Connection: 'Upgrade', Upgrade: 'websocket' } });
    const [response] = (await once(request, 'response')) as [IncomingMessage];
    response.resume();
    expect(response.statusCode).toBe(400);
    expect(sessions).toEqual(['invalid WebSocket handshake']);
  });
});

describe('close()', () => {
  it('closes every console socket with 1001', async () => {
    const { broker } = await start();
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: true });
    const client = await connect(vm100, data.port, data.ticket);
    await client.handshake(data.password ?? '');
    const closing = broker.close();
    expect((await client.socket.closed).code).toBe(1001);
    await closing;
    expect(() => broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: false })).toThrow(/closed/);
    const refused = await refusal(ByteSocket.open(server?.url(vm100, data.port, data.ticket) ?? ''));
    expect(refused).toMatchObject({ status: 503 });
  });

  it('shows an empty screen when the screen callback throws', async () => {
    const { broker } = await start({
      screen: () => {
        throw new Error('guest 100 does not exist');
      },
    });
    const data = broker.vncproxy(vm100, { user: 'root@pam', upid: 'u', generatePassword: true });
    const client = await connect(vm100, data.port, data.ticket);
    await client.handshake(data.password ?? '');
    client.requestUpdate(false);
    await client.readUpdate();
    expect(client.framebuffer.equals(expectedFramebuffer([], 640, 480))).toBe(true);
  });
});
