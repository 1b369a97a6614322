// The screens beyond creating machines: profile and API tokens, a machine's snapshots, resize and job
// history, the organization page, the audit log, the admin panel and the dashboard, and what a viewer
// does not get. Screenshots of each in light and dark; no browser errors anywhere.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { baseUrl, type BrowserSession, formatProblems, launch } from './browser';
import { email, requirePlatform, signIn } from './platform';
import { demo, gql, type Json, runningContainer, screenshotBoth, signInAs, totp } from './screens';

let session: BrowserSession | undefined;

beforeAll(requirePlatform);

afterEach(async () => {
  await session?.close();
  session = undefined;
});

const suffix = () => Date.now().toString(36);

async function bearer(token: string, query: string): Promise<Json> {
  const res = await fetch(`${baseUrl()}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return res.json();
}

describe('profile', () => {
  test('an API token is created with a scope and an expiry, shown once, works, and is revoked', async () => {
    session = await launch();
    const { page } = session;
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    await page.getByText(email).first().waitFor();

    const name = `e2e-ci-${suffix()}`;
    // The form says what is missing before anything is sent.
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Name the token after what will use it').waitFor();

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await page.getByRole('combobox', { name: 'Scopes' }).click();
    await page.getByRole('option', { name: 'Machine.PowerMgmt' }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('Expires').fill('2099-12-31');
    await screenshotBoth(session, 'profile');

    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: `Token "${name}" created` });
    await dialog.waitFor();
    const token = (await dialog.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(token).toMatch(/^pvp_/);
    await dialog.getByRole('button', { name: 'Copy the token' }).waitFor();
    await screenshotBoth(session, 'profile-token-created');
    await dialog.getByRole('button', { name: 'I have copied it' }).click();

    // The token acts as its user.
    const before = await bearer(token, '{ viewer { email } }');
    expect(before.data.viewer.email).toBe(email);
    const row = page.getByRole('row').filter({ hasText: name });
    await expect(row.textContent()).resolves.toContain('Machine.PowerMgmt');
    await expect(row.textContent()).resolves.toContain('31 Dec 2099');

    // Last use shows after a reload (recorded in the background).
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('table', { name: 'API tokens' }).waitFor();
          return page.getByRole('row').filter({ hasText: name }).textContent();
        },
        { timeout: 15_000 },
      )
      .not.toContain('Never used');

    await page.getByRole('button', { name: `Revoke ${name}` }).click();
    await page
      .getByRole('dialog', { name: `Revoke "${name}"?` })
      .getByRole('button', { name: 'Revoke token' })
      .click();
    await page.getByRole('row').filter({ hasText: name }).getByText('revoked').waitFor();
    const after = await bearer(token, '{ viewer { email } }');
    expect(after.data?.viewer ?? null).toBeNull();

    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});

describe('account security', () => {
  test('a second factor is set up with a code from the secret, gives recovery codes, and is turned off; the password changes', async () => {
    // Not the administrator: the other tests sign in as it without a second factor.
    const admin = await launch();
    await signIn(admin.page);
    const userEmail = `mfa-${suffix()}@example.com`;
    const first = `first-pass-${suffix()}-x`;
    await gql(admin, `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { email: userEmail, displayName: 'Mia Factor', password: first },
    });
    await admin.close();

    session = await launch();
    const { page } = session;
    await signInAs(page, userEmail, first);
    await page.goto('/profile');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('Enter the 6-digit code').waitFor();
    await page.getByLabel('Code from the app').fill(await totp(secret));
    await screenshotBoth(session, 'profile-mfa-enrolment');
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByTestId('recovery-codes');
    await codes.waitFor();
    expect(((await codes.textContent()) ?? '').trim().split('\n')).toHaveLength(10);
    await screenshotBoth(session, 'profile-mfa-recovery-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText('10 recovery codes left.').waitFor();

    // Turned off with the password.
    await page.getByLabel('Or your password (to turn off)').fill(first);
    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).waitFor();

    // The password: a mismatch is caught here; a change keeps this session.
    const second = `second-pass-${suffix()}-y`;
    await page.getByLabel('Current password').fill(first);
    await page.getByLabel('New password', { exact: true }).fill(second);
    await page.getByLabel('New password again').fill(`${second}z`);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The two new passwords differ').waitFor();
    await page.getByLabel('New password again').fill(second);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();

    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});

describe('machine page', () => {
  test(
    'snapshots are taken, rolled back to and deleted; the disk grows; each step has its log',
    { timeout: 300_000 },
    async () => {
      session = await launch();
      const { page } = session;
      await signIn(page);
      const name = `e2e-snap-${suffix()}`;
      const id = await runningContainer(session, name);
      await page.goto(`/machines/${id}`);
      await page.getByRole('heading', { name, level: 1 }).waitFor();

      // Snapshots: a name Proxmox would refuse is caught here first.
      await page.getByRole('tab', { name: 'Snapshots' }).click();
      await page.getByText('No snapshots yet.').waitFor({ timeout: 30_000 });
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('1st');
      await page.getByRole('button', { name: 'Take snapshot' }).click();
      await page.getByText('Start with a letter').waitFor();
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('before-upgrade');
      await page.getByLabel('Description').fill('taken by the e2e test');
      await page.getByRole('button', { name: 'Take snapshot' }).click();
      await page.getByRole('region', { name: 'Job progress' }).first().waitFor();
      const snapshots = page.getByRole('table', { name: 'Snapshots' });
      await snapshots.getByText('before-upgrade').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Roll back to before-upgrade' }).waitFor();
      await page.waitForFunction(
        () => !document.querySelector('[aria-label="Roll back to before-upgrade"][disabled]'),
        null,
        {
          timeout: 60_000,
        },
      );
      await screenshotBoth(session, 'machine-snapshots');

      await page.getByRole('button', { name: 'Roll back to before-upgrade' }).click();
      await page
        .getByRole('dialog', { name: 'Roll back to before-upgrade?' })
        .getByRole('button', { name: 'Roll back' })
        .click();
      await page.getByText('Rolling back to before-upgrade').waitFor();
      await page.waitForFunction(
        () => !document.querySelector('[aria-label="Delete snapshot before-upgrade"][disabled]'),
        null,
        {
          timeout: 90_000,
        },
      );
      await page.getByRole('button', { name: 'Delete snapshot before-upgrade' }).click();
      await page
        .getByRole('dialog', { name: 'Delete snapshot before-upgrade?' })
        .getByRole('button', { name: 'Delete snapshot' })
        .click();
      await page.getByText('No snapshots yet.').waitFor({ timeout: 90_000 });

      // Settings: a disk never shrinks; growing it runs a resize job.
      await page.getByRole('tab', { name: 'Settings' }).click();
      const disk = page.getByLabel('Disk (GiB)');
      const current = Number(await disk.inputValue());
      await disk.fill(String(current - 1));
      await page.getByRole('button', { name: 'Resize' }).click();
      await page.getByText(`Disks only grow: choose at least ${current} GiB`).waitFor();
      await screenshotBoth(session, 'machine-settings');
      await disk.fill(String(current + 2));
      await page.getByRole('button', { name: 'Resize' }).click();
      await page.getByRole('region', { name: 'Job progress' }).first().waitFor();
      await page
        .getByText(`${current + 2} GiB disk`)
        .first()
        .waitFor({ timeout: 90_000 });

      // Job history: every job, each step with its own log lines.
      await page.getByRole('tab', { name: 'Job history' }).click();
      const resizeJob = page.getByRole('button', { name: /Succeeded\s*resize/ }).first();
      await resizeJob.waitFor({ timeout: 30_000 });
      const provision = page.getByRole('button', { name: /Succeeded\s*provision/ });
      await provision.click();
      // The provision job's steps each show their own log lines (the Proxmox task log under its step).
      await page
        .getByRole('log', { name: /^Log of the .+ step of the provision job$/ })
        .first()
        .waitFor();
      await screenshotBoth(session, 'machine-job-history');

      expect(session.problems, formatProblems(session.problems)).toEqual([]);
    },
  );
});

describe('organizations', () => {
  test(
    'members are added, their role changed and removed; a project quota is edited against its usage',
    { timeout: 180_000 },
    async () => {
      session = await launch();
      const { page } = session;
      await signIn(page);
      const { organizationId, projectId } = await demo(session);
      const memberEmail = `member-${suffix()}@example.com`;
      await gql(session, `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
        input: { email: memberEmail, displayName: 'Grace Member', password: `pw-${suffix()}-long-enough` },
      });

      await page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: 'Organizations' })
        .click();
      await page.getByRole('link', { name: 'Demo' }).first().click();
      await page.waitForURL(`**/organizations/${organizationId}`);
      await page.getByRole('heading', { name: 'Demo', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Members' }).waitFor();

      // An email nobody has: the API says so under the field.
      const add = page.getByRole('form', { name: 'Add a member' });
      await add.getByLabel('Email').fill(`nobody-${suffix()}@example.com`);
      await add.getByRole('button', { name: 'Add member' }).click();
      await page.getByText(/no user has this email/i).waitFor();

      await add.getByLabel('Email').fill(memberEmail);
      await add.getByRole('button', { name: 'Add member' }).click();
      const row = page.getByRole('row').filter({ hasText: memberEmail });
      await row.waitFor();
      await expect(row.getByRole('combobox', { name: 'Role of Grace Member' }).inputValue()).resolves.toBe(
        'Viewer (read)',
      );

      await row.getByRole('combobox', { name: 'Role of Grace Member' }).click();
      await page.getByRole('option', { name: 'Operator (machines)' }).click();
      await expect
        .poll(async () => {
          const { organization } = await gql(
            session!,
            `query ($id: ID!) { organization(id: $id) { members { role user { email } } } }`,
            {
              id: organizationId,
            },
          );
          return organization.members.find((m: Json) => m.user.email === memberEmail)?.role;
        })
        .toBe('OPERATOR');
      await screenshotBoth(session, 'organization');

      await row.getByRole('button', { name: 'Remove Grace Member' }).click();
      await page
        .getByRole('dialog', { name: 'Remove Grace Member?' })
        .getByRole('button', { name: 'Remove member' })
        .click();
      await page.getByRole('row').filter({ hasText: memberEmail }).waitFor({ state: 'detached' });

      // Quota: the platform admin sets a machine limit on the first project; the bar shows use against it.
      const { project } = await gql(session, `query ($id: ID!) { project(id: $id) { name usage { machines } } }`, {
        id: projectId,
      });
      await page.getByRole('button', { name: `Edit the quota of ${project.name}` }).click();
      const dialog = page.getByRole('dialog', { name: `Quota of ${project.name}` });
      await dialog.getByLabel('Machines').fill('-1');
      await dialog.getByRole('button', { name: 'Save quota' }).click();
      await dialog.getByText('a whole number of 0 or more').waitFor();
      const limit = project.usage.machines + 50;
      await dialog.getByLabel('Machines').fill(String(limit));
      await screenshotBoth(session, 'organization-quota');
      await dialog.getByRole('button', { name: 'Save quota' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page
        .getByRole('group', { name: `Usage of ${project.name} against its quota` })
        .getByText(`${project.usage.machines} of ${limit}`)
        .waitFor();
      // Leave the demo project without a limit for the other tests.
      await gql(
        session,
        `mutation ($id: ID!) { updateProject(id: $id, input: { quota: { machines: null } }) { id } }`,
        { id: projectId },
      );

      expect(session.problems, formatProblems(session.problems)).toEqual([]);
    },
  );
});

describe('invitations', () => {
  test('an admin invites by email; the link creates the account, which then signs in as a member', async () => {
    const admin = await launch();
    await signIn(admin.page);
    const { organizationId } = await demo(admin);
    await admin.page.goto(`/organizations/${organizationId}`);
    const invite = admin.page.getByRole('form', { name: 'Invite someone' });
    const invitedEmail = `invited-${suffix()}@example.com`;
    await invite.getByLabel('Email').fill(invitedEmail);
    await invite.getByRole('button', { name: 'Invite' }).click();
    const url = ((await admin.page.getByTestId('invitation-link').textContent()) ?? '').trim();
    expect(url).toMatch(/\/invite#.+/);
    await admin.page.getByRole('row').filter({ hasText: invitedEmail }).getByText('pending').waitFor();
    await screenshotBoth(admin, 'organization-invitations');
    expect(admin.problems, formatProblems(admin.problems)).toEqual([]);
    await admin.close();

    session = await launch();
    const { page } = session;
    await page.goto(url.replace(/^https?:\/\/[^/]+/, ''));
    await page.getByRole('heading', { name: 'Join an organization' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByText('Enter your name').waitFor();
    await page.getByText('Use at least 12 characters').waitFor();
    const password = `invited-pw-${suffix()}-long`;
    await page.getByLabel('Your name').fill('Ivy Invited');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await screenshotBoth(session, 'invitation-accept');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByText('You joined Demo as viewer').waitFor();
    await signInAs(page, invitedEmail, password);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});

describe('audit log', () => {
  test('filters, pages and verifies the hash chain', { timeout: 120_000 }, async () => {
    session = await launch();
    const { page } = session;
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Audit records' }).waitFor();

    await page.getByLabel('Actor id').fill('not-a-uuid');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('An actor id is a UUID').waitFor();
    await page.getByLabel('Actor id').fill('');
    await page.getByLabel('Action').fill('auth.signIn');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect
      .poll(async () => {
        const cells = await page
          .getByRole('table', { name: 'Audit records' })
          .locator('tbody tr td:nth-child(2)')
          .allTextContents();
        return cells.length > 0 && cells.every((c) => c === 'auth.signIn');
      })
      .toBe(true);

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('combobox', { name: 'Rows per page' }).click();
    await page.getByRole('option', { name: '10', exact: true }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 1').waitFor();

    await page.getByRole('button', { name: 'Verify the audit log' }).click();
    await page.getByText(/The chain holds: \d+ rows checked/).waitFor();
    await screenshotBoth(session, 'audit-log');
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});

describe('admin panel', () => {
  test(
    'health, clusters with the permission check, nodes, storage, templates, users, organizations, GPUs',
    { timeout: 180_000 },
    async () => {
      session = await launch();
      const { page } = session;
      await signIn(page);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Admin' }).click();
      await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
      await expect(page.getByRole('region', { name: 'Database' }).textContent()).resolves.toContain('ok');
      await screenshotBoth(session, 'admin-health');

      await page.getByRole('tab', { name: 'Clusters & nodes' }).click();
      await page
        .getByRole('table', { name: /^Nodes of / })
        .first()
        .waitFor();
      await page.getByRole('button', { name: 'Check connection' }).first().click();
      await page.getByText('Permission check passed').waitFor({ timeout: 30_000 });

      // A cluster whose API does not answer: added, then the check says what failed and what to check.
      const bad = `e2e-unreachable-${suffix()}`;
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill(bad);
      await page.getByLabel('API URL').fill('https://127.0.0.1:9/');
      await page.getByLabel('Token id').fill('paas@pve!e2e');
      await page.getByLabel('Token secret').fill('00000000-0000-0000-0000-000000000000');
      await page.getByRole('button', { name: 'Add cluster' }).click();
      const card = page.getByRole('region', { name: bad });
      await card.getByText('Permission check failed').waitFor({ timeout: 60_000 });
      await expect(card.textContent()).resolves.toContain('Check the API URL');
      await screenshotBoth(session, 'admin-clusters');
      await page.getByRole('button', { name: `Delete cluster ${bad}` }).click();
      await page
        .getByRole('dialog', { name: `Delete cluster ${bad}?` })
        .getByRole('button', { name: 'Delete cluster' })
        .click();
      await card.waitFor({ state: 'detached' });

      for (const [tab, table, shot] of [
        ['Storage', 'Storages', 'admin-storage'],
        ['Templates', 'Templates', 'admin-templates'],
        ['Users', 'Users', 'admin-users'],
        ['Organizations', 'All organizations', 'admin-organizations'],
      ] as const) {
        await page.getByRole('tab', { name: tab }).click();
        await page.getByRole('table', { name: table }).waitFor();
        await screenshotBoth(session, shot);
      }
      // A password that is too short is caught before sending.
      await page.getByRole('tab', { name: 'Users' }).click();
      await page.getByLabel('Initial password').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByText('Use at least 12 characters').waitFor();

      // GPU inventory, read live from the simulator: its pve3 carries two NVIDIA L4 in the mapping gpu-l4.
      await page.getByRole('tab', { name: 'GPUs' }).click();
      const gpus = page.getByRole('table', { name: /^GPUs of / }).first();
      await gpus.waitFor({ timeout: 30_000 });
      const l4 = gpus.getByRole('row').filter({ hasText: 'AD104GL [L4]' });
      await expect(l4.count()).resolves.toBe(2);
      await expect(l4.first().textContent()).resolves.toContain('gpu-l4');
      await screenshotBoth(session, 'admin-gpus');
      expect(session.problems, formatProblems(session.problems)).toEqual([]);
    },
  );
});

describe('dashboard and viewers', () => {
  test(
    'the dashboard counts machines by status, lists recent jobs and usage; a viewer gets no create or power buttons and the API refuses it',
    { timeout: 180_000 },
    async () => {
      session = await launch();
      const admin = session;
      await signIn(admin.page);
      const { organizationId, projectId } = await demo(admin);
      const machineId = await runningContainer(admin, `e2e-dash-${suffix()}`);
      await admin.page.goto('/');
      const status = admin.page.getByRole('region', { name: 'Machines by status' });
      await status.waitFor();
      await expect(status.textContent()).resolves.toMatch(/Running[1-9]/);
      await admin.page.getByRole('table', { name: 'Recent jobs' }).waitFor();
      await admin.page.getByRole('group', { name: 'Usage of Demo against its quota' }).waitFor();
      await screenshotBoth(admin, 'dashboard');

      // Live: a job started now shows its bar moving on the dashboard.
      await gql(admin, `mutation ($input: MachineJobInput!) { stopMachine(input: $input) { id } }`, {
        input: { id: machineId },
      });
      await admin.page.reload();
      await admin.page.getByRole('table', { name: 'Recent jobs' }).waitFor();
      await expect
        .poll(
          async () =>
            (await admin.page.getByRole('table', { name: 'Recent jobs' }).locator('tr').first().textContent()) ?? '',
          {
            timeout: 60_000,
          },
        )
        .toMatch(/stop.*Succeeded/);
      expect(admin.problems, formatProblems(admin.problems)).toEqual([]);

      const viewerEmail = `viewer-${suffix()}@example.com`;
      const viewerPassword = `viewer-pw-${suffix()}`;
      await gql(admin, `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
        input: { email: viewerEmail, displayName: 'Vera Viewer', password: viewerPassword },
      });
      await gql(admin, `mutation ($input: AddMemberInput!) { addMember(input: $input) { id } }`, {
        input: { email: viewerEmail, organizationId, role: 'VIEWER' },
      });
      await admin.close();

      session = await launch();
      const { page } = session;
      await signInAs(page, viewerEmail, viewerPassword);
      await page.goto(`/machines/${machineId}`);
      await page.getByRole('tab', { name: 'Overview' }).waitFor();
      for (const button of ['Start', 'Stop', 'Reboot', 'Delete…'])
        await expect(page.getByRole('button', { name: button, exact: true }).count()).resolves.toBe(0);
      await page.getByRole('tab', { name: 'Snapshots' }).click();
      await page.getByRole('heading', { name: 'Snapshots' }).waitFor();
      await expect(page.getByRole('button', { name: 'Take snapshot' }).count()).resolves.toBe(0);
      await page.getByRole('tab', { name: 'Settings' }).click();
      await page.getByText('Resizing needs the operator role').waitFor();
      await screenshotBoth(session, 'machine-page-viewer');
      await expect(
        page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Admin' }).count(),
      ).resolves.toBe(0);

      // Hidden is not all: the API refuses the viewer's mutations.
      const refused = await gql(
        session,
        `mutation ($input: ProvisionMachineInput!) { provisionMachine(input: $input) { job { id } } }`,
        { input: { name: 'viewer-try', projectId, templateId: '00000000-0000-0000-0000-000000000000' } },
        true,
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const stop = await gql(
        session,
        `mutation ($input: MachineJobInput!) { startMachine(input: $input) { id } }`,
        { input: { id: machineId } },
        true,
      );
      expect(stop.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(session.problems, formatProblems(session.problems)).toEqual([]);
    },
  );
});
