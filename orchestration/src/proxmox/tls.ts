// How the client trusts a Proxmox server. Proxmox nodes usually present a certificate signed by the
// cluster's own CA (pve-root-ca.pem), so there are three modes:
//  - caPem: normal chain verification against that CA (plus hostname check);
//  - fingerprint: pin the SHA-256 fingerprint of the node's certificate (what the GUI shows), in
//    place of the chain check, when asked for explicitly, with a warning;
//  - insecureSkipVerify: no verification at all, only when asked for explicitly, with a warning.
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { ProxmoxError } from './errors.js';

export interface ProxmoxTlsOptions {
  /** PEM of the CA that signed the node certificates (`/etc/pve/pve-root-ca.pem`). */
  caPem?: string;
  /**
   * SHA-256 fingerprint of the server certificate, `AA:BB:...` (colons and case are ignored). It
   * replaces the chain check; every client built with it logs a warning saying so.
   */
  fingerprint?: string;
  /** Turns verification off. Never a default; every client built with it logs a warning. */
  insecureSkipVerify?: boolean;
}

export interface TlsLogger {
  warn(obj: object, msg: string): void;
}

/** `aa:bb:..` / `AABB..` → `AA:BB:..`; throws on anything that is not 32 hex bytes. */
export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new Error(`invalid SHA-256 fingerprint '${fp}' (expected 32 hex bytes, e.g. AA:BB:...)`);
  }
  return hex.match(/../g)!.join(':');
}

export function fingerprintsEqual(a: string, b: string): boolean {
  return normalizeFingerprint(a) === normalizeFingerprint(b);
}

/**
 * An https.Agent that accepts exactly the certificate with the pinned fingerprint. Chain verification
 * is off (the pinned certificate is usually signed by a CA the client does not have), so the check
 * runs on `secureConnect`; the socket is corked until then, so no request byte (and no credential)
 * reaches a server that fails the check.
 */
class PinnedAgent extends https.Agent {
  constructor(private readonly pinned: string) {
    // No TLS session cache: a resumed session must not skip the certificate check.
    super({ keepAlive: true, maxCachedSessions: 0 });
  }

  override createConnection(options: tls.ConnectionOptions): Duplex {
    // Chain check off on purpose: a pinned Proxmox certificate is self-signed, and the exact
    // fingerprint comparison below is the check (stricter than a chain: one certificate only).
    const socket = tls.connect({ ...options, rejectUnauthorized: false, session: undefined });
    socket.cork();
    socket.once('secureConnect', () => {
      const presented = socket.getPeerCertificate()?.fingerprint256;
      if (presented && normalizeFingerprint(presented) === this.pinned) {
        socket.uncork();
        return;
      }
      socket.destroy(
        ProxmoxError.tls(`certificate fingerprint ${presented ?? '(none)'} does not match the pinned ${this.pinned}`),
      );
    });
    // http.Agent#createSocket calls its callback itself when a socket is returned synchronously.
    return socket;
  }
}

export interface TlsSetup {
  agent: https.Agent;
  /** got `https` options. */
  https: { rejectUnauthorized: boolean; certificateAuthority?: string };
  mode: 'ca' | 'fingerprint' | 'insecure' | 'system';
}

/** Builds the agent and got TLS options for one client. Call once per client. */
export function buildTls(opts: ProxmoxTlsOptions, logger: TlsLogger, url: string): TlsSetup {
  if (opts.insecureSkipVerify) {
    logger.warn(
      { url },
      'TLS verification of the Proxmox server is OFF (insecureSkipVerify: true); anyone on the path can read the API token. Configure caPem or fingerprint instead.',
    );
    return {
      agent: new https.Agent({ keepAlive: true, rejectUnauthorized: false }),
      https: { rejectUnauthorized: false },
      mode: 'insecure',
    };
  }
  if (opts.fingerprint) {
    let pinned: string;
    try {
      pinned = normalizeFingerprint(opts.fingerprint);
    } catch (e) {
      throw ProxmoxError.tls((e as Error).message);
    }
    // Explicit (the cluster names the fingerprint) and warned: the certificate's chain and hostname
    // are not checked, only that it is exactly the pinned one. caPem checks both.
    logger.warn(
      { url, fingerprint: pinned },
      'TLS chain verification of the Proxmox server is replaced by a pinned certificate fingerprint: only that exact certificate is accepted, its CA and hostname are not checked. Configure caPem for chain and hostname verification.',
    );
    return {
      agent: new PinnedAgent(pinned),
      // The pin replaces the chain check inside PinnedAgent, whatever a request asks for: nothing
      // else turns verification off in this mode.
      https: { rejectUnauthorized: true },
      mode: 'fingerprint',
    };
  }
  if (opts.caPem) {
    return {
      agent: new https.Agent({ keepAlive: true }),
      https: { rejectUnauthorized: true, certificateAuthority: opts.caPem },
      mode: 'ca',
    };
  }
  return { agent: new https.Agent({ keepAlive: true }), https: { rejectUnauthorized: true }, mode: 'system' };
}
