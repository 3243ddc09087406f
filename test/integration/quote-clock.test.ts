import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type StackClient } from './local-stack';
import { type OwnStack, startOwnStack } from './own-stack';
import { line, people, quoteJourney } from './quote-journey';

/**
 * Time passing: people who do not answer, customers who do not call back. This file runs its own
 * stack with time scaled so that a day passes in two seconds: a person's three days in six, the
 * R18 week in fourteen.
 */
const dayInSeconds = 2;
let own: OwnStack;
let client: StackClient;
let journey: ReturnType<typeof quoteJourney>;

beforeAll(async () => {
  own = await startOwnStack('clock', { SALESFLOW_TIME_SCALE: String(86_400 / dayInSeconds) });
  client = own.client;
  journey = quoteJourney(client);
}, 120_000);

afterAll(async () => {
  await own?.stop();
});

describe('nothing waits forever', () => {
  it('an approver who never answers is chased twice, then the quote lapses and the SM is told', async () => {
    const { api, tokenFor, stepFunctions } = client;
    const { opportunity, emailTo, emailsTo, linkIn, quoteStatus } = journey;
    const { opportunityId, company } = await opportunity();
    const sm = await tokenFor(people.sm, 'SalesManager');
    const started = await api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: { lines: [line(10_000, 20)], proposalSummary: 'Testers' },
      token: sm,
    });
    expect(started.status).toBe(202);
    const firstAsk = await emailTo(people.salesAdmin, company, /^Prepare the QPA/);
    // The open step is on Sales Admin's agenda, overdue once its three days pass.
    const admin = await tokenFor(people.salesAdmin, 'SalesAdmin');
    const onAgenda = async () =>
      ((await api('GET', '/agenda', { token: admin })).body.items as { subject: { id: string }; kind: string }[]).filter(
        (item) => item.subject.id === started.body.quoteId,
      );
    expect((await onAgenda()).map((item) => item.kind)).toEqual(['prepare-qpa']);

    // Three (scaled) days without an answer: the SM and the sales director hear of it, a new link goes out.
    const escalation = await emailTo(people.sm, company, /^Overdue: Prepare the QPA/, { within: 15_000 });
    // (aws-ses-v2-local files a raw message's To header as one string.)
    const escalatedTo = escalation.destination.to.join(', ');
    expect(escalatedTo).toContain(people.sm);
    expect(escalatedTo).toContain(people.salesDirector);
    const reminder = await emailTo(people.salesAdmin, company, /^Reminder: Prepare the QPA/);
    expect((await api('GET', linkIn(firstAsk))).status).toBe(410); // the old link was replaced
    expect((await api('GET', linkIn(reminder))).status).toBe(200);

    const lapsed = await quoteStatus(started.body.quoteId, 'lapsed', 30_000);
    expect(lapsed.escalations['prepare-qpa']).toBe(3);
    expect(await onAgenda()).toEqual([]); // a lapsed quote waits on nobody
    expect(await emailsTo(people.sm, company, /^Overdue/)).toHaveLength(2);
    await emailTo(people.sm, company, /^Quote lapsed/);
    await eventually(async () => {
      const run = await stepFunctions.send(new DescribeExecutionCommand({ executionArn: started.body.executionArn }));
      return run.status === 'SUCCEEDED';
    });
  }, 60_000);

  it('R18: the customer has not answered a week after the quote went out; the SM is reminded', async () => {
    const { api, tokenFor } = client;
    const { opportunity, emailTo, linkIn, quoteStatus } = journey;
    const { opportunityId, company } = await opportunity();
    const sm = await tokenFor(people.sm, 'SalesManager');
    const { quoteId } = (
      await api('POST', `/opportunities/${opportunityId}/quotes`, {
        body: { lines: [line(3_000)], proposalSummary: 'A tester' },
        token: sm,
      })
    ).body;
    const ae = await tokenFor(people.applicationEngineer, 'ApplicationEngineer');
    await emailTo(people.applicationEngineer, company, /^Prepare the technical proposal/);
    expect((await api('POST', `/quotes/${quoteId}/tasks/prepare-proposal`, { body: { text: 'Proposal' }, token: ae })).status).toBe(200);
    const toPrepare = await emailTo(people.salesAdmin, company, /^Prepare the quote/);
    expect((await api('POST', linkIn(toPrepare), { body: { paymentTerms: '30 days', deliveryTerms: 'Ex works' } })).status).toBe(200);
    const toSign = await emailTo(people.sm, company, /^Review and sign/);
    expect((await api('POST', linkIn(toSign), { body: { confirm: true } })).status).toBe(200);
    const sent = await quoteStatus(quoteId, 'sent');

    const reminder = await emailTo(people.sm, company, /^Follow up your quote/, { within: 30_000 });
    expect(reminder.body.text).toContain(sent.transmission.at.slice(0, 10));
    const followed = await eventually(async () => {
      const { body } = await api('GET', `/quotes/${quoteId}`, { token: sm });
      return body.followUp ? body : undefined;
    });
    expect(followed.followUp.outcome).toBe('reminded');

    // The stale quote is on the SM's agenda (and so in the digest) until the follow-up is logged.
    const agenda = async () => ((await api('GET', '/agenda', { token: sm })).body.items as { kind: string }[]).map((item) => item.kind);
    expect(await agenda()).toContain(`quote-follow-up:${quoteId}`);
    const logged = await api('POST', `/opportunities/${opportunityId}/activities`, {
      body: { kind: 'call', summary: 'Customer reviewing the quote with finance', with: 'Bea Buyer' },
      token: sm,
    });
    expect(logged.body.followedUp).toBe(1);
    expect(await agenda()).not.toContain(`quote-follow-up:${quoteId}`);
  }, 60_000);
});
