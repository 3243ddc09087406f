import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SendTaskFailureCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/table-design';
import { stack, stackClient } from './local-stack';
import { line, people, quoteJourney } from './quote-journey';

/**
 * "Nothing lost, nothing doubled": a person's answer is kept only if the workflow takes it. On the
 * local stack, a run stopped stands for one that is gone (a restart forgets its runs; on AWS a
 * task times out, a run fails), and a task failed through the Step Functions API for a step that
 * keeps failing.
 */
const client = stackClient(stack);
const { api, tokenFor, stepFunctions, dynamodb } = client;
const { opportunity, emailTo, linkIn, quote, quoteStatus } = quoteJourney(client);

let sm: string;
let ae: string;
beforeAll(async () => {
  sm = await tokenFor(people.sm, 'SalesManager');
  ae = await tokenFor(people.applicationEngineer, 'ApplicationEngineer');
});

/** A quote with no QPA, waiting for Sales Admin's quote and the AE's proposal (R16). */
const quoteBeingPrepared = async () => {
  const { opportunityId, company } = await opportunity();
  const started = await api('POST', `/opportunities/${opportunityId}/quotes`, {
    body: { lines: [line(4_000)], proposalSummary: 'One inline tester' },
    token: sm,
  });
  expect(started.status).toBe(202);
  const toPrepare = linkIn(await emailTo(people.salesAdmin, company, /^Prepare the quote/));
  const toPropose = linkIn(await emailTo(people.applicationEngineer, company, /^Prepare the technical proposal/));
  return {
    opportunityId,
    company,
    quoteId: started.body.quoteId as string,
    executionArn: started.body.executionArn as string,
    toPrepare,
    toPropose,
  };
};

const stored = async (key: { pk: string; sk: string }) => {
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: stack.tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }),
  );
  return Item && unmarshall(Item);
};

const onAgendaOf = async (person: string, role: 'SalesAdmin' | 'ApplicationEngineer', quoteId: string) =>
  ((await api('GET', '/agenda', { token: await tokenFor(person, role) })).body.items as { subject: { id: string } }[]).filter(
    (item) => item.subject.id === quoteId,
  );

const timelineOf = async (opportunityId: string) =>
  (await api('GET', `/opportunities/${opportunityId}`, { token: sm })).body.timeline as { kind: string; summary: string }[];

const terms = { paymentTerms: '30 days net', deliveryTerms: 'Ex works, 6 weeks' };

describe('an answer the workflow no longer waits for', () => {
  it('an answer to a step whose run is gone is refused and leaves the quote as it was', async () => {
    const { opportunityId, quoteId, executionArn, toPrepare } = await quoteBeingPrepared();
    // The run is gone, as after a restart of the local stack.
    await stepFunctions.send(new StopExecutionCommand({ executionArn }));
    const before = await quote(quoteId);

    const refused = await api('POST', toPrepare, { body: terms });
    expect(refused.status).toBe(410);
    expect(refused.body.message).toMatch(/no longer waiting.*not recorded/);

    const after = await quote(quoteId);
    expect(after.prepared).toEqual(before.prepared);
    expect(after.status).toBe(before.status);
    // Its step is closed: no one waits for it, and its link answers nothing any more.
    expect(after.tasks.map((t: { task: string }) => t.task)).toEqual(['prepare-proposal']);
    expect((await api('GET', toPrepare)).status).toBe(410);
    expect((await api('POST', toPrepare, { body: terms })).status).toBe(410);
    expect((await quote(quoteId)).prepared).toEqual(before.prepared);
    expect(await onAgendaOf(people.salesAdmin, 'SalesAdmin', quoteId)).toEqual([]);
    // The timeline says the step closed, and nothing of the answer.
    const timeline = await timelineOf(opportunityId);
    expect(timeline.some((entry) => entry.summary.includes('Quote prepared and filed'))).toBe(false);
    expect(timeline.some((entry) => entry.summary.includes(`${people.salesAdmin}'s answer was not recorded`))).toBe(true);
    expect(JSON.stringify(timeline)).not.toContain('30 days net');

    // The internal route is refused the same way.
    const proposed = await api('POST', `/quotes/${quoteId}/tasks/prepare-proposal`, {
      body: { text: 'Fixture, software, training.' },
      token: ae,
    });
    expect(proposed.status).toBe(410);
    const last = await quote(quoteId);
    expect(last.prepared).toEqual(before.prepared);
    expect(last.tasks).toEqual([]);
  });
});

describe('a quote whose workflow fails', () => {
  it('a failed quote lists no open step and says why it failed', async () => {
    const { opportunityId, quoteId, toPropose } = await quoteBeingPrepared();
    // Sales Admin's step keeps failing: each attempt's task fails (with a Lambda-style cause that
    // names a person), the workflow retries it, then catches the failure into "Record the failure".
    const failedTokens = new Set<string>();
    const cause = JSON.stringify({
      errorType: 'DocumentStore.Unavailable',
      errorMessage: 'The document store did not answer for bea.buyer@customer.test',
    });
    const deadline = Date.now() + 45_000;
    for (;;) {
      const current = await stored(keys.quote(quoteId));
      if (current?.status === 'failed') break;
      if (Date.now() > deadline) throw new Error('the quote did not fail');
      const actionId = current?.tasks?.['prepare-quote']?.actionId as string | undefined;
      const token = actionId && ((await stored(keys.action(actionId)))?.taskToken as string | undefined);
      if (token && !failedTokens.has(token)) {
        failedTokens.add(token);
        await stepFunctions
          .send(new SendTaskFailureCommand({ taskToken: token, error: 'DocumentStore.Unavailable', cause }))
          .catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const failed = await quoteStatus(quoteId, 'failed');
    expect(failed.tasks).toEqual([]);
    expect(failed.failure).toMatchObject({ error: 'DocumentStore.Unavailable', reason: 'The document store did not answer for [address]' });
    expect(await onAgendaOf(people.applicationEngineer, 'ApplicationEngineer', quoteId)).toEqual([]);
    expect(await onAgendaOf(people.salesAdmin, 'SalesAdmin', quoteId)).toEqual([]);
    const failedEntry = (await timelineOf(opportunityId)).find((entry) => entry.kind === 'quote-failed');
    expect(failedEntry?.summary).toContain('The document store did not answer');
    expect(failedEntry?.summary).not.toContain('bea.buyer');

    // The AE's link, never answered, answers nothing now, and records nothing.
    expect((await api('GET', toPropose)).status).toBe(410);
    expect((await api('POST', toPropose, { body: { text: 'A late proposal' } })).status).toBe(410);
    const internal = await api('POST', `/quotes/${quoteId}/tasks/prepare-proposal`, { body: { text: 'A late proposal' }, token: ae });
    expect(internal.status).toBeGreaterThanOrEqual(400);
    expect((await quote(quoteId)).prepared).toEqual({});
  });
});
