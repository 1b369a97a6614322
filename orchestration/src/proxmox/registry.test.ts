import { describe, expect, it } from 'vitest';
import { ClusterRegistry, type ClusterRecord } from './registry.js';
import { silentLogger } from './test/fake-server.js';

const base: ClusterRecord = {
  id: 'c1',
  url: 'https://pve.invalid:8006',
  tokenId: 'paas@pve!platform',
  tokenSecret: 's1',
  fingerprint: 'AA:'.repeat(31) + 'AA',
};

describe('ClusterRegistry', () => {
  it('builds one client per cluster, once, even for concurrent callers', async () => {
    let loads = 0;
    const r = new ClusterRegistry(async () => (loads++, base), { logger: silentLogger });
    const [a, b] = await Promise.all([r.get('c1'), r.get('c1')]);
    expect(a).toBe(b);
    expect(await r.get('c1')).toBe(a);
    expect(loads).toBe(1);
    expect(a.authId).toBe('paas@pve!platform');
    expect(a.http.tlsMode).toBe('fingerprint');
    r.close();
  });

  it('refresh keeps the client for an unchanged record and rebuilds it for a changed one', async () => {
    let record = base;
    const r = new ClusterRegistry(async () => record, { logger: silentLogger });
    const a = await r.get('c1');
    expect(await r.refresh('c1')).toBe(a);
    record = { ...base, tokenSecret: 's2' };
    const b = await r.refresh('c1');
    expect(b).not.toBe(a);
    expect(await r.get('c1')).toBe(b);
    r.evict('c1');
    expect(await r.get('c1')).not.toBe(b);
    r.close();
  });

  it('unknown clusters are NOT_FOUND; loader failures are not cached', async () => {
    let fail = true;
    const r = new ClusterRegistry(async (id) => {
      if (fail) throw new Error('db down');
      return id === 'c1' ? base : undefined;
    });
    await expect(r.get('c1')).rejects.toThrow('db down');
    fail = false;
    await expect(r.get('c1')).resolves.toBeDefined();
    await expect(r.get('c2')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    r.close();
  });

  it('an insecure record warns every time its client is built', async () => {
    const warnings: string[] = [];
    const logger = { warn: (_o: object, m: string) => warnings.push(m), debug: () => undefined };
    let record: ClusterRecord = { ...base, fingerprint: undefined, insecureSkipVerify: true };
    const r = new ClusterRegistry(async () => record, { logger });
    await r.get('c1');
    record = { ...record, tokenSecret: 's3' };
    await r.refresh('c1');
    expect(warnings).toHaveLength(2);
    r.close();
  });
});
