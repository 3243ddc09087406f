import { describe, expect, it } from 'vitest';
import { qualificationBody } from '../fixtures/qualification';
import { eventually, type SentEmail, stack, stackClient, uniqueEmail } from './local-stack';

/**
 * R1/R2 over HTTP on the shared stack: a campaign counts the leads it brought and what each cost;
 * material goes to chosen distributors with an unsubscribe link, and an address that used it never
 * gets bulk mail again.
 */
const client = stackClient(stack);
const { api, tokenFor, sentEmails, settledItemCount } = client;
const marketing = () => tokenFor('marketing@salesflow.example', 'Marketing');

const dayFrom = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A trade show running now: from two days ago to two days from now. */
const campaign = async (fields: Record<string, unknown> = {}) => {
  const created = await api('POST', '/campaigns', {
    body: {
      kind: 'trade-show',
      name: `Hannover Messe ${Math.random().toString(36).slice(2, 6)}`,
      startsOn: dayFrom(-2),
      endsOn: dayFrom(2),
      costGbp: 12_000,
      ...fields,
    },
    token: await marketing(),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
};

const distributor = async (name: string, size: 'large' | 'small', emails: string[]) => {
  const created = await api('POST', '/accounts', {
    body: {
      kind: 'distributor',
      name,
      size,
      ownerEmail: 'sm.uk@salesflow.example',
      contacts: emails.map((email, i) => ({ name: `Contact ${i}`, email })),
    },
    token: await tokenFor('sales.admin@salesflow.example', 'SalesAdmin'),
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
};

const mailTo = (address: string, subject: string) =>
  eventually(async () =>
    (await sentEmails()).find((email: SentEmail) => email.destination.to.includes(address) && email.subject === subject),
  );

describe('R1: campaigns', () => {
  it('counts the leads that name it, the qualified ones, and the cost per lead', async () => {
    const id = await campaign();
    const sm = await tokenFor('sm.uk@salesflow.example', 'SalesManager');
    const leads: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      const lead = await api('POST', '/leads', {
        body: {
          channel: 'bingo-card',
          source: 'marketing-campaign',
          campaignId: id,
          contact: { name: `Visitor ${n}`, email: uniqueEmail('visitor'), company: 'Stand Visitors', country: 'GB' },
        },
      });
      expect(lead.status).toBe(201);
      leads.push(lead.body.id);
    }
    expect((await api('POST', `/leads/${leads[0]}/qualification`, { body: qualificationBody(), token: sm })).status).toBe(201);
    const report = await api('GET', `/campaigns/${id}`, { token: await marketing() });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      kind: 'trade-show',
      leadCount: 4,
      qualifiedCount: 1,
      costPerLeadGbp: 3_000,
      costPerQualifiedLeadGbp: 12_000,
    });
    expect(report.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['campaign-opened']);
  });

  it('a campaign that is over, not yet on, or made up counts nothing; its leads still stand', async () => {
    const over = await campaign({ startsOn: dayFrom(-30), endsOn: dayFrom(-1) });
    const coming = await campaign({ startsOn: dayFrom(1), endsOn: dayFrom(3) });
    for (const campaignId of [over, coming, 'made-up-2026']) {
      const lead = await api('POST', '/leads', {
        body: {
          channel: 'bingo-card',
          source: 'marketing-campaign',
          campaignId,
          contact: { name: 'Late Visitor', email: uniqueEmail('late'), company: 'Late Ltd', country: 'GB' },
        },
      });
      expect(lead.status).toBe(201);
      const found = await api('GET', `/leads/${lead.body.id}`, { token: await tokenFor('sales.admin@salesflow.example', 'SalesAdmin') });
      expect(found.body.campaignId).toBeUndefined();
    }
    for (const id of [over, coming]) {
      expect((await api('GET', `/campaigns/${id}`, { token: await marketing() })).body).toMatchObject({ leadCount: 0 });
    }
  });

  it('a campaign of an unknown kind, or ending before it starts, is a 400; only Marketing records one', async () => {
    const before = await settledItemCount();
    const badKind = await api('POST', '/campaigns', {
      body: { kind: 'billboard', name: 'X', startsOn: '2026-01-01' },
      token: await marketing(),
    });
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors[0].path).toBe('kind');
    const backwards = await api('POST', '/campaigns', {
      body: { kind: 'advertising', name: 'X', startsOn: '2026-02-01', endsOn: '2026-01-01' },
      token: await marketing(),
    });
    expect(backwards.body.errors[0].path).toBe('endsOn');
    const sm = await tokenFor('sm.uk@salesflow.example', 'SalesManager');
    expect((await api('POST', '/campaigns', { body: { kind: 'advertising', name: 'X', startsOn: '2026-01-01' }, token: sm })).status).toBe(
      403,
    );
    expect(await settledItemCount()).toBe(before);
  });
});

describe('R2: material to distributors', () => {
  it("goes to the chosen distributors, on each one's timeline, with an unsubscribe link that works once and for good", async () => {
    const id = await campaign({ kind: 'direct-communication' });
    const [stays, leaves, other] = [uniqueEmail('stays'), uniqueEmail('leaves'), uniqueEmail('other')];
    const first = await distributor('Mailshot Dist One', 'large', [stays, leaves]);
    const second = await distributor('Mailshot Dist Two', 'small', [other]);
    const subject = `New tester range ${Math.random().toString(36).slice(2, 6)}`;
    const sent = await api('POST', `/campaigns/${id}/materials`, {
      body: { kind: 'mailshot', subject, body: 'Our new range is out.\n\nAsk us for a demo.', to: { distributorIds: [first, second] } },
      token: await marketing(),
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ distributors: 2, emailsQueued: 3, suppressed: 0 });
    const toLeaver = await mailTo(leaves, subject);
    const account = await api('GET', `/accounts/${first}`, { token: await tokenFor('sm.uk@salesflow.example', 'SalesManager') });
    expect(account.body.timeline.map((e: { kind: string }) => e.kind)).toContain('campaign-material');

    // The link: looking changes nothing; a forged one is refused; posting unsubscribes.
    const link = /https?:\/\/\S+\/unsubscribe\/[A-Za-z0-9._-]+/.exec(toLeaver.body.text!)![0];
    const shown = await api('GET', link);
    expect(shown.status).toBe(200);
    expect(shown.body).toContain(leaves);
    expect(
      (
        await api(
          'POST',
          link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
          { body: {} },
        )
      ).status,
    ).toBe(403);
    const form = await api('POST', link, { raw: 'confirm=yes', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(200);
    expect(form.body).toContain('no more marketing email');
    // A mail client's one-click unsubscribe (List-Unsubscribe-Post, RFC 8058) posts to the same link.
    const oneClick = await api('POST', link, {
      raw: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(oneClick.status).toBe(200);

    // The next mailshot skips the address, and says so.
    const again = `${subject} (reminder)`;
    const resent = await api('POST', `/campaigns/${id}/materials`, {
      body: { kind: 'cold-call', subject: again, body: 'Call us.', to: { distributorIds: [first] } },
      token: await marketing(),
    });
    expect(resent.body).toEqual({ distributors: 1, emailsQueued: 1, suppressed: 1 });
    await mailTo(stays, again);
    expect((await sentEmails()).filter((email) => email.destination.to.includes(leaves))).toHaveLength(1);
  });

  it('by size: every large distributor, and none of the small', async () => {
    const id = await campaign();
    const [large, small] = [uniqueEmail('large'), uniqueEmail('small')];
    await distributor('Size Dist Large', 'large', [large]);
    await distributor('Size Dist Small', 'small', [small]);
    const subject = `Large only ${Math.random().toString(36).slice(2, 6)}`;
    const sent = await api('POST', `/campaigns/${id}/materials`, {
      body: { kind: 'mailshot', subject, body: 'Hello', to: { size: 'large' } },
      token: await marketing(),
    });
    expect(sent.status).toBe(202);
    await mailTo(large, subject);
    expect((await sentEmails()).some((email) => email.destination.to.includes(small))).toBe(false);
  });

  it('a distributor id that is not a distributor is a 400 naming it, and nothing is sent', async () => {
    const id = await campaign();
    const before = await settledItemCount();
    const refused = await api('POST', `/campaigns/${id}/materials`, {
      body: { kind: 'mailshot', subject: 'x', body: 'y', to: { distributorIds: [crypto.randomUUID()] } },
      token: await marketing(),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].path).toBe('to.distributorIds.0');
    expect(await settledItemCount()).toBe(before);
  });
});
