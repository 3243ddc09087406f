import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { qualificationBody } from '../fixtures/qualification';
import { eventually, stack, stackClient, uniqueEmail } from '../integration/local-stack';
import { accessible, shoot, signedIn, useChromium } from './chromium';

/**
 * Issue 15, "Edit and decide", in Chromium: the SM sees a lead's possible duplicate, edits its
 * contact and merges it; the sales director reassigns a lead and disqualifies it; the SM closes an
 * opportunity as lost. Screenshots land in test-output/browser/.
 */
const client = stackClient(stack);
const { api, tokenFor } = client;
const sm = 'sm.uk@salesflow.example';
const director = 'sales.director@salesflow.example';

const { pageIn } = useChromium();

const newLead = async (contact: Record<string, unknown>) => {
  const answer = await api('POST', '/leads', { body: { channel: 'business-card', source: 'prior-contact', contact } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id as string;
};

/** Opens a folded control by its heading. */
const unfold = (page: Page, title: string) => page.locator('summary', { hasText: title }).click();

describe('edit and decide, on the pages', () => {
  it('a lead is edited and merged into its duplicate, another reassigned and disqualified, an opportunity closed as lost', async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const company = `Harbour Bottling ${tag}`;
    const keep = await newLead({ name: 'Hana Harbour', email: uniqueEmail('hana'), company: `${company} Ltd`, country: 'GB' });
    const dupe = await newLead({
      name: 'Hugo Harbour',
      email: uniqueEmail('hugo'),
      company: `${company} Limited`,
      country: 'GB',
      phone: '+44 20 7946 0001',
    });
    const other = await newLead({ name: 'Orla Other', email: uniqueEmail('orla'), company: `Other Works ${tag} Ltd`, country: 'GB' });
    await tokenFor(sm, 'SalesManager');
    await tokenFor('sm.dach@salesflow.example', 'SalesManager');

    // The SM opens the second lead: it names its possible duplicate.
    const smPage = await pageIn();
    const { page } = smPage;
    await signedIn(page, sm, ['SalesManager'], `/app/lead.html?id=${dupe}`);
    await expect
      .poll(() => page.locator('#duplicates').textContent())
      .toContain(`Possible duplicate of the lead ${company} Ltd (same company)`);

    // Edits the contact: a new phone number, saved with the version read.
    await unfold(page, 'Edit contact details');
    await page.getByLabel('Phone').first().fill('+44 20 7946 0999');
    await accessible(page);
    await shoot(page, '50-lead-edit');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.waitForURL(/done=Contact/);
    await expect
      .poll(() => page.locator('.timeline').textContent())
      .toContain('Changed contact phone from +44 20 7946 0001 to +44 20 7946 0999');

    // Merges it into the first lead, chosen from its duplicates.
    await unfold(page, 'Merge into another lead');
    await page.getByLabel('The lead to keep').selectOption(keep);
    await shoot(page, '51-lead-merge');
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await page.waitForURL(/done=Merged/);
    await expect.poll(() => page.locator('main').textContent()).toContain('Merged into another lead');
    await page.goto(`/app/lead.html?id=${keep}`);
    await expect.poll(() => page.locator('.timeline').textContent()).toContain(`merged into this one, with its timeline and emails`);
    expect(await page.locator('.timeline').textContent()).toContain('Changed contact phone');
    await shoot(page, '52-lead-merged');

    // Sets themselves a task on the kept lead; it is on their agenda until they mark it done.
    const title = `Send the 1-litre fixture sample ${tag}`;
    await unfold(page, 'Add a task');
    await page.getByLabel('What to do').fill(title);
    await page.getByLabel('Due').fill('2026-12-01T09:00');
    await page.getByRole('button', { name: 'Add to my agenda' }).click();
    await page.waitForURL(/done=Task/);
    await page.goto('/app/agenda.html');
    const row = page.locator('tr', { hasText: title });
    await expect.poll(() => row.count()).toBe(1);
    await shoot(page, '53-agenda-task');
    await row.getByRole('button', { name: 'Done' }).click();
    await page.waitForURL(/done=Task/);
    await expect.poll(() => page.locator('tr', { hasText: title }).count()).toBe(0);
    await smPage.done();

    // The sales director gives the third lead to the DACH SM, then disqualifies it.
    const bossPage = await pageIn();
    const boss = bossPage.page;
    await signedIn(boss, director, ['SalesManager'], `/app/lead.html?id=${other}`);
    await unfold(boss, 'Reassign to another sales manager');
    await boss.getByLabel('New owner').fill('sm.dach@salesflow.example');
    await boss.locator('#reassign-reason').fill('Buyer works from the Vienna office');
    await shoot(boss, '54-lead-reassign');
    await boss.getByRole('button', { name: 'Reassign' }).click();
    await boss.waitForURL(/done=Reassigned/);
    await expect.poll(() => boss.locator('.facts').textContent()).toContain('sm.dach@salesflow.example');
    await unfold(boss, 'Disqualify');
    await boss.getByLabel('Why it is no lead').fill('A student project: no budget, no purchase');
    await boss.getByRole('button', { name: 'Disqualify' }).click();
    await boss.waitForURL(/done=Disqualified/);
    await expect.poll(() => boss.locator('h1').textContent()).toContain('disqualified');
    await accessible(boss);
    await shoot(boss, '55-lead-disqualified');
    await bossPage.done();

    // The SM closes an opportunity of the first lead as lost, naming who won it.
    const smToken = await tokenFor(sm, 'SalesManager');
    const qualified = await api('POST', `/leads/${keep}/qualification`, { body: qualificationBody(60_000), token: smToken });
    expect(qualified.status, JSON.stringify(qualified.body)).toBe(201);
    const opportunityId = qualified.body.opportunityId;
    const oppPage = await pageIn();
    const opp = oppPage.page;
    await signedIn(opp, sm, ['SalesManager'], `/app/opportunity.html?id=${opportunityId}`);
    await unfold(opp, 'Close as won or lost');
    await opp.locator('#close-outcome').selectOption('lost');
    await opp.getByLabel('Who won it').fill('Rival Instruments');
    await opp.getByLabel('Why', { exact: true }).fill('Their tester was cheaper and shipped sooner');
    await accessible(opp);
    await shoot(opp, '56-opportunity-close');
    await opp.getByRole('button', { name: 'Close the opportunity' }).click();
    await opp.waitForURL(/done=Opportunity/);
    await expect
      .poll(() => opp.locator('#closed').textContent())
      .toContain('Closed as lost: Their tester was cheaper and shipped sooner (to Rival Instruments)');
    await shoot(opp, '57-opportunity-lost');
    await oppPage.done();

    const after = await eventually(async () => (await api('GET', `/opportunities/${opportunityId}`, { token: smToken })).body);
    expect(after).toMatchObject({ status: 'lost', closed: { competitor: 'Rival Instruments' } });
  });
});
