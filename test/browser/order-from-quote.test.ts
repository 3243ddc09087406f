import { describe, expect, it } from 'vitest';
import { stack, stackClient } from '../integration/local-stack';
import { orderJourney, orderPeople } from '../integration/order-journey';
import { people } from '../integration/quote-journey';
import { signedQuote } from '../integration/signed-quote';
import { accessible, shoot, signedIn, useChromium } from './chromium';

/**
 * The order from the signed quote, in Chromium: Sales Admin picks the opportunity's signed quote,
 * its lines fill the form; a changed line is refused without a reason, accepted with one, and the
 * order page shows the quote it came from and how it differs. Screenshots in test-output/browser/.
 */
const client = stackClient(stack);
const { api, tokenFor } = client;
const { pageIn } = useChromium();

describe('an order from the signed quote', () => {
  it('Sales Admin builds the order from the signed quote; a changed line needs a reason; the order page shows the difference', async () => {
    const signed = await signedQuote(client, [
      { sku: 'TX-200', description: 'Inline leak tester', quantity: 2, unitPriceGbp: 18_500, discountPercent: 5 },
      { sku: 'FX-10', description: 'Bottle fixture, 1 litre', quantity: 3, unitPriceGbp: 2250.5, discountPercent: 0 },
    ]);
    const buyer = await orderJourney(client).customer({ name: signed.company });

    const { page, done } = await pageIn();
    await signedIn(page, people.salesAdmin, ['SalesAdmin'], `/app/opportunity.html?id=${signed.opportunityId}`);
    await page.getByRole('link', { name: 'Record an order for this opportunity' }).click();
    await page.waitForURL('**/app/new-order.html?*');

    // The signed quote is chosen, and its lines fill the form at their net prices.
    const choice = page.getByLabel('Signed quote');
    await expect.poll(() => choice.isVisible()).toBe(true);
    await expect.poll(async () => await choice.locator('option:checked').innerText()).toContain(signed.number);
    await expect.poll(() => page.locator('#o1-sku').inputValue()).toBe('FX-10');
    expect(await page.locator('#o0-sku').inputValue()).toBe('TX-200');
    expect(await page.locator('#o0-quantity').inputValue()).toBe('2');
    expect(await page.locator('#o0-unit').inputValue()).toBe('17575');
    expect(await page.locator('#o1-unit').inputValue()).toBe('2250.5');
    await expect.poll(() => page.locator('#reason-field').isHidden()).toBe(true);

    await page.getByLabel('Existing account id').fill(buyer.accountId);
    await page.getByLabel('PO number').fill(buyer.po);
    await page.getByLabel('Name', { exact: true }).fill(buyer.user.name);
    await page.getByLabel('Email', { exact: true }).fill(buyer.user.email);
    await shoot(page, '40-new-order-from-signed-quote');
    await accessible(page);

    // The PO asks for a third tester: the reason field appears, required, and the order waits for it.
    await page.locator('#o0-quantity').fill('3');
    await expect.poll(() => page.getByLabel(/Why the order differs from the quote/).isVisible()).toBe(true);
    await expect.poll(() => page.locator('#quote-differences').innerText()).toContain(`differ from quote ${signed.number}`);
    await page.getByRole('button', { name: 'Record the order' }).click();
    await expect.poll(() => page.locator('#differenceReason-error').innerText()).toBe('Why the order differs from the quote is required');
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('Why the order differs from the quote is required');
    expect(new URL(page.url()).pathname).toBe('/app/new-order.html');
    await shoot(page, '41-new-order-changed-line-needs-a-reason');
    await accessible(page);
    // The API refuses it too, whatever the page does.
    const refused = await api('POST', '/orders', {
      body: {
        accountId: buyer.accountId,
        quoteId: signed.quoteId,
        poNumber: buyer.po,
        userContact: buyer.user,
        lines: [
          { sku: 'TX-200', description: 'Inline leak tester', quantity: 3, unitPrice: 17_575 },
          { sku: 'FX-10', description: 'Bottle fixture, 1 litre', quantity: 3, unitPrice: 2250.5 },
        ],
      },
      token: await tokenFor(people.salesAdmin, 'SalesAdmin'),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].path).toBe('differenceReason');

    // Put back as quoted, the reason goes away; changed again, it returns, and a reason lets it through.
    await page.locator('#o0-quantity').fill('2');
    await expect.poll(() => page.locator('#reason-field').isHidden()).toBe(true);
    await page.locator('#o0-quantity').fill('3');
    const reason = 'A third tester for the second filling line, agreed with the buyer by phone';
    await page.getByLabel(/Why the order differs from the quote/).fill(reason);
    await page.getByRole('button', { name: 'Record the order' }).click();
    await page.waitForURL('**/app/order.html?id=*');
    await expect.poll(() => page.locator('main .notice').innerText()).toBe('Order recorded');

    // The order page names the quote, links to it, and shows the difference and why.
    const fromQuote = page.getByRole('region', { name: `From quote ${signed.number}` });
    await expect.poll(() => fromQuote.isVisible()).toBe(true);
    expect(await fromQuote.getByRole('link', { name: signed.number }).getAttribute('href')).toBe(`/app/quote.html?id=${signed.quoteId}`);
    await expect.poll(() => fromQuote.locator('#quote-differences').innerText()).toBe('TX-200: quantity 2 on the quote, 3 on the order');
    await expect.poll(() => fromQuote.innerText()).toContain(`Why: ${reason}`);
    await expect.poll(() => page.locator('ol.timeline').innerText()).toContain(`from quote ${signed.number} with 1 difference`);
    // No code of the process on the page.
    expect(await page.locator('main').innerText()).not.toMatch(/\(standard\)|\(sf\)|\bR\d+\b/);
    await shoot(page, '42-order-from-quote-with-difference');
    await accessible(page);
    await done();

    // Production packs from the same page, and reads the difference without prices.
    const production = await pageIn();
    const orderPath = new URL(page.url()).pathname + new URL(page.url()).search;
    await signedIn(production.page, orderPeople.production, ['Production'], orderPath.replace(/&done=[^&]*/, ''));
    const seen = production.page.getByRole('region', { name: `From quote ${signed.number}` });
    await expect.poll(() => seen.locator('#quote-differences').innerText()).toBe('TX-200: quantity 2 on the quote, 3 on the order');
    expect(await seen.innerText()).not.toContain('£');
    await production.done();
  }, 120_000);
});
