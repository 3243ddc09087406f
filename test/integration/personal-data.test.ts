import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { emailHash } from '#adapters/person-key';
import { qualificationBody } from '../fixtures/qualification';
import { api, eventually, stack, stackClient, tokenFor, uniqueEmail } from './local-stack';
import { orderJourney } from './order-journey';
import { line, people } from './quote-journey';

/**
 * GDPR articles 15, 17 and 20 (issue 13): what is held about a person comes out as JSON, and an
 * erasure leaves no trace of their address in the table but a suppression keyed by its hash.
 */
const client = stackClient(stack);
const { customer, order } = orderJourney(client);

/** Every item of the table, as text: where an address could hide. */
const wholeTable = async (): Promise<string[]> => {
  const items: string[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await client.dynamodb.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []).map((item) => JSON.stringify(unmarshall(item))));
    ExclusiveStartKey = page.LastEvaluatedKey as never;
  } while (ExclusiveStartKey);
  return items;
};

describe("a person's data", () => {
  it('is exported for the MD or Data Protection, erased on request, and a scan then finds the address nowhere', async () => {
    const person = uniqueEmail('gdpr');
    const company = `Privacy ${Math.random().toString(36).slice(2, 8)} Ltd`;
    const lead = await api('POST', '/leads', {
      body: { channel: 'web-form', source: 'marketing-campaign', contact: { name: 'Paz Private', email: person, company, country: 'GB' }, literature: ['product-brochure'] },
    });
    const sm = await tokenFor(people.sm, 'SalesManager');
    const qualified = await api('POST', `/leads/${lead.body.id}/qualification`, { body: qualificationBody(40_000), token: sm });
    const quote = await api('POST', `/opportunities/${qualified.body.opportunityId}/quotes`, {
      body: { lines: [line(5_000)], proposalSummary: 'One tester', nonStandardRequirements: null, validForDays: 30 },
      token: sm,
    });
    expect(quote.status).toBe(202);
    const buyer = await customer({ name: company });
    await order(buyer, { userContact: { name: 'Paz Private', email: person } });
    const md = await tokenFor(people.md, 'ManagingDirector');
    const dpo = await tokenFor('data.protection@salesflow.example', 'DataProtection');
    const path = `/people/${encodeURIComponent(person)}`;

    // Art. 15/20: only the MD and Data Protection; the index finds each record.
    expect((await api('GET', `${path}/data`, { token: sm })).status).toBe(403);
    const exported = await eventually(async () => {
      const answer = await api('GET', `${path}/data`, { token: md });
      return answer.body.emails?.length >= 2 ? answer : undefined;
    });
    expect(exported.status).toBe(200);
    expect(exported.body.leads).toHaveLength(1);
    expect(exported.body.leads[0]).toMatchObject({ id: lead.body.id, contact: { email: person } });
    expect(exported.body.leads[0].timeline.length).toBeGreaterThan(0);
    expect(exported.body.quotes).toEqual([expect.objectContaining({ id: quote.body.quoteId, customer: expect.objectContaining({ email: person }) })]);
    expect(exported.body.orders).toHaveLength(1);

    // Art. 17: erased; a reason is required, and the record of it names no one.
    await client.settledItemCount();
    expect((await api('POST', `${path}/erasure`, { body: {}, token: dpo })).status).toBe(400);
    const erased = await api('POST', `${path}/erasure`, { body: { reason: 'Request by email, 1 December' }, token: dpo });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body).toMatchObject({ reference: expect.any(String), leads: 1, quotes: 1, orders: 1 });

    const leftovers = (await wholeTable()).filter((item) => item.toLowerCase().includes(person.toLowerCase()));
    expect(leftovers).toEqual([]);
    const hash = emailHash(person);
    expect((await wholeTable()).filter((item) => item.includes(hash)).map((item) => JSON.parse(item).pk)).toEqual([`SUPPRESSED#${hash}`]);
    // The quote and the order are kept for their retention, naming the erasure's reference.
    const kept = await api('GET', `/quotes/${quote.body.quoteId}`, { token: sm });
    expect(kept.body.customer).toMatchObject({ name: `Erased person ${erased.body.reference}`, company });
    expect((await api('GET', `/leads/${lead.body.id}`, { token: sm })).status).toBe(404);
    const after = await api('GET', `${path}/data`, { token: dpo });
    expect(after.body).toMatchObject({ leads: [], emails: [], quotes: [], orders: [] });
  });
});
