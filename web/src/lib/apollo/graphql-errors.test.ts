import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describe, expect, test } from 'vitest';
import { describeApiError } from './graphql-errors';

const graphQLErrors = (...errors: { message: string; extensions?: Record<string, unknown> }[]) =>
  new CombinedGraphQLErrors({ data: null, errors });

describe('describeApiError', () => {
  test('BAD_USER_INPUT with a field becomes a message under that field, without the path prefix', () => {
    const view = describeApiError(
      graphQLErrors({
        message: 'input.email: must be an email address',
        extensions: { code: 'BAD_USER_INPUT', field: 'input.email' },
      }),
    );
    expect(view).toEqual({ message: null, fields: { email: 'Must be an email address.' }, codes: ['BAD_USER_INPUT'] });
  });

  test('BAD_USER_INPUT without a field is a general message', () => {
    const view = describeApiError(
      graphQLErrors({ message: 'Nothing to change.', extensions: { code: 'BAD_USER_INPUT' } }),
    );
    expect(view.message).toBe('Nothing to change.');
    expect(view.fields).toEqual({});
  });

  test("the API's own words for user-facing codes, one sentence each", () => {
    const view = describeApiError(
      graphQLErrors(
        { message: 'Email or password is wrong.', extensions: { code: 'UNAUTHENTICATED' } },
        { message: 'Email or password is wrong.', extensions: { code: 'UNAUTHENTICATED' } },
        { message: 'The project quota allows 5 machines.', extensions: { code: 'QUOTA_EXCEEDED' } },
      ),
    );
    expect(view.message).toBe('Email or password is wrong. The project quota allows 5 machines.');
    expect(view.codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'QUOTA_EXCEEDED']);
  });

  test('internal and unknown errors never show their message', () => {
    const view = describeApiError(
      graphQLErrors(
        { message: 'relation "machine" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        { message: 'weird', extensions: { code: 'SOMETHING_NEW' } },
      ),
    );
    expect(view.message).not.toMatch(/relation|weird/);
    expect(view.codes).toEqual(['INTERNAL_SERVER_ERROR', 'UNKNOWN']);
  });

  test('network failures and HTTP errors say the API could not be reached', () => {
    expect(describeApiError(new TypeError('Failed to fetch')).codes).toEqual(['NETWORK']);
    const serverError = new ServerError('Bad gateway', {
      response: new Response('', { status: 502 }),
      bodyText: '',
    });
    expect(describeApiError(serverError).message).toMatch(/could not be reached/);
  });
});
