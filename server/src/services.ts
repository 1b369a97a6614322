import type { Config } from './config.js';
import type { SessionKeys } from './auth/session.js';
import type { SessionIssuer } from './auth/session-tokens.js';
import type { OidcService } from './auth/oidc/oidc.service.js';
import type { MfaChallengeKeys } from './auth/mfa-challenge.js';
import type { RateLimiter } from './security/rate-limit.js';
import type { JobQueue } from './jobs/queue.js';
import type { ConsoleGateway } from './modules/console/console.gateway.js';
import type { PubSub } from './realtime/pubsub.js';
import type { SecretStore } from './secrets/secret-store.js';

/** Long-lived collaborators built once by createApp and shared by every request. */
export interface Services {
  config: Config;
  sessionKeys: SessionKeys;
  /** Sign-in sessions: access tokens and rotating refresh tokens (auth/session-tokens.ts). */
  sessions: SessionIssuer;
  /** OpenID Connect providers (auth/oidc/). */
  oidc: OidcService;
  /** Signs and checks the challenge between a password and a second factor (auth/mfa-challenge.ts). */
  mfaChallenges: MfaChallengeKeys;
  /** Rate limits (security/rate-limit.ts), for limits counted inside an operation (wrong MFA codes). */
  limiter: RateLimiter;
  secrets: SecretStore;
  pubsub: PubSub;
  jobs: JobQueue;
  /** Console sessions and the socket endpoint that redeems them. */
  consoles: ConsoleGateway;
}
