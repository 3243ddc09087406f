import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack, stackClient, uniqueEmail } from '../integration/local-stack';
import { orderJourney } from '../integration/order-journey';
import { people } from '../integration/quote-journey';

/**
 * Issue 15 in Chromium: the header's typeahead (typed, chosen with the keyboard, opened), and a
 * list page with its filters and its next page. Screenshots land in test-output/browser/.
 */
const client = stackClient(stack);
const { api } = client;
const site = stack.api;
const shots = 'test-output/browser';

let browser: Browser;
beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
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

const pageIn = async () => {
  const context = await browser.newContext({ baseURL: site });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  return {
    page,
    done: async () => {
      await context.close();
      expect(problems).toEqual([]);
    },
  };
};

const shoot = (page: Page, name: string) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const accessible = async (page: Page) => {
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

const signedIn = async (page: Page, email: string, roles: string[], path: string) => {
  await page.goto(`/sign-in.html?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Email').fill(email);
  for (const role of roles) await page.getByLabel(role, { exact: true }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname + url.search === path);
};

describe('finding records in the browser', () => {
  it('the SM types the start of a company without its accent, picks the lead with the keyboard and opens it', async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const company = `Zürich ${tag} Präzisionstechnik AG`;
    const lead = await api('POST', '/leads', {
      body: { channel: 'phone', source: 'se-phone-call', contact: { name: 'Zoë Züst', email: uniqueEmail('zz'), company, country: 'GB' } },
    });
    expect(lead.status).toBe(201);

    const { page, done } = await pageIn();
    await signedIn(page, people.sm, ['SalesManager'], '/app/agenda.html');
    const box = page.getByRole('combobox', { name: 'Find' });
    await box.fill(`zurich ${tag}`);
    const listbox = page.getByRole('listbox', { name: 'Records found' });
    await expect.poll(() => listbox.getByRole('option').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/1 found/);
    await box.press('ArrowDown');
    const chosen = listbox.getByRole('option', { selected: true });
    expect(await chosen.textContent()).toContain(company);
    expect(await box.getAttribute('aria-activedescendant')).toBe(await chosen.getAttribute('id'));
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    await shoot(page, 'find-typeahead');
    await accessible(page);
    // Escape closes the list; Enter opens the chosen record.
    await box.press('Escape');
    expect(await listbox.isHidden()).toBe(true);
    await box.press('ArrowDown');
    await box.press('Enter');
    await page.waitForURL((url) => url.pathname === '/app/lead.html' && url.searchParams.get('id') === lead.body.id);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(company);
    await done();
  });

  it('Sales Admin lists customers, filters them, and pages on', async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const { account } = orderJourney(client);
    for (let i = 0; i < 3; i += 1) {
      await account({
        kind: 'customer',
        name: `Listed ${tag} ${i} Ltd`,
        ownerEmail: people.sm,
        contacts: [{ name: 'Lou List', email: uniqueEmail('lou') }],
      });
    }
    const { page, done } = await pageIn();
    await signedIn(page, people.salesAdmin, ['SalesAdmin'], '/app/agenda.html');
    await page.getByRole('navigation', { name: 'salesflow' }).getByRole('link', { name: 'Accounts' }).click();
    await page.waitForURL((url) => url.pathname === '/app/accounts.html');
    await page.getByLabel('Kind').selectOption('customer');
    await page.getByLabel('Owner').fill(people.sm);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('kind') === 'customer');
    const table = page.getByRole('table', { name: 'Accounts' });
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(3);
    // Newest first: the last account opened heads the list.
    expect(await table.getByRole('row').nth(1).textContent()).toContain(`Listed ${tag} 2 Ltd`);
    expect(await page.getByLabel('Kind').inputValue()).toBe('customer');
    await shoot(page, 'accounts-list');
    await accessible(page);

    // Two a page, by the address: the next page carries the cursor and the filters.
    await page.goto(`/app/accounts.html?kind=customer&owner=${encodeURIComponent(people.sm)}&limit=2`);
    await expect.poll(() => table.getByRole('row').count()).toBe(3);
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL((url) => url.searchParams.has('cursor') && url.searchParams.get('kind') === 'customer');
    await expect.poll(async () => (await table.getByRole('row').nth(1).textContent()) ?? '').toContain(`Listed ${tag} 0 Ltd`);

    // The other lists open from the header too, each with its filters, and read well.
    for (const [link, heading] of [
      ['Opportunities', 'Opportunities'],
      ['Quotes', 'Quotes'],
      ['Orders', 'Orders'],
    ] as const) {
      await page.getByRole('navigation', { name: 'salesflow' }).getByRole('link', { name: link, exact: true }).click();
      await page.waitForURL((url) => url.pathname === `/app/${link.toLowerCase()}.html`);
      await expect.poll(() => page.locator('#content').textContent()).not.toContain('Loading');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
      await shoot(page, `${link.toLowerCase()}-list`);
      await accessible(page);
    }
    await done();
  });
});
