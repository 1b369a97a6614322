// Domain errors: what services and orchestration throw. They never import graphql; the API edge
// (graphql/format-error.ts) maps each code to `extensions.code` in one exhaustive switch.

export type DomainErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'QUOTA_EXCEEDED'
  | 'RATE_LIMITED'
  | 'QUERY_LIMIT_EXCEEDED';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Safe, client-visible details (e.g. the offending field). Never secrets. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Message factories, so every message says what went wrong and what to do, in one place. */
export const Errors = {
  invalid: (field: string, problem: string) => new DomainError('BAD_USER_INPUT', `${field}: ${problem}`, { field }),
  notFound: (entity: string, id: string) =>
    new DomainError('NOT_FOUND', `${entity} ${id} does not exist or is not visible to you.`, { entity, id }),
  conflict: (what: string, hint: string) => new DomainError('CONFLICT', `${what} ${hint}`),
  unauthenticated: () =>
    new DomainError('UNAUTHENTICATED', 'Sign in first: this operation needs a session or an API token.'),
  forbidden: (privilege: string, scope: string) =>
    new DomainError(
      'FORBIDDEN',
      `You lack ${privilege} on ${scope}; ask an administrator of it for a role that has it.`,
      {
        privilege,
      },
    ),
  badCredentials: () => new DomainError('UNAUTHENTICATED', 'Email or password is wrong.'),
  quotaExceeded: (limit: string, max: number, used: number, requested: number) =>
    new DomainError(
      'QUOTA_EXCEEDED',
      `Quota ${limit} would be exceeded: limit ${max}, in use ${used}, requested ${requested}. Free resources or ask for a higher quota.`,
      { limit, max, used, requested },
    ),
  rateLimited: (what: string, retryAfterSeconds: number) =>
    new DomainError('RATE_LIMITED', `Too many ${what}; try again in ${retryAfterSeconds} s.`, {
      limit: what,
      retryAfterSeconds,
    }),
  queryLimit: (
    limit: 'depth' | 'aliases' | 'directives' | 'cost' | 'tokens' | 'characters',
    max: number,
    actual: number,
  ) =>
    new DomainError(
      'QUERY_LIMIT_EXCEEDED',
      `The operation's ${limit} is ${actual}, over the limit of ${max}; split it into smaller operations.`,
      { limit, max, actual },
    ),
};
