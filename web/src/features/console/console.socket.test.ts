import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUTO_RECONNECTS, consoleSocketUrl, describeClose, reconnectDelay, termFrame } from './console.socket';

describe('termproxy framing', () => {
  it('counts input in UTF-8 bytes, as termproxy reads it', () => {
    expect(termFrame.input('ls\r')).toBe('0:3:ls\r');
    expect(termFrame.input('ü€')).toBe('0:5:ü€');
  });

  it('resizes with a trailing colon and pings with a bare 2', () => {
    expect(termFrame.resize(120, 40)).toBe('1:120:40:');
    expect(termFrame.ping()).toBe('2');
  });
});

describe('consoleSocketUrl', () => {
  afterEach(() => vi.unstubAllEnvs());

  it("goes to the API's WebSocket origin with the session's path", () => {
    expect(consoleSocketUrl('/console/abc', { protocol: 'http:', hostname: 'paas.example' })).toBe(
      'ws://paas.example:4000/console/abc',
    );
    expect(consoleSocketUrl('/console/abc', { protocol: 'https:', hostname: 'paas.example' })).toBe(
      'wss://paas.example:4000/console/abc',
    );
  });

  it('follows NEXT_PUBLIC_WS_URL, dropping its /graphql path', () => {
    vi.stubEnv('NEXT_PUBLIC_WS_URL', 'wss://api.example/graphql');
    expect(consoleSocketUrl('/console/abc', { protocol: 'https:', hostname: 'paas.example' })).toBe(
      'wss://api.example/console/abc',
    );
  });
});

describe('describeClose', () => {
  it("prefers the proxy's reason, else explains the code", () => {
    expect(describeClose(1011, 'Machine web-1 is stopped on Proxmox: start it, then open its console.')).toMatch(
      /start it/,
    );
    expect(describeClose(1006, '')).toBe('The connection dropped.');
    expect(describeClose(1000, '')).toBe('The console session ended.');
  });
});

describe('reconnectDelay', () => {
  it('reconnects by itself only after a drop of a connected console, a few times, backing off', () => {
    expect([0, 1, 2].map((n) => reconnectDelay(1006, true, n))).toEqual([1000, 2000, 4000]);
    expect(reconnectDelay(1006, true, AUTO_RECONNECTS)).toBeNull();
    expect(reconnectDelay(1001, true, 0)).toBe(1000);
    expect(reconnectDelay(1006, false, 0)).toBeNull();
    expect(reconnectDelay(1011, true, 0)).toBeNull();
    expect(reconnectDelay(1000, true, 0)).toBeNull();
  });
});
