// Helpers of the screen tests: both colour schemes per screenshot, GraphQL as the signed-in browser,
// signing in as another user, and provisioning a container to work on.
import type { Page } from 'playwright-core';
import type { BrowserSession } from './browser';

export type Json = any;

const scheme = (page: Page) => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));

/** `<name>-light.png` and `<name>-dark.png` of the page as it is (the toggle clicked by event, so modals stay open). */
export async function screenshotBoth(current: BrowserSession, name: string): Promise<void> {
  const { page } = current;
  const toggle = page.getByRole('button', { name: 'Toggle colour scheme' });
  const first = await scheme(page);
  const second = first === 'dark' ? 'light' : 'dark';
  await current.screenshot(`${name}-${first}`);
  await toggle.dispatchEvent('click');
  await page.waitForFunction((s) => document.documentElement.getAttribute('data-mantine-color-scheme') === s, second);
  await current.screenshot(`${name}-${second}`);
  await toggle.dispatchEvent('click');
  await page.waitForFunction((s) => document.documentElement.getAttribute('data-mantine-color-scheme') === s, first);
}

/** GraphQL with the browser context's session cookie; throws on errors unless `allowErrors`. */
export async function gql(
  current: BrowserSession,
  query: string,
  variables: Record<string, unknown> = {},
  allowErrors = false,
): Promise<Json> {
  // A cookie-authenticated mutation carries the session's CSRF token, as the web app sends it.
  const csrf = (await current.context.cookies()).find((c) => c.name === 'pvepaas_csrf')?.value;
  const res = await current.context.request.post('/graphql', {
    data: { query, variables },
    headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
  });
  const body = (await res.json()) as { data?: Json; errors?: { message: string; extensions?: Json }[] };
  if (allowErrors) return body;
  if (body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function signInAs(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** The demo organization and its first project. */
export async function demo(current: BrowserSession): Promise<{ organizationId: string; projectId: string }> {
  const { organizations } = await gql(
    current,
    `{ organizations(first: 50) { edges { node { id slug projects(first: 5) { edges { node { id } } } } } } }`,
  );
  const org = organizations.edges.find((e: Json) => e.node.slug === 'demo') ?? organizations.edges[0];
  return { organizationId: org.node.id, projectId: org.node.projects.edges[0].node.id };
}

/** Provisions a Debian container through the API and returns its id once it runs. */
export async function runningContainer(current: BrowserSession, name: string): Promise<string> {
  const { projectId } = await demo(current);
  const { templates } = await gql(current, `{ templates(kind: LXC) { id name } }`);
  const { provisionMachine } = await gql(
    current,
    `mutation ($input: ProvisionMachineInput!) { provisionMachine(input: $input) { machine { id } job { id } } }`,
    { input: { name, projectId, templateId: templates.find((t: Json) => t.name === 'Debian 12 container').id } },
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

/** The current RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32 secret, as an authenticator app shows it. */
export async function totp(secret: string, at = Date.now()): Promise<string> {
  const { createHmac } = await import('node:crypto');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => Number.parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
