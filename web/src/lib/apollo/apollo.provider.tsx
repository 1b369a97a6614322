'use client';

import { ApolloLink, HttpLink } from '@apollo/client';
import { ApolloClient, ApolloNextAppProvider, InMemoryCache } from '@apollo/client-integration-nextjs';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import type { ReactNode } from 'react';
import { browserWsUrl, serverApiUrl } from '../config';

/**
 * The Apollo Client of client components, made once in the browser and once per request during SSR.
 *
 * In the browser, queries and mutations go to `/graphql` on the page's own origin (rewritten to the
 * API by next.config.ts), so the httpOnly session cookie travels as a first-party cookie; subscriptions
 * go over graphql-ws, opened lazily on the first subscription.
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
      link: new HttpLink({ uri: `${serverApiUrl()}/graphql`, fetchOptions: { cache: 'no-store' } }),
    });
  }

  const httpLink = new HttpLink({ uri: '/graphql', credentials: 'include' });
  const wsLink = new GraphQLWsLink(createClient({ url: browserWsUrl(window.location), lazy: true }));
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.split((operation) => operation.operationType === 'subscription', wsLink, httpLink),
  });
}

export function ApolloProvider({ children }: { children: ReactNode }) {
  return <ApolloNextAppProvider makeClient={makeClient}>{children}</ApolloNextAppProvider>;
}
