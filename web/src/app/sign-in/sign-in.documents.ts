import { graphql } from '@/gql';

export const AuthProvidersQuery = graphql(`
  query AuthProviders {
    authProviders {
      id
      displayName
      startPath
    }
  }
`);
