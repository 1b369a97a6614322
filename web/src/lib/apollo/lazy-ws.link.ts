import { ApolloLink } from '@apollo/client';
import { Observable, type Subscription } from 'rxjs';

/**
 * The subscription link, loaded on the first subscription instead of with every page: graphql-ws and
 * GraphQLWsLink are a chunk of their own that routes without live data never download (bench:web's
 * first-load JavaScript). The socket itself was already opened lazily; now the code is too.
 */
export function lazyWsLink(url: () => string): ApolloLink {
  let loading: Promise<ApolloLink> | undefined;
  const load = () =>
    (loading ??= Promise.all([import('@apollo/client/link/subscriptions'), import('graphql-ws')])
      .then(([{ GraphQLWsLink }, { createClient }]) => new GraphQLWsLink(createClient({ url: url(), lazy: true })))
      .catch((error: unknown) => {
        // A failed chunk load (deploy, network) is retried by the next subscription.
        loading = undefined;
        throw error;
      }));

  return new ApolloLink(
    (operation, forward) =>
      new Observable<ApolloLink.Result>((observer) => {
        let subscription: Subscription | undefined;
        let closed = false;
        load().then(
          (link) => {
            if (closed) return;
            subscription = link.request(operation, forward).subscribe(observer);
          },
          (error: unknown) => observer.error(error),
        );
        return () => {
          closed = true;
          subscription?.unsubscribe();
        };
      }),
  );
}
