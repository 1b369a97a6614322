// Who an OIDC sign-in is: the user already linked to (provider, subject); else the user with the
// provider's *verified* email, linked now; else, when the provider allows sign-up, a new user. An
// unverified email never links: whoever controls the provider account could claim any address.
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../../modules/user/user.entity.js';
import { UserIdentity } from '../../modules/user/user-identity.entity.js';
import type { OidcProviderConfig } from './oidc-config.js';
import { OidcError, type OidcClaims } from './oidc.service.js';

export interface ResolvedAccount {
  user: User;
  /** How: an existing link, a link made now by verified email, or a new account. */
  via: 'identity' | 'linked' | 'created';
}

export async function resolveOidcAccount(
  em: EntityManager,
  provider: OidcProviderConfig,
  claims: OidcClaims,
): Promise<ResolvedAccount> {
  const identity = await em.findOne(
    UserIdentity,
    { provider: provider.id, subject: claims.subject },
    { populate: ['user'] },
  );
  if (identity) {
    if (identity.user.disabledAt) throw disabled();
    identity.lastSignInAt = new Date();
    await em.flush();
    return { user: identity.user, via: 'identity' };
  }
  if (!claims.email) {
    throw new OidcError(
      'EMAIL_MISSING',
      `${provider.displayName} did not share an email address, so no account can be found; allow the email scope.`,
    );
  }
  if (!claims.emailVerified) {
    throw new OidcError(
      'EMAIL_UNVERIFIED',
      `${provider.displayName} has not verified the email address ${claims.email}; verify it there, then sign in again.`,
    );
  }
  let user = await em.findOne(User, { email: claims.email });
  let via: ResolvedAccount['via'] = 'linked';
  if (user?.disabledAt) throw disabled();
  if (!user) {
    if (!provider.allowSignUp) {
      throw new OidcError(
        'SIGN_UP_DISABLED',
        `No account uses ${claims.email}, and accounts are not created through ${provider.displayName}; ask an administrator for an invitation.`,
      );
    }
    user = em.create(User, {
      email: claims.email,
      displayName: (claims.name?.trim() || claims.email.split('@')[0] || claims.email).slice(0, 200),
      passwordHash: null,
    });
    via = 'created';
  }
  em.create(UserIdentity, {
    provider: provider.id,
    subject: claims.subject,
    user,
    email: claims.email,
    lastSignInAt: new Date(),
  });
  await em.flush();
  return { user, via };
}

const disabled = () => new OidcError('ACCOUNT_DISABLED', 'This account is disabled; ask an administrator.');
