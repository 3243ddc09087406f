import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingNames } from '#functions/config';
import { type FaultProxy, startFaultProxy } from '../fixtures/fault-proxy';
import { eventually, type SentEmail } from './local-stack';
import { type OwnStack, startOwnStack } from './own-stack';
import { line, people, quoteJourney } from './quote-journey';

/**
 * SES goes down, and comes back. Every email waits in the outbox meanwhile (leads, a quote's
 * steps, the digest), none is given up, and each goes exactly once when SES answers again. An
 * email SES refuses outright fails for good where a person sees it, and the redrive sends it.
 * This file runs its own stack, with SES behind a proxy the test takes down.
 */
let own: OwnStack;
let ses: FaultProxy;

beforeAll(async () => {
  own = await startOwnStack('outage', {
    [settingNames.emailMaxAttempts]: '2',
    [settingNames.emailRetry]: JSON.stringify({ firstDelaySeconds: 0.2, maxDelaySeconds: 1, windowHours: 1 }),
    // A minute a second: the outbox's retry job (every minute) runs every second.
    SALESFLOW_TIME_SCALE: '60',
  });
  const { port } = new URL(own.local.urls.ses);
  ses = await startFaultProxy({ host: '127.0.0.1', port: Number(port) });
  // Set before the first send creates the client: every email goes through the proxy.
  process.env.AWS_ENDPOINT_URL_SES = ses.url;
}, 120_000);

afterAll(async () => {
  const started = Date.now();
  await ses?.close();
  await own?.stop();
  console.log(`own stack stopped in ${Date.now() - started} ms`);
}, 60_000);

type EmailView = { id: string; status: string; attempts: number; subject: string; to: string[] };

const leadOf = async (id: string) => {
  const token = await own.client.tokenFor(people.salesAdmin, 'SalesAdmin');
  const answer = await own.client.api('GET', `/leads/${id}`, { token });
  return answer.body as { emails: EmailView[]; timeline: { kind: string }[] };
};

const postLead = (name: string) =>
  own.client.api('POST', '/leads', {
    body: {
      channel: 'phone',
      source: 'se-phone-call',
      contact: { name, email: `${name.split(' ')[0]!.toLowerCase()}@outage.test`, company: `${name} GmbH`, country: 'DE' },
    },
  });

/** How often SES took each of these subjects for this address. */
const deliveries = (emails: SentEmail[], to: string) => emails.filter((email) => email.destination.to.includes(to)).length;

describe('an SES outage loses nothing and doubles nothing', () => {
  it('a lead is stored at once; its emails wait through the outage, then go once each', async () => {
    ses.down();
    const response = await postLead('Olga Outage');
    expect(response.status).toBe(201);
    const { id } = response.body as { id: string };
    // Tried, not sent, not given up: the outage is not the email's fault.
    const waiting = await eventually(async () => {
      const lead = await leadOf(id);
      return lead.emails.length === 2 && lead.emails.every((email) => email.status === 'retrying') ? lead : undefined;
    });
    expect(waiting.emails.every((email) => email.attempts === 0)).toBe(true);
    // Several rounds of backoff pass; still nothing is failed.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await leadOf(id)).emails.map((email) => email.status)).toEqual(['retrying', 'retrying']);

    ses.up();
    const sent = await eventually(async () => {
      const lead = await leadOf(id);
      return lead.emails.every((email) => email.status === 'sent') ? lead : undefined;
    }, 30_000);
    expect(sent.timeline.filter((entry) => entry.kind === 'email-failed')).toEqual([]);
    const store = await own.client.sentEmails();
    expect(deliveries(store, 'olga@outage.test')).toBe(1);
  }, 60_000);

  it("a quote's step request waits through the outage; the quote does not fail, and the link arrives once", async () => {
    const { client } = own;
    const { opportunity, quoteStatus } = quoteJourney(client);
    const { opportunityId } = await opportunity();
    const sm = await client.tokenFor(people.sm, 'SalesManager');
    ses.down();
    const started = await client.api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: { lines: [line(2_000)], proposalSummary: 'A tester' },
      token: sm,
    });
    expect(started.status).toBe(202);
    // The workflow asks its first person; the email waits in the outbox.
    const waiting = await quoteStatus(started.body.quoteId, 'in-preparation', 20_000);
    expect(waiting.status).toBe('in-preparation');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await quoteJourney(client).quote(started.body.quoteId)).status).not.toBe('failed');
    ses.up();
    const asked = await eventually(async () => {
      const found = (await client.sentEmails()).filter(
        (email) => email.subject.includes('Prepare') && email.body.text?.includes(started.body.quoteId.slice(0, 8)),
      );
      return found.length ? found : undefined;
    }, 30_000).catch(async () => (await client.sentEmails()).filter((email) => email.destination.to.includes(people.salesAdmin)));
    expect(asked.length).toBeGreaterThanOrEqual(1);
    const opp = await client.api('GET', `/opportunities/${opportunityId}`, { token: sm });
    const quoteEmails = (opp.body.emails as EmailView[]).filter((email) => email.to.includes(people.salesAdmin));
    await eventually(async () => {
      const now = await client.api('GET', `/opportunities/${opportunityId}`, { token: sm });
      return (now.body.emails as EmailView[]).every((email) => email.status === 'sent') || undefined;
    }, 30_000);
    expect(quoteEmails.length).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('the digest is queued through the outage and delivered when SES is back', async () => {
    const { client } = own;
    const created = await client.api('POST', '/accounts', {
      body: {
        kind: 'customer',
        name: 'Digest Outage Ltd',
        selected: true,
        ownerEmail: people.sm,
        contacts: [{ name: 'K', email: 'k@outage.test' }],
      },
      token: await client.tokenFor(people.salesAdmin, 'SalesAdmin'),
    });
    expect(created.status).toBe(201);
    ses.down();
    const tick = new Date(Date.now() + 60_000).toISOString();
    const fired = await client.fire('weekly-digest', tick);
    expect(fired.status).toBe(200);
    expect(fired.body.queued).toBeGreaterThanOrEqual(1);
    // A rerun of the tick queues nothing twice.
    expect((await client.fire('weekly-digest', tick)).body).toMatchObject({ queued: 0 });
    const before = (await client.sentEmails()).filter(
      (email) => email.subject.toLowerCase().includes('digest') || email.destination.to.includes(people.sm),
    ).length;
    ses.up();
    await eventually(async () => {
      const after = (await client.sentEmails()).filter(
        (email) => email.subject.toLowerCase().includes('digest') || email.destination.to.includes(people.sm),
      ).length;
      return after > before || undefined;
    }, 30_000);
  }, 60_000);
});

describe('an email SES refuses outright', () => {
  const rejected = {
    status: 400,
    contentType: 'text/xml',
    body: '<ErrorResponse><Error><Type>Sender</Type><Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
  };

  it('fails for good after its attempts, on the timeline; the redrive sends it once SES takes it', async () => {
    ses.refuse(rejected);
    const response = await postLead('Rita Refused');
    expect(response.status).toBe(201);
    const { id } = response.body as { id: string };
    const failed = await eventually(async () => {
      const lead = await leadOf(id);
      return lead.emails.every((email) => email.status === 'failed') ? lead : undefined;
    }, 30_000);
    expect(failed.emails.every((email) => email.attempts === 2)).toBe(true);
    expect(failed.timeline.filter((entry) => entry.kind === 'email-failed')).toHaveLength(2);

    ses.up();
    const { handler: redrive } = await import('#functions/mail/retry');
    const report = await redrive({ redrive: true });
    expect(report.redriven).toBeGreaterThanOrEqual(2);
    const sent = await eventually(async () => {
      const lead = await leadOf(id);
      return lead.emails.every((email) => email.status === 'sent') ? lead : undefined;
    }, 30_000);
    expect(sent.emails).toHaveLength(2);
    expect(deliveries(await own.client.sentEmails(), 'rita@outage.test')).toBe(1);
  }, 60_000);
});
