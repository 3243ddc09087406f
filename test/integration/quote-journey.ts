import { expect } from 'vitest';
import { qualificationBody } from '../fixtures/qualification';
import { eventually, linkIn, type SentEmail, type StackClient, uniqueEmail } from './local-stack';

/**
 * The people of a quote's journey, as the local stack's defaults name them
 * (infra/process-settings.ts), and the steps they take over HTTP.
 */
export const people = {
  sm: 'sm.uk@salesflow.example',
  salesAdmin: 'sales.admin@salesflow.example',
  applicationEngineer: 'application.engineering@salesflow.example',
  engineering: 'engineering@salesflow.example',
  salesDirector: 'sales.director@salesflow.example',
  finance: 'finance@salesflow.example',
  md: 'md@salesflow.example',
};

export const line = (unitPriceGbp: number, discountPercent = 0, quantity = 1) => ({
  sku: 'TX-200',
  description: 'Inline tester',
  quantity,
  unitPriceGbp,
  discountPercent,
});

export const quoteJourney = (client: StackClient) => {
  const { api, tokenFor, sentEmails } = client;

  /**
   * A qualified prospect of the UK SM's, with a company name no other test uses. With `reviewed`,
   * one that needs Engineering's review (R10) has it: no quote comes before it.
   */
  const opportunity = async (options: { value?: number; nonStandard?: string; reviewed?: boolean } = {}) => {
    const company = `Quote Test ${Math.random().toString(36).slice(2, 8)} Ltd`;
    const customer = uniqueEmail('buyer');
    const lead = await api('POST', '/leads', {
      body: { channel: 'phone', source: 'se-phone-call', contact: { name: 'Bea Buyer', email: customer, company, country: 'GB' } },
    });
    expect(lead.status).toBe(201);
    const sm = await tokenFor(people.sm, 'SalesManager');
    const qualified = await api('POST', `/leads/${lead.body.id}/qualification`, {
      body: qualificationBody(options.value ?? 50_000, options.nonStandard ?? null),
      token: sm,
    });
    expect(qualified.status).toBe(201);
    if (qualified.body.engineeringReview === 'required' && options.reviewed) {
      const review = await api('POST', `/opportunities/${qualified.body.opportunityId}/engineering-review`, {
        body: { recommendation: 'proceed', advice: 'Standard fixtures fit.' },
        token: await tokenFor(people.engineering, 'Engineering'),
      });
      expect(review.status).toBe(201);
    }
    return { opportunityId: qualified.body.opportunityId as string, company, customer, sm };
  };

  /** The newest email to `to` about `company` whose subject matches, once it has arrived. */
  const emailTo = (to: string, company: string, subject: RegExp, options: { within?: number; count?: number } = {}) =>
    eventually(async () => {
      const found = (await sentEmails()).filter(
        (email) =>
          email.destination.to.some((address) => address.includes(to)) && email.subject.includes(company) && subject.test(email.subject),
      );
      return found.length >= (options.count ?? 1) ? found.at(-1) : undefined;
    }, options.within ?? 20_000);

  const emailsTo = async (to: string, company: string, subject: RegExp): Promise<SentEmail[]> =>
    (await sentEmails()).filter(
      (email) =>
        email.destination.to.some((address) => address.includes(to)) && email.subject.includes(company) && subject.test(email.subject),
    );

  const quote = async (quoteId: string) => {
    const answer = await api('GET', `/quotes/${quoteId}`, { token: await tokenFor(people.sm, 'SalesManager') });
    expect(answer.status).toBe(200);
    return answer.body;
  };

  const quoteStatus = (quoteId: string, status: string, within?: number) =>
    eventually(async () => {
      const found = await quote(quoteId);
      return found.status === status ? found : undefined;
    }, within);

  /** A person's step on a quote, done through the internal route rather than its emailed link. */
  const completeQuoteStep = (quoteId: string, step: string, body: unknown, token: string) =>
    api('POST', `/quotes/${quoteId}/steps/${step}`, { body, token });

  /** Waits until the quote asks for `step`. */
  const stepOpen = (quoteId: string, step: string, within = 30_000) =>
    eventually(async () => ((await quote(quoteId)).steps as { task: string }[]).some((open) => open.task === step), within);

  return { opportunity, emailTo, emailsTo, linkIn, quote, quoteStatus, completeQuoteStep, stepOpen };
};
