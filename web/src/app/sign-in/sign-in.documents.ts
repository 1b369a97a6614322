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

export const CompleteSignInMutation = graphql(`
  mutation CompleteSignIn($input: CompleteSignInInput!) {
    completeSignIn(input: $input) {
      user {
        id
      }
    }
  }
`);
