import { ApolloLink, HttpLink } from '@apollo/client';
import { ApolloClient, InMemoryCache, registerApolloClient } from '@apollo/client-integration-nextjs';
import { cookies } from 'next/headers';
import { serverApiUrl } from '../config';
import { streamGuardLink } from './stream-guard.link';

/**
 * The Apollo Client of server components: one per request, speaking to the API directly and forwarding
 * the request's cookies, so the API sees the signed-in user. `PreloadQuery` runs a query here and
 * streams the result into the client components' cache. (Importing `next/headers` keeps this module
 * out of client bundles: Next refuses to build a client component that reaches it.)
 */
export const { getClient, query, PreloadQuery } = registerApolloClient(async () => {
  const cookie = (await cookies()).toString();
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.from([
      streamGuardLink,
      new HttpLink({
        uri: `${serverApiUrl()}/graphql`,
        headers: cookie ? { cookie } : {},
        // Per-user data: never let Next's data cache keep it.
        fetchOptions: { cache: 'no-store' },
      }),
    ]),
  });
});
