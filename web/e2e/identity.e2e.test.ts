// Identity screens in Chromium against the running platform: a second factor set up in the profile
// and then asked for at sign-in (a code, a recovery code, a spent recovery code refused), an
// organization's "require MFA" policy sending a member to enrolment, an invitation joined by an
// existing account, and a password change. Codes are computed with the otplib the server verifies with.
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type BrowserSession, formatProblems, launch } from './browser';
import { requirePlatform, signIn } from './platform';
import { demo, gql, screenshotBoth, signInAs } from './screens';

const opened: BrowserSession[] = [];

async function open(): Promise<BrowserSession> {
  const session = await launch();
  opened.push(session);
  return session;
}

beforeAll(requirePlatform);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const suffix = () => randomBytes(4).toString('hex');

/** A user made by the administrator through the API, so the tests never touch the admin's own factor. */
async function createUser(displayName: string): Promise<{ email: string; password: string }> {
  const admin = await launch();
  try {
    await signIn(admin.page);
    const email = `${displayName.toLowerCase().replace(/\W+/g, '-')}-${suffix()}@example.com`;
    const password = `pw-${suffix()}-${suffix()}-long`;
    await gql(admin, `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { email, displayName, password },
    });
    return { email, password };
  } finally {
    await admin.close();
  }
}

/**
 * The next code an authenticator app would show that the server has not seen: it accepts each 30 s
 * step once, one step either side of now, so a second code within a step is taken from the next one.
 */
function authenticator(secret: string) {
  let lastStep = -1;
  return async (): Promise<string> => {
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const step = Math.max(now, lastStep + 1);
      if (step <= now + 1) {
        lastStep = step;
        return generate({ secret, epoch: step * 30, period: 30 });
      }
      await new Promise((r) => setTimeout(r, (now + 1) * 30_000 - Date.now() + 200));
    }
  };
}

/** Sets up the authenticator in the profile's Security panel; returns the code source and the recovery codes. */
async function enrolInProfile(session: BrowserSession, name?: string) {
  const { page } = session;
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
  const code = authenticator(secret);
  await page.getByLabel('Code from the app').fill(await code());
  if (name) await screenshotBoth(session, `${name}-enrolment`);
  await page.getByRole('button', { name: 'Turn on' }).click();
  const shown = page.getByTestId('recovery-codes');
  await shown.waitFor();
  const recoveryCodes = ((await shown.textContent()) ?? '').trim().split('\n');
  expect(recoveryCodes).toHaveLength(10);
  expect(new Set(recoveryCodes).size).toBe(10);
  await page.getByRole('button', { name: 'Download' }).waitFor();
  if (name) await screenshotBoth(session, `${name}-recovery-codes`);
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await shown.waitFor({ state: 'detached' });
  return { code, recoveryCodes };
}

async function passwordStep(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('form', { name: 'Second factor' }).waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/sign-in');
}

const signInAlert = (page: Page) => page.getByRole('alert').filter({ hasText: 'Could not sign in' });

describe('two-factor sign-in', () => {
  test('enrolled in the profile, the sign-in asks for a code, takes a recovery code once, and refuses it after', async () => {
    const user = await createUser('Tess Totp');
    const session = await open();
    const { page } = session;
    await signInAs(page, user.email, user.password);
    await page.goto('/profile');
    const { code, recoveryCodes } = await enrolInProfile(session, 'identity-mfa');
    await page.getByText('10 recovery codes left.').waitFor();
    await signOut(page);

    // Password, then the code step; a wrong code is refused with what to do, and the step stays.
    await passwordStep(page, user.email, user.password);
    await page.getByLabel('Authenticator code').waitFor();
    await screenshotBoth(session, 'identity-sign-in-code');
    await page.getByLabel('Authenticator code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await signInAlert(page).filter({ hasText: 'wait for the next code' }).waitFor();
    await page.getByLabel('Authenticator code').fill(await code());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await signOut(page);

    // A recovery code in place of the app's.
    await passwordStep(page, user.email, user.password);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await screenshotBoth(session, 'identity-sign-in-recovery-code');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.goto('/profile');
    await page.getByText('9 recovery codes left.').waitFor();
    await signOut(page);

    // The same recovery code again: refused, another one works.
    await passwordStep(page, user.email, user.password);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await signInAlert(page).filter({ hasText: 'each one works once' }).waitFor();
    await screenshotBoth(session, 'identity-sign-in-recovery-code-used');
    expect(page.url()).toMatch(/\/sign-in$/);
    await page.getByLabel('Recovery code').fill(recoveryCodes[1]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });

  test('a challenge that is no longer valid goes back to the password with a reason', async () => {
    const user = await createUser('Cleo Challenge');
    const session = await open();
    const { page } = session;
    await signInAs(page, user.email, user.password);
    await page.goto('/profile');
    await enrolInProfile(session);
    await signOut(page);

    await passwordStep(page, user.email, user.password);
    // Stand in for a challenge that expired while the user looked for their phone: the API's answer, verbatim.
    await page.route('**/graphql', async (route) => {
      if (!route.request().postData()?.includes('completeSignIn')) return route.fallback();
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          data: null,
          errors: [
            {
              message: 'The sign-in challenge is invalid or expired; sign in again.',
              extensions: { code: 'UNAUTHENTICATED' },
            },
          ],
        }),
      });
    });
    await page.getByLabel('Authenticator code').fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await signInAlert(page).filter({ hasText: 'Enter your password again' }).waitFor();
    await page.getByLabel('Password', { exact: true }).waitFor();
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });

  test('too many wrong codes: the wait the API names is counted down on the button', async () => {
    const user = await createUser('Rita Ratelimit');
    const session = await open();
    const { page } = session;
    await signInAs(page, user.email, user.password);
    await page.goto('/profile');
    await enrolInProfile(session);
    await signOut(page);

    await passwordStep(page, user.email, user.password);
    const input = page.getByLabel('Authenticator code');
    const verify = page.getByRole('button', { name: /^(Verify|Try again in \d+ (s|min))$/ });
    // RATE_LIMIT_SIGNIN_PER_ACCOUNT is 10 by default: the eleventh check is refused before the code is.
    for (let attempt = 0; attempt < 12 && (await verify.textContent()) === 'Verify'; attempt++) {
      await input.fill('000000');
      await verify.click();
      // The step empties the input once the API has answered.
      await expect.poll(() => input.inputValue()).toBe('');
    }
    await page
      .getByRole('alert')
      .filter({ hasText: /Too many attempts\. Try again in \d+ (s|min)\./ })
      .waitFor();
    await expect(verify.textContent()).resolves.toMatch(/^Try again in \d+ (s|min)$/);
    await expect(verify.isDisabled()).resolves.toBe(true);
    await screenshotBoth(session, 'identity-sign-in-rate-limited');
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});

describe('an organization that requires a second factor', () => {
  test('an admin switches it on; a member without one is sent to enrolment, then gets in', async () => {
    // The organization's own owner, with a factor: the policy binds the admins too.
    const owner = await createUser('Olga Owner');
    const member = await createUser('Mo Member');
    const admin = await open();
    await signInAs(admin.page, owner.email, owner.password);
    await admin.page.goto('/profile');
    await enrolInProfile(admin);
    const organizationName = `Strict ${suffix()}`;
    const { createOrganization } = await gql(
      admin,
      `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
      { input: { name: organizationName, slug: `strict-${suffix()}` } },
    );
    const organizationId: string = createOrganization.id;
    await gql(admin, `mutation ($input: AddMemberInput!) { addMember(input: $input) { id } }`, {
      input: { organizationId, email: member.email, role: 'VIEWER' },
    });

    await admin.page.goto(`/organizations/${organizationId}`);
    const policy = admin.page.getByRole('switch', { name: 'Require two-factor authentication' });
    await expect(policy.isChecked()).resolves.toBe(false);
    // Enabled once the organization's setting has loaded; Mantine's input is visually hidden, hence force.
    await expect.poll(() => policy.isEnabled()).toBe(true);
    await policy.click({ force: true });
    await expect.poll(() => policy.isChecked()).toBe(true);
    // Saved, not only shown: the page reads it back.
    await expect
      .poll(
        async () =>
          (await gql(admin, `query ($id: ID!) { organization(id: $id) { requireMfa } }`, { id: organizationId }))
            .organization.requireMfa,
      )
      .toBe(true);
    await admin.page.reload();
    await policy.waitFor({ state: 'attached' });
    await expect.poll(() => policy.isChecked()).toBe(true);
    await admin.page.getByRole('heading', { name: 'Security' }).waitFor();
    await screenshotBoth(admin, 'identity-organization-security');
    expect(admin.problems, formatProblems(admin.problems)).toEqual([]);

    const session = await open();
    const { page } = session;
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password', { exact: true }).fill(member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/security/enrol');
    await page.getByText('Your organization requires two-factor authentication').waitFor();
    await screenshotBoth(session, 'identity-mfa-required');
    await enrolInProfile(session);
    await page.getByRole('button', { name: 'Continue to the platform' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.goto('/organizations');
    await page.getByText(organizationName).first().waitFor();
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});

describe('invitations', () => {
  test('an existing account signed in as the invited email joins with one button; a revoked link says so', async () => {
    const invited = await createUser('Jo Joiner');
    const admin = await open();
    await signIn(admin.page);
    const { organizationId } = await demo(admin);
    const { organization } = await gql(admin, `query ($id: ID!) { organization(id: $id) { name } }`, {
      id: organizationId,
    });
    await admin.page.goto(`/organizations/${organizationId}`);
    const invite = admin.page.getByRole('form', { name: 'Invite someone' });
    await invite.getByLabel('Email').fill(invited.email);
    await invite.getByRole('combobox', { name: 'Role' }).click();
    await admin.page.getByRole('option', { name: 'OPERATOR' }).click();
    await invite.getByRole('button', { name: 'Invite' }).click();
    const link = ((await admin.page.getByTestId('invitation-link').textContent()) ?? '').trim();
    expect(link).toMatch(/\/invite#.+/);
    await admin.page.getByRole('button', { name: 'Copy link' }).waitFor();
    const row = admin.page.getByRole('row').filter({ hasText: invited.email });
    await row.getByText('pending').waitFor();

    // A second invitation, revoked: its link must say it is dead.
    const other = `revoked-${suffix()}@example.com`;
    await invite.getByLabel('Email').fill(other);
    await invite.getByRole('button', { name: 'Invite' }).click();
    await admin.page.getByTestId('invitation-link').filter({ hasText: '/invite#' }).waitFor();
    await admin.page.waitForFunction(
      (old) => document.querySelector('[data-testid=invitation-link]')?.textContent?.trim() !== old,
      link,
    );
    const revokedLink = ((await admin.page.getByTestId('invitation-link').textContent()) ?? '').trim();
    await admin.page.getByRole('button', { name: `Revoke the invitation of ${other}` }).click();
    await admin.page.getByRole('row').filter({ hasText: other }).getByText('revoked', { exact: true }).waitFor();
    expect(admin.problems, formatProblems(admin.problems)).toEqual([]);

    // A fresh browser: sign in as the invited account, open the link, join.
    const session = await open();
    const { page } = session;
    await signInAs(page, invited.email, invited.password);
    await page.goto(link);
    await page.getByText('Accept the invitation with the account you are signed in with.').waitFor();
    await screenshotBoth(session, 'identity-invitation-join');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByText(`You joined ${organization.name} as operator`).waitFor();
    await page.getByRole('link', { name: 'Go to the dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.goto(`/organizations/${organizationId}`);
    await page.getByRole('heading', { name: organization.name, level: 1 }).waitFor();

    // The link again (used), and the revoked one.
    await page.goto('/');
    await page.goto(link);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('alert').filter({ hasText: 'This invitation link was already used or revoked' }).waitFor();
    await page.goto('/');
    await page.goto(revokedLink);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('alert').filter({ hasText: 'This invitation link was already used or revoked' }).waitFor();
    await screenshotBoth(session, 'identity-invitation-revoked');
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});

describe('password', () => {
  test('the server names the field it refuses; the new password signs in and the old one no longer does', async () => {
    const user = await createUser('Pat Password');
    const session = await open();
    const { page } = session;
    await signInAs(page, user.email, user.password);
    await page.goto('/profile');

    // A wrong current password: the API names the field, the message stands under it.
    const next = `new-pw-${suffix()}-${suffix()}`;
    await page.getByLabel('Current password').fill(`${user.password}-wrong`);
    await page.getByLabel('New password', { exact: true }).fill(next);
    await page.getByLabel('New password again').fill(next);
    await page.getByRole('button', { name: 'Change password' }).click();
    const current = page.getByLabel('Current password');
    await page.getByText('Is not the password of this account.').waitFor();
    // Under that input: Mantine ties the error to it through aria-describedby.
    const describedBy = (await current.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    expect(errorId, 'the current-password field has an error description').toBeTruthy();
    await expect(page.locator(`[id="${errorId}"]`).textContent()).resolves.toBe('Is not the password of this account.');
    await screenshotBoth(session, 'identity-password-refused');

    await current.fill(user.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    await signOut(page);

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signInAlert(page).waitFor();
    await signInAs(page, user.email, next);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});
