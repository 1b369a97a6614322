import { describe, expect, it } from 'vitest';
import { client, useSim } from './test/client.js';

describe('parameter verification (400)', () => {
  const start = useSim();

  it('answers with the PVE envelope and status text', async () => {
    const api = client(await start());
    const r = await api.post('/nodes/pve1/qemu', { vmid: 'abc', cores: 0, ostype: 'dos', bogus: 1 });
    expect(r.status).toBe(400);
    expect(r.statusText).toBe('Parameter verification failed.');
    expect(r.body).toEqual({
      data: null,
      message: 'Parameter verification failed.\n',
      errors: {
        vmid: "type check ('integer') failed - got 'abc'",
        cores: 'value must have a minimum value of 1',
        ostype:
          "value 'dos' does not have a value in the enumeration 'other, wxp, w2k, w2k3, w2k8, wvista, win7, win8, win10, win11, l24, l26, solaris'",
        bogus: 'property is not defined in schema and the schema does not allow additional properties',
      },
    });
  });

  it('reports missing required parameters, booleans as 0/1 and maxima', async () => {
    const api = client(await start());
    const r = await api.post('/nodes/pve1/qemu/9000/clone', { full: 'yes', newid: 1_000_000_000 });
    expect(r.status).toBe(400);
    expect(r.body?.errors).toEqual({
      full: "type check ('boolean') failed - got 'yes'",
      newid: 'value must have a maximum value of 999999999',
    });
    const missing = await api.post('/nodes/pve1/qemu/9000/clone', {});
    expect(missing.body?.errors).toEqual({ newid: 'property is missing and it is not optional' });
  });

  it('checks registered formats, inline property strings and maxLength', async () => {
    const api = client(await start());
    const r = await api.post('/nodes/pve1/qemu', {
      vmid: 150,
      net0: 'virtio,bridge=vmbr0,colour=red',
      ipconfig0: 'ip=10.0.0.5',
      sshkeys: 'ssh-ed25519 AAAA user@host',
      tags: 'ok;bad tag!',
      hookscript: 'x'.repeat(10),
    });
    expect(r.status).toBe(400);
    const e = r.body?.errors ?? {};
    expect(e.net0).toBe('invalid format - invalid key in comma-separated list property: colour');
    expect(e.ipconfig0).toBe("invalid format - invalid IPv4 address/CIDR '10.0.0.5'");
    expect(e.sshkeys).toBe('invalid format - invalid urlencoded string: ssh-ed25519 AAAA user@host');
    expect(e.tags).toBe('invalid format - invalid characters in tag');
    expect(e.hookscript).toMatch(/^invalid format - /);
    const v = await api.post('/nodes/pve1/qemu', { vmid: 150, memory: 'current=8' });
    expect(v.body?.errors?.memory).toBe(
      'invalid format - format error\nmemory.current: value must have a minimum value of 16\n',
    );
  });

  it('validates path variables with their formats', async () => {
    const api = client(await start());
    const r = await api.get('/nodes/pve_1/qemu/99/status/current');
    expect(r.status).toBe(400);
    expect(r.body?.errors).toEqual({
      node: 'invalid format - value does not look like a valid node name',
      vmid: 'value must have a minimum value of 100',
    });
    const upid = await api.get('/nodes/pve1/tasks/nonsense/status');
    expect(upid.status).toBe(400);
  });

  it('merges the query string over the body and accepts JSON bodies', async () => {
    const sim = await start();
    const res = await fetch(`${sim.url}/api2/json/cluster/nextid`, {
      headers: { Authorization: sim.credentials.tokens.full.header },
    });
    expect(await res.json()).toEqual({ data: '100' });
    const json = await fetch(`${sim.url}/api2/json/nodes/pve1/qemu/9000/clone`, {
      method: 'POST',
      headers: { Authorization: sim.credentials.tokens.full.header, 'Content-Type': 'application/json' },
      body: JSON.stringify({ newid: 'x', full: true }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { errors: object }).errors).toEqual({
      newid: "type check ('integer') failed - got 'x'",
    });
    const taken = await client(sim).get('/cluster/nextid', { vmid: 9000 });
    expect(taken.status).toBe(400);
    expect(taken.body?.errors).toEqual({ vmid: 'VM 9000 already exists' });
  });
});
