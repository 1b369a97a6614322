// OpenID Connect sign-in with openid-client: authorization code flow with PKCE (S256), state and
// nonce. `start` builds the provider's authorization URL and an encrypted, short-lived cookie
// holding what the callback must check (verifier, state, nonce, provider, where to land);
// `finish` checks the callback against it, redeems the code and returns the verified claims.
// Provider metadata is discovered once per provider and kept (a failed discovery is retried).
import { EncryptJWT, jwtDecrypt } from 'jose';
import * as client from 'openid-client';
import type { Logger } from '../../logger.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import type { SessionKeys } from '../session.js';
import type { OidcProviderConfig } from './oidc-config.js';

export const OIDC_STATE_COOKIE = 'pvepaas_oidc';
export const OIDC_STATE_TTL_SECONDS = 600;

export type OidcFailure =
  | 'UNKNOWN_PROVIDER'
  | 'SIGN_IN_EXPIRED'
  | 'STATE_MISMATCH'
  | 'PROVIDER_ERROR'
  | 'MISCONFIGURED'
  | 'EMAIL_MISSING'
  | 'EMAIL_UNVERIFIED'
  | 'SIGN_UP_DISABLED'
  | 'ACCOUNT_DISABLED';

/** A refused OIDC sign-in. `reason` goes to the sign-in page and the audit log; never secrets. */
export class OidcError extends Error {
  override readonly name = 'OidcError';
  constructor(
    readonly reason: OidcFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface OidcClaims {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

interface StateCookie {
  provider: string;
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

/** Only paths of this site: `/x`, never `//host` or `/\host`, which browsers treat as other sites. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s\\]*$/.test(value) && value.length <= 500 ? value : '/';
}

export class OidcService {
  private readonly byId: Map<string, OidcProviderConfig>;
  private readonly configurations = new Map<string, Promise<client.Configuration>>();
  private readonly stateKey: Uint8Array;

  constructor(
    providers: OidcProviderConfig[],
    private readonly secrets: SecretStore,
    keys: SessionKeys,
    private readonly publicUrl: string,
    private readonly log: Logger,
  ) {
    this.byId = new Map(providers.map((p) => [p.id, p]));
    this.stateKey = keys.derive('oidc-state');
  }

  list(): OidcProviderConfig[] {
    return [...this.byId.values()];
  }

  provider(id: string): OidcProviderConfig {
    const provider = this.byId.get(id);
    if (!provider) throw new OidcError('UNKNOWN_PROVIDER', `No sign-in provider "${id}" is configured.`);
    return provider;
  }

  redirectUri(providerId: string): string {
    return new URL(`/auth/oidc/${providerId}/callback`, this.publicUrl).href;
  }

  /** The provider's authorization URL and the state cookie's value. */
  async start(providerId: string, returnTo: string): Promise<{ url: URL; cookie: string }> {
    const provider = this.provider(providerId);
    const config = await this.configuration(provider);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri(provider.id),
      scope: provider.scopes.join(' '),
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const payload: StateCookie = { provider: provider.id, verifier, state, nonce, returnTo: safeReturnTo(returnTo) };
    const cookie = await new EncryptJWT({ ...payload })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(`${OIDC_STATE_TTL_SECONDS}s`)
      .encrypt(this.stateKey);
    return { url, cookie };
  }

  /**
   * Checks the callback (`search`: its query string) against the state cookie, redeems the code and
   * returns the claims (ID token, completed from userinfo when it lacks the email) and where to land.
   */
  async finish(
    providerId: string,
    search: string,
    cookie: string | undefined,
  ): Promise<{ claims: OidcClaims; returnTo: string }> {
    const provider = this.provider(providerId);
    const saved = await this.readState(cookie);
    if (!saved || saved.provider !== provider.id) {
      throw new OidcError('SIGN_IN_EXPIRED', 'The sign-in took too long or was started elsewhere; start it again.');
    }
    const callbackUrl = new URL(this.redirectUri(provider.id));
    callbackUrl.search = search;
    // Checked here as well as by openid-client, so a forged or crossed callback gets its own reason.
    if (callbackUrl.searchParams.get('state') !== saved.state) {
      throw new OidcError('STATE_MISMATCH', 'The sign-in response does not belong to this browser; start again.');
    }
    const config = await this.configuration(provider);
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: saved.verifier,
        expectedState: saved.state,
        expectedNonce: saved.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      this.log.warn({ err, provider: provider.id }, 'OIDC code exchange failed');
      throw new OidcError('PROVIDER_ERROR', `${provider.displayName} did not complete the sign-in; try again.`, {
        cause: err,
      });
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new OidcError('PROVIDER_ERROR', `${provider.displayName} returned no ID token.`);
    let claims: Record<string, unknown> = { ...idClaims };
    const userinfoEndpoint = config.serverMetadata().userinfo_endpoint;
    if ((claims.email === undefined || claims.email_verified === undefined) && userinfoEndpoint) {
      try {
        claims = { ...claims, ...(await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)) };
      } catch (err) {
        this.log.warn({ err, provider: provider.id }, 'OIDC userinfo request failed');
      }
    }
    return {
      returnTo: saved.returnTo,
      claims: {
        subject: idClaims.sub,
        email: typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null,
        // Some providers send the string "true".
        emailVerified: claims.email_verified === true || claims.email_verified === 'true',
        name: typeof claims.name === 'string' ? claims.name : null,
      },
    };
  }

  private async readState(cookie: string | undefined): Promise<StateCookie | null> {
    if (!cookie) return null;
    try {
      const { payload } = await jwtDecrypt(cookie, this.stateKey);
      return payload as unknown as StateCookie;
    } catch {
      return null;
    }
  }

  private configuration(provider: OidcProviderConfig): Promise<client.Configuration> {
    let pending = this.configurations.get(provider.id);
    if (!pending) {
      pending = this.discover(provider);
      this.configurations.set(provider.id, pending);
      // A provider that was down is asked again next time.
      pending.catch(() => this.configurations.delete(provider.id));
    }
    return pending;
  }

  private async discover(provider: OidcProviderConfig): Promise<client.Configuration> {
    let secret: string | undefined;
    if (provider.clientSecretRef) {
      const stored = await this.secrets.read(provider.clientSecretRef);
      secret = stored?.data[provider.clientSecretKey];
      if (!secret) {
        this.log.error(
          { provider: provider.id, path: provider.clientSecretRef, key: provider.clientSecretKey },
          'OIDC client secret missing from the secret store',
        );
        throw new OidcError(
          'MISCONFIGURED',
          `Sign-in with ${provider.displayName} is not set up completely; tell the platform's operators.`,
        );
      }
    }
    const issuer = new URL(provider.issuer);
    try {
      return await client.discovery(
        issuer,
        provider.clientId,
        undefined,
        secret ? client.ClientSecretBasic(secret) : client.None(),
        // http is accepted for loopback issuers only (oidc-config.ts), which tests run.
        issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      );
    } catch (err) {
      this.log.error({ err, provider: provider.id, issuer: provider.issuer }, 'OIDC discovery failed');
      throw new OidcError('PROVIDER_ERROR', `${provider.displayName} cannot be reached; try again later.`, {
        cause: err,
      });
    }
  }
}
