// What the end-to-end tests know about the platform under test: who to sign in as, and how.
import type { Page } from 'playwright-core';
import { assertReachable, baseUrl, initialAdminPassword } from './browser';

/** E2E_EMAIL, else the first administrator (ADMIN_EMAIL, default admin@example.com). */
export const email = process.env.E2E_EMAIL ?? process.env.ADMIN_EMAIL ?? 'admin@example.com';

/** E2E_PASSWORD, else ADMIN_PASSWORD, else the password `npm start` generated into DATA_DIR. */
export function password(): string {
  const value = process.env.E2E_PASSWORD ?? process.env.ADMIN_PASSWORD ?? initialAdminPassword();
  if (!value) {
    throw new Error(
      'No password to sign in with: set E2E_PASSWORD (or ADMIN_PASSWORD), or start the platform with `npm start`, ' +
        "which writes the first administrator's password to DATA_DIR/initial-admin-password.",
    );
  }
  return value;
}

/** For beforeAll: fails loudly, once, when the platform is not there or nobody can sign in. */
export async function requirePlatform(): Promise<void> {
  password();
  await assertReachable(`${baseUrl()}/sign-in`);
}

/** Signs in through the form and waits for the dashboard. */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}
