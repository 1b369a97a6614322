// HTTPS served by the API itself, for deployments without a TLS-terminating proxy in front:
// TLS_CERT_FILE and TLS_KEY_FILE (PEM) turn it on. Browsers are then told with HSTS to use HTTPS
// only, and the session cookies get `Secure` (they follow req.secure, which is true on TLS sockets).
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import type { Config } from '../config.js';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** The certificate and key when both are configured; null for plain HTTP. Unreadable files stop the start. */
export function readTlsFiles(config: Pick<Config, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>): TlsFiles | null {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) return null;
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`${name}: cannot read ${file} (${(err as Error).message})`);
    }
  };
  return { cert: read('TLS_CERT_FILE', config.TLS_CERT_FILE), key: read('TLS_KEY_FILE', config.TLS_KEY_FILE) };
}

/** Strict-Transport-Security on every answer; only sent over TLS, where browsers honour it. */
export function hsts(maxAgeSeconds: number): RequestHandler {
  const value = `max-age=${maxAgeSeconds}; includeSubDomains`;
  return (_req, res, next) => {
    res.setHeader('Strict-Transport-Security', value);
    next();
  };
}
