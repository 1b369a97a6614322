import { describe, expect, it } from 'vitest';
import { client, useSim } from './test/client.js';

describe('smoke', () => {
  const start = useSim();
  it('serves version and resources', async () => {
    const sim = await start();
    const api = client(sim);
    const v = await api.get('/version');
    expect(v.status).toBe(200);
    const res = await api.get<unknown[]>('/cluster/resources');
    expect(res.status).toBe(200);
    console.log(JSON.stringify(res.body?.data.slice(0, 3)));
    const clone = await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 100, name: 'web-01' });
    console.log(clone.status, clone.raw);
    const st = await api.wait(clone.body!.data);
    console.log(st);
    const start2 = await api.post<string>('/nodes/pve1/qemu/100/status/start');
    console.log(await api.wait(start2.body!.data));
    console.log((await api.get('/nodes/pve1/qemu/100/config')).raw);
    console.log((await api.get('/nodes/pve1/qemu/100/status/current')).raw);
  });
});
