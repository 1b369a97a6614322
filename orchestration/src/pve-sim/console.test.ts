import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { createPveSimulator, type PveSimulator } from './index.js';
import { client } from './test/client.js';

describe('consoles through the API', () => {
  let sim: PveSimulator | undefined;
  const startSim = async () => (sim = await createPveSimulator({ timeFactor: 0.01 }));
  const stop = async () => {
    await sim?.close();
    sim = undefined;
  };

  it('termproxy → vncwebsocket → OK and the guest prompt; the task ends when the socket closes', async () => {
    try {
      const s = await startSim();
      const api = client(s);
      await api.wait(
        (await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 400, name: 'web-01' })).body!.data,
      );
      await api.wait((await api.post<string>('/nodes/pve1/qemu/400/status/start')).body!.data);
      const term = await api.post<{ port: string; ticket: string; upid: string; user: string }>(
        '/nodes/pve1/qemu/400/termproxy',
      );
      expect(term.status).toBe(200);
      const { port, ticket, upid, user } = term.body!.data;
      expect(user).toBe('root@pam!sim-full');
      expect(upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:vncproxy:400:root@pam!sim-full:$/);
      const url = `${s.url.replace('http', 'ws')}/api2/json/nodes/pve1/qemu/400/vncwebsocket?port=${port}&vncticket=${encodeURIComponent(ticket)}`;
      const ws = new WebSocket(url, 'binary', { headers: { Authorization: s.credentials.tokens.full.header } });
      const received: string[] = [];
      await new Promise<void>((resolve, reject) => {
        ws.on('open', () => ws.send(`${user}:${ticket}\n`));
        ws.on('message', (m: Buffer) => {
          received.push(m.toString());
          if (received.join('').includes('web-01')) resolve();
        });
        ws.on('error', reject);
      });
      expect(received.join('').startsWith('OK')).toBe(true);
      const status = await api.get<{ status: string }>(`/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`);
      expect(status.body!.data.status).toBe('running');
      ws.close();
      expect((await api.wait(upid)).exitstatus).toBe('OK');

      // Unauthenticated upgrades are refused like any API call.
      const anon = new WebSocket(url, 'binary');
      const code = await new Promise<number>((resolve) =>
        anon.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
      );
      expect(code).toBe(401);
    } finally {
      await stop();
    }
  });

  it('opens a console of a stopped guest, whose vncproxy task then fails', async () => {
    try {
      const s = await startSim();
      const api = client(s);
      const r = await api.post<{ upid: string; port: string; ticket: string }>('/nodes/pve1/qemu/9001/vncproxy', {
        websocket: 1,
      });
      expect(r.status).toBe(200);
      // nobody connects: the 10 s window (× 0.01) closes the worker
      expect((await api.wait(r.body!.data.upid)).exitstatus).toBe('connection timed out');
      // a connection opens and is closed at once; the task records the failure
      const again = await api.post<{ upid: string; port: string; ticket: string }>('/nodes/pve1/qemu/9001/vncproxy', {
        websocket: 1,
      });
      const { port, ticket, upid } = again.body!.data;
      const ws = new WebSocket(
        `${s.url.replace('http', 'ws')}/api2/json/nodes/pve1/qemu/9001/vncwebsocket?port=${port}&vncticket=${encodeURIComponent(ticket)}`,
        'binary',
        { headers: { Authorization: s.credentials.tokens.full.header } },
      );
      await new Promise((resolve) => ws.on('close', resolve).on('error', resolve));
      expect((await api.wait(upid)).exitstatus).toBe('Failed to run vncproxy.');
    } finally {
      await stop();
    }
  });
});
