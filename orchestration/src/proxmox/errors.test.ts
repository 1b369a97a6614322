import { describe, expect, it } from 'vitest';
import { mapHttpError, mapTransportError, ProxmoxError, ProxmoxParameterError, ProxmoxTaskError } from './errors.js';

const req = { method: 'GET', path: '/nodes/pve/qemu/999/config' };

describe('mapHttpError', () => {
  it('401 takes the reason phrase (the json body is empty)', () => {
    const e = mapHttpError({ status: 401, statusMessage: 'authentication failure' }, req);
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain('authentication failure');
  });
  it('403 → PERMISSION', () => {
    const e = mapHttpError({
      status: 403,
      body: { data: null, message: 'Permission check failed (/vms/100, VM.Audit)\n' },
    });
    expect(e.code).toBe('PERMISSION');
    expect(e.message).toContain('/vms/100, VM.Audit');
  });
  it('400 keeps the per-field errors', () => {
    const e = mapHttpError({
      status: 400,
      body: {
        data: null,
        message: 'Parameter verification failed.\n',
        errors: { vmid: 'VM 100 already exists\n', cores: 'type check failed' },
      },
    });
    expect(e).toBeInstanceOf(ProxmoxParameterError);
    expect(e.code).toBe('PARAMETER');
    expect((e as ProxmoxParameterError).errors).toEqual({ vmid: 'VM 100 already exists', cores: 'type check failed' });
  });
  it.each([
    "Configuration file 'nodes/pve/qemu-server/999.conf' does not exist",
    "no such VM ('999')",
    "storage 'nope' does not exist",
  ])('500 "%s" → NOT_FOUND', (message) => {
    expect(mapHttpError({ status: 500, body: { data: null, message: `${message}\n` } }, req).code).toBe('NOT_FOUND');
  });
  it('500 lock timeout → LOCK_TIMEOUT (transient)', () => {
    const e = mapHttpError({
      status: 500,
      body: { message: "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout\n" },
    });
    expect(e.code).toBe('LOCK_TIMEOUT');
    expect(e.transient).toBe(true);
  });
  it('a cfs lock request timeout is a lock timeout; a timed-out locked command is not (it may have run)', () => {
    expect(
      mapHttpError({ status: 500, body: { message: "cfs-lock 'file-user_cfg' error: got lock request timeout\n" } })
        .code,
    ).toBe('LOCK_TIMEOUT');
    const e = mapHttpError({
      status: 500,
      body: { message: "'storage-local-lvm'-locked command timed out - aborting\n" },
    });
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.transient).toBe(false);
  });
  it('501 → NOT_IMPLEMENTED', () => {
    expect(mapHttpError({ status: 501, statusMessage: "Method 'GET /foo' not implemented" }).code).toBe(
      'NOT_IMPLEMENTED',
    );
  });
  it('other 500 → UNAVAILABLE, not transient; 5xx proxies → transient', () => {
    const e = mapHttpError({ status: 500, body: { message: 'VM 100 not running\n' } });
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.transient).toBe(false);
    expect(mapHttpError({ status: 595, statusMessage: 'Connection refused' }).transient).toBe(true);
    expect(mapHttpError({ status: 503 }).transient).toBe(true);
  });
});

describe('mapTransportError', () => {
  it('connection errors → UNAVAILABLE', () => {
    const e = mapTransportError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), req);
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.transient).toBe(true);
  });
  it('certificate errors → TLS', () => {
    expect(
      mapTransportError(Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).code,
    ).toBe('TLS');
  });
  it('passes domain errors through (e.g. from the pinning agent)', () => {
    const tls = ProxmoxError.tls('mismatch');
    expect(mapTransportError(Object.assign(new Error('wrapped'), { cause: tls }))).toBe(tls);
  });
});

describe('ProxmoxTaskError', () => {
  it('knows lock timeouts', () => {
    expect(
      new ProxmoxTaskError('UPID:x', "can't lock file '/var/lock/qemu-server/lock-190.conf' - got timeout").lockTimeout,
    ).toBe(true);
    expect(new ProxmoxTaskError('UPID:x', 'VM 100 already running').lockTimeout).toBe(false);
    expect(new ProxmoxTaskError('UPID:x', 'boom').code).toBe('TASK_FAILED');
  });
});
