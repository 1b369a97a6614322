// The identity provider the e2e platform signs in through: the server tests' oidc-provider on a
// loopback port, serving HTML a browser fills in. Its client secret goes into the platform's local
// secret store with `secrets:put`, the way the README tells operators to, before the platform starts.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startOidcTestProvider, type OidcTestProvider } from '../../server/src/test/oidc-test-provider.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The provider as the sign-in page names it, and the accounts it knows (see oidc.e2e.test.ts). */
export const OIDC_E2E = {
  id: 'testidp',
  displayName: 'Test IdP',
  verified: { email: 'ada.oidc@example.com', name: 'Ada Lovelace' },
  unverified: { email: 'unverified.oidc@example.com', name: 'Nobody Checked' },
} as const;

const SECRET_REF = `oidc/${OIDC_E2E.id}`;

/**
 * Starts the provider for a platform at `publicUrl` that keeps its data in `dataDir`, seeds the
 * client secret there, and returns it with the environment the platform needs.
 */
export async function startE2eOidcProvider(
  publicUrl: string,
  dataDir: string,
): Promise<{ provider: OidcTestProvider; env: Record<string, string> }> {
  const provider = await startOidcTestProvider([`${publicUrl}/auth/oidc/${OIDC_E2E.id}/callback`], { html: true });
  provider.accounts.set('ada', { ...OIDC_E2E.verified, email_verified: true });
  provider.accounts.set('unverified', { ...OIDC_E2E.unverified, email_verified: false });
  try {
    execFileSync(process.execPath, ['server/dist/secrets/put-secret.js', SECRET_REF, 'clientSecret'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      input: provider.clientSecret,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
  } catch (err) {
    await provider.close();
    throw err;
  }
  const providers = [
    {
      id: OIDC_E2E.id,
      displayName: OIDC_E2E.displayName,
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecretRef: SECRET_REF,
      allowSignUp: true,
    },
  ];
  // For the tests (workers inherit the global setup's environment): requests to the provider's
  // own pages are not the platform's problems.
  process.env.E2E_OIDC_ISSUER = provider.issuer;
  return { provider, env: { PUBLIC_URL: publicUrl, OIDC_PROVIDERS: JSON.stringify(providers) } };
}
