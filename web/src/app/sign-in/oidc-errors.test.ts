import { describe, expect, it } from 'vitest';
import { signInErrorMessage } from './oidc-errors';

describe('sign-in error reasons', () => {
  it('explains each reason the API sends back, and has a fallback', () => {
    expect(signInErrorMessage('EMAIL_UNVERIFIED')).toMatch(/not verified/);
    expect(signInErrorMessage('SIGN_UP_DISABLED')).toMatch(/invitation/);
    expect(signInErrorMessage('SOMETHING_NEW')).toMatch(/failed/);
  });

  it('shows nothing without a reason', () => {
    expect(signInErrorMessage(undefined)).toBeNull();
    expect(signInErrorMessage('')).toBeNull();
    expect(signInErrorMessage(['A', 'B'])).toBeNull();
  });
});
