import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualificationBody } from '../fixtures/qualification';
import { eventually, uniqueEmail } from '../integration/local-stack';
import { type OwnStack, startOwnStack } from '../integration/own-stack';
import { people } from '../integration/quote-journey';
import { accessible, shoot, shots, signedIn, useChromium } from './chromium';

/**
 * The Reports page in Chromium, on a stack of this file's own so that every figure is this file's:
 * a campaign of £1,200 with three leads, one qualified at £30,000. The page's charts are drawn,
 * its tables hold the same figures as the API, it passes axe, and Marketing sees the campaign
 * report only. Screenshots land in test-output/browser/.
 */
const month = new Date().toISOString().slice(0, 7);
let own: OwnStack;

beforeAll(async () => {
  own = await startOwnStack('reports-page');
  const { api, tokenFor } = own.client;
  const campaign = await api('POST', '/campaigns', {
    body: { kind: 'advertising', name: 'Spring Advert', startsOn: `${month}-01`, costGbp: 1200 },
    token: await tokenFor('marketing@salesflow.example', 'Marketing'),
  });
  expect(campaign.status).toBe(201);
  const leads: string[] = [];
  for (const company of ['Alpha Ltd', 'Beta Ltd', 'Gamma Ltd']) {
    const lead = await api('POST', '/leads', {
      body: {
        channel: 'email',
        source: 'marketing-campaign',
        campaignId: campaign.body.id,
        contact: { name: 'Pat Page', email: uniqueEmail('page'), company, country: 'GB' },
      },
    });
    expect(lead.status).toBe(201);
    leads.push(lead.body.id);
  }
  const qualified = await api('POST', `/leads/${leads[0]}/qualification`, {
    body: qualificationBody(30_000),
    token: await tokenFor(people.sm, 'SalesManager'),
  });
  expect(qualified.status).toBe(201);
  // The rollups have caught up when the pipeline shows the prospect.
  const sm = await tokenFor(people.sm, 'SalesManager');
  await eventually(
    async () =>
      (await api('GET', '/reports/pipeline', { token: sm })).body.stages?.find((s: { stage: string }) => s.stage === 'prospect')?.count ===
      1,
  );
  await own.client.settledItemCount();
}, 180_000);

afterAll(async () => {
  await own?.stop();
});

// Launched after the stack is up, and closed before it stops.
const { pageIn } = useChromium(() => own.client.stack.api, { viewport: { width: 1100, height: 900 } });

/** A table's body rows as the person reads them. */
const rowsOf = (page: Page, caption: string) =>
  page
    .locator('table', { has: page.locator('caption', { hasText: new RegExp(`^${caption}$`) }) })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? '')));

describe('the Reports page', () => {
  it("the SM's figures: charts drawn, and tables that say what the API says", async () => {
    const { page, done } = await pageIn();
    await signedIn(page, people.sm, ['SalesManager'], '/app/reports.html');
    await expect.poll(() => page.locator('section.report').count()).toBe(7);
    // Every chart is drawn (uPlot's canvas), and named for what its table holds.
    await expect.poll(() => page.locator('.chart canvas').count()).toBe(7);
    await expect(page.getByRole('img', { name: /Pipeline value by stage/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: 'Reports' }).getAttribute('aria-current')).resolves.toBe('page');

    expect(await rowsOf(page, 'Pipeline by stage')).toEqual([
      ['Suspects', '2', '£0.00'],
      ['Prospects', '1', '£30,000.00'],
      ['Quotes in approval', '0', '£0.00'],
      ['Quotes with the customer', '0', '£0.00'],
      ['Orders', '0', '£0.00'],
    ]);
    const conversion = await rowsOf(page, 'Conversion by month');
    expect(conversion.at(-1)).toEqual([month, '3', '1', '0', '0', '33.3%', '0%', '—']);
    expect(await rowsOf(page, 'Campaign return')).toEqual([
      ['Spring Advert', month, '£1,200.00', '3', '1', '0', '£400.00', '£1,200.00', '—'],
    ]);

    // The same figures as the API's.
    const api = await own.client.api('GET', '/reports/campaigns', { token: await own.client.tokenFor(people.sm, 'SalesManager') });
    expect(api.body.campaigns[0]).toMatchObject({ leads: 3, qualified: 1, costPerLeadGbp: 400, costPerQualifiedLeadGbp: 1200 });

    await page.locator('#report-pipeline').scrollIntoViewIfNeeded();
    await shoot(page, 'reports-sm');
    for (const name of ['pipeline', 'conversion', 'campaigns'])
      await page.locator(`[data-report="${name}"]`).screenshot({ path: `${shots}/reports-sm-${name}.png` });
    await accessible(page);

    // The CSV download is the report's table.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-report="conversion"] button', { hasText: 'CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('Month,Channel,Suspects,Prospects,Quoted,Ordered');
    expect(csv).toContain(`${month},email,3,1,0,0`);
    await done();
  });

  it('Marketing sees the campaign report only, and the navigation leads there', async () => {
    const { page, done } = await pageIn();
    await signedIn(page, 'marketing@salesflow.example', ['Marketing'], '/app/reports.html');
    await expect.poll(() => page.locator('section.report').count()).toBe(1);
    await expect(page.locator('section.report h2').innerText()).resolves.toBe('Campaign return');
    await expect(page.getByRole('navigation', { name: 'salesflow' }).getByRole('link', { name: 'Reports' }).count()).resolves.toBe(1);
    expect(await rowsOf(page, 'Campaign return')).toEqual([
      ['Spring Advert', month, '£1,200.00', '3', '1', '0', '£400.00', '£1,200.00', '—'],
    ]);
    await shoot(page, 'reports-marketing');
    await accessible(page);
    await done();
  });
});
