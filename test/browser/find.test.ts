import { describe, expect, it } from 'vitest';
import { stack, stackClient, uniqueEmail } from '../integration/local-stack';
import { orderJourney } from '../integration/order-journey';
import { people } from '../integration/quote-journey';
import { accessible, shoot, signedIn, useChromium } from './chromium';

/**
 * Issue 15 in Chromium: the header's typeahead (typed, chosen with the keyboard, opened), and a
 * list page with its filters and its next page. Screenshots land in test-output/browser/.
 */
const client = stackClient(stack);
const { api } = client;
const { pageIn } = useChromium();

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
    // The count is the search box's own live region, in the header's search landmark, not the page's (in #main).
    await expect.poll(() => page.getByRole('search').getByRole('status').textContent()).toMatch(/1 found/);
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
