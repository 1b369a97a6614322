// OpenID Connect sign-in in Chromium: the sign-in page's provider button, the provider's own login
// page filled in like a person would, and back on the platform signed in, or, for an account whose
// email the provider has not verified, back on the sign-in page with the reason. The provider and the
// platform's configuration for it come from the global setup (oidc.provider.ts).
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { baseUrl, type BrowserSession, type BrowserProblem, formatProblems, launch } from './browser';
import { OIDC_E2E } from './oidc.provider';
import { requirePlatform } from './platform';
import { screenshotBoth } from './screens';

let session: BrowserSession | undefined;

function issuer(): string {
  const value = process.env.E2E_OIDC_ISSUER;
  if (!value) {
    throw new Error(
      'E2E_OIDC_ISSUER is not set: these tests need the platform the e2e global setup starts with its test ' +
        'identity provider (unset E2E_BASE_URL).',
    );
  }
  return value;
}

beforeAll(async () => {
  await requirePlatform();
  issuer();
});

afterEach(async () => {
  await session?.close();
  session = undefined;
});

/** The platform's problems: the provider's own pages (e.g. its missing favicon) are not ours. */
function platformProblems(problems: BrowserProblem[]): BrowserProblem[] {
  const provider = new URL(issuer()).origin;
  return problems.filter((p) => !p.url || new URL(p.url).origin !== provider);
}

async function signInThroughProvider(current: BrowserSession, email: string): Promise<void> {
  const { page } = current;
  await page.goto('/sign-in');
  await page.getByRole('link', { name: `Sign in with ${OIDC_E2E.displayName}` }).click();
  await page.waitForURL((url) => url.origin === new URL(issuer()).origin);
  await page.getByRole('heading', { name: 'Test identity provider' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('OpenID Connect sign-in', () => {
  test('the sign-in page offers the provider, light and dark', async () => {
    session = await launch();
    const { page } = session;
    await page.goto('/sign-in');
    await page.getByRole('link', { name: `Sign in with ${OIDC_E2E.displayName}` }).waitFor();
    await screenshotBoth(session, 'sign-in-oidc');
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });

  test('signing in at the provider lands on the dashboard as that person', async () => {
    session = await launch();
    const { page } = session;
    await signInThroughProvider(session, OIDC_E2E.verified.email);

    await page.waitForURL((url) => url.origin === new URL(baseUrl()).origin && url.pathname === '/');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await expect(page.getByText(OIDC_E2E.verified.name, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(OIDC_E2E.verified.email, { exact: true }).isVisible()).resolves.toBe(true);

    const problems = platformProblems(session.problems);
    expect(problems, formatProblems(problems)).toEqual([]);
  });

  test('an account whose email the provider has not verified is refused with the reason', async () => {
    session = await launch();
    const { page } = session;
    await signInThroughProvider(session, OIDC_E2E.unverified.email);

    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('error') === 'EMAIL_UNVERIFIED');
    const alert = page.getByRole('alert').filter({ hasText: 'Could not sign in' });
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toContain('Your email address is not verified at the identity provider');
    // Still signed out: the platform's own pages send the browser back here.
    await page.goto('/');
    await page.waitForURL('**/sign-in');

    const problems = platformProblems(session.problems);
    expect(problems, formatProblems(problems)).toEqual([]);
  });
});
