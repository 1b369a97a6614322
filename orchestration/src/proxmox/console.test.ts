// The client's console websockets against a plain-http simulator: no TLS options may reach a
// ws:// connection (the client's https agent cannot carry it). TLS is covered by the contract suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveSimulator, type PveSimulator } from '../pve-sim/index.js';
import { ProxmoxClient } from './client.js';
import { termFrame, termproxyLogin } from './console.js';
import { silentLogger } from './test/fake-server.js';

describe('console websockets over plain HTTP', () => {
  let sim: PveSimulator;
  let client: ProxmoxClient;
  let vmid: number;
  let node: string;
  beforeAll(async () => {
    sim = await createPveSimulator({ seed: 5, timeFactor: 0, port: 0 });
    expect(sim.url).toMatch(/^http:/);
    const full = sim.credentials.tokens.full;
    client = new ProxmoxClient({
      url: sim.url,
      auth: { type: 'token', tokenId: full.tokenid, secret: full.secret },
      logger: silentLogger,
    });
    [vmid] = sim.control.addGuests(1, { running: true, type: 'qemu' }) as [number];
    node = sim.state.guests.find((g) => g.vmid === vmid)!.node;
  });
  afterAll(async () => {
    client?.close();
    await sim?.close();
  });

  it('opens the VNC websocket and closes it with a close handshake', async () => {
    const socket = await client.openConsole('qemu', node, vmid, await client.qemu.vncproxy(node, vmid));
    expect(socket.readyState).toBe(socket.OPEN);
    const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
    socket.close(1000);
    expect(await closed).toBe(1000);
  });

  it('logs in to termproxy and gets its echo', async () => {
    const tp = await client.qemu.termproxy(node, vmid);
    const socket = await client.openConsole('qemu', node, vmid, tp);
    await termproxyLogin(socket, tp.user, tp.ticket);
    const output: Buffer[] = [];
    socket.on('message', (d: Buffer) => output.push(d));
    socket.send(termFrame.input('echo plain-http\r'));
    await expect.poll(() => Buffer.concat(output).toString(), { timeout: 5000 }).toMatch(/plain-http[^]*plain-http/);
    socket.close();
  });
});
