import { graphql } from '@/gql';

export const InvitationsQuery = graphql(`
  query Invitations($organizationId: ID!) {
    invitations(organizationId: $organizationId) {
      id
      email
      role
      createdAt
      expiresAt
      acceptedAt
      revokedAt
    }
  }
`);

export const CreateInvitationMutation = graphql(`
  mutation CreateInvitation($input: CreateInvitationInput!) {
    createInvitation(input: $input) {
      token
      invitation {
        id
        email
      }
    }
  }
`);

export const RevokeInvitationMutation = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id) {
      id
      revokedAt
    }
  }
`);

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      accountCreated
      role
      organization {
        id
        name
      }
      user {
        email
      }
    }
  }
`);
