import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { qualificationBody } from '../fixtures/qualification';
import { itemCount, stack, stackClient, uniqueEmail } from './local-stack';
import { orderJourney } from './order-journey';
import { line, people, quoteJourney } from './quote-journey';

/**
 * Issue 15, finding: search by the start of a company, a name, an address, a PO or quote number,
 * accents ignored, each hit only for who may read it; and the lists with their filters and pages.
 */
const client = stackClient(stack);
const { api, tokenFor } = client;
const peer = 'sm.dach@salesflow.example';
const tag = Math.random().toString(36).slice(2, 7);

type Hit = { kind: string; id: string; title: string; subtitle: string; href: string };
const find = async (q: string, email: string, ...roles: Parameters<typeof tokenFor>[1][]) => {
  const answer = await api('GET', `/search?q=${encodeURIComponent(q)}`, { token: await tokenFor(email, ...roles) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.hits as Hit[];
};

describe('search', () => {
  const ids: Record<string, string> = {};
  const email = uniqueEmail(`jw${tag}`);
  let quoteNumber = '';
  let po = '';

  beforeAll(async () => {
    const lead = await api('POST', '/leads', {
      body: {
        channel: 'phone',
        source: 'se-phone-call',
        contact: { name: `Jürgen Weiß${tag}`, email, company: `Müller ${tag} Präzision GmbH`, country: 'GB' },
      },
    });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    ids.lead = lead.body.id;

    const { opportunity } = quoteJourney(client);
    const { opportunityId, sm } = await opportunity();
    const quote = await api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: { lines: [line(2_000)], proposalSummary: 'One tester', nonStandardRequirements: null, validForDays: 30 },
      token: sm,
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(202);
    ids.quote = quote.body.quoteId;
    quoteNumber = quote.body.number;

    const { customer, order } = orderJourney(client);
    const buyer = await customer({ name: `Ørsted ${tag} Bottling A/S` });
    ids.account = buyer.accountId;
    ids.order = await order(buyer);
    po = buyer.po;
  }, 120_000);

  it('finds a lead by the start of its company, accents and case ignored ("mul" finds "Müller")', async () => {
    const hits = await find(`MULLER ${tag}`, people.sm, 'SalesManager');
    expect(hits).toContainEqual({
      kind: 'lead',
      id: ids.lead,
      title: `Müller ${tag} Präzision GmbH`,
      subtitle: `Jürgen Weiß${tag}, ${email}`,
      href: `/app/lead.html?id=${ids.lead}`,
    });
    // Three letters, typed with or without the accent; any later word; the person's name; the address and its start.
    for (const q of ['mul', 'Mül', `präzision`, `weiss${tag}`, `jurgen weiß${tag}`, email.slice(0, 12), email]) {
      expect(
        (await find(q, people.sm, 'SalesManager')).map((hit) => hit.id),
        q,
      ).toContain(ids.lead);
    }
  });

  it('finds an order by its PO number and a quote by its number, with or without the Q', async () => {
    const byPo = await find(po.toLowerCase(), people.salesAdmin, 'SalesAdmin');
    expect(byPo).toContainEqual(
      expect.objectContaining({ kind: 'order', id: ids.order, title: po, href: `/app/order.html?id=${ids.order}` }),
    );
    const byNumber = await find(quoteNumber, people.sm, 'SalesManager');
    expect(byNumber[0]).toMatchObject({ kind: 'quote', id: ids.quote, title: quoteNumber });
    expect((await find(quoteNumber.slice(2), people.salesAdmin, 'SalesAdmin')).map((hit) => hit.id)).toContain(ids.quote);
    // The account by its name, "Ørsted" found as "orsted"? Ø is a letter of its own: found as typed.
    expect((await find(`ørsted ${tag}`, people.salesAdmin, 'SalesAdmin')).map((hit) => hit.id)).toContain(ids.account);
  });

  it("another SM does not find the UK SM's lead; the sales director and the MD do", async () => {
    const q = `müller ${tag}`;
    expect((await find(q, peer, 'SalesManager')).map((hit) => hit.id)).not.toContain(ids.lead);
    expect((await find(q, people.salesDirector, 'SalesManager')).map((hit) => hit.id)).toContain(ids.lead);
    expect((await find(q, people.md, 'ManagingDirector')).map((hit) => hit.id)).toContain(ids.lead);
  });

  it('a lead given to another SM is no longer found by its old owner', async () => {
    const email = uniqueEmail(`moved${tag}`);
    const lead = await api('POST', '/leads', {
      body: { channel: 'phone', source: 'se-phone-call', contact: { name: 'Mo Moved', email, company: `Moved ${tag} Ltd`, country: 'GB' } },
    });
    expect((await find(`moved ${tag}`, people.sm, 'SalesManager')).map((hit) => hit.id)).toEqual([lead.body.id]);
    // However the owner changes (a reassignment), the terms filed with the lead keep the old one.
    const table = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.dynamodb,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    await table.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: `LEAD#${lead.body.id}`, sk: 'LEAD' },
        UpdateExpression: 'SET #owner = :dach',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':dach': peer },
      }),
    );
    expect(await find(`moved ${tag}`, people.sm, 'SalesManager')).toEqual([]);
    // Their manager still does; the new owner does once the reassignment files the terms again (refiledTermPuts).
    expect((await find(`moved ${tag}`, people.salesDirector, 'SalesManager')).map((hit) => hit.id)).toEqual([lead.body.id]);
  });

  it('Production finds no lead, but finds the order it ships', async () => {
    expect(await find(`müller ${tag}`, 'production@salesflow.example', 'Production')).toEqual([]);
    expect((await find(po, 'production@salesflow.example', 'Production')).map((hit) => hit.kind)).toEqual(['order']);
  });

  it('refuses a query too short, too long or missing (400, nothing written), and Marketing (403)', async () => {
    const sm = await tokenFor(people.sm, 'SalesManager');
    const marketingToken = await tokenFor('marketing@salesflow.example', 'Marketing');
    // What the tests before this one set going (emails filed, counters moved) settles first.
    await client.streamSettled();
    const mark = await client.streamMark();
    for (const path of ['/search?q=a', '/search', `/search?q=${'x'.repeat(101)}`, '/search?q=ab&limit=21', '/search?q=ab&x=1']) {
      const answer = await api('GET', path, { token: sm });
      expect(answer.status, path).toBe(400);
      expect(answer.body.errors?.length, path).toBeGreaterThan(0);
    }
    const marketing = await api('GET', '/search?q=mu', { token: marketingToken });
    expect(marketing.status).toBe(403);
    expect(await client.writesSince(mark)).toEqual([]);
  });
});

describe('lists', () => {
  it("accounts by kind, a page at a time with an opaque cursor; an SM sees only their own and their reports'", async () => {
    const { account } = orderJourney(client);
    const made = [];
    for (let i = 0; i < 3; i += 1) {
      made.push(
        await account({
          kind: 'customer',
          name: `List ${tag} ${i} Ltd`,
          ownerEmail: people.sm,
          contacts: [{ name: 'Lia List', email: uniqueEmail('list') }],
        }),
      );
    }
    const dachOwn = await account({
      kind: 'customer',
      name: `List ${tag} DACH GmbH`,
      ownerEmail: peer,
      contacts: [{ name: 'Dirk', email: uniqueEmail('dach') }],
    });
    const sm = await tokenFor(people.sm, 'SalesManager');
    const first = await api('GET', '/accounts?kind=customer&limit=2', { token: sm });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.accounts).toHaveLength(2);
    // Newest first: the last made comes first.
    expect(first.body.accounts[0].id).toBe(made[2]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api('GET', `/accounts?kind=customer&limit=2&cursor=${first.body.nextCursor}`, { token: sm });
    expect(second.status).toBe(200);
    expect(second.body.accounts[0].id).toBe(made[0]);
    const all = await api('GET', '/accounts?limit=100', { token: sm });
    expect(all.body.accounts.map((a: { ownerEmail: string }) => a.ownerEmail).every((owner: string) => owner === people.sm)).toBe(true);
    expect(all.body.accounts.map((a: { id: string }) => a.id)).not.toContain(dachOwn);
    // The sales director manages both SMs; a peer naming another SM is refused.
    const director = await api('GET', '/accounts?limit=100', { token: await tokenFor(people.salesDirector, 'SalesManager') });
    expect(director.body.accounts.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([dachOwn, made[2]]));
    const peerAsks = await api('GET', `/accounts?owner=${encodeURIComponent(people.sm)}`, { token: await tokenFor(peer, 'SalesManager') });
    expect(peerAsks.status).toBe(403);
    // A cursor of another list, or none at all, is a 400.
    const foreign = await api('GET', `/quotes?cursor=${first.body.nextCursor}`, { token: sm });
    expect(foreign.status).toBe(400);
    expect((await api('GET', '/accounts?cursor=bm9wZQ', { token: sm })).status).toBe(400);
    // The right list, but not a key DynamoDB would take.
    const partial = Buffer.from(JSON.stringify({ gsi4pk: 'LIST#account' })).toString('base64url');
    expect((await api('GET', `/accounts?cursor=${partial}`, { token: sm })).status).toBe(400);
    expect((await api('GET', '/accounts?limit=101', { token: sm })).status).toBe(400);
    expect((await api('GET', '/accounts?kind=partner', { token: sm })).status).toBe(400);
  });

  it('quotes by status, opportunities by stage and value, orders by status and ship date', async () => {
    const { opportunity } = quoteJourney(client);
    const { opportunityId, sm } = await opportunity({ value: 77_777 });
    const quote = await api('POST', `/opportunities/${opportunityId}/quotes`, {
      body: { lines: [line(3_000)], proposalSummary: 'Listed', nonStandardRequirements: null, validForDays: 30 },
      token: sm,
    });
    expect(quote.status).toBe(202);
    const quotes = await api('GET', '/quotes?limit=100', { token: sm });
    expect(quotes.status, JSON.stringify(quotes.body)).toBe(200);
    const listed = quotes.body.quotes.find((q: { id: string }) => q.id === quote.body.quoteId);
    expect(listed).toMatchObject({ number: quote.body.number, opportunityId, netGbp: 3000 });
    const byStatus = await api('GET', `/quotes?status=${listed.status}&limit=100`, { token: sm });
    expect(byStatus.body.quotes.every((q: { status: string }) => q.status === listed.status)).toBe(true);

    const byValue = await api('GET', '/opportunities?minValue=77777&maxValue=77777&limit=100', { token: sm });
    expect(byValue.status, JSON.stringify(byValue.body)).toBe(200);
    expect(byValue.body.opportunities.map((o: { id: string }) => o.id)).toContain(opportunityId);
    expect(byValue.body.opportunities.every((o: { estimatedValueGbp: number }) => o.estimatedValueGbp === 77_777)).toBe(true);
    const quoting = await api('GET', '/opportunities?stage=quoting&limit=100', { token: sm });
    expect(quoting.status).toBe(200);
    expect(quoting.body.opportunities.every((o: { stage: string }) => o.stage === 'quoting')).toBe(true);

    const { customer, order, ship } = orderJourney(client);
    const buyer = await customer({ label: `Ship ${tag}` });
    const orderId = await order(buyer);
    await ship(orderId, new Date(Date.now() - 3 * 86_400_000).toISOString());
    const today = new Date().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const admin = await tokenFor(people.salesAdmin, 'SalesAdmin');
    const shipped = await api('GET', `/orders?status=shipped&shippedFrom=${weekAgo}&shippedTo=${today}&limit=100`, { token: admin });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body.orders).toContainEqual(
      expect.objectContaining({ id: orderId, poNumber: buyer.po, status: 'shipped', totalGbp: 25_000 }),
    );
    const production = await api('GET', '/orders?limit=5', { token: await tokenFor('production@salesflow.example', 'Production') });
    expect(production.status).toBe(200);
    expect(production.body.orders.every((o: object) => !('totalGbp' in o))).toBe(true);
  });
});

describe('the leads list', () => {
  it('filters by channel, campaign and the day logged', async () => {
    const email = uniqueEmail(`card${tag}`);
    const made = await api('POST', '/leads', {
      body: {
        channel: 'bingo-card',
        source: 'se-phone-call',
        contact: { name: 'Cara Card', email, company: `Card ${tag} Ltd`, country: 'GB' },
      },
    });
    expect(made.status).toBe(201);
    const sm = await tokenFor(people.sm, 'SalesManager');
    const today = new Date().toISOString().slice(0, 10);
    const ids = async (query: string) => {
      const answer = await api('GET', `/leads?${query}&limit=100`, { token: sm });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.leads.map((lead: { id: string }) => lead.id) as string[];
    };
    expect(await ids(`status=suspect&channel=bingo-card&createdFrom=${today}`)).toContain(made.body.id);
    expect(await ids(`owner=${encodeURIComponent(people.sm)}&channel=bingo-card&createdFrom=${today}&createdTo=${today}`)).toContain(
      made.body.id,
    );
    expect(await ids(`owner=${encodeURIComponent(people.sm)}&status=suspect&createdFrom=${today}`)).toContain(made.body.id);
    expect(await ids(`owner=${encodeURIComponent(people.sm)}&channel=phone&createdFrom=${today}`)).not.toContain(made.body.id);
    expect(await ids(`status=suspect&createdTo=2020-01-01`)).not.toContain(made.body.id);
    expect((await api('GET', '/leads?createdFrom=yesterday', { token: sm })).status).toBe(400);
  });
});

describe('the backfill', () => {
  it('gives a record made before search its terms and list key, once', async () => {
    // A lead as the table held it before issue 15: no search terms, no list key.
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    const table = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.dynamodb,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const company = `Ältere ${tag} Lead KG`;
    await table.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          pk: `LEAD#${id}`,
          sk: 'LEAD',
          itemType: 'lead',
          gsi1pk: 'LEADS#suspect',
          gsi1sk: `${createdAt}#${id}`,
          gsi2pk: `OWNER#${people.sm}`,
          gsi2sk: `LEAD#suspect#${createdAt}#${id}`,
          id,
          status: 'suspect',
          owner: people.sm,
          channel: 'phone',
          source: 'se-phone-call',
          literature: [],
          createdAt,
          updatedAt: createdAt,
          contact: { name: 'Olga Old', email: uniqueEmail('old'), company, country: 'GB' },
        },
      }),
    );
    expect((await find(`altere ${tag}`, people.sm, 'SalesManager')).map((hit) => hit.id)).not.toContain(id);

    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodb,
      SALESFLOW_TABLE_NAME: stack.tableName,
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    const { backfillFindIndex } = await import('#adapters/search-backfill');
    const first = await backfillFindIndex();
    expect(first.records).toBeGreaterThanOrEqual(1);
    expect((await find(`altere ${tag}`, people.sm, 'SalesManager')).map((hit) => hit.id)).toContain(id);
    // Run again: every record has its list key, so nothing is written.
    await client.streamSettled();
    const before = await itemCount();
    const again = await backfillFindIndex();
    expect(again.records).toBe(0);
    expect(await itemCount()).toBe(before);
  });
});

describe('search after an erasure', () => {
  it('finds the kept opportunity by its company, and the erased person by neither name nor address, accents or not', async () => {
    const person = uniqueEmail(`erase${tag}`);
    const company = `Erasure ${tag} Präzision`;
    const lead = await api('POST', '/leads', {
      body: { channel: 'phone', source: 'se-phone-call', contact: { name: `Åsa Öberg${tag}`, email: person, company, country: 'GB' } },
    });
    const sm = await tokenFor(people.sm, 'SalesManager');
    const qualified = await api('POST', `/leads/${lead.body.id}/qualification`, { body: qualificationBody(20_000), token: sm });
    expect(qualified.status).toBe(201);
    const md = people.md;
    expect((await find(`oberg${tag}`, md, 'ManagingDirector')).map((hit) => hit.kind).sort()).toEqual(['lead', 'opportunity']);
    const erased = await api('POST', `/people/${encodeURIComponent(person)}/erasure`, {
      body: { reason: 'Asked by email' },
      token: await tokenFor('dpo@salesflow.example', 'DataProtection'),
    });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    for (const q of [`oberg${tag}`, `åsa öberg${tag}`, person, person.slice(0, 10)]) {
      expect(await find(q, md, 'ManagingDirector'), q).toEqual([]);
    }
    const kept = await find(`erasure ${tag}`, md, 'ManagingDirector');
    expect(kept.map((hit) => [hit.kind, hit.id])).toEqual([['opportunity', qualified.body.opportunityId]]);
    expect(JSON.stringify(kept)).not.toMatch(new RegExp(`berg${tag}|${person}`, 'i'));
  });
});
