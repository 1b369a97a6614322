import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describeApiError } from '@/lib/apollo/graphql-errors';

/** What the second-factor step does with a refusal of completeSignIn. */
export type SecondFactorRefusal =
  /** The challenge is spent or too old: only a new sign-in with the password helps. */
  | { kind: 'restart'; message: string }
  /** Too many attempts: the button waits `retryAfterSeconds`. */
  | { kind: 'wait'; message: string; retryAfterSeconds: number }
  /** Wrong, expired or already used code: try another. */
  | { kind: 'retry'; message: string };

/** "42 s" for a short wait, "15 min" for a long one (a limiter window is 15 minutes). */
export function formatWait(seconds: number): string {
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

const RESTART_MESSAGE = 'The sign-in took too long or was already used. Enter your password again to start over.';

/**
 * Sorts completeSignIn's errors (server/src/auth/mfa.resolver.ts). Both a wrong code and a dead
 * challenge are UNAUTHENTICATED; only the dead challenge's message names the challenge.
 */
export function classifySecondFactorError(error: unknown, useRecovery: boolean): SecondFactorRefusal {
  if (CombinedGraphQLErrors.is(error)) {
    for (const e of error.errors) {
      const code = e.extensions?.['code'];
      if (code === 'RATE_LIMITED') {
        const raw = Number(e.extensions?.['retryAfterSeconds']);
        const retryAfterSeconds = Number.isFinite(raw) && raw > 0 ? Math.ceil(raw) : 30;
        return {
          kind: 'wait',
          retryAfterSeconds,
          message: `Too many attempts. Try again in ${formatWait(retryAfterSeconds)}.`,
        };
      }
      if (code === 'UNAUTHENTICATED' && /challenge/i.test(e.message))
        return { kind: 'restart', message: RESTART_MESSAGE };
      if (code === 'UNAUTHENTICATED') {
        return {
          kind: 'retry',
          message: useRecovery
            ? 'That recovery code is wrong or was already used: each one works once. Try another.'
            : 'That code is wrong or already used. Wait for the next code in your app and enter it.',
        };
      }
    }
  }
  const { message, fields } = describeApiError(error);
  return {
    kind: 'retry',
    message: [message, ...Object.values(fields)].filter(Boolean).join(' ') || 'The code was not accepted.',
  };
}
