// Provider configuration is read once at start; every mistake stops the API with the variable named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { parseOidcProviders } from './oidc-config.js';

const good = {
  id: 'corp',
  displayName: 'Corporate SSO',
  issuer: 'https://sso.example.com/realms/main',
  clientId: 'pvepaas',
  clientSecretRef: 'oidc/corp',
};

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('OIDC provider configuration', () => {
  it('fills in the defaults: openid email profile, no sign-up, the secret under clientSecret', () => {
    expect(parseOidcProviders(JSON.stringify([good]), undefined)).toEqual([
      { ...good, clientSecretKey: 'clientSecret', scopes: ['openid', 'email', 'profile'], allowSignUp: false },
    ]);
    expect(parseOidcProviders(undefined, undefined)).toEqual([]);
  });

  it('reads the same list from a file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'oidc-')), 'providers.json');
    writeFileSync(file, JSON.stringify([{ ...good, allowSignUp: true }]));
    expect(parseOidcProviders(undefined, file)[0]?.allowSignUp).toBe(true);
    expect(loadConfig({ OIDC_PROVIDERS_FILE: file }).OIDC_PROVIDERS_FILE).toBe(file);
  });

  it('stops at start with the variable and the field named', () => {
    expect(fails({ OIDC_PROVIDERS: '[{' })).toMatch(/OIDC_PROVIDERS: OIDC_PROVIDERS is not valid JSON/);
    expect(fails({ OIDC_PROVIDERS: JSON.stringify([{ ...good, issuer: 'http://sso.example.com' }]) })).toMatch(
      /OIDC_PROVIDERS\[0\]\["issuer"\]: must be https/,
    );
    expect(fails({ OIDC_PROVIDERS: JSON.stringify([good, good]) })).toMatch(/provider ids must be unique/);
    expect(fails({ OIDC_PROVIDERS: JSON.stringify([{ ...good, scopes: ['email'] }]) })).toMatch(
      /scopes must include openid/,
    );
    // A secret in the configuration is refused: only a reference to the secret store is accepted.
    expect(fails({ OIDC_PROVIDERS: JSON.stringify([{ ...good, clientSecret: 'hunter2' }]) })).toMatch(
      /OIDC_PROVIDERS.*clientSecret/,
    );
    expect(fails({ OIDC_PROVIDERS: JSON.stringify([{ ...good, clientSecretRef: '../etc' }]) })).toMatch(
      /secret-store path/,
    );
    expect(fails({ OIDC_PROVIDERS_FILE: '/nonexistent/providers.json' })).toMatch(/OIDC_PROVIDERS_FILE/);
  });

  it('accepts plain http only for loopback issuers (tests)', () => {
    expect(parseOidcProviders(JSON.stringify([{ ...good, issuer: 'http://127.0.0.1:9000' }]), undefined)).toHaveLength(
      1,
    );
  });
});
