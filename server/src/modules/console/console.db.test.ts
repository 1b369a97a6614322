// Browser consoles through the platform's proxy, against the Proxmox VE simulator: a real RFB
// handshake and framebuffer, a terminal session, and every refusal.
import { createPveSimulator, type PveSimulator } from '@pvepaas/orchestration/pve-sim/index';
import { glyphCell } from '@pvepaas/orchestration/pve-sim/console/font';
import { layoutText } from '@pvepaas/orchestration/pve-sim/console/framebuffer';
import { bootScreen } from '@pvepaas/orchestration/pve-sim/routes/guest-common';
import { createCipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { AuditLog } from '../audit/audit-log.entity.js';
import { Node } from '../cluster/node.entity.js';
import { Machine, MachineStatus } from '../machine/machine.entity.js';
import { Role } from '../membership/membership.entity.js';
import type { Project } from '../project/project.entity.js';
import { MachineKind } from '../template/template.entity.js';
import type { User } from '../user/user.entity.js';

const OPEN = `mutation($machineId: ID!, $kind: ConsoleKind!) { openConsole(machineId: $machineId, kind: $kind) { kind path password expiresAt } }`;

/** A WebSocket read as a byte stream, for the RFB client side of the test. */
class Bytes {
  buffer = Buffer.alloc(0);
  private waiter?: () => void;
  readonly closed: Promise<{ code: number; reason: string }>;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.waiter?.();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.waiter?.();
        resolve({ code, reason: reason.toString() });
      }),
    );
  }
  async read(n: number): Promise<Buffer> {
    while (this.buffer.length < n) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`closed while waiting for ${n} bytes`);
      await new Promise<void>((r) => (this.waiter = r));
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }
  /** Waits until the text received so far matches. */
  async until(re: RegExp): Promise<string> {
    for (;;) {
      const text = this.buffer.toString('utf8');
      if (re.test(text)) return text;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`closed before ${re}: ${JSON.stringify(text)}`);
      await new Promise<void>((r) => (this.waiter = r));
    }
  }
  send(b: Buffer | string) {
    this.ws.send(typeof b === 'string' ? Buffer.from(b, 'latin1') : b);
  }
}

/** VNC Authentication's response, from RFC 6143 with OpenSSL's DES (independent of the proxy's). */
function clientAuthResponse(password: string, challenge: Buffer): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  const reversed = Buffer.from(
    key.map((b) => parseInt(b.toString(2).padStart(8, '0').split('').reverse().join(''), 2)),
  );
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([reversed, reversed, reversed]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

const keyEvent = (keysym: number, down: number) => {
  const b = Buffer.alloc(8);
  b.writeUInt8(4, 0);
  b.writeUInt8(down, 1);
  b.writeUInt32BE(keysym, 4);
  return b;
};

const requestUpdate = (rfb: Bytes, incremental: boolean, width: number, height: number) => {
  const b = Buffer.alloc(10);
  b.writeUInt8(3, 0);
  b.writeUInt8(incremental ? 1 : 0, 1);
  b.writeUInt16BE(width, 6);
  b.writeUInt16BE(height, 8);
  rfb.send(b);
};

/** One FramebufferUpdate of Raw rectangles, copied into `fb` (32 bpp). */
async function readUpdate(rfb: Bytes, fb: Buffer, width: number): Promise<void> {
  const head = await rfb.read(4);
  expect(head.readUInt8(0)).toBe(0);
  for (let i = head.readUInt16BE(2); i > 0; i--) {
    const r = await rfb.read(12);
    const [x, y, w, h] = [r.readUInt16BE(0), r.readUInt16BE(2), r.readUInt16BE(4), r.readUInt16BE(6)];
    expect(r.readInt32BE(8)).toBe(0);
    const data = await rfb.read(w * h * 4);
    for (let row = 0; row < h; row++) data.copy(fb, ((y + row) * width + x) * 4, row * w * 4, (row + 1) * w * 4);
  }
}

/** What the simulator draws: its 8x16 cells, light grey on black, lines wrapped at the width. */
function expectedFramebuffer(lines: string[], width: number, height: number): Buffer {
  const out = Buffer.alloc(width * height * 4);
  const grid = layoutText(lines, { cols: width / 8, rows: height / 16 });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (((glyphCell(grid[Math.floor(y / 16)]![Math.floor(x / 8)]!)[y % 16] ?? 0) >> (7 - (x % 8))) & 1)
        out.write('aaaaaa00', (y * width + x) * 4, 'hex');
  return out;
}

describe.skipIf(postgresUnavailable())('consoles through the platform proxy', () => {
  let api: TestApi;
  let sim: PveSimulator;
  let owner: { user: User; token: string };
  let project: Project;
  const machines: Record<'vm' | 'ct' | 'stopped', Machine> = {} as never;
  const vmids: Record<'vm' | 'ct' | 'stopped', number> = {} as never;

  const wsUrl = (path: string) => api.url.replace('http', 'ws') + path;
  const connect = (path: string, token: string | null, origin?: string) =>
    new Promise<Bytes>((resolve, reject) => {
      const ws = new WebSocket(wsUrl(path), ['binary'], {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(origin ? { origin } : {}),
      });
      const bytes = new Bytes(ws);
      ws.once('open', () => resolve(bytes));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          reject(Object.assign(new Error(`refused ${res.statusCode}: ${body}`), { status: res.statusCode, body })),
        );
      });
      ws.once('error', reject);
    });
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => ({ status: 0, body: 'opened' }),
      (e: { status?: number; body?: string }) => ({ status: e.status, body: e.body }),
    );
  const received = async (m: 'vm' | 'ct') => {
    const g = sim.state.guests.find((x) => x.vmid === vmids[m])!;
    const res = await fetch(`${sim.url}/_sim/console/${g.type}/${g.node}/${g.vmid}`);
    return ((await res.json()) as { data: { keys: number[]; text: string } }).data;
  };

  beforeAll(async () => {
    sim = await createPveSimulator({ seed: 11, timeFactor: 0.1, port: 0 });
    api = await startTestApi();
    const admin = await api.user({ admin: true });
    owner = await api.user();
    ({ project } = await api.org(owner.user, Role.OWNER));
    const token = sim.credentials.tokens.full;
    const { createCluster } = await api.ok(
      `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`,
      { input: { name: 'sim', apiUrl: sim.url, tokenId: token.tokenid, tokenSecret: token.secret } },
      admin.token,
    );
    const { createTemplate } = await api.ok(
      `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`,
      {
        input: {
          clusterId: createCluster.id,
          name: 'debian-12',
          kind: 'VM',
          os: 'debian-12',
          sourceVmid: 9000,
          defaultCores: 1,
          defaultMemoryMiB: 1024,
          defaultDiskGiB: 4,
        },
      },
      admin.token,
    );
    [vmids.vm] = sim.control.addGuests(1, { running: true, type: 'qemu' }) as [number];
    [vmids.ct] = sim.control.addGuests(1, { running: true, type: 'lxc' }) as [number];
    [vmids.stopped] = sim.control.addGuests(1, { running: false, type: 'qemu' }) as [number];
    const em = api.db.orm.em.fork();
    for (const key of ['vm', 'ct', 'stopped'] as const) {
      const g = sim.state.guests.find((x) => x.vmid === vmids[key])!;
      const node =
        (await em.findOne(Node, { cluster: createCluster.id, name: g.node })) ??
        em.create(Node, { cluster: createCluster.id, name: g.node, status: 'online' });
      machines[key] = em.create(Machine, {
        name: `${key}-1`,
        kind: g.type === 'lxc' ? MachineKind.LXC : MachineKind.VM,
        project: project.id,
        owner: owner.user.id,
        cluster: createCluster.id,
        node,
        vmid: g.vmid,
        template: createTemplate.id,
        status: MachineStatus.RUNNING,
        cores: 1,
        memoryMiB: 1024,
        diskGiB: 4,
      });
    }
    await em.flush();
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await sim?.close();
  });

  it('VNC: the RFB handshake with the returned password reaches the framebuffer the guest draws, and keys reach the guest', async () => {
    const { openConsole } = await api.ok(OPEN, { machineId: machines.vm.id, kind: 'VNC' }, owner.token);
    expect(openConsole.path).toMatch(/^\/console\/[\w-]{20,}$/);
    expect(openConsole.password).toHaveLength(8);
    expect(new Date(openConsole.expiresAt).getTime() - Date.now()).toBeGreaterThan(20_000);
    const rfb = await connect(openConsole.path, owner.token);
    expect((await rfb.read(12)).toString()).toBe('RFB 003.008\n');
    rfb.send('RFB 003.008\n');
    expect([...(await rfb.read(2))]).toEqual([1, 2]);
    rfb.send(Buffer.from([2]));
    rfb.send(clientAuthResponse(openConsole.password, await rfb.read(16)));
    expect((await rfb.read(4)).readUInt32BE(0)).toBe(0);
    rfb.send(Buffer.from([1])); // ClientInit, shared
    const init = await rfb.read(24);
    const [width, height] = [init.readUInt16BE(0), init.readUInt16BE(2)];
    expect([width, height, init.readUInt8(4)]).toEqual([640, 480, 32]);
    expect((await rfb.read(init.readUInt32BE(20))).toString()).toBe(`VM ${vmids.vm}`);

    const guest = sim.state.guests.find((g) => g.vmid === vmids.vm)!;
    const framebuffer = Buffer.alloc(width * height * 4);
    requestUpdate(rfb, false, width, height);
    await readUpdate(rfb, framebuffer, width);
    expect(framebuffer.equals(expectedFramebuffer(bootScreen(guest), width, height))).toBe(true);

    // Keys go through to the guest, which echoes printable ones at the end of its last line.
    for (const ch of 'ls') for (const down of [1, 0]) rfb.send(keyEvent(ch.charCodeAt(0), down));
    await expect.poll(async () => (await received('vm')).keys, { timeout: 5000 }).toEqual([0x6c, 0x73]);
    requestUpdate(rfb, true, width, height);
    await readUpdate(rfb, framebuffer, width);
    const screen = bootScreen(guest);
    screen[screen.length - 1] += 'ls';
    expect(framebuffer.equals(expectedFramebuffer(screen, width, height))).toBe(true);
    // Nothing from Proxmox crossed to the browser: no ticket, no password.
    expect(rfb.buffer.toString('latin1')).not.toContain('PVEVNC');
    rfb.ws.close();
  });

  it('VNC: a wrong password is refused by the proxy with an RFB reason, before Proxmox is asked', async () => {
    const { openConsole } = await api.ok(OPEN, { machineId: machines.vm.id, kind: 'VNC' }, owner.token);
    const rfb = await connect(openConsole.path, owner.token);
    await rfb.read(12);
    rfb.send('RFB 003.008\n');
    await rfb.read(2);
    rfb.send(Buffer.from([2]));
    rfb.send(clientAuthResponse('wrong!!!', await rfb.read(16)));
    expect((await rfb.read(4)).readUInt32BE(0)).toBe(1);
    const length = (await rfb.read(4)).readUInt32BE(0);
    expect((await rfb.read(length)).toString()).toBe('Authentication failed');
    expect((await rfb.closed).code).toBe(1008);
  });

  it('terminal: the proxy logs in to termproxy itself; input, resize and ping frames pass; the shell echoes', async () => {
    const { openConsole } = await api.ok(OPEN, { machineId: machines.ct.id, kind: 'TERMINAL' }, owner.token);
    expect(openConsole).toMatchObject({ kind: 'TERMINAL', password: null });
    const term = await connect(openConsole.path, owner.token);
    const prompt = await term.until(/# $/);
    expect(prompt).not.toMatch(/^OK/);
    expect(prompt).not.toContain('PVEVNC');
    term.send('1:100:30:');
    term.send('2');
    const line = 'echo hello-console\r';
    term.send(`0:${Buffer.byteLength(line)}:${line}`);
    expect(await term.until(/hello-console\r?\n[^]*hello-console/)).toContain('hello-console');
    expect((await received('ct')).text).toContain('echo hello-console');
    term.ws.close();
    expect((await term.closed).code).toBe(1005);
    await expect
      .poll(
        async () =>
          (await api.db.orm.em.fork().find(AuditLog, { targetId: machines.ct.id }, { orderBy: { id: 'asc' } })).map(
            (a) => `${a.action}:${a.result}`,
          ),
        { timeout: 5000 },
      )
      .toEqual(expect.arrayContaining(['console.open:success', 'console.close:success']));
  });

  it('refuses a user of another organization (NOT_FOUND) and a viewer without Machine.Console (FORBIDDEN)', async () => {
    const stranger = await api.user();
    await api.org(stranger.user, Role.OWNER);
    expect((await api.fail(OPEN, { machineId: machines.vm.id, kind: 'VNC' }, stranger.token)).extensions?.code).toBe(
      'NOT_FOUND',
    );
    const viewer = await api.user();
    const em = api.db.orm.em.fork();
    const { Membership } = await import('../membership/membership.entity.js');
    em.create(Membership, {
      organization: project.organization.id,
      user: viewer.user.id,
      role: Role.VIEWER,
      project: null,
    });
    await em.flush();
    const err = await api.fail(OPEN, { machineId: machines.vm.id, kind: 'TERMINAL' }, viewer.token);
    expect(err.extensions?.code).toBe('FORBIDDEN');
    expect(err.message).toContain('Machine.Console');
  });

  it("refuses another user's session on the socket, a reused session and an expired one", async () => {
    const other = await api.user();
    const first = (await api.ok(OPEN, { machineId: machines.ct.id, kind: 'TERMINAL' }, owner.token)).openConsole;
    expect(await refusal(connect(first.path, other.token))).toMatchObject({ status: 403 });
    await expect
      .poll(
        async () =>
          (await api.db.orm.em.fork().find(AuditLog, { actorId: other.user.id, action: 'console.connect' })).map(
            (a) => a.result,
          ),
        // The refusal is audited after the socket closes; a loaded CI machine can take seconds.
        { timeout: 20_000 },
      )
      .toEqual(['denied']);
    // The attempt consumed it: even its owner cannot use it now.
    expect(await refusal(connect(first.path, owner.token))).toMatchObject({ status: 403 });

    const used = (await api.ok(OPEN, { machineId: machines.ct.id, kind: 'TERMINAL' }, owner.token)).openConsole;
    const term = await connect(used.path, owner.token);
    await term.until(/# $/);
    const again = await refusal(connect(used.path, owner.token));
    expect(again.status).toBe(403);
    expect(again.body).toMatch(/already used/);
    term.ws.close();

    const late = (await api.ok(OPEN, { machineId: machines.ct.id, kind: 'TERMINAL' }, owner.token)).openConsole;
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 31_000);
    try {
      const expired = await refusal(connect(late.path, owner.token));
      expect(expired.status).toBe(410);
      expect(expired.body).toMatch(/expired/);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('refuses a stopped guest with a message that says to start it', async () => {
    const err = await api.fail(OPEN, { machineId: machines.stopped.id, kind: 'VNC' }, owner.token);
    expect(err.extensions?.code).toBe('CONFLICT');
    expect(err.message).toMatch(/stopped-1 is stopped on Proxmox: start it, then open its console/);
  });

  it('refuses a socket without authentication (401) and leaves the session unused', async () => {
    const s = (await api.ok(OPEN, { machineId: machines.ct.id, kind: 'TERMINAL' }, owner.token)).openConsole;
    const anon = await refusal(connect(s.path, null));
    expect(anon.status).toBe(401);
    const term = await connect(s.path, owner.token);
    await term.until(/# $/);
    term.ws.close();
  });

  it("refuses a page of another site (403) and leaves the session unused; the API host's own pages pass", async () => {
    const s = (await api.ok(OPEN, { machineId: machines.ct.id, kind: 'TERMINAL' }, owner.token)).openConsole;
    // What a browser sends when a page elsewhere opens the socket with the visitor's cookie.
    for (const origin of ['https://evil.example', 'http://127.0.0.1.evil.example', 'null']) {
      const refused = await refusal(connect(s.path, owner.token, origin));
      expect(refused, origin).toMatchObject({ status: 403 });
      expect(refused.body).toMatch(/may not open consoles/);
    }
    // The web app: a page on the API's host name, on its own port (the default deployment).
    const term = await connect(s.path, owner.token, 'http://127.0.0.1:3000');
    expect(await term.until(/# $/)).toContain('root@');
    term.ws.close();
    // Same origin, and clients that are not browsers (no Origin), as before.
    const same = (await api.ok(OPEN, { machineId: machines.ct.id, kind: 'TERMINAL' }, owner.token)).openConsole;
    const own = await connect(same.path, owner.token, new URL(api.url).origin);
    await own.until(/# $/);
    own.ws.close();
  });

  it("reaches a TLS cluster through the cluster's pinned fingerprint, and refuses one whose certificate does not match", async () => {
    const tls = await createPveSimulator({ seed: 12, timeFactor: 0.1, port: 0, tls: true });
    try {
      const admin = await api.user({ admin: true });
      const token = tls.credentials.tokens.full;
      const em = api.db.orm.em.fork();
      const [vmid] = tls.control.addGuests(1, { running: true, type: 'lxc' }) as [number];
      const g = tls.state.guests.find((x) => x.vmid === vmid)!;
      const ids: string[] = [];
      for (const [name, fingerprint] of [
        ['tls-pinned', tls.tls!.fingerprint],
        ['tls-wrong', tls.tls!.fingerprint.replace(/^[0-9A-F]{2}/i, (h) => (h.toUpperCase() === 'AA' ? 'BB' : 'AA'))],
      ] as const) {
        const { createCluster } = await api.ok(
          `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`,
          {
            input: {
              name,
              apiUrl: tls.url,
              tokenId: token.tokenid,
              tokenSecret: token.secret,
              tlsFingerprint: fingerprint,
            },
          },
          admin.token,
        );
        const node = em.create(Node, { cluster: createCluster.id, name: g.node, status: 'online' });
        const m = em.create(Machine, {
          name: `${name}-ct`,
          kind: MachineKind.LXC,
          project: project.id,
          owner: owner.user.id,
          cluster: createCluster.id,
          node,
          vmid,
          template: machines.ct.template.id,
          status: MachineStatus.RUNNING,
          cores: 1,
          memoryMiB: 512,
          diskGiB: 4,
        });
        ids.push(m.id);
      }
      await em.flush();
      const { openConsole } = await api.ok(OPEN, { machineId: ids[0], kind: 'TERMINAL' }, owner.token);
      const term = await connect(openConsole.path, owner.token);
      expect(await term.until(/# $/)).toContain('root@');
      term.ws.close();
      const wrong = await api.gql(OPEN, { machineId: ids[1], kind: 'TERMINAL' }, owner.token);
      expect(wrong.errors?.[0]?.extensions?.code).toBeDefined();
      expect(wrong.data?.openConsole ?? null).toBeNull();
    } finally {
      await tls.close();
    }
  });

  it('keeps graphql-ws on /graphql and answers 404 for other upgrade paths', async () => {
    expect(await refusal(connect('/elsewhere', owner.token))).toMatchObject({ status: 404 });
    const gql = new WebSocket(wsUrl('/graphql'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => (gql.once('open', resolve), gql.once('error', reject)));
    gql.close();
  });
});
