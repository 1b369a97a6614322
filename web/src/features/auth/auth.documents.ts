import { graphql } from '@/gql';
import type { ViewerQuery as ViewerQueryResult } from '@/gql/graphql';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      email
      displayName
      isPlatformAdmin
    }
  }
`);

export const SignInMutation = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      user {
        id
        email
        displayName
      }
      mfaChallenge {
        challengeToken
        expiresAt
      }
      mfaEnrolmentRequired
    }
  }
`);

export const SignOutMutation = graphql(`
  mutation SignOut {
    signOut
  }
`);

/** The signed-in user as the web app knows them. */
export type Viewer = NonNullable<ViewerQueryResult['viewer']>;
