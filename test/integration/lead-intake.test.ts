import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { qualificationBody } from '../fixtures/qualification';
import { api, eventually, sentEmails, stack, tokenFor, uniqueEmail } from './local-stack';

const lead = (email: string, over: Record<string, unknown> = {}) => ({
  channel: 'bingo-card',
  source: 'marketing-campaign',
  campaignId: 'hannover-messe-2026',
  contact: { name: 'Ann Smith', email, company: 'Acme Ltd', country: 'GB', phone: '+44 20 7946 0000' },
  interest: { products: ['tester'], message: 'Interested in <b>inline</b> testing' },
  literature: ['product-brochure', 'technical-datasheet'],
  ...over,
});

const qualification = qualificationBody;

let admin: string;
let sm: string;
let engineer: string;

beforeAll(async () => {
  admin = await tokenFor('admin@salesflow.example', 'SalesAdmin');
  sm = await tokenFor('sm.uk@salesflow.example', 'SalesManager');
  engineer = await tokenFor('eng@salesflow.example', 'Engineering');
});

const postLead = async (body: unknown) => {
  const answer = await api('POST', '/leads', { body });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
};

describe('R3/R4: a customer response becomes a lead', () => {
  it('a bingo card is stored, the customer gets the literature, and the owning SM is advised', async () => {
    const customer = uniqueEmail('ann');
    const answer = await api('POST', '/leads', { body: lead(customer) });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ id: expect.any(String), status: 'suspect' });
    const id = answer.body.id as string;

    // It is in DynamoDB Local, under the key design's key.
    const raw = new DynamoDBClient({
      endpoint: stack.dynamodb,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const { Item } = await raw.send(
      new GetItemCommand({ TableName: stack.tableName, Key: { pk: { S: `LEAD#${id}` }, sk: { S: 'LEAD' } } }),
    );
    expect(Item?.status?.S).toBe('suspect');
    expect(Item?.owner?.S).toBe('sm.uk@salesflow.example');

    // The customer's literature email and the SM's advice, through SES.
    const literature = await eventually(async () => (await sentEmails()).find((e) => e.destination.to.includes(customer)));
    expect(literature.subject).toBe('The information you requested');
    expect(literature.body.text).toContain('/literature/product-brochure.pdf');
    expect(literature.body.text).toContain('Technical datasheet');
    const advice = await eventually(async () =>
      (await sentEmails()).find((e) => e.destination.to.includes('sm.uk@salesflow.example') && e.body.text?.includes(customer)),
    );
    expect(advice.subject).toBe('New lead: Acme Ltd');
    expect(advice.body.html).toContain('Interested in &#60;b&#62;inline&#60;/b&#62; testing');
    expect(advice.body.text).toContain(`/app/lead.html?id=${id}`);

    // R27: the timeline says who, when, what and how, and the emails show as sent.
    const found = await eventually(async () => {
      const { body } = await api('GET', `/leads/${id}`, { token: admin });
      return body.emails.every((e: { status: string }) => e.status === 'sent') ? body : undefined;
    });
    expect(found.timeline.map((e: { kind: string }) => e.kind).sort()).toEqual(
      ['customer-responded-to', 'lead-logged', 'owner-advised'].sort(),
    );
    expect(found.timeline.find((e: { kind: string }) => e.kind === 'lead-logged')).toMatchObject({
      actor: customer,
      channel: 'bingo-card',
      at: expect.any(String),
    });
    // R1: no campaign of that id is running: the lead stands and counts for none (issue 13).
    expect(found.campaignId).toBeUndefined();
  });

  it('the same address again that day is folded into its lead: one lead, one email to it, the SM advised once', async () => {
    const customer = uniqueEmail('twice');
    const first = await postLead(lead(customer));
    const again = await api('POST', '/leads', { body: lead(customer, { channel: 'web-form', literature: ['price-list'] }) });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first);
    const found = await eventually(async () => {
      const { body } = await api('GET', `/leads/${first}`, { token: admin });
      return body.emails.every((e: { status: string }) => e.status === 'sent') ? body : undefined;
    });
    expect(found.timeline.map((e: { kind: string }) => e.kind)).toContain('lead-repeated');
    expect(found.emails).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await sentEmails()).filter((e) => e.destination.to.includes(customer))).toHaveLength(1);
    expect((await sentEmails()).filter((e) => e.body.text?.includes(customer))).toHaveLength(1);
  });

  it('a lead with no country and no distributor still has an owner (R5)', async () => {
    const id = await postLead(lead(uniqueEmail('nocountry'), { contact: { name: 'Kenji', email: uniqueEmail('k'), company: 'Kaisha' } }));
    const { body } = await api('GET', `/leads/${id}`, { token: admin });
    expect(body.owner).toBe('sales.manager@salesflow.example');
  });

  it('an HTML form post (no JavaScript) is accepted too', async () => {
    const customer = uniqueEmail('form');
    const form = new URLSearchParams([
      ['source', 'prior-contact'],
      ['contact.name', 'Fran Form'],
      ['contact.email', customer],
      ['contact.company', 'Formco'],
      ['contact.country', 'DE'],
      ['literature', 'case-studies'],
      ['literature', 'price-list'],
      ['website', ''],
    ]);
    const answer = await api('POST', '/leads', {
      raw: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answer.status).toBe(201);
    const { body } = await api('GET', `/leads/${answer.body.id}`, { token: admin });
    expect(body).toMatchObject({ channel: 'web-form', owner: 'sm.dach@salesflow.example', literature: ['case-studies', 'price-list'] });
  });

  it('a retry with the same Idempotency-Key returns the first answer, not a second lead', async () => {
    const customer = uniqueEmail('retry');
    const key = `retry-${customer}`;
    const first = await api('POST', '/leads', { body: lead(customer), headers: { 'idempotency-key': key } });
    const second = await api('POST', '/leads', { body: lead(customer), headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const { body } = await api('GET', `/leads?owner=sm.uk@salesflow.example&limit=100`, { token: admin });
    expect(body.leads.filter((l: { contact: { email: string } }) => l.contact.email === customer)).toHaveLength(1);
    await eventually(async () => (await sentEmails()).some((e) => e.destination.to.includes(customer)));
    expect((await sentEmails()).filter((e) => e.destination.to.includes(customer))).toHaveLength(1);
  });

  it('the same Idempotency-Key with another body is a 409', async () => {
    const key = `reuse-${uniqueEmail('k')}`;
    expect((await api('POST', '/leads', { body: lead(uniqueEmail('a')), headers: { 'idempotency-key': key } })).status).toBe(201);
    const reused = await api('POST', '/leads', { body: lead(uniqueEmail('b')), headers: { 'idempotency-key': key } });
    expect(reused.status).toBe(409);
    expect(reused.body.message).toMatch(/different body/);
  });
});

describe('reading leads', () => {
  it('lists by status and owner, newest first, a page at a time', async () => {
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      ids.push(await postLead(lead(uniqueEmail(name), { contact: { name, email: uniqueEmail(name), company: 'Listco', country: 'GB' } })));
    }
    const first = await api('GET', '/leads?owner=sm.uk@salesflow.example&status=suspect&limit=2', { token: sm });
    expect(first.status).toBe(200);
    expect(first.body.leads).toHaveLength(2);
    expect(first.body.leads[0].id).toBe(ids[2]);
    expect(first.body.leads[1].id).toBe(ids[1]);
    const next = await api('GET', `/leads?owner=sm.uk@salesflow.example&status=suspect&limit=2&cursor=${first.body.nextCursor}`, {
      token: sm,
    });
    expect(next.body.leads[0].id).toBe(ids[0]);
    const bySuspect = await api('GET', '/leads?status=suspect&limit=1', { token: admin });
    expect(bySuspect.body.leads).toHaveLength(1);
  });

  it('a cursor from another list is refused by field', async () => {
    const first = await api('GET', '/leads?status=suspect&limit=1', { token: admin });
    const misuse = await api('GET', `/leads?owner=sm.uk@salesflow.example&cursor=${first.body.nextCursor}`, { token: admin });
    expect(misuse.status).toBe(400);
    expect(misuse.body.errors[0].path).toBe('cursor');
  });

  it('an unknown lead is a 404; internal routes need a token (401) from the local issuer', async () => {
    expect((await api('GET', '/leads/7d8e0c11-7a9e-4c2b-9a57-2f1d3c4b5a69', { token: admin })).status).toBe(404);
    expect((await api('GET', '/leads/not-an-id', { token: admin })).status).toBe(404);
    expect((await api('GET', '/leads')).status).toBe(401);
    const forged = `${admin.split('.').slice(0, 2).join('.')}.${'A'.repeat(86)}`;
    expect((await api('GET', '/leads', { token: forged })).status).toBe(401);
  });
});

describe('R9/R10: qualification', () => {
  it('at exactly £250,000 Engineering review is not required', async () => {
    const id = await postLead(lead(uniqueEmail('q250')));
    const answer = await api('POST', `/leads/${id}/qualification`, { body: qualification(250000), token: sm });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ opportunityId: expect.any(String), engineeringReview: 'not-required' });
    const { body } = await api('GET', `/leads/${id}`, { token: sm });
    expect(body).toMatchObject({ status: 'prospect', opportunityId: answer.body.opportunityId });
  });

  it('at £250,001 Engineering is asked to review, gives its advice once, and the SM hears of it', async () => {
    const id = await postLead(lead(uniqueEmail('q250001')));
    const answer = await api('POST', `/leads/${id}/qualification`, { body: qualification(250001), token: sm });
    expect(answer.body.engineeringReview).toBe('required');
    const opportunityId = answer.body.opportunityId as string;
    await eventually(async () =>
      (await sentEmails()).find((e) => e.destination.to.includes('engineering@salesflow.example') && e.body.text?.includes(opportunityId)),
    );

    // R28: only Engineering reviews.
    const bySm = await api('POST', `/opportunities/${opportunityId}/engineering-review`, {
      body: { recommendation: 'proceed', advice: 'Fine' },
      token: sm,
    });
    expect(bySm.status).toBe(403);
    const review = await api('POST', `/opportunities/${opportunityId}/engineering-review`, {
      body: { recommendation: 'proceed-with-changes', advice: 'Use the high-temperature variant', customerContact: 'call' },
      token: engineer,
    });
    expect(review.status).toBe(201);
    const again = await api('POST', `/opportunities/${opportunityId}/engineering-review`, {
      body: { recommendation: 'decline', advice: 'Changed my mind' },
      token: engineer,
    });
    expect(again.status).toBe(409);

    await eventually(async () =>
      (await sentEmails()).find((e) => e.destination.to.includes('sm.uk@salesflow.example') && e.subject.includes('proceed-with-changes')),
    );
    const { body } = await api('GET', `/opportunities/${opportunityId}`, { token: sm });
    expect(body.engineeringReview).toMatchObject({ status: 'given', advice: { by: 'eng@salesflow.example', customerContact: 'call' } });
    expect(body.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['opportunity-opened', 'engineering-review-requested', 'engineering-review-given']),
    );
  });

  it('non-standard requirements are referred whatever the value', async () => {
    const id = await postLead(lead(uniqueEmail('nonstd')));
    const answer = await api('POST', `/leads/${id}/qualification`, { body: qualification(5000, 'Custom fixture'), token: sm });
    expect(answer.body.engineeringReview).toBe('required');
  });

  it('a prospect cannot be qualified twice (409), and only an SM qualifies (403)', async () => {
    const id = await postLead(lead(uniqueEmail('twice')));
    expect((await api('POST', `/leads/${id}/qualification`, { body: qualification(1000), token: admin })).status).toBe(403);
    expect((await api('POST', `/leads/${id}/qualification`, { body: qualification(1000), token: sm })).status).toBe(201);
    expect((await api('POST', `/leads/${id}/qualification`, { body: qualification(1000), token: sm })).status).toBe(409);
  });
});

describe('R11/R12/R27: logged activities', () => {
  it('an AE call on an opportunity goes on its timeline with who, when and outcome', async () => {
    const id = await postLead(lead(uniqueEmail('act')));
    const { body: q } = await api('POST', `/leads/${id}/qualification`, { body: qualification(1000), token: sm });
    const ae = await tokenFor('ae@salesflow.example', 'ApplicationEngineer');
    const logged = await api('POST', `/opportunities/${q.opportunityId}/activities`, {
      body: {
        kind: 'call',
        with: 'Bob Jones',
        summary: 'Discussed fixture tolerances',
        outcome: 'Sample parts to follow',
        at: '2026-11-20T10:00:00Z',
      },
      token: ae,
    });
    expect(logged.status).toBe(201);
    const { body } = await api('GET', `/opportunities/${q.opportunityId}`, { token: sm });
    expect(body.timeline.find((e: { kind: string }) => e.kind === 'activity')).toMatchObject({
      actor: 'ae@salesflow.example',
      at: '2026-11-20T10:00:00Z',
      channel: 'phone',
      detail: { activity: 'call', outcome: 'Sample parts to follow' },
    });
  });

  it('on an unknown record it is a 404, and in the future or in 1900 a 400', async () => {
    const unknown = await api('POST', '/leads/7d8e0c11-7a9e-4c2b-9a57-2f1d3c4b5a69/activities', {
      body: { kind: 'note', summary: 'x' },
      token: sm,
    });
    expect(unknown.status).toBe(404);
    const id = await postLead(lead(uniqueEmail('future')));
    const future = await api('POST', `/leads/${id}/activities`, {
      body: { kind: 'visit', summary: 'x', at: '2999-01-01T00:00:00Z' },
      token: sm,
    });
    expect(future.status).toBe(400);
    expect(future.body.errors[0].path).toBe('at');
    const ancient = await api('POST', `/leads/${id}/activities`, {
      body: { kind: 'visit', summary: 'x', at: '1900-01-01T00:00:00Z' },
      token: sm,
    });
    expect(ancient.status).toBe(400);
    expect(ancient.body.errors[0]).toEqual({ path: 'at', message: 'must be within the last year' });
  });
});

describe('the platform', () => {
  it('GET /health reaches the table', async () => {
    expect(await api('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('GET /openapi.json describes every route with its schemas', async () => {
    const { status, body } = await api('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body.paths['/leads'].post.requestBody.content['application/json'].schema.properties.channel.enum).toContain('bingo-card');
    expect(Object.keys(body.paths['/leads'].post.requestBody.content)).toContain('application/x-www-form-urlencoded');
    expect(body.paths['/leads/{id}/qualification'].post.description).toBe(
      "Roles: SalesManager (own records and their reports'), ManagingDirector",
    );
    const quotes = body.paths['/opportunities/{id}/quotes'].post;
    expect(Object.keys(quotes.responses)).toContain('202');
    expect(quotes.requestBody.content['application/json'].schema.properties.lines.minItems).toBe(1);
    const step = body.paths['/quotes/{id}/tasks/{task}'].post.parameters.find((p: { name: string }) => p.name === 'task');
    expect(step.schema.enum).toContain('approve-qpa');
  });
});
