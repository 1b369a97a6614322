import { graphql } from '@/gql';

export const CompleteSignInMutation = graphql(`
  mutation CompleteSignIn($input: CompleteSignInInput!) {
    completeSignIn(input: $input) {
      user {
        id
      }
    }
  }
`);

export const OrganizationRequireMfaQuery = graphql(`
  query OrganizationRequireMfa($id: ID!) {
    organization(id: $id) {
      id
      requireMfa
    }
  }
`);

export const SetOrganizationRequireMfaMutation = graphql(`
  mutation SetOrganizationRequireMfa($organizationId: ID!, $required: Boolean!) {
    setOrganizationRequireMfa(organizationId: $organizationId, required: $required) {
      id
      requireMfa
    }
  }
`);
