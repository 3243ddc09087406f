import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, Gone, NotFound } from '#domain/errors';
import type { CompletedTask, OpenTask, Quote } from '#domain/quote';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import type { StoredAction } from './action-records';
import { db, failedConditions } from './dynamodb';
import { fromItem, putNew, readRecord, timelinePut } from './sales-records';
import { itemKind, keys, tableDesign } from './table-design';

/**
 * Quotes in the single table. Every change to a quote writes its entry on the opportunity's
 * timeline in the same transaction (R27), and each person's step is guarded by a condition on
 * the open step's action id, so a second decision on the same step changes nothing.
 */

const opportunityPk = (quote: Pick<Quote, 'opportunityId'>) => keys.opportunity(quote.opportunityId).pk;

/** SET for each attribute given; names and values go through placeholders. */
const assignments = (changes: Record<string, unknown>, prefix = 'c') => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = Object.entries(changes).map(([name, value], index) => {
    names[`#${prefix}${index}`] = name;
    values[`:${prefix}${index}`] = value;
    return `#${prefix}${index} = :${prefix}${index}`;
  });
  return { parts, names, values };
};

/** R13/R14: the quote and its first timeline entry; the opportunity must exist. */
export const recordNewQuote = async (quote: Quote, entry: TimelineEntry): Promise<void> => {
  const [byOpportunity] = tableDesign.indexes;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: keys.opportunity(quote.opportunityId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          putNew({
            ...keys.quote(quote.id),
            itemType: itemKind.quote,
            [byOpportunity.partitionKey]: keys.quotesOf(quote.opportunityId),
            [byOpportunity.sortKey]: `${quote.createdAt}#${quote.id}`,
            ...quote,
          }),
          timelinePut(opportunityPk(quote), entry),
        ],
      }),
    );
  } catch (error) {
    const [noOpportunity, quoteExists] = failedConditions(error) ?? [];
    if (noOpportunity) throw new NotFound(`No opportunity ${quote.opportunityId}`);
    if (quoteExists) throw new Conflict(`Quote ${quote.id} exists already`);
    throw error;
  }
};

export const findQuote = (id: string) => readRecord<Quote>(keys.quote(id));

/** An opportunity's quotes, oldest first, in brief. */
export const quotesOf = async (opportunityId: string) => {
  const [byOpportunity] = tableDesign.indexes;
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: byOpportunity.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byOpportunity.partitionKey },
      ExpressionAttributeValues: { ':pk': keys.quotesOf(opportunityId) },
    }),
  );
  return Items.map((item) => {
    const { id, status, totals, createdAt, updatedAt } = fromItem<Quote>(item);
    return { id, status, netGbp: totals.netGbp, createdAt, updatedAt };
  });
};

/** A step is asked of a person: the action behind the link, the open step on the quote, the entry. */
export const recordStepAsked = async (
  quote: Quote,
  open: OpenTask,
  key: string,
  action: StoredAction,
  status: Quote['status'],
  entry: TimelineEntry,
): Promise<void> => {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        putNew({ ...keys.action(action.actionId), itemType: itemKind.action, ...action }),
        {
          Update: {
            TableName: tableName(),
            Key: keys.quote(quote.id),
            UpdateExpression: 'SET tasks.#key = :open, #status = :status, updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#key': key, '#status': 'status' },
            ExpressionAttributeValues: { ':open': open, ':status': status, ':now': entry.at },
          },
        },
        timelinePut(opportunityPk(quote), entry),
      ],
    }),
  );
};

/**
 * A person completed a step: the link is spent, the quote changes, the step closes, all at once.
 * Either condition failing means someone decided first (409) or the link was replaced (410).
 */
export const recordStepCompleted = async (
  quote: Quote,
  open: OpenTask,
  key: string,
  completed: CompletedTask,
): Promise<void> => {
  const { parts, names, values } = assignments({ ...completed.changes, updatedAt: completed.entry.at });
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.action(open.actionId),
              UpdateExpression: 'SET #status = :used, usedAt = :now, usedBy = :by',
              ConditionExpression: '#status = :open',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':used': 'used', ':open': 'open', ':now': completed.entry.at, ':by': completed.entry.actor },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.quote(quote.id),
              UpdateExpression: `SET ${parts.join(', ')} REMOVE tasks.#key`,
              ConditionExpression: 'tasks.#key.actionId = :actionId',
              ExpressionAttributeNames: { ...names, '#key': key },
              ExpressionAttributeValues: { ...values, ':actionId': open.actionId },
            },
          },
          timelinePut(opportunityPk(quote), completed.entry),
        ],
      }),
    );
  } catch (error) {
    const [linkSpent, stepClosed] = failedConditions(error) ?? [];
    if (linkSpent) throw new Gone('This step has already been answered');
    if (stepClosed) throw new Conflict('This step has already been answered');
    throw error;
  }
};

/** The workflow moved the quote on: set what changed and say so on the timeline. */
export const recordQuoteProgress = async (
  quote: Pick<Quote, 'id' | 'opportunityId'>,
  changes: Partial<Quote>,
  entry: TimelineEntry,
  options: { closeStep?: { key: string; actionId: string } } = {},
): Promise<void> => {
  const { parts, names, values } = assignments({ ...changes, updatedAt: entry.at });
  const close = options.closeStep;
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: keys.quote(quote.id),
            UpdateExpression: `SET ${parts.join(', ')}${close ? ' REMOVE tasks.#key' : ''}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { ...names, ...(close ? { '#key': close.key } : {}) },
            ExpressionAttributeValues: values,
          },
        },
        ...(close
          ? [
              {
                // The old link stops working: the person is sent a new one.
                Update: {
                  TableName: tableName(),
                  Key: keys.action(close.actionId),
                  UpdateExpression: 'SET #status = :superseded',
                  ConditionExpression: '#status = :open',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':superseded': 'superseded', ':open': 'open' },
                },
              },
            ]
          : []),
        timelinePut(opportunityPk(quote), entry),
      ],
    }),
  );
};

/** R19: a contract request is filed once per quote, on a quote that went to the customer. */
export const recordContractRequested = async (quote: Quote, contract: Quote['contract'], entry: TimelineEntry) => {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.quote(quote.id),
              UpdateExpression: 'SET contract = :contract, #status = :status, updatedAt = :now',
              ConditionExpression: 'attribute_not_exists(contract) AND #status = :sent',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':contract': contract, ':status': 'contract-negotiation', ':now': entry.at, ':sent': 'sent' },
            },
          },
          timelinePut(opportunityPk(quote), entry),
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error)?.[0]) throw new Conflict(`Quote ${quote.id} already has a contract, or was not sent`);
    throw error;
  }
};

// ---- the signed document -----------------------------------------------------------------------

/** The PDF's bytes, stored once per render (a few KB; DynamoDB items hold up to 400 KB). */
export const storeQuoteDocument = async (quoteId: string, content: Uint8Array, sha256: string, at: string) => {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.quoteDocument(quoteId),
      UpdateExpression: 'SET itemType = :type, content = :content, sha256 = :sha256, renderedAt = :at',
      ExpressionAttributeValues: { ':type': itemKind.document, ':content': content, ':sha256': sha256, ':at': at },
    }),
  );
};

export const readQuoteDocument = async (quoteId: string): Promise<Uint8Array | undefined> => {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.quoteDocument(quoteId), ConsistentRead: true }),
  );
  return Item?.content as Uint8Array | undefined;
};
