import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { stack } from '../integration/local-stack';

/**
 * What every browser test shares: Debian's Chromium driven by playwright-core, a fresh profile per
 * person, screenshots in test-output/browser/, axe-core's check, and the local sign-in page.
 */
export const shots = 'test-output/browser';

/**
 * Launches Chromium before the file's tests and closes it after them (call it at the top of the
 * file). `site` is where pages open (the suite's local stack unless the file has its own), and
 * `defaults` are the options every page's browser profile starts from.
 */
export const useChromium = (site: () => string = () => stack.api, defaults: BrowserContextOptions = {}) => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    // Never skipped: CI installs chromium (.ci/run), and a missing browser fails here.
    browser = await chromium.launch({
      executablePath: process.env.SALESFLOW_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        '--disable-gpu',
      ],
    });
  });
  afterAll(async () => browser?.close());

  /** The browser itself, for a test that sets up its profile by hand. */
  const launched = (): Browser => {
    if (!browser) throw new Error('Chromium is not running: useChromium() launches it before the tests');
    return browser;
  };

  /**
   * A fresh browser profile; `done` fails the test if any page script threw, or the browser said a
   * field's pattern is no regular expression (it then skips that check in silence), then closes it.
   */
  const pageIn = async (options: BrowserContextOptions = {}): Promise<{ page: Page; done: () => Promise<void> }> => {
    const context = await launched().newContext({ baseURL: site(), ...defaults, ...options });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => /pattern attribute/i.test(message.text()) && problems.push(message.text()));
    return {
      page,
      done: async () => {
        await context.close();
        expect(problems).toEqual([]);
      },
    };
  };

  return { browser: launched, pageIn };
};

/** A screenshot of the whole page, as test-output/browser/`name`.png. */
export const shoot = (page: Page, name: string) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

/** axe-core, evaluated in the page (a script tag would meet the page's CSP). */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The page as it stands passes axe's WCAG 2 A and AA rules with nothing serious or critical. */
export const accessible = async (page: Page) => {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { violations } = await (globalThis as any).axe.run((globalThis as any).document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'],
    });
    return violations
      .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v: { id: string; help: string; nodes: { target: string[] }[] }) =>
          `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
      );
  });
  expect(violations, page.url()).toEqual([]);
};

/** Signs in through the local sign-in page as `email` with `roles`, then opens `path`. */
export const signedIn = async (page: Page, email: string, roles: string[], path: string) => {
  await page.goto(`/sign-in.html?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Email').fill(email);
  for (const role of roles) await page.getByLabel(role, { exact: true }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname + url.search === path);
};
