// The edge: every error leaving the API passes here once. Domain errors keep their code and
// message; database constraint violations become CONFLICT; anything else is masked and logged.
import { randomUUID } from 'node:crypto';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  DriverException,
  ForeignKeyConstraintViolationException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, type DomainErrorCode } from '../errors/domain-error.js';
import { SecretError } from '../secrets/secret-store.js';
import type { Logger } from '../logger.js';

export function graphqlCode(code: DomainErrorCode): string {
  switch (code) {
    case 'BAD_USER_INPUT':
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'FORBIDDEN':
    case 'UNAUTHENTICATED':
    case 'QUOTA_EXCEEDED':
    case 'RATE_LIMITED':
    case 'QUERY_LIMIT_EXCEEDED':
      return code;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

/** Turns a driver's constraint name (`<table>_<columns>_unique`) into words a user can act on. */
function describeConstraint(constraint: string | undefined, kind: 'unique' | 'foreign'): string {
  const name = (constraint ?? '').replace(/_(unique|foreign|pkey)$/, '').replace(/_/g, ' ');
  return kind === 'unique'
    ? `Another record already has the same ${name || 'unique value'}; choose a different value.`
    : `The record is still referenced (${name || 'a related record'}); remove what uses it first.`;
}

export function toDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  // The secret store's errors never carry secret values; those a caller can act on keep their words.
  if (error instanceof SecretError && error.code === 'INVALID') return new DomainError('BAD_USER_INPUT', error.message);
  if (error instanceof SecretError && error.code === 'CAS_MISMATCH') return new DomainError('CONFLICT', error.message);
  if (error instanceof UniqueConstraintViolationException) {
    const constraint = (error as unknown as { constraint?: string }).constraint;
    return new DomainError('CONFLICT', describeConstraint(constraint, 'unique'), { constraint });
  }
  // PostgreSQL 17 (and so PGlite) reports an `on delete restrict` violation as 23001
  // (restrict_violation), which MikroORM leaves as a plain DriverException; 15 reports 23503.
  if (
    error instanceof ForeignKeyConstraintViolationException ||
    (error instanceof DriverException && error.code === '23001')
  ) {
    const constraint = (error as unknown as { constraint?: string }).constraint;
    return new DomainError('CONFLICT', describeConstraint(constraint, 'foreign'), { constraint });
  }
  // Class 22 (data exception): the database refused a value the caller sent (an id that is not a
  // UUID, a string over its column's length, a number out of range). Found by security/fuzz.db.test.ts.
  if (error instanceof DriverException && typeof error.code === 'string' && error.code.startsWith('22')) {
    return new DomainError('BAD_USER_INPUT', describeDataException(error.code), { sqlState: error.code });
  }
  return null;
}

function describeDataException(code: string): string {
  switch (code) {
    case '22P02':
      return 'A value is not in the form its field needs (e.g. an id that is not a UUID); check the ids and values you send.';
    case '22001':
      return 'A value is longer than its field allows; shorten it.';
    case '22003':
      return 'A number is out of the range its field allows.';
    case '22007':
    case '22008':
      return 'A date or time is not valid.';
    default:
      return 'A value was refused by the database as malformed; check the values you send.';
  }
}

export function makeFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    // Validation rules and request plugins (security/) refuse with a DomainError wrapped in a GraphQLError.
    const domain =
      toDomainError(original) ??
      (original instanceof GraphQLError && original.originalError instanceof DomainError
        ? original.originalError
        : null);
    if (domain) {
      return {
        message: domain.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { ...domain.details, code: graphqlCode(domain.code) },
      };
    }
    // Errors graphql-js or Apollo produced themselves (parse, validation, variable coercion) are
    // about the request and safe to show.
    // Some carry no code of their own (an argument coerced to null during execution, a persisted
    // query hash mismatch): Apollo would label them INTERNAL_SERVER_ERROR, which they are not.
    if (original instanceof GraphQLError && !original.originalError) {
      const own = formatted.extensions?.code;
      if (own !== undefined && own !== 'INTERNAL_SERVER_ERROR') return formatted;
      return {
        ...formatted,
        extensions: { ...formatted.extensions, code: formatted.path ? 'BAD_USER_INPUT' : 'BAD_REQUEST' },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    const reference = randomUUID();
    log.error({ err: original, reference, path: formatted.path }, 'unexpected error in a GraphQL operation');
    return {
      message: `Internal server error. Reference ${reference}; the operators can find the cause in the logs.`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', reference },
    };
  };
}
