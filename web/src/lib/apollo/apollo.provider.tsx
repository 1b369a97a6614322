'use client';

import { ApolloLink, HttpLink } from '@apollo/client';
import { ApolloClient, ApolloNextAppProvider, InMemoryCache } from '@apollo/client-integration-nextjs';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import type { ReactNode } from 'react';
import { browserWsUrl, serverApiUrl } from '../config';
import { csrfLink } from './csrf.link';
import { lazyWsLink } from './lazy-ws.link';
import { isLeavingForSignIn, leaveForSignIn } from './leave-for-sign-in';
import { streamGuardLink } from './stream-guard.link';

/**
 * The Apollo Client of client components, made once in the browser and once per request during SSR.
 *
 * In the browser, queries and mutations go to `/graphql` on the page's own origin (rewritten to the
 * API by next.config.ts), so the httpOnly session cookie travels as a first-party cookie; subscriptions
 * go over graphql-ws, whose code and socket are both loaded on the first subscription (lazy-ws.link.ts).
 *
 * During SSR this client has no session: the cookie is only available to server components, and
 * handing it to a client component would serialise it into the page where scripts can read it.
 * `useQuery` does not fetch during SSR (the integration makes it cache-only), so it simply loads in the
 * browser; data a client component needs on first paint is fetched by a server component
 * (`apollo.rsc.ts`, which forwards the cookie) and handed over with `PreloadQuery`. Whatever this
 * client does send from the server (`useSuspenseQuery`) is anonymous.
 */
function makeClient(): ApolloClient {
  if (typeof window === 'undefined') {
    return new ApolloClient({
      cache: new InMemoryCache(),
      link: ApolloLink.from([
        streamGuardLink,
        new HttpLink({ uri: `${serverApiUrl()}/graphql`, fetchOptions: { cache: 'no-store' } }),
      ]),
    });
  }

  const httpLink = new HttpLink({ uri: '/graphql', credentials: 'include' });
  const wsLink = lazyWsLink(() => browserWsUrl(window.location));
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.from([
      sessionExpiredLink,
      ApolloLink.split(
        (operation) => operation.operationType === 'subscription',
        wsLink,
        ApolloLink.from([csrfLink, httpLink]),
      ),
    ]),
  });
}

// Operations whose UNAUTHENTICATED answer is about the credentials typed in, not an expired session.
const SESSION_OPERATIONS = new Set(['SignIn', 'SignOut']);

const RELOADED_AT = 'pvepaas:session-reload';

/**
 * A session that ends while a page is open makes the API answer UNAUTHENTICATED. Often only the
 * ten-minute access token ran out (a subscription socket still holds the old cookie): reload once, and
 * web/src/proxy.ts renews it from the refresh cookie on the way in. When it cannot (the session expired
 * or was revoked), the page sends the user to sign in; a second failure within a minute goes straight
 * there, so a session that cannot be renewed never loops. A full load also drops the cache.
 */
const sessionExpiredLink = new ErrorLink(({ error, operation }) => {
  if (SESSION_OPERATIONS.has(operation.operationName ?? '')) return;
  if (!CombinedGraphQLErrors.is(error)) return;
  if (!error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED')) return;
  if (window.location.pathname === '/sign-in' || isLeavingForSignIn()) return;
  const last = Number(window.sessionStorage.getItem(RELOADED_AT) ?? 0);
  if (Date.now() - last > 60_000) {
    window.sessionStorage.setItem(RELOADED_AT, String(Date.now()));
    leaveForSignIn('reload');
  } else {
    leaveForSignIn();
  }
});

export function ApolloProvider({ children }: { children: ReactNode }) {
  return <ApolloNextAppProvider makeClient={makeClient}>{children}</ApolloNextAppProvider>;
}
