import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../fixtures/fault-proxy';
import { type OwnStack, startOwnStack } from './own-stack';
import { people } from './quote-journey';

/**
 * The table fails under the API: unreachable, or a write whose answer is lost. Each request hears
 * a 503 with Retry-After, and its retry with the same Idempotency-Key finds what the first wrote.
 * This file runs its own stack, with the API's DynamoDB endpoint behind a proxy.
 */
let own: OwnStack;
let table: FaultProxy;

beforeAll(async () => {
  own = await startOwnStack('table-faults');
  const { port } = new URL(own.local.urls.dynamodb);
  table = await startFaultProxy({ host: '127.0.0.1', port: Number(port) });
  // The handlers' client is made on first use: from here on they reach the table through the proxy.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.url;
}, 120_000);

afterAll(async () => {
  await own?.stop();
  await table?.close();
});

const lead = (company: string, campaignId?: string) => ({
  channel: 'web-form',
  source: 'marketing-campaign',
  ...(campaignId ? { campaignId } : {}),
  contact: { name: 'Tess Table', email: `${company.toLowerCase().replace(/\W+/g, '.')}@faults.test`, company, country: 'GB' },
});

const leadsOf = async (company: string) => {
  const token = await own.client.tokenFor(people.sm, 'SalesManager');
  const answer = await own.client.api('GET', `/leads?owner=${encodeURIComponent(people.sm)}&limit=100`, { token });
  return (answer.body.leads as { id: string; contact: { company: string } }[]).filter((found) => found.contact.company === company);
};

describe('a write whose answer was lost', () => {
  it('answers 503, and the retry with its key returns the same lead: one lead, its emails once', async () => {
    const key = { 'idempotency-key': `lost-${Date.now()}` };
    // Every answer to the lead's write is cut after the table did the work: the handler's attempts,
    // then the first of its retry's. Only a lead's own transaction carries a one-lead-a-day
    // marker; the stream workers' writes, which also go through the proxy and may name the
    // company, keep their answers.
    table.dropAnswers(4, 'lead-of-the-day');
    const first = await own.client.api('POST', '/leads', { body: lead('Lost Answer Ltd'), headers: key });
    expect(first.status).toBe(503);
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(0);
    const retried = await own.client.api('POST', '/leads', { body: lead('Lost Answer Ltd'), headers: key });
    expect(retried.status).toBe(201);
    const stored = await leadsOf('Lost Answer Ltd');
    expect(stored.map((found) => found.id)).toEqual([retried.body.id]);
    // And again: still the same lead.
    const again = await own.client.api('POST', '/leads', { body: lead('Lost Answer Ltd'), headers: key });
    expect(again.body.id).toBe(retried.body.id);
    expect(await leadsOf('Lost Answer Ltd')).toHaveLength(1);
  });
});

describe('the table unreachable', () => {
  it('every request hears 503 with Retry-After, /health names the table; afterwards all is as it was', async () => {
    table.down();
    try {
      const health = await own.client.api('GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unavailable', parts: { table: 'down' } });
      const posted = await own.client.api('POST', '/leads', {
        body: lead('Outage Ltd'),
        headers: { 'idempotency-key': `down-${Date.now()}` },
      });
      expect(posted.status).toBe(503);
      expect(posted.headers.get('retry-after')).toBeTruthy();
    } finally {
      table.up();
    }
    expect((await own.client.api('GET', '/health')).body).toMatchObject({ status: 'ok', parts: { table: 'up' } });
  });
});

describe('concurrent leads for one campaign', () => {
  it('R1: thirty at once all land, and the campaign counts each', async () => {
    const marketing = await own.client.tokenFor('marketing@salesflow.example', 'Marketing');
    const created = await own.client.api('POST', '/campaigns', {
      body: { kind: 'trade-show', name: 'Burst', startsOn: '2026-11-01', costGbp: 3_000 },
      token: marketing,
    });
    expect(created.status).toBe(201);
    const campaignId = created.body.id as string;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, n) => own.client.api('POST', '/leads', { body: lead(`Burst ${n} Ltd`, campaignId) })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(201));
    const report = await own.client.api('GET', `/campaigns/${campaignId}`, { token: marketing });
    expect(report.body).toMatchObject({ leadCount: 30, qualifiedCount: 0, costPerLeadGbp: 100 });
  });
});
