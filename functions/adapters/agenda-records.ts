import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AgendaItem } from '#domain/agenda';
import { tableName } from '#functions/config';
import { db, queryAll, type TransactItems } from './dynamodb';
import { dueIndex, indexKeys, itemKind, keys, sortKeyPrefix } from './table-design';
import { fromItem } from './table-items';

/**
 * Agenda items, filed under their record (TODO#<kind>): in the owner index (gsi2) and the due-date
 * index (gsi1) while open, in neither once closed (sparse indexes).
 */

const subjectPk = (subject: AgendaItem['subject']) =>
  ({ order: keys.order, quote: keys.quote, opportunity: keys.opportunity, lead: keys.lead, account: keys.account })[subject.kind](
    subject.id,
  ).pk;

export const agendaPut = (item: AgendaItem, at: string): TransactItems[number] => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.agendaItem(subjectPk(item.subject), item.kind),
      itemType: itemKind.agendaItem,
      ...indexKeys.openAgenda(item),
      ...dueIndex.keysFor(item.subject.id, item.dueAt, item.kind),
      ...item,
      status: 'open',
      openedAt: at,
    },
  },
});

/**
 * Closed, and out of both indexes. Unconditional: the step it belongs to carries the condition
 * that makes a second answer a conflict, and a step asked before agenda items existed has none.
 */
export const agendaClose = (subject: AgendaItem['subject'], kind: string, by: string, at: string): TransactItems[number] => ({
  Update: {
    TableName: tableName(),
    Key: keys.agendaItem(subjectPk(subject), kind),
    UpdateExpression: 'SET #status = :closed, closedAt = :at, closedBy = :by REMOVE gsi2pk, gsi2sk, gsi1pk, gsi1sk',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':closed': 'closed', ':at': at, ':by': by },
  },
});

/** The open items filed under one record whose kind starts so. */
export const openItemsUnder = async (subject: AgendaItem['subject'], kindPrefix: string): Promise<AgendaItem[]> => {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': subjectPk(subject), ':prefix': `${sortKeyPrefix.agenda}${kindPrefix}`, ':open': 'open' },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => fromItem<AgendaItem>(item));
};

/** A person's open items: one query on the owner index, never a scan. */
export const openAgendaOf = async (email: string): Promise<(AgendaItem & { openedAt: string })[]> =>
  (
    await queryAll({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :owner AND begins_with(gsi2sk, :open)',
      ExpressionAttributeValues: { ':owner': keys.owner(email), ':open': `${sortKeyPrefix.agenda}open#` },
    })
  ).map((item) => fromItem<AgendaItem & { openedAt: string }>(item));
