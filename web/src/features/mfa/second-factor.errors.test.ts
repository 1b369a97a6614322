import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { classifySecondFactorError, formatWait } from './second-factor.errors';

const refused = (message: string, extensions: Record<string, unknown>) =>
  new CombinedGraphQLErrors({ errors: [{ message, extensions }] });

describe('refusals of the second factor', () => {
  it('waits as long as the API says when rate limited', () => {
    const error = refused('Too many second-factor attempts; try again in 42 s.', {
      code: 'RATE_LIMITED',
      retryAfterSeconds: 41.2,
    });
    expect(classifySecondFactorError(error, false)).toEqual({
      kind: 'wait',
      retryAfterSeconds: 42,
      message: 'Too many attempts. Try again in 42 s.',
    });
  });

  it('says a long wait in minutes', () => {
    expect(formatWait(89)).toBe('89 s');
    expect(formatWait(898)).toBe('15 min');
    const error = refused('Too many second-factor attempts for this account; try again in 898 s.', {
      code: 'RATE_LIMITED',
      retryAfterSeconds: 898,
    });
    expect(classifySecondFactorError(error, false).message).toBe('Too many attempts. Try again in 15 min.');
  });

  it('starts over when the challenge is dead', () => {
    const error = refused('The sign-in challenge is invalid or expired; sign in again.', { code: 'UNAUTHENTICATED' });
    expect(classifySecondFactorError(error, false).kind).toBe('restart');
  });

  it('asks for another code when the code is wrong, in words for the kind of code', () => {
    const error = refused('The code is wrong, expired or already used; sign in again if this persists.', {
      code: 'UNAUTHENTICATED',
    });
    expect(classifySecondFactorError(error, false)).toMatchObject({ kind: 'retry', message: /next code/ });
    expect(classifySecondFactorError(error, true)).toMatchObject({ kind: 'retry', message: /works once/ });
  });

  it('shows other errors in the API words', () => {
    const error = refused('input.code: give either code or recoveryCode (one of them)', {
      code: 'BAD_USER_INPUT',
      field: 'input.code',
    });
    expect(classifySecondFactorError(error, false)).toEqual({
      kind: 'retry',
      message: 'Give either code or recoveryCode (one of them).',
    });
  });
});
