import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';

/** The codes the API puts in `extensions.code`. */
export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'QUOTA_EXCEEDED'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/** What a form or a page shows for a failed operation. */
export interface ApiErrorView {
  /** One sentence for an alert, or null when every error belongs to a field. */
  message: string | null;
  /** Messages by input field name (`extensions.field`, last path segment), for BAD_USER_INPUT. */
  fields: Record<string, string>;
  /** The codes seen, first to last; 'NETWORK' when the API could not be reached or answered garbage. */
  codes: (ApiErrorCode | 'NETWORK' | 'UNKNOWN')[];
}

const KNOWN_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'QUOTA_EXCEEDED',
  // "Too many …; try again in N s.": the wait is the user's to know, not an internal error.
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
]);

const NETWORK_MESSAGE = 'The platform API could not be reached. Check your connection and try again.';
const INTERNAL_MESSAGE = 'The platform hit an unexpected error. Try again; if it keeps happening, tell an operator.';

/**
 * Turns whatever Apollo Client threw into messages for people. The API's own messages are written for
 * users (they say what to do), so they are shown as they are, except for internal errors, whose
 * message the API masks anyway.
 */
export function describeApiError(error: unknown): ApiErrorView {
  if (CombinedGraphQLErrors.is(error)) {
    const view: ApiErrorView = { message: null, fields: {}, codes: [] };
    const general: string[] = [];
    for (const graphQLError of error.errors) {
      const rawCode = graphQLError.extensions?.['code'];
      const code = typeof rawCode === 'string' && KNOWN_CODES.has(rawCode) ? (rawCode as ApiErrorCode) : 'UNKNOWN';
      view.codes.push(code);
      const field = graphQLError.extensions?.['field'];
      if (code === 'BAD_USER_INPUT' && typeof field === 'string' && field.length > 0) {
        const name = field.split('.').at(-1) ?? field;
        view.fields[name] ??= fieldMessage(field, graphQLError.message);
      } else if (code === 'INTERNAL_SERVER_ERROR' || code === 'UNKNOWN') {
        general.push(INTERNAL_MESSAGE);
      } else {
        general.push(graphQLError.message);
      }
    }
    view.message = general.length > 0 ? [...new Set(general)].join(' ') : null;
    return view;
  }
  if (ServerError.is(error) || ServerParseError.is(error) || error instanceof TypeError) {
    return { message: NETWORK_MESSAGE, fields: {}, codes: ['NETWORK'] };
  }
  return { message: INTERNAL_MESSAGE, fields: {}, codes: ['UNKNOWN'] };
}

/** "input.email: must be an email address" under the Email field reads "Must be an email address." */
function fieldMessage(field: string, message: string): string {
  const bare = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  const sentence = bare.charAt(0).toUpperCase() + bare.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
