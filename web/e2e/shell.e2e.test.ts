// The signed-in frame: colour scheme remembered across reloads, navigation at tablet and phone widths.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type BrowserSession, formatProblems, launch } from './browser';
import { requirePlatform, signIn } from './platform';

let session: BrowserSession | undefined;

beforeAll(requirePlatform);

afterEach(async () => {
  await session?.close();
  session = undefined;
});

const colorScheme = (session: BrowserSession) =>
  session.page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));

describe('platform shell', () => {
  test('the colour-scheme toggle switches to dark and the choice survives a reload', async () => {
    session = await launch({ colorScheme: 'light' });
    const { page } = session;
    await signIn(page);
    await expect(colorScheme(session)).resolves.toBe('light');

    await page.getByRole('button', { name: 'Toggle colour scheme' }).click();
    await expect(colorScheme(session)).resolves.toBe('dark');
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await expect(colorScheme(session)).resolves.toBe('dark');
    await session.screenshot('dashboard-dark');

    await page.getByRole('button', { name: 'Toggle colour scheme' }).click();
    await expect(colorScheme(session)).resolves.toBe('light');
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });

  test('at tablet width the navigation stays open beside the page', async () => {
    session = await launch({ viewport: { width: 768, height: 1024 } });
    const { page } = session;
    await signIn(page);

    const navigation = page.getByRole('navigation', { name: 'Main navigation' });
    await expect(navigation.getByRole('link', { name: 'Organizations' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Open navigation' }).isVisible()).resolves.toBe(false);
    await session.screenshot('dashboard-tablet');
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });

  test('at phone width the navigation opens from the menu button', async () => {
    session = await launch({ viewport: { width: 390, height: 844 } });
    const { page } = session;
    await signIn(page);

    const navigation = page.getByRole('navigation', { name: 'Main navigation' });
    const organizationsLink = navigation.getByRole('link', { name: 'Organizations' });
    // Closed: slid off-screen and inert (out of the tab order and the accessibility tree).
    await page.waitForFunction(() => document.getElementById('platform-navigation')?.hasAttribute('inert'));
    const box = await navigation.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(0);
    await session.screenshot('dashboard-phone');

    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.waitForFunction(() => !document.getElementById('platform-navigation')?.hasAttribute('inert'));
    await organizationsLink.waitFor({ state: 'visible' });
    // Let the drawer finish sliding in before the picture.
    await page.waitForFunction(() => document.getElementById('platform-navigation')?.getBoundingClientRect().x === 0);
    await session.screenshot('dashboard-phone-navigation');
    await organizationsLink.click();
    await page.waitForURL('**/organizations');
    // Choosing a page closes the drawer.
    await page.waitForFunction(() => document.getElementById('platform-navigation')?.hasAttribute('inert'));
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});
