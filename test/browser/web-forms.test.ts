import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, linkIn, stack, stackClient, uniqueEmail } from '../integration/local-stack';
import { daysAgo, orderJourney, orderPeople } from '../integration/order-journey';
import { line, people, quoteJourney } from '../integration/quote-journey';
import { accessible, shoot, signedIn, useChromium } from './chromium';

/**
 * The web forms in a real browser (Debian's Chromium, driven by playwright-core) against the
 * suite's local stack: the same pages `npm start` serves at http://127.0.0.1:3000/. Screenshots of
 * each page land in test-output/browser/.
 */
const client = stackClient(stack);
const { api, sentEmails, tokenFor } = client;
const { emailTo, quoteStatus } = quoteJourney(client);
const site = stack.api;
const { pageIn } = useChromium();

const fillLeadForm = async (page: Page, fields: { name: string; email: string; company: string; country?: string; phone?: string }) => {
  await page.getByLabel('Your name').fill(fields.name);
  await page.getByLabel('Email').fill(fields.email);
  await page.getByLabel('Company').fill(fields.company);
  if (fields.phone !== undefined) await page.getByLabel('Phone').fill(fields.phone);
  if (fields.country !== undefined) await page.getByLabel('Country').fill(fields.country);
  await page.getByLabel('How did you hear of us?').selectOption('marketing-campaign');
  await page.getByLabel('Technical datasheet').check();
  await page.getByLabel('Price list').check();
};

const leadsByEmail = async (email: string) => {
  const token = await tokenFor(people.sm, 'SalesManager');
  const listed = await api('GET', `/leads?owner=${encodeURIComponent(people.sm)}&limit=100`, { token });
  return (listed.body.leads as { id: string; contact: { email: string } }[]).filter((lead) => lead.contact.email === email);
};

describe('the public lead form (R3)', () => {
  it('a customer fills it in, sees the thank-you page, and gets the literature by email', async () => {
    const { page, done } = await pageIn();
    const customer = uniqueEmail('web.customer');
    await page.goto('/');
    await shoot(page, '01-lead-form');
    await accessible(page);
    await fillLeadForm(page, { name: 'Wendy Web', email: customer, company: 'Web Form Works Ltd', country: 'GB' });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL('**/thanks.html');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Thank you');
    await shoot(page, '02-thank-you');
    await accessible(page);
    await page.goto('/sign-in.html');
    await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    await accessible(page);

    const literature = await eventually(async () =>
      (await sentEmails()).find((email) => email.destination.to.some((to) => to.includes(customer))),
    );
    expect(literature.body.text).toContain('Technical datasheet');
    expect(literature.body.text).toContain('Price list');
    // The links in it open the documents, served with the web forms.
    const datasheet = /https?:\/\/\S+\/literature\/technical-datasheet\.pdf/.exec(literature.body.text ?? '')![0];
    const pdf = await fetch(datasheet);
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    // One lead, owned by the UK SM (R4), even if the button had been pressed twice.
    expect(await leadsByEmail(customer)).toHaveLength(1);
    await done();
  });

  it('works without JavaScript: the form posts urlencoded and the browser lands on the thank-you page', async () => {
    const { page, done } = await pageIn({ javaScriptEnabled: false });
    const customer = uniqueEmail('no.script');
    await page.goto('/');
    await fillLeadForm(page, { name: 'Nora Noscript', email: customer, company: 'Plain Posts plc', country: 'IE' });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL('**/thanks.html');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Thank you');
    expect(await eventually(async () => (await leadsByEmail(customer)).at(0))).toMatchObject({ contact: { email: customer } });
    await done();
  });

  it('bad fields get a message each, next to the field, with focus on the first; nothing is sent', async () => {
    const { page, done } = await pageIn();
    const requests: string[] = [];
    page.on('request', (request) => request.method() === 'POST' && requests.push(request.url()));
    await page.goto('/');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Phone').fill('call me');
    await page.getByRole('button', { name: 'Send' }).click();

    const name = page.getByLabel('Your name');
    await expect.poll(() => name.evaluate((el: any) => el === el.ownerDocument.activeElement)).toBe(true);
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('#contact-name-error').innerText()).toBe('Your name is required');
    await expect.poll(() => page.locator('#contact-email-error').innerText()).toBe('Email must be an email address');
    await expect.poll(() => page.locator('#contact-phone-error').innerText()).toBe('Phone must be a phone number');
    await expect.poll(() => page.locator('#source-error').innerText()).toBe('How did you hear of us? is required');
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('Please correct the following');
    await shoot(page, '03-lead-form-errors');
    expect(requests).toEqual([]);
    await done();
  });

  it("what only the server can judge comes back by field too: a country code that doesn't exist", async () => {
    const { page, done } = await pageIn();
    await page.goto('/');
    await fillLeadForm(page, { name: 'Xavier', email: uniqueEmail('xx'), company: 'Nowhere Ltd', country: 'XX' });
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('#contact-country-error').innerText()).toBe('Country must be an ISO 3166-1 alpha-2 country code');
    await expect.poll(() => page.getByLabel('Country').evaluate((el: any) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(page.url()).toBe(`${site}/`);
    await done();
  });

  it('without JavaScript, a refusal is a page that lists what to correct', async () => {
    const { page, done } = await pageIn({ javaScriptEnabled: false });
    await page.goto('/');
    // The browser's own checks would stop an empty form; a bad country code gets past them.
    await fillLeadForm(page, { name: 'Xena', email: uniqueEmail('xena'), company: 'Nowhere plc', country: 'QQ' });
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Please check the form');
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('Contact country must be an ISO 3166-1 alpha-2 country code');
    await expect.poll(() => page.getByRole('link', { name: 'Go back to the form' }).isVisible()).toBe(true);
    await shoot(page, '04-no-script-refusal');
    await done();
  });
});

describe('the internal pages', () => {
  it('the SM signs in, qualifies the lead, and sees it in the pipeline', async () => {
    const company = `Pipeline Pumps ${Math.random().toString(36).slice(2, 7)} Ltd`;
    const lead = await api('POST', '/leads', {
      body: {
        channel: 'bingo-card',
        source: 'marketing-campaign',
        contact: { name: 'Pat Prospect', email: uniqueEmail('pat'), company, country: 'GB' },
      },
    });
    expect(lead.status).toBe(201);

    const { page, done } = await pageIn();
    await signedIn(page, people.sm, ['SalesManager'], '/app/');
    await expect.poll(() => page.locator('[data-stage=suspect]').isVisible()).toBe(true);
    await page.getByRole('link', { name: company }).click();
    await page.waitForURL(`**/app/lead.html?id=${lead.body.id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(`${company}: suspect`);
    // Plain words, not the codes the API stores.
    await expect.poll(() => page.locator('dl.facts').innerText()).toContain('bingo card, from a marketing campaign');
    await shoot(page, '05-lead');
    await accessible(page);

    const form = page.locator('#qualify-form');
    await form.getByLabel("The prospect's business").fill('Bottling plant, three lines');
    await form.getByLabel('Buying concept').fill('Replace ageing testers');
    await form.getByLabel('Application').fill('Inline leak testing');
    await form.getByLabel('Budget').fill('£300k approved');
    await form.getByLabel('Timing').fill('Q1');
    await form.getByLabel('Name').first().fill('Dana Director');
    await form.getByLabel('Role').first().selectOption('economic');
    await form.getByLabel('Product needs').fill('TX-200, fixtures');
    await form.getByLabel('Estimated value (£)').fill('300000');
    await form.getByRole('button', { name: 'Qualify' }).click();

    // R10: over £250k, so Engineering must review; the page says so and shows the opportunity.
    await page.waitForURL('**/app/opportunity.html?id=*');
    await expect.poll(() => page.locator('#main').getByRole('status').innerText()).toBe('Qualified; engineering review required');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(`${company}: prospect`);
    await shoot(page, '06-opportunity');
    await accessible(page);

    await page.getByRole('link', { name: 'Pipeline' }).click();
    const prospects = page.getByRole('region', { name: /^Prospects/ });
    await expect.poll(() => prospects.getByRole('row', { name: new RegExp(company) }).innerText()).toContain('£300,000');
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: /^Suspects/ })
          .getByRole('link', { name: company })
          .count(),
      )
      .toBe(0);
    await shoot(page, '07-pipeline');
    await accessible(page);
    await done();
  });

  it('a form refused by the API shows the reason by the field, and a person without the role never sees it', async () => {
    const lead = await api('POST', '/leads', {
      body: {
        channel: 'phone',
        source: 'prior-contact',
        contact: { name: 'Rae', email: uniqueEmail('rae'), company: 'Refusals Ltd', country: 'GB' },
      },
    });
    const { page, done } = await pageIn();
    await signedIn(page, people.salesAdmin, ['SalesAdmin'], `/app/lead.html?id=${lead.body.id}`);
    await expect.poll(() => page.locator('#qualify').isHidden()).toBe(true);
    // Logging a call dated in the future: the browser allows the date, the server does not.
    const form = page.locator('#activity-form');
    await form.getByLabel('When').fill('2099-01-01T10:00');
    await form.getByLabel('What was said or done').fill('Left a message');
    await form.getByRole('button', { name: 'Log it' }).click();
    await expect.poll(() => page.locator('#at-error').innerText()).toMatch(/must not be in the future/);
    await accessible(page);
    await page.getByRole('link', { name: 'Log a response' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Log a customer response');
    await accessible(page);
    await done();
  });

  it("Sales Admin records the order and reviews the contract; it is on Production's list to pack, then to ship; the follow-ups show", async () => {
    const { opportunity } = quoteJourney(client);
    const { opportunityId, company } = await opportunity({ value: 40_000 });
    const { page, done } = await pageIn();
    await signedIn(page, people.salesAdmin, ['SalesAdmin'], `/app/opportunity.html?id=${opportunityId}`);
    await page.getByRole('link', { name: 'Record an order for this opportunity' }).click();
    await page.waitForURL('**/app/new-order.html?*');
    await expect.poll(() => page.getByLabel('Company').inputValue()).toBe(company);
    await page.getByLabel('Contact name').fill('Bea Buyer');
    await page.getByLabel('Contact email').fill(uniqueEmail('bea'));
    // A PO number with a slash: the browser checks it with the pattern's v flag, as it must.
    await page.getByLabel('PO number').fill(`PO/${Date.now()}`);
    await page.getByLabel('SKU').fill('TX-200');
    await page.getByLabel('Description').fill('Inline tester');
    await page.getByLabel('Qty').fill('2');
    await page.getByLabel('Unit price (£)').fill('19500');
    await page.getByLabel('Name', { exact: true }).fill('Uma User');
    await page.getByLabel('Email', { exact: true }).fill(uniqueEmail('uma'));
    await shoot(page, '08-new-order');
    await accessible(page);
    // The browser's own pattern check runs: a PO number with a character the API refuses stops here.
    expect(await page.getByLabel('PO number').evaluate((el: any) => ((el.value = 'PO#1'), el.validity.patternMismatch))).toBe(true);
    const po = `PO/${Date.now()}`;
    await page.getByLabel('PO number').fill(po);
    await page.getByRole('button', { name: 'Record the order' }).click();
    await page.waitForURL('**/app/order.html?id=*');
    await expect.poll(() => page.locator('#main').getByRole('status').innerText()).toBe('Order recorded');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toContain('received');
    const orderId = new URL(page.url()).searchParams.get('id')!;

    // R22: Sales Admin's contract review, from the order page.
    await page.getByLabel('Notes').first().fill('Terms as quoted');
    await page.getByRole('button', { name: 'The contract is reviewed' }).click();
    await expect.poll(() => page.locator('#main').getByRole('status').innerText()).toBe('Contract review recorded');
    await expect.poll(() => page.locator('#contract-review').isHidden()).toBe(true);
    await expect.poll(() => page.locator('dl.facts').innerText()).toContain(`done by ${people.salesAdmin}`);
    await done();

    // Production's work list has it to pack; the navigation offers Production only what it may read or do.
    const production = await pageIn();
    await signedIn(production.page, orderPeople.production, ['Production'], '/app/work.html');
    await expect
      .poll(() => production.page.getByRole('navigation').getByRole('link').allInnerTexts())
      .toEqual(['Agenda', 'Accounts', 'Orders', 'Orders to pack and ship']);
    const toPack = production.page.getByRole('region', { name: /^To pack/ });
    await expect.poll(() => toPack.getByRole('link', { name: new RegExp(`PO ${po}`) }).count()).toBe(1);
    await shoot(production.page, '09-work-list-to-pack');
    await accessible(production.page);
    await toPack.getByRole('link', { name: new RegExp(`PO ${po}`) }).click();
    await production.page.waitForURL(`**/app/order.html?id=${orderId}`);
    // Packs by the checklist, then ships. Links lead only where Production may go: the account, not the opportunity.
    await expect.poll(() => production.page.locator('#packing-checklist').innerText()).toContain('2 x TX-200');
    // The Welcome Letter to print is on the page, the PDF Production was emailed.
    await expect
      .poll(() =>
        production.page
          .locator('#packing')
          .getByRole('link', { name: /^Print the Welcome Letter \(PDF/ })
          .count(),
      )
      .toBe(1);
    const letter = await fetch(`${site}/orders/${orderId}/welcome-letter`, {
      headers: { authorization: `Bearer ${await tokenFor(orderPeople.production, 'Production')}` },
    });
    expect([letter.status, letter.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect(
      Buffer.from(await letter.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await expect.poll(() => production.page.getByRole('link', { name: /^The account/ }).count()).toBe(1);
    await expect.poll(() => production.page.getByText('The opportunity').count()).toBe(1);
    expect(await production.page.getByRole('link', { name: 'The opportunity' }).count()).toBe(0);
    await shoot(production.page, '09-order-to-pack');
    await accessible(production.page);
    await production.page.getByRole('button', { name: 'Everything is packed' }).click();
    await expect.poll(() => production.page.locator('#main').getByRole('status').innerText()).toBe('Packed; ready to ship');
    await expect.poll(() => production.page.locator('#packing').isHidden()).toBe(true);
    await production.page.getByRole('link', { name: 'Orders to pack and ship' }).click();
    const toShip = production.page.getByRole('region', { name: /^To ship/ });
    await expect.poll(() => toShip.getByRole('link', { name: new RegExp(`PO ${po}`) }).count()).toBe(1);
    await expect
      .poll(() =>
        production.page
          .getByRole('region', { name: /^To pack/ })
          .getByRole('link', { name: new RegExp(`PO ${po}`) })
          .count(),
      )
      .toBe(0);
    await shoot(production.page, '09-work-list-to-ship');
    await toShip.getByRole('link', { name: new RegExp(`PO ${po}`) }).click();
    await production.page.waitForURL(`**/app/order.html?id=${orderId}`);
    await production.page.getByLabel('Shipped').fill(new Date(Date.now() - 3_600_000).toISOString().slice(0, 16));
    await production.page.getByLabel('Carrier').fill('DHL');
    await production.page.getByRole('button', { name: 'Record the shipment' }).click();
    await expect
      .poll(() => production.page.locator('#main').getByRole('status').innerText())
      .toBe('Shipment recorded; the follow-ups are scheduled');
    await expect.poll(() => production.page.locator('#shipment').isHidden()).toBe(true);
    // The follow-ups the API sends by name, each with its state and date.
    const followUps = production.page.locator('#follow-ups');
    await expect.poll(() => followUps.innerText()).toContain('Is the equipment operating OK?: scheduled');
    await expect.poll(() => followUps.innerText()).toContain('Reminder to the sales manager: scheduled');
    await shoot(production.page, '10-order-shipped');
    await production.page.getByRole('link', { name: 'Orders to pack and ship' }).click();
    await expect.poll(() => production.page.getByRole('region', { name: /^To ship/ }).isVisible()).toBe(true);
    expect(await production.page.getByRole('link', { name: new RegExp(`PO ${po}`) }).count()).toBe(0);
    await production.done();
  });

  it('the SM answers the equipment check from the order page; the corrective action it opens is closed there too', async () => {
    const journey = orderJourney(client);
    const buyer = await journey.customer();
    const orderId = await journey.order(buyer);
    // Shipped 61 days ago: the workflow asks the SM at once.
    await journey.ship(orderId, daysAgo(61));
    await eventually(async () =>
      (await journey.getOrder(orderId)).tasks.some((t: { task: string }) => t.task === 'equipment-check') ? true : undefined,
    );

    const { page, done } = await pageIn();
    await signedIn(page, orderPeople.sm, ['SalesManager'], `/app/order.html?id=${orderId}`);
    const check = page.locator('#equipment-check-form');
    await check.getByLabel('No').check();
    await check.getByRole('button', { name: 'Record the answer' }).click();
    // "No" must say what is wrong: the server's rule, shown by the field.
    await expect.poll(() => page.locator('#notes-error').innerText()).toContain('say what is wrong');
    await check.getByLabel('What the customer said').fill('Probe reads 5% high');
    await shoot(page, '11-equipment-check');
    await accessible(page);
    await check.getByRole('button', { name: 'Record the answer' }).click();
    await expect.poll(() => page.locator('#main').getByRole('status').innerText()).toBe('Answer recorded');
    await expect.poll(() => page.locator('#corrective-action').isVisible()).toBe(true);
    await expect.poll(() => page.locator('dl.facts').innerText()).toContain('open: Probe reads 5% high');

    await page.getByLabel('How it was put right').fill('Probe recalibrated on site');
    await page.getByRole('button', { name: 'Close the corrective action' }).click();
    await expect.poll(() => page.locator('#main').getByRole('status').innerText()).toBe('Corrective action closed');
    await expect.poll(() => page.locator('#corrective-action').isHidden()).toBe(true);
    await expect.poll(() => page.locator('#follow-ups').innerText()).toContain('Is the equipment operating OK?: done');
    await shoot(page, '12-corrective-action-closed');
    await done();
  });

  it("the account page lists the account's contacts and orders", async () => {
    const journey = orderJourney(client);
    const buyer = await journey.customer();
    await journey.order(buyer);
    const { page, done } = await pageIn();
    await signedIn(page, people.salesAdmin, ['SalesAdmin'], `/app/account.html?id=${buyer.accountId}`);
    await expect.poll(() => page.locator('#contacts').innerText()).toContain('Paula Purchasing');
    await expect
      .poll(() =>
        page
          .locator('#orders')
          .getByRole('link', { name: new RegExp(`PO ${buyer.po} received`) })
          .count(),
      )
      .toBe(1);
    await expect.poll(() => page.locator('dl.facts').innerText()).toContain('Sales manager');
    await shoot(page, '13-account');
    await accessible(page);
    await done();
  });

  it('the opportunity, quote and order pages fit a 390 px phone', async () => {
    const { opportunity } = quoteJourney(client);
    const { opportunityId } = await opportunity({ value: 300_000 });
    const { page, done } = await pageIn({ viewport: { width: 390, height: 844 } });
    await signedIn(page, people.sm, ['SalesManager'], `/app/opportunity.html?id=${opportunityId}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toContain('prospect');
    await expect.poll(() => page.locator('#quote').isVisible()).toBe(true);
    const width = () => page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);
    expect(await width()).toBeLessThanOrEqual(390);
    await shoot(page, '14-opportunity-phone');

    // The quote and order pages, with their tables of lines, fit too.
    const quoted = await opportunity({ value: 50_000 });
    const started = await api('POST', `/opportunities/${quoted.opportunityId}/quotes`, {
      body: { lines: [line(20_000, 5, 2), line(1_250.5, 0, 12)], proposalSummary: 'Two testers and spares' },
      token: await tokenFor(people.sm, 'SalesManager'),
    });
    expect(started.status).toBe(202);
    await page.goto(`/app/quote.html?id=${started.body.quoteId}`);
    await expect.poll(() => page.locator('table').count()).toBe(1);
    await expect.poll(() => page.locator('table').innerText()).toContain('£1,250.50');
    expect(await width()).toBeLessThanOrEqual(390);
    await shoot(page, '14-quote-phone');
    const journey = orderJourney(client);
    const orderId = await journey.order(await journey.customer());
    await page.goto(`/app/order.html?id=${orderId}`);
    await expect.poll(() => page.locator('table').count()).toBe(1);
    expect(await width()).toBeLessThanOrEqual(390);
    await shoot(page, '14-order-phone');
    await done();
  });
});

describe("every person's step on a quote, from the quote page (R13-R19)", () => {
  it('QPA, approval, quote and proposal, signature, then the contract and the MD decision', async () => {
    const { opportunity, quoteStatus } = quoteJourney(client);
    const { opportunityId, company } = await opportunity({ value: 60_000 });
    const stepBy = async (email: string, roles: string[], quoteId: string, act: (page: Page) => Promise<void>, shot?: string) => {
      const { page, done } = await pageIn();
      await signedIn(page, email, roles, `/app/quote.html?id=${quoteId}`);
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).innerText())
        .toMatch(new RegExp(`^Quote Q-\\d{4}-\\d{4,} for ${company}$`));
      if (shot) {
        await shoot(page, shot);
        await accessible(page);
      }
      await act(page);
      await expect.poll(() => page.locator('#main').getByRole('status').innerText()).toMatch(/^Done|^Sent/);
      await done();
    };

    // The SM starts it on the opportunity page: 15% is over the standard discount, so a QPA.
    const sm = await pageIn();
    await signedIn(sm.page, people.sm, ['SalesManager'], `/app/opportunity.html?id=${opportunityId}`);
    const form = sm.page.locator('#quote-form');
    await form.getByLabel('SKU').first().fill('TX-200');
    await form.getByLabel('Description').first().fill('Inline tester');
    await form.getByLabel('Qty').first().fill('2');
    await form.getByLabel('Unit price (£)').first().fill('20000');
    await form.getByLabel('Discount %').first().fill('15');
    await form.getByLabel('Proposal summary').fill('Two inline testers');
    await form.getByRole('button', { name: 'Start the quote' }).click();
    await sm.page.waitForURL('**/app/quote.html?id=*');
    const quoteId = new URL(sm.page.url()).searchParams.get('id')!;
    await sm.done();

    await quoteStatus(quoteId, 'qpa-preparation');
    await stepBy(
      people.salesAdmin,
      ['SalesAdmin'],
      quoteId,
      async (page) => {
        await page.getByLabel('The case for the price').fill('Strategic account; competitor at 18% off');
        await page.getByRole('button', { name: 'Send for approval' }).click();
      },
      '15-quote-prepare-qpa',
    );

    await quoteStatus(quoteId, 'awaiting-approval');
    await stepBy(
      people.salesDirector,
      ['SalesManager'],
      quoteId,
      async (page) => {
        await page.locator('#approve-qpa-form').getByRole('radio', { name: 'Approve' }).check();
        await page.locator('#approve-qpa-form').getByRole('button', { name: 'Record my decision' }).click();
      },
      '16-quote-approve-qpa',
    );

    await quoteStatus(quoteId, 'in-preparation');
    await stepBy(people.salesAdmin, ['SalesAdmin'], quoteId, async (page) => {
      await page.getByLabel('Payment terms').fill('30 days net');
      await page.getByLabel('Delivery terms').fill('Ex works, six weeks');
      await page.getByRole('button', { name: 'The quote is ready' }).click();
    });
    await stepBy(
      people.applicationEngineer,
      ['ApplicationEngineer'],
      quoteId,
      async (page) => {
        await page.getByLabel('The technical proposal').fill('Two TX-200 on lines 1 and 2, shared fixture');
        await page.getByRole('button', { name: 'The proposal is ready' }).click();
      },
      '17-quote-proposal',
    );

    await quoteStatus(quoteId, 'awaiting-signature');
    await stepBy(
      people.sm,
      ['SalesManager'],
      quoteId,
      async (page) => {
        // The SM reads the document first: it opens in a new tab, the very bytes the signature is of.
        const [reading] = await Promise.all([
          page.waitForEvent('popup'),
          page
            .locator('#step-sign')
            .getByRole('link', { name: /^Read the quote \(PDF/ })
            .click(),
        ]);
        expect(reading.url()).toMatch(/^blob:/);
        await reading.close();
        const pdf = await fetch(`${site}/quotes/${quoteId}/document`, {
          headers: { authorization: `Bearer ${await tokenFor(people.sm, 'SalesManager')}` },
        });
        expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
        expect(
          Buffer.from(await pdf.arrayBuffer())
            .subarray(0, 5)
            .toString(),
        ).toBe('%PDF-');
        await page.getByLabel('I have reviewed the quote and proposal').check();
        await page.getByRole('button', { name: 'Sign and send to the customer' }).click();
      },
      '18-quote-sign',
    );

    await quoteStatus(quoteId, 'sent');
    await stepBy(people.sm, ['SalesManager'], quoteId, async (page) => {
      await page.getByLabel('What the customer requires of the contract').fill('Penalty clause for late delivery');
      await page.getByRole('button', { name: 'Send to the Managing Director' }).click();
    });

    await quoteStatus(quoteId, 'contract-negotiation');
    await stepBy(
      people.md,
      ['ManagingDirector'],
      quoteId,
      async (page) => {
        const decide = page.locator('#approve-contract-form');
        await decide.getByRole('radio', { name: 'Approve' }).check();
        await decide.getByLabel('Terms as negotiated').fill('Penalty capped at 5%');
        await decide.getByRole('button', { name: 'Record my decision' }).click();
      },
      '19-quote-contract',
    );
    await quoteStatus(quoteId, 'contract-approved');
  });
});

describe("Engineering's steps, from their pages (R10, R16)", () => {
  it('Engineering reviews the opportunity, then helps with the proposal on the quote page', async () => {
    const { opportunity, quote, stepOpen } = quoteJourney(client);
    const { opportunityId, company } = await opportunity({ value: 60_000, nonStandard: 'A custom fixture for 3 litre bottles' });
    const { page, done } = await pageIn();
    await signedIn(page, people.engineering, ['Engineering'], `/app/opportunity.html?id=${opportunityId}`);
    await page.getByLabel('Recommendation').selectOption('proceed-with-changes');
    await page.getByLabel('Advice to the SM').fill('Quote the fixture as a separate line');
    await page.getByRole('button', { name: 'Give the review' }).click();
    await expect.poll(() => page.locator('#main').getByRole('status').innerText()).toBe('Review given; the SM has it');
    await expect.poll(() => page.locator('dl.facts').innerText()).toContain('proceed with changes: Quote the fixture as a separate line');

    // The quote's QPA (non-standard requirements) is prepared and approved by the API, as by link.
    const started = await api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: { lines: [line(20_000, 0, 2)], proposalSummary: 'Two testers and a fixture', nonStandardRequirements: 'A custom fixture' },
      token: await tokenFor(people.sm, 'SalesManager'),
    });
    expect(started.status).toBe(202);
    const quoteId = started.body.quoteId as string;
    // The quote's status moves before the workflow asks for the step: wait for the step itself.
    await stepOpen(quoteId, 'prepare-qpa');
    const prepared = await api('POST', `/quotes/${quoteId}/tasks/prepare-qpa`, {
      body: { text: 'Fixture is a one-off' },
      token: await tokenFor(people.salesAdmin, 'SalesAdmin'),
    });
    expect(prepared.status).toBe(200);
    await stepOpen(quoteId, 'approve-qpa');
    const approved = await api('POST', `/quotes/${quoteId}/tasks/approve-qpa`, {
      body: { decision: 'approve' },
      token: await tokenFor(people.salesDirector, 'SalesManager'),
    });
    expect(approved.status).toBe(200);
    await eventually(async () =>
      (await quote(quoteId)).tasks.some((t: { task: string }) => t.task === 'engineering-assistance') ? true : undefined,
    );

    await page.goto(`/app/quote.html?id=${quoteId}`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).innerText())
      .toBe(`Quote ${(await quote(quoteId)).number} for ${company}`);
    await page.getByLabel('Your technical input for the application engineer').fill('Fixture drawing F-301 attached to the proposal');
    await shoot(page, '22-quote-engineering-assistance');
    await accessible(page);
    await page.getByRole('button', { name: 'Send my input' }).click();
    await expect.poll(() => page.locator('#main').getByRole('status').innerText()).toBe('Done: Help with the technical proposal');
    await expect.poll(() => page.locator('#step-engineering-assistance').isHidden()).toBe(true);

    await page.getByRole('link', { name: 'Agenda' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Agenda');
    await accessible(page);
    await done();
  });
});

describe('the emailed link pages (R28)', () => {
  it('the sales director approves a QPA through the link: what will happen, then confirm', async () => {
    const { opportunity } = quoteJourney(client);
    const { opportunityId, company } = await opportunity({ value: 60_000 });
    // 15% is over the standard discount: a QPA, approved by the sales director alone.
    const started = await api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: { lines: [line(20_000, 15, 2)], proposalSummary: 'Two inline testers' },
      token: await tokenFor(people.sm, 'SalesManager'),
    });
    expect(started.status).toBe(202);
    const prepare = await emailTo(people.salesAdmin, company, /^Prepare the QPA/);
    expect((await api('POST', linkIn(prepare), { body: { text: 'Strategic account' } })).status).toBe(200);
    const approval = await emailTo(people.salesDirector, company, /^Approve or reject the QPA/);

    // Read in New York: the page is styled like the site, its fields named in words, its times local.
    const reader = await pageIn({ timezoneId: 'America/New_York' });
    await reader.page.goto(linkIn(approval));
    await expect.poll(() => reader.page.getByRole('heading', { level: 1 }).innerText()).toContain('QPA');
    await expect.poll(() => reader.page.getByRole('group', { name: 'Your decision' }).isVisible()).toBe(true);
    await expect.poll(() => reader.page.getByRole('radio', { name: 'Approve' }).isVisible()).toBe(true);
    await expect.poll(() => reader.page.getByLabel(/^Reason/).isVisible()).toBe(true);
    expect(
      await reader.page
        .getByRole('button', { name: 'Send' })
        .evaluate((el: any) => el.ownerDocument.defaultView.getComputedStyle(el).backgroundColor),
    ).toBe('rgb(11, 92, 173)');
    const until = await reader.page.locator('time').innerText();
    expect(until).not.toMatch(/UTC|UK time/);
    expect(until).toMatch(/EST|EDT|GMT-[45]/);
    await shoot(reader.page, '20-qpa-link');
    await accessible(reader.page);
    await reader.done();

    const { page, done } = await pageIn({ javaScriptEnabled: false });
    await page.goto(linkIn(approval));
    await expect.poll(() => page.getByText(company).isVisible()).toBe(true);
    // Without a script, the time says which zone it is in.
    expect(await page.locator('time').innerText()).toMatch(/UK time$/);
    // Opening the link changed nothing.
    expect((await quoteStatus(started.body.quoteId, 'awaiting-approval')).status).toBe('awaiting-approval');
    await page.getByLabel('Approve').check();
    await page.getByLabel(/reason/i).fill('Volume justifies it');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Thank you');
    await shoot(page, '21-qpa-approved');
    // The only approver said yes: the quote goes on to Sales Admin's preparation (R16).
    await quoteStatus(started.body.quoteId, 'in-preparation');

    // The link is spent: opening it again says so, as a page.
    await page.goto(linkIn(approval));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('This link has been used or has expired');
    await done();
  });
});
