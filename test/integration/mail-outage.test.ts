import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingNames } from '#functions/config';
import { eventually } from './local-stack';
import { startOwnStack, type OwnStack } from './own-stack';
import { line, people, quoteJourney } from './quote-journey';

/**
 * SES is down. The lead must still be stored at once, delivery retried, and after the last
 * attempt the failure must show on the lead for a person to follow up. This file runs its own
 * stack (in this worker process) whose SES endpoint answers nothing.
 */
let own: OwnStack;

beforeAll(async () => {
  own = await startOwnStack('outage', {
    [settingNames.emailMaxAttempts]: '2',
    // Step Functions' retry backoff, scaled: seconds become milliseconds.
    SALESFLOW_TIME_SCALE: '1000',
  });
  // Nothing listens here: every send fails to connect. Set before the first send creates the client.
  process.env.AWS_ENDPOINT_URL_SES = 'http://127.0.0.1:9';
}, 120_000);

afterAll(async () => {
  await own?.stop();
});

describe('a failing SES loses nothing', () => {
  it('the lead is stored, delivery is retried, and the failure is visible on the lead', async () => {
    const response = await fetch(`${own.local.urls.api}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'phone',
        source: 'se-phone-call',
        contact: { name: 'Olga Outage', email: 'olga@outage.test', company: 'Outage GmbH', country: 'DE' },
      }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const token = await own.client.tokenFor('admin@x.test', 'SalesAdmin');

    const lead = await eventually(async () => {
      const answer = await fetch(`${own.local.urls.api}/leads/${id}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await answer.json()) as { emails: { status: string; attempts: number }[]; timeline: { kind: string }[] };
      return body.emails.every((email) => email.status === 'failed') ? body : undefined;
    }, 45_000);
    expect(lead.emails).toHaveLength(2);
    expect(lead.emails.every((email) => email.attempts === 2)).toBe(true);
    expect(lead.timeline.filter((entry) => entry.kind === 'email-failed')).toHaveLength(2);
    expect(lead.timeline.map((entry) => entry.kind)).toContain('lead-logged');
  }, 60_000);
});

describe('a failing SES fails a quote visibly', () => {
  it('the workflow retries the email with backoff, then the quote shows failed and the run fails', async () => {
    const { client } = own;
    const { opportunity, quoteStatus } = quoteJourney(client);
    const { opportunityId } = await opportunity();
    const sm = await client.tokenFor(people.sm, 'SalesManager');
    const started = await client.api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: { lines: [line(2_000)], proposalSummary: 'A tester' },
      token: sm,
    });
    expect(started.status).toBe(202);
    // The other branch may still be asking for its step when this one fails: it must not bring
    // the quote back from "failed".
    const failed = await quoteStatus(started.body.quoteId, 'failed', 15_000);
    expect(failed.failure.error).toBeTruthy();
    const opp = await client.api('GET', `/opportunities/${opportunityId}`, { token: sm });
    expect(opp.body.timeline.map((entry: { kind: string }) => entry.kind)).toContain('quote-failed');
    const run = await eventually(async () => {
      const described = await client.stepFunctions.send(new DescribeExecutionCommand({ executionArn: started.body.executionArn }));
      return described.status === 'FAILED' ? described : undefined;
    });
    expect(run.error).toBe('Quote.Failed');
    expect((await quoteJourney(client).quote(started.body.quoteId)).status).toBe('failed');
    // A failed quote waits on nobody: its open steps left the agenda.
    const admin = await client.api('GET', '/agenda', { token: await client.tokenFor(people.salesAdmin, 'SalesAdmin') });
    expect(admin.body.items.filter((item: { subject: { id: string } }) => item.subject.id === started.body.quoteId)).toEqual([]);
    // The first attempt and three retries with backoff, before the failure was recorded.
    const { events = [] } = await client.stepFunctions.send(
      new GetExecutionHistoryCommand({ executionArn: started.body.executionArn }),
    );
    expect(events.filter((event) => event.type === 'TaskFailed').length).toBeGreaterThanOrEqual(4);
  });
});

describe('a failing SES and the weekly digest', () => {
  it('the run is retried, then lands on the dead-letter file; the contacts stay due for the next tick', async () => {
    const { client } = own;
    const created = await client.api('POST', '/accounts', {
      body: { kind: 'customer', name: 'Digest Outage Ltd', selected: true, ownerEmail: people.sm, contacts: [{ name: 'K', email: 'k@outage.test' }] },
      token: await client.tokenFor(people.salesAdmin, 'SalesAdmin'),
    });
    expect(created.status).toBe(201);
    const tick = new Date(Date.now() + 60_000).toISOString();
    const fired = await client.fire('weekly-digest', tick);
    expect(fired.status).toBe(502);
    expect(fired.body.deadLettered).toBe(true);
    const deadLetters = readFileSync(join(own.dataDir, 'dead-letters', 'schedules.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(deadLetters.at(-1)).toMatchObject({ schedule: 'weekly-digest', tick, error: 'DigestsNotSent' });
    const account = await client.api('GET', `/accounts/${created.body.id}`, { token: await client.tokenFor(people.sm, 'SalesManager') });
    expect(account.body.due.map((d: { kind: string }) => d.kind)).toEqual(['sm-call']);
    expect(account.body.due[0].lastDoneAt).toBeUndefined();
  });
});
