import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound } from '#domain/errors';
import { type CompletedStep, type OpenQuoteStep, type Quote, quoteStepAgendaItem } from '#domain/quote';
import { findableQuote } from '#domain/search';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { findAction, type StoredAction } from './action-records';
import { agendaClose, agendaPut } from './agenda-records';
import { AlreadyRecorded, db, type TransactItems, writeTogether } from './dynamodb';
import { personKeys } from './person-key';
import { recordProgress, recordStepAsked, recordStepCompleted, type StepRecord, takeBackStepCompleted } from './person-steps';
import { findTermPuts, listKeys } from './search-records';
import { itemKind, keys, tableDesign } from './table-design';
import { fromItem, putNew, readDocument, readRecord, timelinePut } from './table-items';

/**
 * Quotes in the single table. Every change to a quote writes its entry on the opportunity's
 * timeline in the same transaction (R27), and each person's step is guarded by a condition on
 * the open step's action id, so a second decision on the same step changes nothing.
 */

const opportunityPk = (quote: Pick<Quote, 'opportunityId'>) => keys.opportunity(quote.opportunityId).pk;

/** Another quote took the number this one read: read the counter again. */
class NumberTaken extends Error {}

/** Another transaction held the counter at the same moment (DynamoDB's TransactionConflict). */
const lostRace = (error: unknown) =>
  error instanceof Error &&
  error.name === 'TransactionCanceledException' &&
  ((error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some(
    (reason) => reason.Code === 'TransactionConflict',
  );

/**
 * R13/R14: the quote and its first timeline entry; the opportunity must exist. The quote takes the
 * year's next number: the counter is read, then written in the quote's own transaction under the
 * condition that it still holds what was read, so a number is only ever spent by a quote that was
 * written (no gaps) and never by two (a lost race reads again). A retried create finds its quote
 * before the counter, and spends nothing.
 */
export const recordNewQuote = async (
  year: number,
  compose: (sequence: number) => { quote: Quote; entry: TimelineEntry },
  requestFingerprint: string,
): Promise<Quote> => {
  const [byOpportunity] = tableDesign.indexes;
  const counterKey = keys.quoteCounter(year);
  for (let attempt = 1; ; attempt += 1) {
    const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: counterKey, ConsistentRead: true }));
    const current = Item?.n as number | undefined;
    const { quote, entry } = compose((current ?? 0) + 1);
    try {
      await writeTogether(
        [
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
            ...personKeys(quote.customer.email, keys.quote(quote.id)),
            ...listKeys('quote', quote),
            ...quote,
            requestFingerprint,
          }),
          timelinePut(opportunityPk(quote), entry),
          {
            Update: {
              TableName: tableName(),
              Key: counterKey,
              UpdateExpression: 'SET n = :next, itemType = :type',
              ConditionExpression: current === undefined ? 'attribute_not_exists(pk)' : 'n = :current',
              ExpressionAttributeValues: {
                ':next': (current ?? 0) + 1,
                ':type': itemKind.quoteCounter,
                ...(current === undefined ? {} : { ':current': current }),
              },
            },
          },
          ...findTermPuts(findableQuote(quote)),
        ],
        ([noOpportunity, quoteExists, , numberTaken]) =>
          noOpportunity
            ? new NotFound(`No opportunity ${quote.opportunityId}`)
            : quoteExists
              ? new AlreadyRecorded(`Quote ${quote.id} exists already`)
              : numberTaken
                ? new NumberTaken()
                : undefined,
      );
      return quote;
    } catch (error) {
      // Many SMs quoting in the same instant is rare; past a dozen tries it is a passing fault (503).
      if (!(error instanceof NumberTaken) && !lostRace(error)) throw error;
      if (attempt >= 12)
        throw Object.assign(new Error('The quote number was taken again and again'), { name: 'TransactionConflictException' });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
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
    const { id, number, status, totals, createdAt, updatedAt } = fromItem<Quote>(item);
    return { id, number, status, netGbp: totals.netGbp, createdAt, updatedAt };
  });
};

/** A quote's steps are filed on the quote, their entries on its opportunity's timeline. */
const quoteRecord = (quote: Pick<Quote, 'id' | 'opportunityId'>): StepRecord => ({
  key: keys.quote(quote.id),
  timelinePk: opportunityPk(quote),
});

/** A step is asked of a person: the action behind the link, the open step on the quote, the entry. */
export const recordQuoteStepAsked = (
  quote: Quote,
  open: OpenQuoteStep,
  key: string,
  action: StoredAction,
  status: Quote['status'],
  entry: TimelineEntry,
) =>
  recordStepAsked(quoteRecord(quote), open, key, action, { status }, entry, [agendaPut(quoteStepAgendaItem(quote, open, key), entry.at)]);

const onQuote = (quote: Pick<Quote, 'id'>) => ({ kind: 'quote' as const, id: quote.id });

/** A person completed a step (409 if someone decided first, 410 if the link was spent). */
export const recordQuoteStepCompleted = (quote: Quote, open: OpenQuoteStep, key: string, completed: CompletedStep) =>
  recordStepCompleted(quoteRecord(quote), open, key, completed.changes, completed.entry, [
    agendaClose(onQuote(quote), key, completed.entry.actor, completed.entry.at),
  ]);

/** The workflow refused the step's answer: the quote as it was, the step closed, `closing` says why. */
export const takeBackQuoteStep = (quote: Quote, open: OpenQuoteStep, completed: CompletedStep, closing: TimelineEntry) =>
  takeBackStepCompleted(
    quoteRecord(quote),
    { prior: quote as unknown as Record<string, unknown>, changes: completed.changes, entry: completed.entry, actionId: open.actionId },
    closing,
  );

/** The record moved between reading and writing it. */
class QuoteMoved extends Error {}

/**
 * The workflow failed: the quote says so and why, and every open step closes with its link, so no
 * agenda lists it and no link answers it. Read and written under a condition on updatedAt, so a
 * step asked or answered meanwhile is closed too (or its answer kept), read again if so.
 */
export const recordQuoteFailed = async (quoteId: string, failure: NonNullable<Quote['failure']>, entry: TimelineEntry) => {
  for (let attempt = 1; ; attempt += 1) {
    const quote = await findQuote(quoteId);
    if (!quote) throw new NotFound(`No quote ${quoteId}`);
    const open = Object.entries(quote.tasks).map(([key, step]) => ({ key, actionId: step.actionId }));
    // A link long expired has left the table; its step closes all the same.
    const links = await Promise.all(open.map((step) => findAction(step.actionId)));
    try {
      await recordProgress(quoteRecord(quote), { status: 'failed', failure }, entry, {
        condition: { expression: '#updatedAt = :seen', names: { '#updatedAt': 'updatedAt' }, values: { ':seen': quote.updatedAt } },
        closeSteps: open.map((step, index) => (links[index] ? step : { key: step.key })),
        extra: open.map((step) => agendaClose(onQuote(quote), step.key, entry.actor, entry.at)),
        refusal: ([moved]) => (moved ? new QuoteMoved() : undefined),
      });
      return;
    } catch (error) {
      if (!(error instanceof QuoteMoved) || attempt >= 5) throw error;
    }
  }
};

/**
 * The workflow moved the quote on: set what changed and say so on the timeline. A step closed
 * unanswered leaves the agenda (a failed quote closes all of them: recordQuoteFailed).
 */
export const recordQuoteProgress = (
  quote: Pick<Quote, 'id' | 'opportunityId'>,
  changes: Partial<Quote>,
  entry: TimelineEntry,
  options: { closeStep?: { key: string; actionId: string }; extra?: TransactItems } = {},
) =>
  recordProgress(quoteRecord(quote), changes, entry, {
    ...(options.closeStep ? { closeStep: options.closeStep } : {}),
    extra: [
      ...(options.closeStep ? [agendaClose(onQuote(quote), options.closeStep.key, entry.actor, entry.at)] : []),
      ...(options.extra ?? []),
    ],
  });

/** R19: a contract request is filed once per quote, on a quote that went to the customer. */
export const recordContractRequested = async (quote: Quote, contract: Quote['contract'], entry: TimelineEntry) => {
  await writeTogether(
    [
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
    ([failed]) => (failed ? new Conflict(`Quote ${quote.id} already has a contract, or was not sent`) : undefined),
  );
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

export const readQuoteDocument = (quoteId: string): Promise<Uint8Array | undefined> => readDocument(keys.quote(quoteId).pk, 'quote');
