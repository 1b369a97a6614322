import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRouter } from './index.js';
import { loadSchema, schemaFile } from './schema.js';
import { client, useSim } from './test/client.js';

describe('published schema', () => {
  it('every served route exists in apidata-9.1.json', () => {
    const raw = JSON.parse(readFileSync(schemaFile('9.1'), 'utf8')) as {
      path: string;
      info?: Record<string, unknown>;
      children?: unknown[];
    }[];
    const known = new Set<string>();
    const walk = (n: { path: string; info?: Record<string, unknown>; children?: unknown[] }) => {
      for (const m of Object.keys(n.info ?? {})) known.add(`${m} ${n.path}`);
      for (const c of n.children ?? []) walk(c as typeof n);
    };
    raw.forEach(walk);
    const routes = buildRouter().routes();
    expect(routes.length).toBeGreaterThan(150);
    const missing = routes.map((r) => `${r.method} ${r.template}`).filter((r) => !known.has(r));
    expect(missing).toEqual([]);
  });

  it('the repository copy is the published 9.1 file', () => {
    const schema = loadSchema('9.1');
    expect(schema.paths.size).toBe(435);
    expect([...schema.paths.values()].reduce((n, m) => n + Object.keys(m).length, 0)).toBe(649);
    expect(schema.match('/nodes/pve1/qemu/100/status/current')?.template).toBe(
      '/nodes/{node}/qemu/{vmid}/status/current',
    );
    expect(schema.match('/cluster/sdn/vnets/tenant0/subnets')?.params).toEqual({ vnet: 'tenant0' });
  });
});

describe('determinism', () => {
  const start = useSim();
  it('the same seed and calls give the same cluster and guest configs; another seed differs', async () => {
    const run = async (seed: number) => {
      const sim = await start({ seed });
      const api = client(sim);
      await api.wait((await api.post<string>('/nodes/pve1/qemu/9000/clone', { newid: 100, name: 'a' })).body!.data);
      const cfg = (await api.get<Record<string, unknown>>('/nodes/pve1/qemu/100/config')).body!.data;
      const nodes = (
        await api.get<{ node: string; ssl_fingerprint: string; maxmem: number }[]>('/nodes')
      ).body!.data.map((n) => [n.node, n.ssl_fingerprint, n.maxmem]);
      const rrd = (await api.get<unknown[]>('/nodes/pve2/rrddata', { timeframe: 'year' })).body!.data.slice(-5, -1);
      // meta (ctime) and digest follow the wall clock
      return {
        cfg: { ...cfg, meta: undefined, digest: undefined } as Record<string, unknown>,
        nodes,
        rrd,
        token: sim.credentials.tokens.full.secret,
      };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b).toEqual(a);
    expect(c.cfg.net0).not.toEqual(a.cfg.net0);
    expect(c.token).not.toEqual(a.token);
  });
});
