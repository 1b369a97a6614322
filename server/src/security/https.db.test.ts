// HTTPS served by the API itself: a self-signed certificate made with openssl for 127.0.0.1, trusted
// by the test's client, like an operator's certificate would be by browsers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type TestApi } from '../test/api.js';

const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { user { email } } }`;

function post(url: string, ca: Buffer, body: unknown) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request(
        `${url}/graphql`,
        { method: 'POST', ca, headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    },
  );
}

describe.skipIf(postgresUnavailable())('HTTPS served directly', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pvepaas-tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  let api: TestApi;
  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'pipe' },
    );
    api = await startTestApi({ env: { TLS_CERT_FILE: cert, TLS_KEY_FILE: key, HSTS_MAX_AGE_SECONDS: '600' } });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers GraphQL over TLS with HSTS, and sets the session cookies Secure', async () => {
    expect(api.url).toMatch(/^https:/);
    const password = 'correct horse battery staple';
    const { user } = await api.user({ password });
    const res = await post(api.url, readFileSync(cert), {
      query: SIGN_IN,
      variables: { input: { email: user.email, password } },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ data: { signIn: { user: { email: user.email } } } });
    expect(res.headers['strict-transport-security']).toBe('max-age=600; includeSubDomains');
    const cookies = [res.headers['set-cookie'] ?? []].flat();
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(c).toMatch(/; Secure/);
  });

  it('refuses a client that does not trust the certificate (no plain fallback)', async () => {
    await expect(post(api.url, Buffer.from(''), { query: '{ __typename }' })).rejects.toThrow();
  });

  it('stops the start when only one of the two files is configured, naming the missing one', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: cert })).toThrow(ConfigError);
    expect(() => loadConfig({ TLS_CERT_FILE: cert })).toThrow(/TLS_KEY_FILE/);
  });
});
