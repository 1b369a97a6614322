// Every query, mutation and subscription needs a signed-in caller, except the few listed here.
// One global rule, so a new operation is protected by default; it runs before argument validation,
// so an anonymous caller learns nothing about an operation's inputs.
import type { MiddlewareFn } from 'type-graphql';
import { Errors } from '../errors/domain-error.js';
import type { Context } from '../graphql/context.js';

export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set([
  'viewer',
  'signIn',
  'signOut',
  'refreshSession',
  'authProviders',
  'completeSignIn',
  'acceptInvitation',
]);

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

export const requireAuthentication: MiddlewareFn<Context> = async ({ info, context }, next) => {
  if (ROOT_TYPES.has(info.parentType.name) && !PUBLIC_OPERATIONS.has(info.fieldName) && !context.viewer) {
    throw Errors.unauthenticated();
  }
  return next();
};
