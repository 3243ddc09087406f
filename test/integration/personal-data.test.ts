import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailHash } from '#adapters/person-key';
import { pdfText } from '../fixtures/pdf-text';
import { qualificationBody } from '../fixtures/qualification';
import { api, eventually, type StackClient, stack, stackClient, tokenFor, uniqueEmail } from './local-stack';
import { orderJourney } from './order-journey';
import { type OwnStack, startOwnStack } from './own-stack';
import { line, people } from './quote-journey';

/**
 * GDPR articles 15, 17 and 20 (issue 13): what is held about a person comes out as JSON, and an
 * erasure leaves no trace of their address in the table but a suppression keyed by its hash.
 */
const client = stackClient(stack);
const { account, customer, order } = orderJourney(client);

/** Bytes as the words they hold: a PDF's text, or the bytes read as text. */
const asText = (_key: string, value: unknown) =>
  value instanceof Uint8Array
    ? Buffer.from(value.subarray(0, 5)).toString() === '%PDF-'
      ? pdfText(value)
      : Buffer.from(value).toString('latin1')
    : value;

/** Every item of the table, as text, documents included: where an address or a name could hide. */
const wholeTable = async (on: StackClient = client): Promise<string[]> => {
  const items: string[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await on.dynamodb.send(new ScanCommand({ TableName: on.stack.tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []).map((item) => JSON.stringify(unmarshall(item), asText)));
    ExclusiveStartKey = page.LastEvaluatedKey as never;
  } while (ExclusiveStartKey);
  return items;
};
const mentioning = async (...words: string[]) =>
  (await wholeTable()).filter((item) => words.some((word) => item.toLowerCase().includes(word.toLowerCase())));

describe("a person's data", () => {
  it('is exported for the MD or Data Protection, erased on request, and a scan then finds the address nowhere', async () => {
    const person = uniqueEmail('gdpr');
    const company = `Privacy ${Math.random().toString(36).slice(2, 8)} Ltd`;
    const lead = await api('POST', '/leads', {
      body: {
        channel: 'web-form',
        source: 'marketing-campaign',
        contact: { name: 'Paz Private', email: person, company, country: 'GB' },
        literature: ['product-brochure'],
      },
    });
    const sm = await tokenFor(people.sm, 'SalesManager');
    // The SM's qualification notes name them too.
    const qualified = await api('POST', `/leads/${lead.body.id}/qualification`, {
      body: {
        ...qualificationBody(40_000),
        buyingInfluences: [{ name: 'Paz Private', role: 'user' }],
        buyingConcept: 'Paz private wants two testers',
      },
      token: sm,
    });
    expect(qualified.status, JSON.stringify(qualified.body)).toBe(201);
    const quote = await api('POST', `/opportunities/${qualified.body.opportunityId}/quotes`, {
      body: { lines: [line(5_000)], proposalSummary: 'One tester', nonStandardRequirements: null, validForDays: 30 },
      token: sm,
    });
    expect(quote.status).toBe(202);
    const buyer = await customer({ name: company });
    const orderId = await order(buyer, { userContact: { name: 'Paz Private', email: person } });
    // A distributor lists them among its contacts.
    const distributorId = await account({
      kind: 'distributor',
      name: `Distribution ${company}`,
      ownerEmail: people.sm,
      size: 'small',
      contacts: [
        { name: 'Paz Private', email: person, phone: '+44 20 7946 0000' },
        { name: 'Dora Other', email: uniqueEmail('other') },
      ],
    });
    // The Welcome Letter names them (and so would the scan, were documents not redrawn).
    expect((await mentioning(person)).some((item) => item.includes('"sk":"DOC#welcome-letter"'))).toBe(true);
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
    expect(exported.body.quotes).toEqual([
      expect.objectContaining({ id: quote.body.quoteId, customer: expect.objectContaining({ email: person }) }),
    ]);
    expect(exported.body.orders).toHaveLength(1);
    expect(exported.body.accounts).toEqual([
      {
        id: distributorId,
        kind: 'distributor',
        name: `Distribution ${company}`,
        contacts: [{ name: 'Paz Private', email: person, phone: '+44 20 7946 0000' }],
      },
    ]);

    // Art. 17: erased; a reason is required, and the record of it names no one.
    await client.settledItemCount();
    expect((await api('POST', `${path}/erasure`, { body: {}, token: dpo })).status).toBe(400);
    const erased = await api('POST', `${path}/erasure`, { body: { reason: 'Request by email, 1 December' }, token: dpo });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body).toMatchObject({ reference: expect.any(String), leads: 1, quotes: 1, orders: 1, accounts: 1, documents: 1 });

    // Nowhere: not in an item, not in a document's text; neither the address nor the name.
    expect(await mentioning(person, 'Paz Private')).toEqual([]);
    const hash = emailHash(person);
    expect((await wholeTable()).filter((item) => item.includes(hash)).map((item) => JSON.parse(item).pk)).toEqual([`SUPPRESSED#${hash}`]);
    // The quote and the order are kept for their retention, naming the erasure's reference.
    const kept = await api('GET', `/quotes/${quote.body.quoteId}`, { token: sm });
    expect(kept.body.customer).toMatchObject({ name: `Erased person ${erased.body.reference}`, company });
    expect((await api('GET', `/leads/${lead.body.id}`, { token: sm })).status).toBe(404);
    const opportunity = await api('GET', `/opportunities/${qualified.body.opportunityId}`, { token: sm });
    expect(opportunity.body.qualification.buyingInfluences[0].name).toBe(`Erased person ${erased.body.reference}`);
    const distributor = await api('GET', `/accounts/${distributorId}`, { token: sm });
    expect(distributor.body.contacts.map((c: { name: string }) => c.name)).toEqual([
      `Erased person ${erased.body.reference}`,
      'Dora Other',
    ]);
    const letter = await fetch(`${stack.api}/orders/${orderId}/welcome-letter`, { headers: { authorization: `Bearer ${sm}` } });
    expect(letter.status).toBe(200);
    expect(pdfText(new Uint8Array(await letter.arrayBuffer()))).toContain(`Dear Erased person ${erased.body.reference},`);
    const after = await api('GET', `${path}/data`, { token: dpo });
    expect(after.body).toMatchObject({ leads: [], emails: [], quotes: [], orders: [] });
  });
});

/**
 * On a stack of its own: two years on, the nightly job deletes every suspect of the table, and on
 * the shared stack that is every suspect the other files made, long after this test.
 */
describe('suspects past their retention', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack('retention');
  });
  afterAll(() => own?.stop());

  it('an unqualified suspect past its retention is deleted whole by the nightly job; a qualified lead stays', async () => {
    const { api, tokenFor } = own.client;
    const newLead = async (name: string) => {
      const created = await api('POST', '/leads', {
        body: {
          channel: 'phone',
          source: 'se-phone-call',
          contact: { name, email: uniqueEmail('retention'), company: `${name} Ltd`, country: 'GB' },
        },
        token: await tokenFor(people.sm, 'SalesManager'),
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id as string;
    };
    const suspect = await newLead('Sam Suspect');
    const prospect = await newLead('Pat Prospect');
    const sm = await tokenFor(people.sm, 'SalesManager');
    expect((await api('POST', `/leads/${prospect}/qualification`, { body: qualificationBody(40_000), token: sm })).status).toBe(201);
    await own.client.settledItemCount();
    const collection = async (leadId: string) =>
      (await wholeTable(own.client)).filter((item) => JSON.parse(item).pk === `LEAD#${leadId}`).map((item) => JSON.parse(item).itemType);
    expect(await collection(suspect)).toEqual(expect.arrayContaining(['lead', 'timeline']));

    // Tonight: nobody is 24 months old yet.
    const tonight = await own.client.fire('suspect-retention', new Date().toISOString());
    expect(tonight.status, JSON.stringify(tonight.body)).toBe(200);
    expect(tonight.body).toMatchObject({ erased: 0 });
    expect(await collection(suspect)).not.toEqual([]);

    // 24 months and a day on: the suspect goes with its timeline and emails; the prospect stays.
    const later = new Date();
    later.setUTCMonth(later.getUTCMonth() + 24);
    const fired = await own.client.fire('suspect-retention', new Date(later.getTime() + 86_400_000).toISOString());
    expect(fired.status, JSON.stringify(fired.body)).toBe(200);
    expect(fired.body.erased).toBeGreaterThanOrEqual(1);
    expect(await collection(suspect)).toEqual([]);
    expect((await api('GET', `/leads/${suspect}`, { token: sm })).status).toBe(404);
    expect((await api('GET', `/leads/${prospect}`, { token: sm })).status).toBe(200);
  });
});
