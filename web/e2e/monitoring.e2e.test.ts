// Monitoring screens: a VM's charts draw from the collector's samples and grow live; alert rules and
// notification channels are created through their forms (field messages first); the dashboard shows
// cluster and Ceph health and firing alerts; the admin Ceph section and the usage report with its CSV.
// Screenshots of each in light and dark; no browser errors anywhere.
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type BrowserSession, formatProblems, launch } from './browser';
import { requirePlatform, signIn } from './platform';
import { demo, gql, type Json, screenshotBoth } from './screens';

let session: BrowserSession | undefined;

beforeAll(requirePlatform);

afterEach(async () => {
  await session?.close();
  session = undefined;
});

const suffix = () => Date.now().toString(36);

async function runningVm(current: BrowserSession, name: string): Promise<string> {
  const { projectId } = await demo(current);
  const { templates } = await gql(current, `{ templates(kind: VM) { id name } }`);
  const { provisionMachine } = await gql(
    current,
    `mutation ($input: ProvisionMachineInput!) { provisionMachine(input: $input) { machine { id } } }`,
    { input: { name, projectId, templateId: templates.find((t: Json) => t.name === 'Debian 12').id } },
  );
  const id: string = provisionMachine.machine.id;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const { machine } = await gql(current, `query ($id: ID!) { machine(id: $id) { status } }`, { id });
    if (machine.status === 'RUNNING') return id;
    if (machine.status === 'FAILED') throw new Error(`${name} failed to provision`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name} did not reach RUNNING in 120 s`);
}

/** Points the chart says it drew (its data-points attribute), 0 while it is not there. */
const chartPoints = (page: Page, title: string) =>
  page.evaluate((t) => Number(document.querySelector(`[data-chart="${t}"]`)?.getAttribute('data-points') ?? 0), title);

/** Pixels of the chart's canvas that are not transparent: the lines, axes and labels ECharts drew. */
const paintedPixels = (page: Page, title: string) =>
  page.evaluate((t) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`[data-chart="${t}"] canvas`);
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !canvas.width || !canvas.height) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted += 1;
    return painted;
  }, title);

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
    value = await read();
  }
  return value;
}

describe('machine metrics', () => {
  test("a provisioned VM's CPU, memory, network and disk charts draw and grow with live samples", async () => {
    session = await launch();
    const { page } = session;
    await signIn(page);
    const id = await runningVm(session, `e2e-metrics-${suffix()}`);
    await page.goto(`/machines/${id}`);
    await page.getByRole('tab', { name: 'Metrics' }).click();
    await page
      .getByRole('radiogroup', { name: 'Metrics range' })
      .or(page.getByLabel('Metrics range'))
      .first()
      .waitFor();

    // The collector samples the running VM; the 1 h range takes each sample live as it arrives.
    for (const chart of ['CPU', 'Memory', 'Network', 'Disk'])
      await waitFor(
        () => chartPoints(page, chart),
        (n) => n > 0,
        90_000,
        `${chart} chart points`,
      );
    for (const chart of ['CPU', 'Memory', 'Network', 'Disk'])
      expect(
        await waitFor(
          () => paintedPixels(page, chart),
          (n) => n > 500,
          10_000,
          `${chart} canvas pixels`,
        ),
      ).toBeGreaterThan(500);
    const before = await chartPoints(page, 'CPU');
    await waitFor(
      () => chartPoints(page, 'CPU'),
      (n) => n > before,
      60_000,
      'CPU points after a live sample',
    );
    await screenshotBoth(session, 'machine-metrics');

    // 7 d asks the API again for one-minute rollups (600 s per point); a VM minutes old may have none
    // rolled up yet, and then the empty state says so instead of an empty chart.
    await page.getByText('7 d', { exact: true }).click();
    await page.getByText(/Source: 1m, \d+ s per point/).waitFor();
    await page.locator('[data-chart="Memory"]').or(page.getByText('No samples in this range yet')).first().waitFor();
    await screenshotBoth(session, 'machine-metrics-7d');
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});

describe('alerts', () => {
  test('a rule is refused with field messages, then created and listed; a webhook channel likewise', async () => {
    session = await launch();
    const { page } = session;
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Alerts' }).waitFor();
    await page
      .getByText(/^No alerts match|^\d+ alerts?$/)
      .first()
      .waitFor();
    await screenshotBoth(session, 'alerts');

    await page.getByRole('tab', { name: 'Rules' }).click();
    await page.getByRole('button', { name: 'New rule' }).click();
    const form = page.getByRole('dialog', { name: 'New alert rule' });
    await form.getByLabel('Threshold', { exact: true }).fill('150');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await form.getByText('Name the rule after what it watches').waitFor();
    await form.getByText('A percentage for this metric: 0 to 100.').waitFor();
    await screenshotBoth(session, 'alert-rule-form');

    const name = `e2e node CPU ${suffix()}`;
    await form.getByRole('textbox', { name: 'Name' }).fill(name);
    await form.getByLabel('Threshold', { exact: true }).fill('95');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await form.waitFor({ state: 'hidden' });
    const row = page.getByRole('table', { name: 'Alert rules' }).getByRole('row', { name: new RegExp(name) });
    await row.waitFor();
    expect(await row.textContent()).toContain('CPU > 95 for 300 s');
    await screenshotBoth(session, 'alert-rules');
    const { alertRules } = await gql(session, `{ alertRules(first: 100) { edges { node { name threshold } } } }`);
    expect(alertRules.edges.map((e: Json) => e.node)).toContainEqual({ name, threshold: 95 });

    await page.getByRole('tab', { name: 'Notification channels' }).click();
    await page.getByRole('button', { name: 'New channel' }).click();
    const channel = page.getByRole('dialog', { name: 'New notification channel' });
    const hook = `e2e hook ${suffix()}`;
    await channel.getByRole('textbox', { name: 'Name' }).fill(hook);
    await channel.getByRole('textbox', { name: 'URL' }).fill('http://127.0.0.1:9/hook');
    await channel.getByLabel('Signing secret').fill('too-short');
    await channel.getByRole('button', { name: 'Create channel' }).click();
    await channel.getByText('A signing secret of 16 to 200 characters').waitFor();
    await channel.getByLabel('Signing secret').fill('a-long-enough-signing-secret');
    await channel.getByRole('button', { name: 'Create channel' }).click();
    await channel.waitFor({ state: 'hidden' });
    await page
      .getByRole('table', { name: 'Notification channels' })
      .getByRole('row', { name: new RegExp(hook) })
      .waitFor();
    await page.getByRole('button', { name: `Deliveries of ${hook}` }).click();
    await page.getByText('Nothing sent yet').waitFor();
    await screenshotBoth(session, 'alert-channel-deliveries');
    await page.keyboard.press('Escape');
    await screenshotBoth(session, 'alert-channels');
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});

describe('health and usage', () => {
  test('the dashboard shows cluster and Ceph health and firing alerts; admin Ceph; usage report with CSV', async () => {
    session = await launch();
    const { page } = session;
    await signIn(page);
    const cluster = page.getByRole('article', { name: 'Cluster demo' });
    await cluster.getByText(/Nodes online: \d+ of \d+/).waitFor({ timeout: 60_000 });
    await cluster.getByText(/HEALTH_(OK|WARN|ERR)|No Ceph|Ceph not collected yet/).waitFor();
    await page.getByRole('heading', { name: 'Firing alerts' }).waitFor();
    await page.getByText(/Platform: (nothing firing|\d+ firing)/).waitFor();
    await screenshotBoth(session, 'dashboard-monitoring');

    await page.goto('/admin');
    await page.getByRole('tab', { name: 'Ceph' }).click();
    await page
      .getByRole('heading', { name: 'Health checks' })
      .or(page.getByText(/no Ceph|not been collected|could not be read/))
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshotBoth(session, 'admin-ceph');

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Usage report' }).click();
    await page.getByRole('heading', { name: 'Usage report', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: 'Organization' }).click();
    await page.getByRole('option', { name: 'Demo', exact: true }).click();
    await page.getByRole('table', { name: 'Usage per project' }).waitFor();
    await screenshotBoth(session, 'usage-report');
    const href = await page.getByRole('link', { name: /Download CSV/ }).getAttribute('href');
    const csv = await session.context.request.get(href!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect((await csv.text()).split('\n')[0]).toMatch(/^project_id,project,machine_id,machine,/);
    expect(session.problems, formatProblems(session.problems)).toEqual([]);
  });
});
