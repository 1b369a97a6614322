// Sign-in → organizations, in a real browser against a running platform (API + web).
// Needs the platform running at E2E_BASE_URL (default http://127.0.0.1:3000) and a user to sign in as;
// see platform.ts.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type BrowserSession, formatProblems, launch } from './browser';
import { email, password, requirePlatform, signIn } from './platform';

let session: BrowserSession | undefined;

beforeAll(requirePlatform);

afterEach(async () => {
  await session?.close();
  session = undefined;
});

describe('sign-in', () => {
  test('a signed-out visit to / lands on the sign-in form', async () => {
    session = await launch();
    const { page } = session;

    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await expect(page.getByRole('heading', { name: 'PVE PaaS' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('Email').waitFor();
    await session.screenshot('sign-in');

    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });

  test('an invalid email is marked on the field the API names', async () => {
    session = await launch();
    const { page } = session;

    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('whatever it is');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const emailInput = page.getByLabel('Email');
    await page.waitForFunction(
      () => document.querySelector('input[name=email]')?.getAttribute('aria-invalid') === 'true',
    );
    // Mantine links the error text to the input through aria-describedby.
    const describedBy = (await emailInput.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.includes('error'));
    expect(errorId, 'the email field has an error description').toBeTruthy();
    await expect(page.locator(`[id="${errorId}"]`).textContent()).resolves.toMatch(/\S/);
    expect(page.url()).toMatch(/\/sign-in$/);
    await session.screenshot('sign-in-field-error');
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });

  test('a wrong password is refused with a message, and the form stays', async () => {
    session = await launch();
    const { page } = session;

    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(`${password()}-wrong`);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'Could not sign in' });
    await alert.waitFor();
    expect(page.url()).toMatch(/\/sign-in$/);
    await session.screenshot('sign-in-refused');
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });

  test('when the API cannot be reached, the form says so', async () => {
    session = await launch();
    const { page } = session;
    // Stand in for an API that is down behind the web server's /graphql rewrite.
    await page.route('**/graphql', (route) =>
      route.fulfill({ status: 502, contentType: 'text/plain', body: 'Bad gateway' }),
    );

    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password());
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
    expect(page.url()).toMatch(/\/sign-in$/);
    await session.screenshot('sign-in-api-down');
    // The only problems are the ones this test made.
    expect(
      session.problems.every((p) => p.url?.endsWith('/graphql')),
      formatProblems(session.problems),
    ).toBe(true);
  });

  test('signing in shows the organizations and their projects; signing out returns to the form', async () => {
    session = await launch();
    const { page } = session;

    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password());
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    // The organizations have arrived when the counts render (a skeleton shows until then).
    const organizationCount = page
      .locator('dl', { has: page.getByRole('term').filter({ hasText: /^Organizations$/ }) })
      .getByRole('definition');
    await organizationCount.waitFor();
    const total = Number(await organizationCount.textContent());
    expect(Number.isInteger(total)).toBe(true);
    // One card (a region named after the organization) per organization shown, or the empty state.
    // (The dashboard's other sections are regions too; an organization card says how many projects it has.)
    const cards = page
      .getByRole('main')
      .getByRole('region')
      .filter({ hasText: /\d+ projects?/ });
    if (total === 0) {
      await page.getByText('You are not a member of any organization yet.').waitFor();
    } else {
      await expect(cards.count()).resolves.toBe(Math.min(total, 50));
      const first = cards.first();
      await expect(first.getByRole('heading').count()).resolves.toBe(1);
      await expect(first.getByText(/^\d+ projects?$/).count()).resolves.toBe(1);
    }
    await session.screenshot('dashboard');
    // (Within main: Next's route announcer is an alert of its own.)
    await expect(page.getByRole('main').getByRole('alert').count()).resolves.toBe(0);

    const navigation = page.getByRole('navigation', { name: 'Main navigation' });
    await navigation.getByRole('link', { name: 'Organizations' }).click();
    await page.waitForURL('**/organizations');
    if (total === 0) {
      await page.getByText('You are not a member of any organization yet.').waitFor();
    } else {
      // A header row, then one row per organization shown.
      await page.getByRole('table').waitFor();
      await expect(page.getByRole('table').getByRole('row').count()).resolves.toBe(Math.min(total, 50) + 1);
    }
    await session.screenshot('organizations');
    await navigation.getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    // Reload: the session cookie is httpOnly and server-rendered pages see it too.
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await expect(page.evaluate(() => document.cookie)).resolves.not.toMatch(/session/i);

    // Signed in, the sign-in page has nothing to offer and sends the user home.
    await page.goto('/sign-in');
    await page.waitForURL((url) => url.pathname === '/');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.goto('/');
    await page.waitForURL('**/sign-in');

    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });

  test('when the session ends, the next navigation goes to the sign-in form', async () => {
    session = await launch();
    const { page, context } = session;
    await signIn(page);

    // As if the session had expired: the browser no longer has the cookie.
    await context.clearCookies();
    // The dashboard's own live requests may notice first and send the page to sign-in before the
    // click lands (the link is then gone): that is the same outcome for the user.
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Organizations' })
      .click({ timeout: 10_000 })
      .catch((err: unknown) => {
        if (!new URL(page.url()).pathname.startsWith('/sign-in')) throw err;
      });
    await page.waitForURL('**/sign-in');
    await page.getByLabel('Email').waitFor();
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});
