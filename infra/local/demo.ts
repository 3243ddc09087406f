import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '#domain/roles';
import { processSettingDefaults as people } from '../process-settings';
import { issueLocalToken } from './auth';
import { freePort } from './ports';
import { startLocalStack } from './stack';

/**
 * `npm run demo`: the whole sales process on a local stack of its own (in memory, free ports,
 * two days to the second), driven over HTTP as people would, printing a timeline of what each
 * person does and every email salesflow sends, from the bingo card to the day-60 check.
 */

const daysPerSecond = 2;
process.env.SALESFLOW_TIME_SCALE ??= String(daysPerSecond * 86_400);
// The timeline is the demo's output; the functions' own logs only when something goes wrong.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const scale = Number(process.env.SALESFLOW_TIME_SCALE);
const dataDir = mkdtempSync(join(tmpdir(), 'salesflow-demo-'));
const stack = await startLocalStack({
  ports: { api: 0, ses: 0, stepFunctions: 0, scheduler: 0, dynamodb: await freePort() },
  dataDir,
  inMemory: true,
  tableName: 'salesflow-demo',
});
const started = Date.now();

const day = () => ((Date.now() - started) * scale) / 86_400_000;
const stamp = () => `day ${day().toFixed(1).padStart(5)}`;
const say = (who: string, what: string) => console.log(`${stamp()}  ${who.padEnd(16)} ${what}`);

interface Email {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}
const printed = new Set<string>();
const emails = async (): Promise<Email[]> => ((await (await fetch(`${stack.urls.ses}/store`)).json()) as { emails: Email[] }).emails;
/** Prints each email once, as it arrives. */
const watchMail = setInterval(async () => {
  for (const email of await emails().catch(() => [])) {
    if (printed.has(email.messageId)) continue;
    printed.add(email.messageId);
    say('  email', `to ${email.destination.to.join(', ')}: ${email.subject}`);
  }
}, 100);

const token = (email: string, ...roles: Role[]) => issueLocalToken(join(dataDir, 'local-auth-key.json'), { email, roles });
const call = async (method: string, path: string, body?: unknown, bearer?: string) => {
  const response = await fetch(path.startsWith('http') ? path : `${stack.urls.api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as any;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
};
/** The newest email to `to` whose subject matches, once it has come. */
const emailed = async (to: string, subject: RegExp, within = 30_000): Promise<Email> => {
  const deadline = Date.now() + within;
  for (;;) {
    const found = (await emails()).filter((e) => e.destination.to.some((a) => a.includes(to)) && subject.test(e.subject)).at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no email to ${to} matching ${subject}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
/** The emailed link in that email. */
const linkFor = async (to: string, subject: RegExp, within?: number): Promise<string> => {
  const email = await emailed(to, subject, within);
  const link = /https?:\/\/\S+\/actions\/[A-Za-z0-9._-]+/.exec(email.body.text ?? '')?.[0];
  if (!link) throw new Error(`no link in "${email.subject}"`);
  return link;
};

const sm = people.territories.GB!;
const customer = 'grace.buyer@bottling.example';
try {
  console.log(`salesflow demo: local stack at ${stack.urls.api}, ${scale / 86_400} days pass each second\n`);

  say('customer', 'returns a bingo card from the trade show, asking for the datasheet');
  const lead = await call('POST', '/leads', {
    channel: 'bingo-card',
    source: 'marketing-campaign',
    contact: { name: 'Grace Buyer', email: customer, company: 'Bottling Co Ltd', country: 'GB' },
    interest: { products: ['TX-200'], message: 'Three lines to test' },
    literature: ['technical-datasheet'],
  });
  await emailed(sm, /^New lead/);

  const smToken = await token(sm, 'SalesManager');
  say('SM', 'qualifies the lead: £300,000, so Engineering must review (R10)');
  const { opportunityId } = await call(
    'POST',
    `/leads/${lead.id}/qualification`,
    {
      business: 'Bottling, three lines',
      buyingConcept: 'Replace ageing testers',
      application: 'Inline leak testing',
      budget: '£300k approved',
      timing: 'Q1',
      buyingInfluences: [{ name: 'Grace Buyer', role: 'economic' }],
      productNeeds: ['TX-200'],
      nonStandardRequirements: null,
      estimatedValueGbp: 300_000,
      via: 'direct',
    },
    smToken,
  );

  say('Engineering', 'reviews the opportunity and advises the SM');
  await call(
    'POST',
    `/opportunities/${opportunityId}/engineering-review`,
    { recommendation: 'proceed', advice: 'Standard fixtures fit.', customerContact: 'call' },
    await token(people.engineeringEmail, 'Engineering'),
  );

  say('SM', 'requests a quote at 15% off: over the standard discount, so a QPA (R14)');
  await call(
    'POST',
    `/opportunities/${opportunityId}/quotes`,
    {
      lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 2, unitPriceGbp: 120_000, discountPercent: 15 }],
      proposalSummary: 'Two inline testers with fixtures and training',
    },
    smToken,
  );

  const qpa = await linkFor(people.salesAdminEmail, /^Prepare the QPA/);
  say('Sales Admin', 'prepares the QPA through the emailed link');
  await call('POST', qpa, { text: 'Strategic account; volume across three lines.' });

  const approve = await linkFor(people.approvers.salesDirector, /^Approve or reject the QPA/);
  say('Sales Director', 'approves the QPA through the emailed link (R15)');
  await call('POST', approve, { decision: 'approve', reason: 'Volume justifies it' });

  // R16: Sales Admin prepares the quote while Engineering helps the AE with the proposal (this
  // opportunity was Engineering's to review); then the AE writes the proposal.
  const [prepare, assist] = await Promise.all([
    linkFor(people.salesAdminEmail, /^Prepare the quote/),
    linkFor(people.engineeringEmail, /^Give the AE technical assistance/),
  ]);
  say('Sales Admin', 'prepares the quote; Engineering assists the AE, in parallel (R16)');
  await Promise.all([
    call('POST', prepare, { paymentTerms: '30 days net', deliveryTerms: 'Ex works, 6 weeks' }),
    call('POST', assist, { text: 'Use the standard fixture; add a reject gate.' }),
  ]);
  const propose = await linkFor(people.applicationEngineerEmail, /^Prepare the technical proposal/);
  say('AE', 'writes the technical proposal');
  await call('POST', propose, { text: 'Fixtures, software and two days of training.' });

  const sign = await linkFor(sm, /^Review and sign/);
  say('SM', 'reviews and signs the quote; salesflow sends the PDF to the customer (R17)');
  await call('POST', sign, { confirm: true });
  await emailed(customer, /^Your quotation/);

  const admin = await token(people.salesAdminEmail, 'SalesAdmin');
  say('Sales Admin', 'opens the account and records the PO the customer sent (R20)');
  const distributor = await call(
    'POST',
    '/accounts',
    {
      kind: 'distributor',
      name: 'Northern Instruments Ltd',
      ownerEmail: sm,
      size: 'large',
      contacts: [{ name: 'Dana Distributor', email: 'dana@northern.example' }],
    },
    admin,
  );
  const account = await call(
    'POST',
    '/accounts',
    {
      kind: 'customer',
      name: 'Bottling Co Ltd',
      ownerEmail: sm,
      distributorId: distributor.id,
      contacts: [{ name: 'Grace Buyer', email: customer }],
    },
    admin,
  );
  const order = await call(
    'POST',
    '/orders',
    {
      accountId: account.id,
      opportunityId,
      poNumber: 'PO-4471',
      lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 2, unitPrice: 102_000 }],
      userContact: { name: 'Ulla User', email: 'ulla@bottling.example' },
    },
    admin,
  );
  await emailed(people.productionEmail, /^Welcome Letter/);

  say('Production', 'prints and packs the Welcome Letter, and ships (R23, R25)');
  await call(
    'POST',
    `/orders/${order.id}/shipment`,
    { shippedAt: new Date().toISOString(), carrier: 'DHL' },
    await token(people.productionEmail, 'Production'),
  );
  const shippedAt = Date.now();

  await emailed('dana@northern.example', /received in good order/i, 60_000);
  const check = await linkFor(sm, /^Is the equipment operating OK\?/, 120_000);
  say('SM', 'calls the customer at day 60: all is well (R26)');
  await call('POST', check, { ok: true, notes: 'Running three shifts, no faults.' });
  await new Promise((resolve) => setTimeout(resolve, 1_500));

  const final = await call('GET', `/orders/${order.id}`, undefined, admin);
  console.log(
    `\ndone: order ${final.status}; ${printed.size} emails sent; ${((Date.now() - shippedAt) / 1000).toFixed(0)} s from shipment to the day-60 answer.`,
  );
} catch (error) {
  console.error(`\ndemo stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  clearInterval(watchMail);
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
