import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '#domain/account';
import type { Lead } from '#domain/lead';
import type { Opportunity } from '#domain/opportunity';
import type { Order } from '#domain/order';
import type { Quote } from '#domain/quote';
import { type Findable, findableAccount, findableLead, findableOpportunity, findableOrder, findableQuote } from '#domain/search';
import { tableName } from '#functions/config';
import { db, queryAll } from './dynamodb';
import { findTermPuts, recordKey } from './search-records';
import { findIndex, itemKind } from './table-design';
import type { Item } from './table-items';

/**
 * Search terms written again from a record as it reads now: after an erasure rewrote it, or for a
 * record made before search (the backfill). Apart from search-records, as it deletes the terms a
 * record no longer has: only the functions allowed to delete bundle it.
 */

/** What a record's own item says of it, for search: the lead an opportunity came from gives its person. */
const findableOf = async (item: Item): Promise<Findable | undefined> => {
  const record = item as never;
  switch (item.itemType) {
    case itemKind.lead:
      return findableLead(record as Lead);
    case itemKind.account:
      return findableAccount(record as Account);
    case itemKind.quote:
      return findableQuote(record as Quote);
    case itemKind.order:
      return findableOrder(record as Order);
    case itemKind.opportunity: {
      const opportunity = record as Opportunity;
      const lead = (await db().send(new GetCommand({ TableName: tableName(), Key: recordKey.lead(opportunity.leadId) }))).Item as
        | Lead
        | undefined;
      return findableOpportunity(opportunity, lead?.contact);
    }
    default:
      return undefined;
  }
};

/** The record item's key from its collection's pk (LEAD#<id> -> sk LEAD, ...). */
const recordItemKey = (recordPk: string) => {
  const [prefix, id] = [recordPk.slice(0, recordPk.indexOf('#')), recordPk.slice(recordPk.indexOf('#') + 1)];
  const kind = ({ LEAD: 'lead', OPP: 'opportunity', ACCOUNT: 'account', QUOTE: 'quote', ORDER: 'order' } as const)[prefix as 'LEAD'];
  return kind && recordKey[kind](id).pk === recordPk ? recordKey[kind](id) : undefined;
};

/**
 * A record's terms written again from the record as it now reads (after an erasure rewrote it,
 * or for a record made before search): the terms it no longer has are deleted. Idempotent.
 */
export const refileTerms = async (recordPk: string): Promise<number> => {
  const key = recordItemKey(recordPk);
  if (!key) return 0;
  const [{ Item: record }, filed] = await Promise.all([
    db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true })),
    queryAll({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :find)',
      ExpressionAttributeValues: { ':pk': recordPk, ':find': findIndex.termPrefix },
      ProjectionExpression: 'pk, sk',
    }),
  ]);
  const findable = record && (await findableOf(record));
  const puts = findable ? findTermPuts(findable) : [];
  for (const { Put } of puts) await db().send(new PutCommand(Put));
  const written = new Set(puts.map(({ Put }) => String(Put.Item.sk)));
  for (const item of filed) {
    if (!written.has(String(item.sk))) await db().send(new DeleteCommand({ TableName: tableName(), Key: { pk: item.pk, sk: item.sk } }));
  }
  return puts.length;
};
