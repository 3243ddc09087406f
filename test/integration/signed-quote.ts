import { expect } from 'vitest';
import { eventually, type StackClient } from './local-stack';
import { people, quoteJourney } from './quote-journey';

/**
 * A quote taken through its steps over HTTP, each by its person through the internal route: Sales
 * Admin prepares it, the AE the proposal, the SM signs, and it goes to the customer. Lines within
 * the standard discount, so no QPA. With `sign: false` it stops where it waits for preparation.
 */
export const signedQuote = async (
  client: StackClient,
  lines: { sku: string; description: string; quantity: number; unitPriceGbp: number; discountPercent: number }[],
  options: { sign?: boolean } = {},
) => {
  const { api, tokenFor } = client;
  const journey = quoteJourney(client);
  const { opportunityId, company, sm } = await journey.opportunity({ value: 60_000 });
  const started = await api('POST', `/opportunities/${opportunityId}/quotes`, {
    body: { lines, proposalSummary: 'Testers with fixtures', nonStandardRequirements: null, validForDays: 30 },
    token: sm,
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const quoteId = started.body.quoteId as string;
  const number = started.body.number as string;
  const open = (task: string) =>
    eventually(async () => ((await journey.quote(quoteId)).tasks as { task: string }[]).some((t) => t.task === task), 30_000);
  await open('prepare-quote');
  if (options.sign === false) return { opportunityId, company, quoteId, number };
  const step = async (task: string, body: unknown, token: string) => {
    await open(task);
    const done = await api('POST', `/quotes/${quoteId}/tasks/${task}`, { body, token });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
  };
  await step(
    'prepare-quote',
    { paymentTerms: '30 days net', deliveryTerms: 'Ex works, six weeks' },
    await tokenFor(people.salesAdmin, 'SalesAdmin'),
  );
  await step(
    'prepare-proposal',
    { text: 'Two testers on the new line, with fixtures' },
    await tokenFor(people.applicationEngineer, 'ApplicationEngineer'),
  );
  await step('sign', { confirm: true }, sm);
  await journey.quoteStatus(quoteId, 'sent', 30_000);
  return { opportunityId, company, quoteId, number };
};
