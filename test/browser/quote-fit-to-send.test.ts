import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stack, stackClient } from '../integration/local-stack';
import { people, quoteJourney } from '../integration/quote-journey';
import { accessible, shoot, shots, signedIn, useChromium } from './chromium';

/**
 * Issue 16 in Chromium: Sales Admin keeps the price list, the SM builds a five-line quote from it
 * on the opportunity page, and the quote shows its Q-YYYY-NNNN number and VAT. Screenshots land in
 * test-output/browser/.
 */
const client = stackClient(stack);
const { api, tokenFor } = client;
const site = stack.api;
const { pageIn } = useChromium();

describe('a quote fit to send', () => {
  it('Sales Admin adds products; the SM quotes five lines from them; the quote has its number and VAT', async () => {
    const tag = Math.random().toString(36).slice(2, 7).toUpperCase();
    const products = [
      { sku: `TX-200-${tag}`, description: 'Inline leak tester', price: '18500' },
      { sku: `FX-10-${tag}`, description: 'Bottle fixture, 1 litre', price: '2250.5' },
      { sku: `FX-30-${tag}`, description: 'Bottle fixture, 3 litre', price: '2975' },
      { sku: `SP-KIT-${tag}`, description: 'Spares kit, two years', price: '1240' },
      { sku: `TRN-1-${tag}`, description: 'Operator training, one day', price: '950' },
    ];

    // Sales Admin keeps the price list, from the page the navigation names.
    const admin = await pageIn();
    await signedIn(admin.page, people.salesAdmin, ['SalesAdmin'], '/app/products.html');
    for (const product of products) {
      const form = admin.page.locator('#product-form');
      await form.getByLabel('SKU').fill(product.sku);
      await form.getByLabel('Description').fill(product.description);
      await form.getByLabel('Unit price (£)').fill(product.price);
      await form.getByRole('button', { name: 'Save the product' }).click();
      await expect.poll(() => admin.page.locator('#main').getByRole('status').innerText()).toBe(`${product.sku} added`);
    }
    await expect.poll(() => admin.page.locator('#products').innerText()).toContain(`TRN-1-${tag}`);
    await expect.poll(() => admin.page.locator('#products').innerText()).toContain('£2,250.50');
    await shoot(admin.page, '30-price-list');
    await accessible(admin.page);
    await admin.done();

    // The SM picks five lines from the list; a sixth row is there for the asking.
    const { opportunityId, company } = await quoteJourney(client).opportunity({ value: 60_000 });
    const sm = await pageIn();
    await signedIn(sm.page, people.sm, ['SalesManager'], `/app/opportunity.html?id=${opportunityId}`);
    await expect.poll(() => sm.page.locator('#quote').isVisible()).toBe(true);
    const rows = sm.page.locator('#quote-lines .row');
    await expect.poll(() => rows.count()).toBe(5);
    await sm.page.getByRole('button', { name: 'Add a line' }).click();
    await expect.poll(() => rows.count()).toBe(6);
    for (const [i, product] of products.entries()) {
      await sm.page.locator(`#l${i}-sku`).fill(product.sku);
      await expect.poll(() => sm.page.locator(`#l${i}-description`).inputValue()).toBe(product.description);
      await expect.poll(() => sm.page.locator(`#l${i}-unitPriceGbp`).inputValue()).toBe(String(Number(product.price)));
    }
    await sm.page.locator('#l0-quantity').fill('2');
    await sm.page.locator('#l1-quantity').fill('2');
    await sm.page.locator('#l3-discountPercent').fill('5');
    await sm.page.getByLabel('Proposal summary').fill('Two inline testers with fixtures, spares and training');
    await shoot(sm.page, '31-quote-request-from-price-list');
    await accessible(sm.page);
    await sm.page.locator('#quote-form').getByRole('button', { name: 'Start the quote' }).click();
    await sm.page.waitForURL('**/app/quote.html?id=*');
    const quoteId = new URL(sm.page.url()).searchParams.get('id')!;

    const heading = sm.page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.innerText()).toMatch(new RegExp(`^Quote Q-${new Date().getUTCFullYear()}-\\d{4,} for ${company}$`));
    const facts = sm.page.locator('dl.facts');
    // 2 x 18,500 + 2 x 2,250.50 + 2,975 + 1,240 less 5% + 950 = £46,604.00 net; VAT 20% (GB).
    await expect.poll(() => facts.innerText()).toContain('£46,604.00');
    await expect.poll(() => facts.innerText()).toContain('£9,320.80 (20%, GB)');
    await expect.poll(() => facts.innerText()).toContain('£55,924.80');
    await expect.poll(() => sm.page.locator('table tbody tr').count()).toBe(5);
    await shoot(sm.page, '32-quote-with-number-and-vat');
    await accessible(sm.page);
    await sm.done();

    // The API agrees: the lines are the products', the number is on the quote.
    const quote = await api('GET', `/quotes/${quoteId}`, { token: await tokenFor(people.sm, 'SalesManager') });
    expect(quote.body.number).toMatch(/^Q-\d{4}-\d{4,}$/);
    expect(quote.body.request.lines.map((l: { sku: string; unitPriceGbp: number }) => [l.sku, l.unitPriceGbp])).toEqual(
      products.map((p) => [p.sku, Number(p.price)]),
    );
    expect(quote.body.totals).toMatchObject({ netGbp: 46_604, vatGbp: 9320.8, grossGbp: 55_924.8 });

    // Sales Admin prepares it with payment, delivery and terms apart; the AE's proposal follows.
    const prep = await pageIn();
    await signedIn(prep.page, people.salesAdmin, ['SalesAdmin'], `/app/quote.html?id=${quoteId}`);
    await prep.page.getByLabel('Payment terms').fill('30 days net from invoice');
    await prep.page.getByLabel('Delivery terms').fill('DAP Reading, six weeks from order');
    await prep.page.getByLabel('Terms and conditions').fill('Our conditions of sale 2026 apply; English law.');
    await prep.page.getByRole('button', { name: 'The quote is ready' }).click();
    await expect.poll(() => prep.page.locator('dl.facts').innerText()).toContain('Our conditions of sale 2026 apply');
    await prep.done();
    const proposal = await api('POST', `/quotes/${quoteId}/tasks/prepare-proposal`, {
      body: { text: 'Two TX-200 on lines 1 and 2, with fixtures for both bottle sizes' },
      token: await tokenFor(people.applicationEngineer, 'ApplicationEngineer'),
    });
    expect(proposal.status).toBe(200);
    await quoteJourney(client).quoteStatus(quoteId, 'awaiting-signature');

    // The PDF the SM will sign: named by its number, letterhead and VAT on it (shown in Chromium's viewer).
    const pdf = await fetch(`${site}/quotes/${quoteId}/document`, {
      headers: { authorization: `Bearer ${await tokenFor(people.sm, 'SalesManager')}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toBe(`inline; filename="quote-${quote.body.number}.pdf"`);
    const file = `${process.cwd()}/${shots}/quote-${quote.body.number}.pdf`;
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const viewer = await pageIn();
    await viewer.page.setViewportSize({ width: 1000, height: 1300 });
    await viewer.page.goto(`file://${file}`);
    await viewer.page.waitForTimeout(2000);
    await shoot(viewer.page, '33-quote-pdf');
    await viewer.done();
  }, 120_000);
});
