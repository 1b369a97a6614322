// Drives the Debian Chromium (scripts/ensure-chromium.sh) through playwright-core. Every page
// records what went wrong in the browser, console errors, uncaught exceptions, failed or erroring
// requests, so a test can assert there was nothing, and screenshots go to artifacts/screenshots/.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../artifacts/screenshots');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** The platform under test: E2E_BASE_URL, or what `npm start` serves by default. */
export function baseUrl(): string {
  return (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
}

/**
 * The first administrator's password as `npm start` generated it (DATA_DIR/initial-admin-password,
 * DATA_DIR defaulting to the repository's .data), or undefined when there is no such file.
 */
export function initialAdminPassword(): string | undefined {
  const dataDir = process.env.DATA_DIR ?? path.resolve(import.meta.dirname, '../../.data');
  try {
    return readFileSync(path.join(dataDir, 'initial-admin-password'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface BrowserProblem {
  kind: 'console' | 'pageerror' | 'requestfailed' | 'http';
  text: string;
  url?: string;
}

export interface LaunchOptions {
  baseURL?: string;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Everything that went wrong so far, in order. */
  problems: BrowserProblem[];
  /** Saves a full-page screenshot as artifacts/screenshots/<name>.png and returns its path. */
  screenshot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

/**
 * Requests the browser itself cancels are not failures: navigating away aborts a page's pending
 * fetches, and Next.js aborts superseded RSC requests and prefetches.
 */
function isExpectedAbort(failure: string | undefined): boolean {
  return failure === 'net::ERR_ABORTED';
}

function watch(page: Page, problems: BrowserProblem[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push({ kind: 'console', text: message.text(), url: message.location().url || undefined });
    }
  });
  page.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: error.stack ?? error.message }));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText;
    if (isExpectedAbort(failure)) return;
    problems.push({ kind: 'requestfailed', text: `${request.method()} ${failure ?? 'failed'}`, url: request.url() });
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.push({
        kind: 'http',
        text: `${response.request().method()} ${response.status()} ${response.statusText()}`,
        url: response.url(),
      });
    }
  });
}

export async function launch(options: LaunchOptions = {}): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({
    baseURL: options.baseURL ?? baseUrl(),
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const problems: BrowserProblem[] = [];
  context.on('page', (page) => watch(page, problems));
  const page = await context.newPage();

  return {
    browser,
    context,
    page,
    problems,
    async screenshot(name, target = page) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      // From the top: a full-page shot of a scrolled page draws the fixed header and navigation at the
      // scroll offset, in the middle of the picture.
      await target.evaluate(() => window.scrollTo(0, 0));
      await target.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/** One line per problem, for assertion messages. */
export function formatProblems(problems: readonly BrowserProblem[]): string {
  return problems.map((p) => `[${p.kind}] ${p.text}${p.url ? ` (${p.url})` : ''}`).join('\n');
}

/**
 * Fails loudly when the platform is not answering at `url`, instead of letting every test time out
 * on its first navigation.
 */
export async function assertReachable(url: string): Promise<void> {
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The platform is not reachable at ${url} (${reason}). Start it with \`npm start\` ` +
        '(or point E2E_BASE_URL at a running instance) before running the end-to-end tests.',
    );
  }
}
