import { afterEach, describe, expect, it, vi } from 'vitest';
import { splitWords } from './shell.js';
import { ByteSocket, UpgradeRefused, startConsoleServer, type ConsoleServer } from './test/console-server.js';
import type { ConsoleBrokerOptions, ConsoleTarget, TermProxyResult } from './types.js';

const ct200: ConsoleTarget = { node: 'pve1', vmid: 200, type: 'lxc' };
const vm100: ConsoleTarget = { node: 'pve1', vmid: 100, type: 'qemu' };

let server: ConsoleServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const start = async (options: Partial<ConsoleBrokerOptions> = {}) => {
  server = await startConsoleServer({ screen: () => [], ...options });
  return server;
};

/** xterm.js's input frame: the length is in UTF-8 bytes. */
const input = (data: string) => `0:${Buffer.byteLength(data)}:${data}`;

const open = async (target: ConsoleTarget, data: TermProxyResult) =>
  ByteSocket.open(server?.url(target, data.port, data.ticket) ?? '');

/** Opens the socket and performs the handshake the platform's proxy does. */
const login = async (target: ConsoleTarget, user = 'root@pam') => {
  const data = server?.broker.termproxy(target, { user, upid: 'UPID:term' }) as TermProxyResult;
  const socket = await open(target, data);
  socket.send(`${data.user}:${data.ticket}\n`);
  expect((await socket.read(2)).toString()).toBe('OK');
  return socket;
};

describe('termproxy', () => {
  it('returns port, ticket, upid and user, and no password or cert', async () => {
    const { broker } = await start();
    const data = broker.termproxy(ct200, { user: 'alice@pve!console', upid: 'UPID:x' });
    expect(data).toEqual({
      port: expect.stringMatching(/^59\d\d$/),
      ticket: expect.stringMatching(/^PVEVNC:[0-9A-F]{8}::/),
      upid: 'UPID:x',
      user: 'alice@pve!console',
    });
  });

  it('answers the user:ticket line with OK and a prompt, then echoes and runs commands', async () => {
    const { broker } = await start();
    const socket = await login(ct200);
    expect(await socket.readUntil('# ')).toBe('root@ct200:~# ');

    socket.send(input('hostname'));
    socket.send(input('\r'));
    expect(await socket.readUntil('~# ')).toBe('hostname\r\nct200\r\nroot@ct200:~# ');

    socket.send(input('echo "hello  world" it\\\'s\r'));
    expect(await socket.readUntil('~# ')).toBe(`echo "hello  world" it\\'s\r\nhello  world it's\r\nroot@ct200:~# `);

    socket.send(input('whoami\r'));
    expect(await socket.readUntil('~# ')).toBe('whoami\r\nroot\r\nroot@ct200:~# ');

    socket.send(input('uname -a\r'));
    expect(await socket.readUntil('~# ')).toMatch(
      /^uname -a\r\nLinux ct200 6\.\S+-pve #1 SMP .* x86_64 GNU\/Linux\r\n/,
    );

    socket.send(input('nope\r'));
    expect(await socket.readUntil('~# ')).toBe('nope\r\n-bash: nope: command not found\r\nroot@ct200:~# ');

    expect(broker.received(ct200).text).toBe(`hostname\recho "hello  world" it\\'s\rwhoami\runame -a\rnope\r`);
    expect(broker.received(ct200).keys).toEqual([]);
  });

  it('uses the hostname option and the guest kernel of a VM', async () => {
    await start({ hostname: (target) => `web-${target.vmid}` });
    const socket = await login(vm100);
    await socket.readUntil('# ');
    socket.send(input('uname -r\r'));
    expect(await socket.readUntil('~# ')).toMatch(/^uname -r\r\n\S+-amd64\r\nroot@web-100:~# $/);
  });

  it('applies resize frames (stty size) and ignores pings, also when frames share a message', async () => {
    const { broker } = await start();
    const socket = await login(ct200);
    await socket.readUntil('# ');
    socket.send(input('stty size\r'));
    expect(await socket.readUntil('~# ')).toContain('\r\n24 80\r\n');
    socket.send('1:132:43:');
    socket.send('2');
    socket.send(`2${input('stty size')}1:100:30:2${input('\r')}2`);
    expect(await socket.readUntil('~# ')).toBe('stty size\r\n30 100\r\nroot@ct200:~# ');
    expect(broker.received(ct200).text).toBe('stty size\rstty size\r');
  });

  it('reassembles frames split across messages and counts the length in UTF-8 bytes', async () => {
    const { broker } = await start();
    const socket = await login(ct200);
    await socket.readUntil('# ');
    const frame = Buffer.from(input('echo grüße ✓\r'));
    for (const part of [frame.subarray(0, 1), frame.subarray(1, 3), frame.subarray(3, 12), frame.subarray(12)]) {
      socket.send(part);
    }
    expect(await socket.readUntil('~# ')).toBe('echo grüße ✓\r\ngrüße ✓\r\nroot@ct200:~# ');
    expect(broker.received(ct200).text).toBe('echo grüße ✓\r');
  });

  it('edits the line: backspace, Ctrl-C, cursor keys ignored', async () => {
    await start();
    const socket = await login(ct200);
    await socket.readUntil('# ');
    socket.send(input('whoamx\x7fi\x1b[A\x1b[D\r'));
    expect(await socket.readUntil('~# ')).toBe('whoamx\b \bi\r\nroot\r\nroot@ct200:~# ');
    socket.send(input('sleep 100\x03'));
    expect(await socket.readUntil('~# ')).toBe('sleep 100^C\r\nroot@ct200:~# ');
  });

  it('answers id, pwd, date (by the injected clock) and clear; Ctrl-D on an empty line logs out', async () => {
    await start({ now: () => Date.UTC(2026, 10, 5, 9, 8, 7) });
    const socket = await login(ct200);
    await socket.readUntil('# ');
    socket.send(input('id\rpwd\rdate\r'));
    expect(await socket.readUntil('date\r\n')).toContain('uid=0(root) gid=0(root) groups=0(root)\r\n');
    expect(await socket.readUntil('~# ')).toBe('Thu Nov  5 09:08:07 UTC 2026\r\nroot@ct200:~# ');
    socket.send(input('clear\r'));
    expect(await socket.readUntil('~# ')).toBe('clear\r\n\x1b[H\x1b[2Jroot@ct200:~# ');
    socket.send(input('\x04'));
    expect(await socket.readUntil('logout\r\n')).toBe('logout\r\n');
    expect((await socket.closed).code).toBe(1000);
  });

  it('logs out on exit and closes the socket', async () => {
    const sessions: string[] = [];
    await start({ onSessionEnd: (upid, status) => sessions.push(`${upid} ${status}`) });
    const socket = await login(ct200);
    await socket.readUntil('# ');
    socket.send(input('exit\r'));
    expect(await socket.readUntil('logout\r\n')).toBe('exit\r\nlogout\r\n');
    expect((await socket.closed).code).toBe(1000);
    await expect.poll(() => sessions).toEqual(['UPID:term OK']);
  });

  it.each([
    ['another user', (d: TermProxyResult) => `bob@pve:${d.ticket}\n`],
    ['another ticket', (d: TermProxyResult) => `${d.user}:${d.ticket.replace(/.$/, '?')}\n`],
    ['no colon', () => 'garbage\n'],
  ])('closes without OK on %s', async (_case, line) => {
    const { broker } = await start();
    const data = broker.termproxy(ct200, { user: 'root@pam', upid: 'u' });
    const socket = await open(ct200, data);
    socket.send(line(data));
    expect(await socket.closed).toEqual({ code: 1008, reason: 'authentication failed' });
    expect(socket.unread).toBe(0);
  });

  it('closes when no user:ticket line arrives within 10 s', async () => {
    const { broker } = await start();
    const data = broker.termproxy(ct200, { user: 'root@pam', upid: 'u' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const socket = await open(ct200, data);
      socket.send('root@pam:'); // no newline yet
      await vi.advanceTimersByTimeAsync(9_999);
      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
      await vi.advanceTimersByTimeAsync(1);
      expect(await socket.closed).toEqual({ code: 1008, reason: 'timed out waiting for user:ticket' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes on a malformed frame', async () => {
    await start();
    const socket = await login(ct200);
    socket.send('9:whatever');
    expect((await socket.closed).code).toBe(1002);
  });

  it('refuses a second connection with the same ticket', async () => {
    const { broker } = await start();
    const data = broker.termproxy(ct200, { user: 'root@pam', upid: 'u' });
    await open(ct200, data);
    const second = await open(ct200, data).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(UpgradeRefused);
    expect((second as UpgradeRefused).status).toBe(502);
  });
});

describe('splitWords', () => {
  it('splits like a shell for simple quoting', () => {
    expect(splitWords(`echo  a "b c" 'd "e"' f\\ g ""`)).toEqual(['echo', 'a', 'b c', 'd "e"', 'f g', '']);
  });
});
