// Which pages may open a console socket, with and without WEB_ORIGINS.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { originAllowed } from './console.origin.js';

const upgrade = (host: string, origin?: string) =>
  ({ headers: { host, ...(origin === undefined ? {} : { origin }) } }) as IncomingMessage;

describe('console origin check', () => {
  it('without WEB_ORIGINS: clients without Origin, the same origin and pages on the API host name', () => {
    expect(originAllowed(upgrade('paas.example:4000'), undefined)).toBe(true);
    expect(originAllowed(upgrade('paas.example:4000', 'https://paas.example:4000'), undefined)).toBe(true);
    expect(originAllowed(upgrade('paas.example:4000', 'https://paas.example'), undefined)).toBe(true);
    expect(originAllowed(upgrade('paas.example:4000', 'https://evil.example'), undefined)).toBe(false);
    expect(originAllowed(upgrade('paas.example:4000', 'https://paas.example.evil.example'), undefined)).toBe(false);
    expect(originAllowed(upgrade('paas.example:4000', 'null'), undefined)).toBe(false);
  });

  it('with WEB_ORIGINS: the same origin and exactly the listed ones', () => {
    const { WEB_ORIGINS } = loadConfig({ WEB_ORIGINS: 'https://app.example, https://admin.example:8443' });
    expect(WEB_ORIGINS).toEqual(['https://app.example', 'https://admin.example:8443']);
    expect(originAllowed(upgrade('api.example', 'https://app.example'), WEB_ORIGINS)).toBe(true);
    expect(originAllowed(upgrade('api.example', 'https://admin.example:8443'), WEB_ORIGINS)).toBe(true);
    expect(originAllowed(upgrade('api.example', 'https://api.example'), WEB_ORIGINS)).toBe(true);
    expect(originAllowed(upgrade('api.example', 'http://app.example'), WEB_ORIGINS)).toBe(false);
    expect(originAllowed(upgrade('api.example', 'https://api.example:3000'), WEB_ORIGINS)).toBe(false);
  });

  it('refuses a WEB_ORIGINS entry that is not an origin, naming the variable', () => {
    expect(() => loadConfig({ WEB_ORIGINS: 'https://app.example/console' })).toThrow(/WEB_ORIGINS/);
    expect(() => loadConfig({ WEB_ORIGINS: 'app.example' })).toThrow(/WEB_ORIGINS/);
  });
});
