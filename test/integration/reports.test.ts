import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRoute } from '#functions/routes';
import { qualificationBody } from '../fixtures/qualification';
import { eventually, uniqueEmail } from './local-stack';
import { daysAgo, orderJourney, orderPeople } from './order-journey';
import { type OwnStack, startOwnStack } from './own-stack';
import { line, people, quoteJourney } from './quote-journey';

/**
 * The reports over HTTP, against a stack of this file's own (so every figure is this file's): a
 * campaign, three leads, two qualified, one quoted, signed and ordered, one lost if closing exists,
 * two equipment checks; each report's figures must match exactly what was done.
 */
let own: OwnStack;
const month = new Date().toISOString().slice(0, 7);
const nextMonth = (() => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
})();
const sm = people.sm;
/** Closing an opportunity (issue 15) may not be there yet: the lost deal is counted once it is. */
let closeRoute = Boolean(findRoute('POST /opportunities/{id}/close'));

let tokens: Record<'sm' | 'peer' | 'director' | 'md' | 'marketing' | 'admin' | 'ae', string>;
const ids: Record<string, string> = {};

const report = async (name: string, token: string, query = '') => {
  const answer = await own.client.api('GET', `/reports/${name}${query}`, { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
};

/** The rollup worker has caught up when the table stops moving. */
const settled = () => own.client.settledItemCount();

/**
 * The worker moves counters in place, which an item count does not see: the reports are read
 * until two readings two seconds apart agree, so a loaded machine's stream lag is waited out.
 */
const quietReports = async () => {
  const names = ['pipeline', 'conversion', 'win-rate', 'quote-cycle', 'forecast', 'campaigns', 'after-shipment'];
  let last = '';
  for (let reading = 0; reading < 45; reading += 1) {
    const now = JSON.stringify(await Promise.all(names.map((name) => report(name, tokens.md))));
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
};

beforeAll(async () => {
  own = await startOwnStack('reports');
  const { api, tokenFor } = own.client;
  tokens = {
    sm: await tokenFor(sm, 'SalesManager'),
    peer: await tokenFor('sm.dach@salesflow.example', 'SalesManager'),
    director: await tokenFor(people.salesDirector, 'SalesManager'),
    md: await tokenFor(people.md, 'ManagingDirector'),
    marketing: await tokenFor('marketing@salesflow.example', 'Marketing'),
    admin: await tokenFor(people.salesAdmin, 'SalesAdmin'),
    ae: await tokenFor(people.applicationEngineer, 'ApplicationEngineer'),
  };
  const campaign = await api('POST', '/campaigns', {
    body: { kind: 'trade-show', name: 'Reports Expo', startsOn: `${month}-01`, costGbp: 3000 },
    token: tokens.marketing,
  });
  expect(campaign.status).toBe(201);
  ids.campaign = campaign.body.id;

  const lead = async (company: string, extra: Record<string, unknown>) => {
    const created = await api('POST', '/leads', {
      body: { contact: { name: 'Rita Reports', email: uniqueEmail('reports'), company, country: 'GB' }, ...extra },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };
  const fromCampaign = { channel: 'bingo-card', source: 'marketing-campaign', campaignId: ids.campaign };
  ids.won = await lead('Winners Ltd', fromCampaign);
  ids.lost = await lead('Losers Ltd', fromCampaign);
  ids.suspect = await lead('Maybe Ltd', { channel: 'phone', source: 'se-phone-call' });
  ids.forecast = await lead('Forecast Ltd', { channel: 'email', source: 'prior-contact' });

  const qualify = async (leadId: string, value: number) => {
    const qualified = await api('POST', `/leads/${leadId}/qualification`, { body: qualificationBody(value), token: tokens.sm });
    expect(qualified.status, JSON.stringify(qualified.body)).toBe(201);
    return qualified.body.opportunityId as string;
  };
  ids.wonOpportunity = await qualify(ids.won, 50_000);
  ids.lostOpportunity = await qualify(ids.lost, 20_000);
  ids.forecastOpportunity = await qualify(ids.forecast, 40_000);

  // The SM expects the third to close next month, one chance in four.
  const read = await api('GET', `/opportunities/${ids.forecastOpportunity}`, { token: tokens.sm });
  const edited = await api('PATCH', `/opportunities/${ids.forecastOpportunity}`, {
    body: { expectedCloseOn: `${nextMonth}-15`, probability: 25 },
    token: tokens.sm,
    headers: { 'if-match': read.headers.get('etag') ?? '' },
  });
  expect(edited.status, JSON.stringify(edited.body)).toBe(200);

  // A quote of £10,000 on the first: prepared, proposed, signed, sent.
  const { quoteStatus, quote } = quoteJourney(own.client);
  const started = await api('POST', `/opportunities/${ids.wonOpportunity}/quotes`, {
    body: { lines: [line(10_000)], proposalSummary: 'One tester', nonStandardRequirements: null, validForDays: 30 },
    token: tokens.sm,
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  ids.quote = started.body.quoteId;
  const open = (task: string) =>
    eventually(async () => ((await quote(ids.quote!)).tasks as { task: string }[]).some((t) => t.task === task));
  await open('prepare-quote');
  await open('prepare-proposal');
  expect(
    (
      await api('POST', `/quotes/${ids.quote}/tasks/prepare-quote`, {
        body: { paymentTerms: '30 days net', deliveryTerms: 'Ex works' },
        token: tokens.admin,
      })
    ).status,
  ).toBe(200);
  expect(
    (await api('POST', `/quotes/${ids.quote}/tasks/prepare-proposal`, { body: { text: 'Fixture and training' }, token: tokens.ae })).status,
  ).toBe(200);
  await open('sign');
  expect((await api('POST', `/quotes/${ids.quote}/tasks/sign`, { body: { confirm: true }, token: tokens.sm })).status).toBe(200);
  await quoteStatus(ids.quote!, 'sent', 30_000);

  // The order for it: 2 × £12,500 from the customer's account.
  const journey = orderJourney(own.client);
  const buyer = await journey.customer({ name: 'Winners Ltd' });
  ids.order = await journey.order(buyer, { opportunityId: ids.wonOpportunity });

  if (closeRoute) {
    const closed = await api('POST', `/opportunities/${ids.lostOpportunity}/close`, {
      body: { outcome: 'lost', reason: 'price', competitor: 'Rival AG' },
      token: tokens.sm,
    });
    if (closed.status === 404 && /No route/.test(closed.body?.message ?? '')) closeRoute = false;
    else expect(closed.status, JSON.stringify(closed.body)).toBeLessThan(300);
  }

  // Two orders shipped 61 days ago: one operating OK, one not (a corrective action).
  for (const ok of [true, false]) {
    const other = await journey.customer();
    const orderId = await journey.order(other);
    await journey.ship(orderId, daysAgo(61));
    await journey.emailTo(orderPeople.sm, new RegExp(`^Is the equipment operating OK\\? ${other.name}`), 30_000);
    const answered = await api('POST', `/orders/${orderId}/tasks/equipment-check`, {
      body: ok ? { ok: true } : { ok: false, notes: 'Readings drift' },
      token: tokens.sm,
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
  }
  await settled();
  await quietReports();
}, 240_000);

afterAll(async () => {
  await own?.stop();
});

describe('the reports match what was done', () => {
  it('pipeline: one suspect, the open prospects at their estimates, the order at its total; the lost one gone', async () => {
    const body = await report('pipeline', tokens.sm);
    const stage = (name: string) => body.stages.find((s: { stage: string }) => s.stage === name);
    expect(stage('suspect')).toMatchObject({ count: 1, valueGbp: 0 });
    expect(stage('prospect')).toMatchObject(closeRoute ? { count: 1, valueGbp: 40_000 } : { count: 2, valueGbp: 60_000 });
    expect(stage('quoting')).toMatchObject({ count: 0 });
    expect(stage('quoted')).toMatchObject({ count: 0 });
    expect(stage('ordered')).toMatchObject({ count: 1, valueGbp: 25_000 });
    expect(body.owner).toBe(sm);
  });

  it('conversion: by month and channel, suspect to order', async () => {
    const body = await report('conversion', tokens.sm, `?from=${month}&to=${month}`);
    expect(body.months).toHaveLength(1);
    const channel = (name: string) => body.months[0].channels.find((c: { channel: string }) => c.channel === name);
    expect(channel('bingo-card')).toMatchObject({
      suspects: 2,
      prospects: 2,
      quotes: 1,
      orders: 1,
      prospectRate: 100,
      quoteRate: 50,
      orderRate: 100,
    });
    expect(channel('phone')).toMatchObject({ suspects: 1, prospects: 0, quotes: 0, orders: 0 });
    expect(channel('email')).toMatchObject({ suspects: 1, prospects: 1, quotes: 0, orders: 0 });
    expect(body.totals).toMatchObject({ suspects: 4, prospects: 3, quotes: 1, orders: 1 });
  });

  it('win rate: the order won it; the lost one with its reason', async () => {
    const body = await report('win-rate', tokens.sm, `?from=${month}&to=${month}`);
    expect(body.months[0]).toMatchObject({ month, won: 1, wonGbp: 25_000, lost: closeRoute ? 1 : 0 });
    expect(body.totals.winRate).toBe(closeRoute ? 50 : 100);
    if (closeRoute) {
      expect(body.reasons).toEqual([{ name: 'price', count: 1 }]);
      expect(body.competitors).toEqual([{ name: 'Rival AG', count: 1 }]);
    }
  });

  it('quote cycle: one quote signed; each step it waited on counted once', async () => {
    const body = await report('quote-cycle', tokens.sm, `?from=${month}&to=${month}`);
    expect(body.totals.signed).toBe(1);
    expect(body.steps.map((s: { step: string; count: number }) => [s.step, s.count]).sort()).toEqual([
      ['prepare-proposal', 1],
      ['prepare-quote', 1],
      ['sign', 1],
    ]);
    expect(body.steps.find((s: { step: string }) => s.step === 'sign').label).toBe('Review and sign the quote and proposal');
  });

  it('forecast: next month the prospect of £40,000 at 25%; the one without a date apart', async () => {
    const body = await report('forecast', tokens.sm);
    expect(body.months.find((m: { month: string }) => m.month === nextMonth)).toEqual({
      month: nextMonth,
      count: 1,
      valueGbp: 40_000,
      weightedGbp: 10_000,
      withoutProbability: 0,
    });
    expect(body.totals).toEqual({ count: 1, valueGbp: 40_000, weightedGbp: 10_000, withoutProbability: 0 });
    expect(body.undated).toEqual(
      closeRoute
        ? { count: 0, valueGbp: 0, weightedGbp: 0, withoutProbability: 0 }
        : { count: 1, valueGbp: 20_000, weightedGbp: 0, withoutProbability: 1 },
    );
  });

  it('campaigns: cost per lead, per qualified lead and per order', async () => {
    const body = await report('campaigns', tokens.marketing, `?from=${month}&to=${month}`);
    expect(body.campaigns).toEqual([
      expect.objectContaining({
        id: ids.campaign,
        name: 'Reports Expo',
        costGbp: 3000,
        leads: 2,
        qualified: 2,
        orders: 1,
        orderValueGbp: 25_000,
        costPerLeadGbp: 1500,
        costPerQualifiedLeadGbp: 1500,
        costPerOrderGbp: 3000,
      }),
    ]);
  });

  it('after shipment: one check OK, one corrective action', async () => {
    const body = await report('after-shipment', tokens.sm, `?from=${month}&to=${month}`);
    expect(body.totals).toEqual({ ok: 1, corrective: 1, unanswered: 0, okShare: 50 });
  });

  it('CSV on asking, by header or by format', async () => {
    const byHeader = await own.client.api('GET', `/reports/conversion?from=${month}&to=${month}`, {
      token: tokens.sm,
      headers: { accept: 'text/csv' },
    });
    expect(byHeader.status).toBe(200);
    expect(byHeader.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(byHeader.body.trim().split('\n')).toEqual([
      'Month,Channel,Suspects,Prospects,Quoted,Ordered',
      `${month},bingo-card,2,2,1,1`,
      `${month},email,1,1,0,0`,
      `${month},phone,1,0,0,0`,
    ]);
    const byFormat = await own.client.api('GET', '/reports/pipeline?format=csv', { token: tokens.sm });
    expect(byFormat.body).toContain(`${sm},Orders,1,25000`);
  });
});

describe('who sees which figures', () => {
  it("another SM sees none of sm.uk's, and may not ask for them", async () => {
    const own = await report('pipeline', tokens.peer);
    expect(own.stages.every((s: { count: number }) => s.count === 0)).toBe(true);
    const asked = await ownClient().api('GET', `/reports/pipeline?owner=${encodeURIComponent(sm)}`, { token: tokens.peer });
    expect(asked.status).toBe(403);
  });

  it("the sales director sees their SMs' figures; the MD everyone's", async () => {
    expect((await report('pipeline', tokens.director)).stages.find((s: { stage: string }) => s.stage === 'ordered').count).toBe(1);
    expect(
      (await report('pipeline', tokens.md, `?owner=${encodeURIComponent(sm)}`)).stages.find((s: { stage: string }) => s.stage === 'ordered')
        .count,
    ).toBe(1);
  });

  it('Marketing reads the campaign report only', async () => {
    const refused = await ownClient().api('GET', '/reports/pipeline', { token: tokens.marketing });
    expect(refused.status).toBe(403);
  });

  it('bad parameters are a clear 400; an unknown report a 404', async () => {
    const bad = await ownClient().api('GET', '/reports/conversion?from=2026-13', { token: tokens.sm });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('from');
    const backwards = await ownClient().api('GET', '/reports/conversion?from=2026-10&to=2026-01', { token: tokens.sm });
    expect(backwards.status).toBe(400);
    expect((await ownClient().api('GET', '/reports/turnover', { token: tokens.sm })).status).toBe(404);
  });
});

const ownClient = () => own.client;

describe('at-least-once delivery', () => {
  it('a stream record delivered twice counts once', async () => {
    const { handler } = await import('#functions/reports/rollups');
    const id = randomUUID();
    const at = new Date().toISOString();
    const image = {
      pk: `LEAD#${id}`,
      sk: 'LEAD',
      itemType: 'lead',
      id,
      owner: sm,
      channel: 'email',
      source: 'prior-contact',
      status: 'suspect',
      createdAt: at,
      updatedAt: at,
    };
    const record = {
      eventID: '1',
      eventName: 'INSERT',
      dynamodb: { Keys: marshall({ pk: image.pk, sk: image.sk }), NewImage: marshall(image), SequenceNumber: '1' },
    } as unknown as DynamoDBRecord;
    const event: DynamoDBStreamEvent = { Records: [record] };
    const before = await report('conversion', tokens.sm, `?from=${month}&to=${month}`);
    // Written to the table, the stream delivers it once; then the same record twice more.
    await own.client.dynamodb.send(new PutItemCommand({ TableName: own.client.stack.tableName, Item: marshall(image) }));
    await settled();
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const after = await report('conversion', tokens.sm, `?from=${month}&to=${month}`);
    expect(after.totals.suspects).toBe(before.totals.suspects + 1);
  });

  it('a rebuild from the records writes the same figures', async () => {
    const names = ['pipeline', 'conversion', 'win-rate', 'quote-cycle', 'forecast', 'campaigns', 'after-shipment'];
    const read = async () => Promise.all(names.map((name) => report(name, tokens.md)));
    const before = await read();
    const { rebuildRollups } = await import('#functions/reports/rebuild');
    await rebuildRollups();
    expect(await read()).toEqual(before);
    // And again: it writes the same.
    await rebuildRollups();
    expect(await read()).toEqual(before);
  });
});
