'use client';

import { useMutation } from '@apollo/client/react';
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { SecondFactorStep } from '@/features/mfa/second-factor.step';
import { MFA_ENROLMENT_PATH } from '@/features/mfa/mfa.paths';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import { SignInMutation } from './auth.documents';

interface FormErrors {
  message: string | null;
  email?: string;
  password?: string;
}

const NO_ERRORS: FormErrors = { message: null };

/** Email and password. Field errors come from the API (`extensions.field`); the rest shows above the button. */
export function SignInForm() {
  const router = useRouter();
  const [signIn, { loading, client }] = useMutation(SignInMutation);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [redirecting, setRedirecting] = useState(false);
  // Set when the password was right and the account has a second factor still to give.
  const [challenge, setChallenge] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmedEmail = email.trim();
    const missing: FormErrors = { message: null };
    if (!trimmedEmail) missing.email = 'Enter your email address.';
    if (!password) missing.password = 'Enter your password.';
    if (missing.email || missing.password) {
      setErrors(missing);
      return;
    }

    setErrors(NO_ERRORS);
    let result;
    try {
      result = (await signIn({ variables: { input: { email: trimmedEmail, password } } })).data?.signIn;
    } catch (error) {
      const { message, fields } = describeApiError(error);
      const { email: emailError, password: passwordError, ...otherFields } = fields;
      // A field this form does not show still deserves its message.
      const general = [message, ...Object.values(otherFields)].filter(Boolean).join(' ') || null;
      setErrors({ message: general, email: emailError, password: passwordError });
      return;
    }
    if (result?.mfaChallenge) {
      setPassword('');
      setChallenge(result.mfaChallenge.challengeToken);
      return;
    }
    setRedirecting(true);
    // Whatever the cache held belonged to nobody (or to a previous user).
    await client.clearStore();
    // An organization's policy: this session may only enrol a second factor until it has one.
    router.replace(result?.mfaEnrolmentRequired ? MFA_ENROLMENT_PATH : '/');
    router.refresh();
  }

  if (challenge) {
    return (
      <SecondFactorStep
        challengeToken={challenge}
        returnTo="/"
        onRestart={(reason) => {
          setChallenge(null);
          setErrors({ message: reason });
        }}
      />
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Sign in">
      <Stack gap="md">
        {errors.message && (
          <Alert color="red" variant="light" title="Could not sign in" role="alert">
            {errors.message}
          </Alert>
        )}
        <TextInput
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          withAsterisk={false}
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          error={errors.email}
        />
        <PasswordInput
          label="Password"
          name="password"
          autoComplete="current-password"
          required
          withAsterisk={false}
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={errors.password}
        />
        <Button type="submit" loading={loading || redirecting} fullWidth>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
