import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxmoxHttp } from './http.js';
import { fingerprintsEqual, normalizeFingerprint } from './tls.js';
import { silentLogger, startFakeServer, type FakeServer } from './test/fake-server.js';

const run = promisify(execFile);

interface Cert {
  key: string;
  cert: string;
  fingerprint: string;
}

async function selfSigned(dir: string, name: string): Promise<Cert> {
  const key = join(dir, `${name}.key`);
  const crt = join(dir, `${name}.crt`);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    crt,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  const cert = await readFile(crt, 'utf8');
  return { key: await readFile(key, 'utf8'), cert, fingerprint: new X509Certificate(cert).fingerprint256 };
}

let dir: string;
let a: Cert;
let b: Cert;
let srv: FakeServer;
const auth = { type: 'token' as const, tokenId: 'paas@pve!platform', secret: 'top-secret' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pve-tls-'));
  [a, b] = await Promise.all([selfSigned(dir, 'pve-a'), selfSigned(dir, 'pve-b')]);
  srv = await startFakeServer({ tls: { key: a.key, cert: a.cert } });
  srv.handle(() => ({ body: { data: { version: '9.1.2', release: '9.1', repoid: 'x' } } }));
});
afterAll(async () => {
  await srv?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('fingerprints', () => {
  it('normalises case and separators', () => {
    const fp = a.fingerprint;
    expect(normalizeFingerprint(fp.toLowerCase())).toBe(fp);
    expect(fingerprintsEqual(fp.replace(/:/g, ''), fp.toLowerCase())).toBe(true);
    expect(() => normalizeFingerprint('AA:BB')).toThrow(/invalid SHA-256/);
    expect(() => new ProxmoxHttp({ url: srv.url, auth, tls: { fingerprint: 'nope' }, logger: silentLogger })).toThrow(
      expect.objectContaining({ code: 'TLS' }),
    );
  });
});

describe('TLS verification', () => {
  it('rejects a self-signed server by default (system CAs)', async () => {
    const http = new ProxmoxHttp({ url: srv.url, auth, logger: silentLogger, retry: { retries: 0 } });
    await expect(http.get('/version')).rejects.toMatchObject({ code: 'TLS' });
    http.close();
  });

  it('accepts the server with its CA PEM', async () => {
    const http = new ProxmoxHttp({ url: srv.url, auth, tls: { caPem: a.cert }, logger: silentLogger });
    expect(await http.get('/version')).toMatchObject({ version: '9.1.2' });
    expect(http.tlsMode).toBe('ca');
    http.close();
  });

  it('rejects the server with a different CA', async () => {
    const http = new ProxmoxHttp({
      url: srv.url,
      auth,
      tls: { caPem: b.cert },
      logger: silentLogger,
      retry: { retries: 0 },
    });
    await expect(http.get('/version')).rejects.toMatchObject({ code: 'TLS' });
    http.close();
  });

  it('accepts the pinned fingerprint in any case', async () => {
    const http = new ProxmoxHttp({
      url: srv.url,
      auth,
      tls: { fingerprint: a.fingerprint.toLowerCase() },
      logger: silentLogger,
    });
    expect(await http.get('/version')).toMatchObject({ version: '9.1.2' });
    expect(await http.get('/version')).toMatchObject({ version: '9.1.2' }); // reused keep-alive socket
    http.close();
  });

  it('on a fingerprint mismatch fails with TLS and sends no byte (no token) to the server', async () => {
    const received: Buffer[] = [];
    const server = tls.createServer({ key: a.key, cert: a.cert }, (s) => {
      s.on('data', (d: Buffer) => received.push(d));
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const http = new ProxmoxHttp({ url, auth, tls: { fingerprint: b.fingerprint }, logger: silentLogger });
    const err = await http.post('/nodes/pve/qemu', { vmid: 100 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TLS' });
    expect(String((err as Error).message)).toContain('does not match the pinned');
    await new Promise((r) => setTimeout(r, 50));
    expect(Buffer.concat(received).length).toBe(0);
    http.close();
    await new Promise((r) => server.close(r));
  });

  it('a pinned fingerprint warns, every time a client is built, that it replaces the chain check', async () => {
    const warnings: { o: object; m: string }[] = [];
    const logger = { warn: (o: object, m: string) => warnings.push({ o, m }), debug: () => undefined };
    for (let i = 0; i < 2; i++) {
      const http = new ProxmoxHttp({ url: srv.url, auth, tls: { fingerprint: a.fingerprint }, logger });
      expect(await http.get('/version')).toMatchObject({ version: '9.1.2' });
      http.close();
    }
    expect(warnings).toHaveLength(2);
    expect(warnings[0]!.m).toMatch(/chain verification .* is replaced by a pinned certificate fingerprint/);
    expect(warnings[0]!.o).toMatchObject({ url: srv.url });
  });

  it('insecureSkipVerify works and warns every time a client is built', async () => {
    const warnings: string[] = [];
    const logger = { warn: (_o: object, m: string) => warnings.push(m), debug: () => undefined };
    for (let i = 0; i < 2; i++) {
      const http = new ProxmoxHttp({ url: srv.url, auth, tls: { insecureSkipVerify: true }, logger });
      expect(await http.get('/version')).toMatchObject({ version: '9.1.2' });
      http.close();
    }
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/verification .* is OFF/);
  });
});
