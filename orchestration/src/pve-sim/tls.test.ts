import { get } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { useSim } from './test/client.js';

describe('tls', () => {
  const start = useSim();
  it('serves HTTPS with a generated self-signed certificate whose SHA-256 fingerprint it exposes', async () => {
    const sim = await start({ tls: true });
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { status, fingerprint } = await new Promise<{ status: number; fingerprint: string }>((resolve, reject) => {
      const req = get(
        `${sim.url}/api2/json/version`,
        { ca: sim.tls!.certPem, headers: { Authorization: sim.credentials.tokens.full.header } },
        (res) => {
          const fp = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint: fp }));
        },
      );
      req.on('error', reject);
    });
    expect(status).toBe(200);
    expect(fingerprint).toBe(sim.tls!.fingerprint);
    expect(sim.state.nodes.every((n) => n.fingerprint === sim.tls!.fingerprint)).toBe(true);
  });
});
