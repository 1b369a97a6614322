// Machines: create a VM and a container through the wizard, watch the job's progress live to 100%,
// and land on a machine page that says RUNNING. Screenshots of every screen in light and dark.
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type BrowserSession, formatProblems, launch } from './browser';
import { requirePlatform, signIn } from './platform';

let session: BrowserSession | undefined;

beforeAll(requirePlatform);

afterEach(async () => {
  await session?.close();
  session = undefined;
});

const colorScheme = (page: Page) =>
  page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));

/**
 * Saves `<name>-light.png` and `<name>-dark.png` of the page as it is, switching with the shell's toggle
 * (clicked by event, so an open modal's overlay does not take the click and close the modal).
 */
async function screenshotBoth(current: BrowserSession, name: string): Promise<void> {
  const { page } = current;
  const toggle = page.getByRole('button', { name: 'Toggle colour scheme' });
  const first = await colorScheme(page);
  await current.screenshot(`${name}-${first}`);
  await toggle.dispatchEvent('click');
  const second = first === 'dark' ? 'light' : 'dark';
  await page.waitForFunction(
    (scheme) => document.documentElement.getAttribute('data-mantine-color-scheme') === scheme,
    second,
  );
  await current.screenshot(`${name}-${second}`);
  await toggle.dispatchEvent('click');
  await page.waitForFunction(
    (scheme) => document.documentElement.getAttribute('data-mantine-color-scheme') === scheme,
    first,
  );
}

/** Records every value the job's percentage shows, from now on, in the page. */
async function recordPercentages(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as any).__percentages = seen;
    const read = () => {
      const text = document.querySelector('[data-testid="job-percent"]')?.textContent ?? '';
      const value = Number.parseInt(text, 10);
      if (Number.isFinite(value) && seen.at(-1) !== value) seen.push(value);
    };
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function createThroughWizard(
  current: BrowserSession,
  options: { kind: 'Virtual machine' | 'Container'; template: RegExp; name: string; shots: string },
): Promise<number[]> {
  const { page } = current;
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Machines' }).click();
  await page.waitForURL('**/machines');
  await page.getByRole('heading', { name: 'Machines', level: 1 }).waitFor();
  await page.getByRole('table').or(page.getByText('No machines yet.')).first().waitFor();
  await screenshotBoth(current, `machines-list-before-${options.shots}`);

  await page.getByRole('link', { name: 'Create machine' }).first().click();
  await page.waitForURL('**/machines/new');
  const next = page.getByRole('button', { name: 'Next' });

  await page.getByRole('radio', { name: new RegExp(`^${options.kind}`) }).click();
  await screenshotBoth(current, `machine-wizard-kind-${options.shots}`);
  await next.click();

  await page.getByRole('radio', { name: options.template }).click();
  await screenshotBoth(current, `machine-wizard-template-${options.shots}`);
  await next.click();

  // Size: the template's defaults are filled in.
  await expect(page.getByLabel('Cores').inputValue()).resolves.toMatch(/^\d+$/);
  await screenshotBoth(current, `machine-wizard-size-${options.shots}`);
  await next.click();

  await page.getByLabel('Name', { exact: true }).fill(options.name);
  // The project's networks arrive from the browser; the first is chosen.
  await expect.poll(() => page.getByRole('combobox', { name: 'Network' }).inputValue()).toMatch(/^default/);
  await screenshotBoth(current, `machine-wizard-network-${options.shots}`);
  await next.click();

  await page.getByText('Credentials are generated for you').waitFor();
  await screenshotBoth(current, `machine-wizard-access-${options.shots}`);
  await next.click();

  const review = page.getByRole('table', { name: 'Review' });
  await review.waitFor();
  await expect(review.textContent()).resolves.toContain(options.name);
  await screenshotBoth(current, `machine-wizard-review-${options.shots}`);

  await recordPercentages(page);
  await page.getByRole('button', { name: /^Create (VM|container)$/ }).click();
  await page.getByRole('region', { name: 'Job progress' }).waitFor();
  // Mid-way, if the job is not done by then.
  await page.getByRole('log', { name: 'Task log' }).waitFor({ timeout: 60_000 });
  await screenshotBoth(current, `machine-progress-${options.shots}`);

  const open = page.getByRole('link', { name: `Open ${options.name}` });
  await open.waitFor({ timeout: 180_000 });
  await expect(page.getByTestId('job-percent').textContent()).resolves.toBe('100%');
  await screenshotBoth(current, `machine-progress-done-${options.shots}`);
  const seen: number[] = await page.evaluate(() => (window as any).__percentages);

  await open.click();
  await page.waitForURL(/\/machines\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: options.name, level: 1 }).waitFor();
  await page.locator('main [data-status="RUNNING"]').first().waitFor({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Job history' }).waitFor();
  await screenshotBoth(current, `machine-page-${options.shots}`);
  return seen;
}

describe('machines', () => {
  test('a VM created through the wizard shows its progress live and ends RUNNING', { timeout: 300_000 }, async () => {
    session = await launch({ colorScheme: 'light' });
    const { page } = session;
    await signIn(page);
    const name = `e2e-vm-${Date.now().toString(36)}`;

    const seen = await createThroughWizard(session, {
      kind: 'Virtual machine',
      template: /^Debian 12 debian-12/,
      name,
      shots: 'vm',
    });
    // Live: several distinct values on the way, not only the end.
    const distinct = new Set(seen);
    expect(distinct.size, `percentages seen: ${seen.join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(
      seen.some((p) => p > 0 && p < 100),
      `percentages seen: ${seen.join(', ')}`,
    ).toBe(true);
    expect(seen.at(-1)).toBe(100);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    // The overview knows where it runs and what it is.
    const overview = page.getByRole('region', { name: 'Overview' });
    await expect(overview.textContent()).resolves.toMatch(/VMID\d+/);
    await expect(overview.textContent()).resolves.toContain('Debian 12');

    // The list shows it, filtered by name.
    await page.getByRole('link', { name: '← All machines' }).click();
    await page.waitForURL('**/machines');
    await page.getByLabel('Name', { exact: true }).fill(name);
    const rows = page.getByRole('table').getByRole('row');
    await page.waitForFunction(
      (machine) =>
        [...document.querySelectorAll('main table tbody tr')].length === 1 &&
        document.querySelector('main table tbody tr')?.textContent?.includes(machine),
      name,
    );
    await expect(rows.count()).resolves.toBe(2);
    await expect(page.locator('main table tbody [data-status="RUNNING"]').count()).resolves.toBe(1);
    await screenshotBoth(session, 'machines-list-filtered');

    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });

  test(
    'an LXC container created through the wizard shows its progress live and ends RUNNING',
    { timeout: 300_000 },
    async () => {
      session = await launch({ colorScheme: 'dark' });
      const { page } = session;
      await signIn(page);
      const name = `e2e-ct-${Date.now().toString(36)}`;

      const seen = await createThroughWizard(session, {
        kind: 'Container',
        template: /^Debian 12 container/,
        name,
        shots: 'lxc',
      });
      expect(new Set(seen).size, `percentages seen: ${seen.join(', ')}`).toBeGreaterThanOrEqual(3);
      expect(
        seen.some((p) => p > 0 && p < 100),
        `percentages seen: ${seen.join(', ')}`,
      ).toBe(true);
      expect(seen.at(-1)).toBe(100);
      await expect(page.getByRole('region', { name: 'Overview' }).textContent()).resolves.toContain('Container');

      // The whole list, sorted by name.
      await page.getByRole('link', { name: '← All machines' }).click();
      await page.waitForURL('**/machines');
      await page.getByRole('button', { name: 'Sort by name' }).click();
      await page.waitForFunction(() =>
        document.querySelector('main th[aria-sort="ascending"]')?.textContent?.startsWith('Name'),
      );
      await page.getByRole('link', { name }).waitFor();
      await screenshotBoth(session, 'machines-list');

      expect(session.problems, formatProblems(session.problems)).toEqual([]);
    },
  );
});

type Json = any;

async function gql(current: BrowserSession, query: string, variables: Record<string, unknown> = {}): Promise<Json> {
  // The browser context's request client carries the signed-in session cookie.
  // A cookie-authenticated mutation carries the session's CSRF token, as the web app sends it.
  const csrf = (await current.context.cookies()).find((c) => c.name === 'pvepaas_csrf')?.value;
  const res = await current.context.request.post('/graphql', {
    data: { query, variables },
    headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
  });
  const body = (await res.json()) as { data?: Json; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function signInAs(page: Page, userEmail: string, userPassword: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(userEmail);
  await page.getByLabel('Password', { exact: true }).fill(userPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

describe('machine lifecycle', () => {
  test('a container is stopped, started and deleted from its page', { timeout: 240_000 }, async () => {
    session = await launch();
    const { page } = session;
    await signIn(page);
    const name = `e2e-life-${Date.now().toString(36)}`;

    // Created through the API: the wizard has its own tests.
    const { projects } = await gql(session, `{ projects(first: 5) { edges { node { id } } } }`);
    const { templates } = await gql(session, `{ templates(kind: LXC) { id name } }`);
    const { provisionMachine } = await gql(
      session,
      `mutation ($input: ProvisionMachineInput!) { provisionMachine(input: $input) { machine { id } job { id } } }`,
      {
        input: {
          name,
          projectId: projects.edges[0].node.id,
          templateId: templates.find((t: Json) => t.name === 'Debian 12 container').id,
        },
      },
    );
    // The machine page follows the provision job itself until it ends.
    await page.goto(`/machines/${provisionMachine.machine.id}`);
    await page.locator('main h1 + [data-status="RUNNING"]').waitFor({ timeout: 120_000 });

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.locator('main h1 + [data-status="STOPPED"]').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor();
    await screenshotBoth(session, 'machine-page-stopped');

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.locator('main h1 + [data-status="RUNNING"]').waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: `Delete ${name}` });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
    await screenshotBoth(session, 'machine-delete-confirm');
    await confirm.click();
    // The page follows the delete job, then returns to the list, where the machine is gone.
    await page.waitForURL((url) => url.pathname === '/machines', { timeout: 120_000 });
    await page.getByRole('heading', { name: 'Machines', level: 1 }).waitFor();
    await page.getByRole('table').or(page.getByText('No machines yet.')).first().waitFor();
    await expect(page.getByRole('link', { name }).count()).resolves.toBe(0);

    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});

describe('who may create machines', () => {
  test(
    'viewers get no create button, organization-wide or in one project (myPrivileges); operators do',
    { timeout: 180_000 },
    async () => {
      // The administrator adds three users to the demo organization.
      const admin = await launch();
      await signIn(admin.page);
      const { organizations } = await gql(
        admin,
        `{ organizations(first: 50) { edges { node { id slug projects(first: 5) { edges { node { id } } } } } } }`,
      );
      const demo = organizations.edges.find((e: Json) => e.node.slug === 'demo') ?? organizations.edges[0];
      const organizationId: string = demo.node.id;
      const projectId: string = demo.node.projects.edges[0].node.id;
      const suffix = Date.now().toString(36);
      const userPassword = `e2e-password-${suffix}`;
      const users = {
        // An organization-wide role, and project roles: myPrivileges answers for both.
        orgViewer: { email: `org-viewer-${suffix}@example.com`, role: 'VIEWER', projectId: null },
        projectViewer: { email: `project-viewer-${suffix}@example.com`, role: 'VIEWER', projectId },
        projectOperator: { email: `project-operator-${suffix}@example.com`, role: 'OPERATOR', projectId },
      };
      for (const user of Object.values(users)) {
        await gql(admin, `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
          input: { email: user.email, displayName: user.email.split('@')[0], password: userPassword },
        });
        await gql(admin, `mutation ($input: AddMemberInput!) { addMember(input: $input) { id } }`, {
          input: { email: user.email, organizationId, role: user.role, projectId: user.projectId },
        });
      }
      expect(admin.problems, formatProblems(admin.problems)).toEqual([]);
      await admin.close();

      for (const [who, user] of Object.entries(users)) {
        session = await launch();
        const { page } = session;
        await signInAs(page, user.email, userPassword);
        await page.goto('/machines');
        await page.getByRole('heading', { name: 'Machines', level: 1 }).waitFor();
        await page.getByRole('table').or(page.getByText('No machines yet.')).first().waitFor();
        const createLinks = await page.getByRole('link', { name: 'Create machine' }).count();
        if (user.role === 'VIEWER') {
          expect(createLinks, who).toBe(0);
          await page.goto('/machines/new');
          await page.getByRole('alert').filter({ hasText: 'You cannot create machines' }).waitFor();
          if (who === 'orgViewer') await screenshotBoth(session, 'machine-new-viewer');
        } else {
          expect(createLinks, who).toBeGreaterThan(0);
        }
        expect(session.problems, `${who}\n${formatProblems(session.problems)}`).toEqual([]);
        await session.close();
        session = undefined;
      }
    },
  );
});
