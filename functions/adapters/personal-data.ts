import { BatchWriteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '#functions/config';
import { db, queryAll } from './dynamodb';
import { emailHash } from './person-key';
import { fromItem, leadOfTheDay, type Item } from './sales-records';
import { itemKind, keys, personIndex } from './table-design';

/**
 * GDPR articles 15, 17 and 20: what the table holds about a person, found through the person
 * index (the hash of their address), and its erasure. O(their items), never a scan.
 */
const about = async (email: string) => {
  const named = await queryAll({
    TableName: tableName(),
    IndexName: personIndex.name,
    KeyConditionExpression: '#p = :p',
    ExpressionAttributeNames: { '#p': personIndex.partitionKey },
    ExpressionAttributeValues: { ':p': personIndex.partition(emailHash(email)) },
  });
  // A lead is theirs whole: its timeline and every email filed under it.
  const leadPks = [...new Set(named.filter((item) => item.itemType === itemKind.lead).map((item) => String(item.pk)))];
  const leadItems = (
    await Promise.all(
      leadPks.map((pk) => queryAll({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } })),
    )
  ).flat();
  return { named, leadPks, leadItems };
};

/** Art. 15/20: everything held about them, by record. */
export const personalData = async (email: string) => {
  const { named, leadPks, leadItems } = await about(email);
  const of = (kind: string) => named.filter((item) => item.itemType === kind).map((item) => fromItem<Item>(item));
  return {
    leads: leadPks.map((pk) => {
      const items = leadItems.filter((item) => item.pk === pk);
      return {
        ...fromItem<Item>(items.find((item) => item.itemType === itemKind.lead)!),
        timeline: items.filter((item) => item.itemType === itemKind.timeline).map((item) => fromItem<Item>(item)),
      };
    }),
    emails: [...leadItems.filter((item) => item.itemType === itemKind.email), ...named.filter((item) => item.itemType === itemKind.email && !leadPks.includes(String(item.pk)))]
      .map((item) => fromItem<Item>(item)),
    quotes: of(itemKind.quote),
    orders: of(itemKind.order),
  };
};

const deleteAll = async (listed: Item[]) => {
  // An email to them under their lead is found twice (by the index and in the lead): once is enough.
  const items = [...new Map(listed.map((item) => [`${String(item.pk)}\u0000${String(item.sk)}`, item])).values()];
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, { DeleteRequest: { Key: Item } }[]> | undefined = {
      [tableName()]: items.slice(i, i + 25).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
    };
    while (request && Object.keys(request).length) {
      const { UnprocessedItems } = await db().send(new BatchWriteCommand({ RequestItems: request }));
      request = UnprocessedItems as typeof request;
    }
  }
};

/**
 * Art. 17: their leads (with timelines and emails) and the emails sent them are deleted; quotes and
 * orders, kept for their legal retention, name `reference` instead of them, and leave the index;
 * an order's website login is deleted. What it did is returned as counts, for the erasure record.
 */
export const erasePerson = async (email: string, reference: string, now: string) => {
  const { named, leadItems } = await about(email);
  const pseudonym = { name: `Erased person ${reference}`, email: `erased-${reference}@invalid` };
  const emails = named.filter((item) => item.itemType === itemKind.email);
  const quotes = named.filter((item) => item.itemType === itemKind.quote);
  const orders = named.filter((item) => item.itemType === itemKind.order);
  const logins = orders.map((order) => ({ ...keys.webLogin(String(order.id)) }));
  const markers = [leadOfTheDay(email, now), leadOfTheDay(email, new Date(Date.parse(now) - 86_400_000).toISOString())];
  await deleteAll([...leadItems, ...emails, ...logins, ...markers]);
  const unindex = `REMOVE ${personIndex.partitionKey}, ${personIndex.sortKey}`;
  for (const quote of quotes) {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: quote.pk, sk: quote.sk },
        UpdateExpression: `SET customer.#name = :name, customer.email = :email ${unindex}`,
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': pseudonym.name, ':email': pseudonym.email },
      }),
    );
  }
  for (const order of orders) {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: order.pk, sk: order.sk },
        UpdateExpression: `SET userContact = :user ${unindex}`,
        ExpressionAttributeValues: { ':user': pseudonym },
      }),
    );
  }
  // What the kept records' timelines and emails say about them (an "Emailed ..." entry) names the reference instead.
  const keptPks = [
    ...quotes.map((quote) => String(quote.pk)),
    ...orders.map((order) => String(order.pk)),
    ...leadItems.filter((item) => item.itemType === itemKind.lead && item.opportunityId).map((item) => keys.opportunity(String(item.opportunityId)).pk),
  ];
  let mentions = 0;
  for (const pk of new Set(keptPks)) {
    const items = await queryAll({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });
    for (const item of items) {
      const rewritten = mentionsReplaced(item, email, pseudonym.email);
      if (!rewritten) continue;
      mentions += 1;
      const names = Object.keys(rewritten);
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:v${i}`, rewritten[name]])),
        }),
      );
    }
  }
  return { leads: new Set(leadItems.map((item) => item.pk)).size, emails: emails.length, quotes: quotes.length, orders: orders.length, mentions };
};

/** The text fields of an item that name `email`, with it replaced; undefined when none does. */
const mentionsReplaced = (item: Item, email: string, replacement: string): Record<string, unknown> | undefined => {
  const pattern = new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  const changed = Object.entries(item).filter(([name, value]) => !['pk', 'sk'].includes(name) && JSON.stringify(value).match(pattern));
  if (changed.length === 0) return undefined;
  return Object.fromEntries(changed.map(([name, value]) => [name, JSON.parse(JSON.stringify(value).replace(pattern, replacement))]));
};

/** The erasure itself, without the personal data: a reference, when, by whom, why, what was done. */
export const recordErasure = async (erasure: { id: string; at: string; by: string; reason: string; counts: Record<string, number> }) => {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.erasure(erasure.id), itemType: itemKind.erasure, ...erasure } }));
};
