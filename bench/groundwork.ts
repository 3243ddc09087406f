import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { outboxIndex } from '#adapters/table-design';
import { issueLocalToken } from '../infra/local/auth';
import { qualificationBody } from '../test/fixtures/qualification';
import { benchPeople, type Groundwork, quoteBody } from './lambdas';
import { leadBody } from './latency';

/**
 * The records the cold starts act on, made through the local API as people would: per round, a
 * lead to note, an address to erase, an opportunity to review, one to quote, a quote whose "Prepare
 * the quote" link Sales Admin was emailed (and whose PDF the quote steps compose), an order shipped
 * today, and a queued email. Waits until the stack is quiet, so that none of this work runs beside
 * a cold start.
 */
export const layGroundwork = async (options: {
  api: string;
  ses: string;
  dataDir: string;
  tableName: string;
  rounds: number;
  tag: string;
}): Promise<Groundwork> => {
  const { api, ses, rounds, tag } = options;
  const keyFile = join(options.dataDir, 'local-auth-key.json');
  const sm = await issueLocalToken(keyFile, { email: benchPeople.sm, roles: ['SalesManager'] });
  const admin = await issueLocalToken(keyFile, { email: benchPeople.salesAdmin, roles: ['SalesAdmin'] });
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`bench groundwork: POST ${path} answered ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, any>;
  };
  /** A lead of its own company, so its emails can be told from the others'. */
  const lead = (purpose: string, round: number) => {
    const body = leadBody(`${tag}${purpose}`, round);
    return post('/leads', { ...body, contact: { ...body.contact, company: `Ground ${tag} ${purpose} ${round} Ltd` } });
  };
  /** Engineering reviews only what is non-standard (R10), so the one to review asks for something. */
  const opportunity = async (purpose: string, round: number, nonStandard: string | null = null) =>
    (await post(`/leads/${(await lead(purpose, round)).id}/qualification`, qualificationBody(180_000, nonStandard), sm))
      .opportunityId as string;

  const ground: Groundwork = {
    tag,
    leads: [],
    toReview: [],
    toQuote: [],
    customer: '',
    prepareQuoteLinks: [],
    toErase: [],
    toCompose: [],
    toDeliver: [],
    shipped: [],
  };
  const linkedCompanies: string[] = [];
  for (let round = 0; round < rounds; round += 1) {
    ground.leads.push((await lead('note', round)).id);
    ground.toErase.push(leadBody(`${tag}erase`, round).contact.email);
    await lead('erase', round);
    ground.toReview.push(await opportunity('review', round, 'A fixture for parts up to 2 m long'));
    ground.toQuote.push(await opportunity('quote', round));
    // Its link is answered by the actions function's start; its document composed by the quote steps'.
    ground.toCompose.push((await post(`/opportunities/${await opportunity('link', round)}/quotes`, quoteBody(), sm)).quoteId);
    linkedCompanies.push(`Ground ${tag} link ${round} Ltd`);
  }
  ground.customer = (
    await post(
      '/accounts',
      {
        kind: 'customer',
        name: `Ground ${tag} Customer Ltd`,
        ownerEmail: benchPeople.sm,
        contacts: [{ name: 'Paula Purchasing', email: `buyer.${tag}@customer.test` }],
      },
      admin,
    )
  ).id;
  // Orders shipped today: their post-shipment run waits two weeks, so the two-week check is the
  // order steps' start to make.
  const production = await issueLocalToken(keyFile, { email: benchPeople.production, roles: ['Production'] });
  for (let round = 0; round < rounds; round += 1) {
    const order = await post(
      '/orders',
      {
        accountId: ground.customer,
        poNumber: `PO-${tag}-ground-${round}`,
        lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 1, unitPrice: 24_000 }],
        userContact: { name: 'Uma User', email: `user.${tag}.${round}@customer.test` },
      },
      admin,
    );
    await post(`/orders/${order.id}/shipment`, { shippedAt: new Date().toISOString() }, production);
    ground.shipped.push(order.id);
  }

  // Each quote's workflow emails Sales Admin a link to prepare it.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { emails } = (await (await fetch(`${ses}/store`)).json()) as {
      emails: { destination: { to: string[] }; subject: string; body: { text?: string } }[];
    };
    const links = linkedCompanies.map((company) => {
      const email = emails.find(
        (e) => e.destination.to.includes(benchPeople.salesAdmin) && /^Prepare the quote/.test(e.subject) && e.subject.includes(company),
      );
      return email && /\/actions\/([A-Za-z0-9._-]+)/.exec(email.body.text ?? '')?.[1];
    });
    if (links.every(Boolean)) {
      ground.prepareQuoteLinks = links as string[];
      break;
    }
    if (Date.now() > deadline)
      throw new Error(`bench groundwork: ${links.filter((l) => !l).length} of ${rounds} "Prepare the quote" links never arrived`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await quiet(ses, 1500);
  ground.toDeliver = await queuedEmails(options.tableName, ground.leads);
  return ground;
};

/**
 * One queued email per round for the mail delivery function to send, copied from a lead's sent
 * customer email. It enters the table under another item type and only then becomes an email, so
 * the local stream (which passes on inserted emails only) leaves it to the cold start; and off the
 * outbox index, so the retry job leaves it too.
 */
const queuedEmails = async (tableName: string, leadIds: string[]) => {
  const db = new DynamoDBClient({});
  const keys: { pk: string; sk: string }[] = [];
  try {
    for (const leadId of leadIds) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :email)',
          ExpressionAttributeValues: { ':pk': { S: `LEAD#${leadId}` }, ':email': { S: 'EMAIL#' } },
          ConsistentRead: true,
        }),
      );
      const sent = Items[0];
      if (!sent) throw new Error(`bench groundwork: lead ${leadId} has no email to copy`);
      const id = randomUUID();
      const {
        sentAt: _s,
        messageId: _m,
        claim: _c,
        claimedUntil: _u,
        [outboxIndex.partitionKey]: _p,
        [outboxIndex.sortKey]: _k,
        ...rest
      } = sent;
      const key = { pk: sent.pk!.S!, sk: `EMAIL#${id}` };
      await db.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...rest,
            pk: { S: key.pk },
            sk: { S: key.sk },
            id: { S: id },
            itemType: { S: 'bench-draft' },
            status: { S: 'queued' },
            attempts: { N: '0' },
          },
        }),
      );
      await db.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: key.pk }, sk: { S: key.sk } },
          UpdateExpression: 'SET itemType = :email',
          ExpressionAttributeValues: { ':email': { S: 'email' } },
        }),
      );
      keys.push(key);
    }
  } finally {
    db.destroy();
  }
  return keys;
};

/** Until no email has gone out for `millis`: the stack has finished what it was doing. */
export const quiet = async (ses: string, millis: number) => {
  for (let last = -1, stable = 0; stable < millis / 100; ) {
    const { emails } = (await (await fetch(`${ses}/store`)).json()) as { emails: unknown[] };
    stable = emails.length === last ? stable + 1 : 0;
    last = emails.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** The mail delivery starts sent their emails, rather than finding nothing to do (a skip answers alike). */
export const confirmDelivered = async (tableName: string, keys: { pk: string; sk: string }[]) => {
  const db = new DynamoDBClient({});
  try {
    for (const key of keys) {
      const { Item } = await db.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }),
      );
      if (Item?.status?.S !== 'sent')
        throw new Error(`bench: the mail delivery start left ${key.sk} ${Item?.status?.S ?? 'missing'}, not sent`);
    }
  } finally {
    db.destroy();
  }
};
