// Organizations may require a second factor of their members (`Organization.requireMfa`). A member
// without one still signs in, but until they enrol their credentials open only the operations that
// enrol (and the public ones): every other root field answers FORBIDDEN with
// `reason: MFA_ENROLMENT_REQUIRED`. One global rule, after requireAuthentication.
import type { GraphQLSchema } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { DomainError } from '../errors/domain-error.js';
import type { Context } from '../graphql/context.js';
import { PUBLIC_OPERATIONS } from './require-authentication.js';

/** What a member who must enrol may still do: see who they are, enrol, change their password, leave. */
export const MFA_ENROLMENT_OPERATIONS: ReadonlySet<string> = new Set([
  'mfaStatus',
  'beginTotpEnrolment',
  'confirmTotpEnrolment',
  'changePassword',
]);

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

export const mfaEnrolmentRequired = () =>
  new DomainError(
    'FORBIDDEN',
    'An organization you belong to requires a second factor: enrol one (beginTotpEnrolment, then confirmTotpEnrolment) before anything else.',
    { reason: 'MFA_ENROLMENT_REQUIRED' },
  );

export const requireMfaEnrolment: MiddlewareFn<Context> = async ({ info, context }, next) => {
  if (
    context.viewer?.mfaEnrolmentRequired &&
    ROOT_TYPES.has(info.parentType.name) &&
    !PUBLIC_OPERATIONS.has(info.fieldName) &&
    !MFA_ENROLMENT_OPERATIONS.has(info.fieldName)
  ) {
    throw mfaEnrolmentRequired();
  }
  return next();
};

/**
 * The same rule when a subscription starts: root middlewares run on each event's resolve, but a
 * subscription's `subscribe` (which opens the stream and may deliver stored events) runs before any.
 */
export function applyMfaPolicyToSubscriptions(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
    const subscribe = field.subscribe;
    if (!subscribe || MFA_ENROLMENT_OPERATIONS.has(field.name)) continue;
    field.subscribe = (root, args, context: Context, info) => {
      if (context?.viewer?.mfaEnrolmentRequired) throw mfaEnrolmentRequired();
      return subscribe(root, args, context, info);
    };
  }
  return schema;
}
