import type { TimelineEntry } from '#domain/timeline';
import { Conflict, Gone } from '#domain/errors';
import { tableName } from '#functions/config';
import { actionPut, type StoredAction } from './action-records';
import { writeTogether, type TransactItems } from './dynamodb';
import { timelinePut } from './sales-records';
import { keys } from './table-design';

/**
 * The bookkeeping of a person's step on any record (a quote, an order): the action behind the
 * emailed link, the open step on the record, the timeline entry, written together. Conditions on
 * the open step's action id make a second answer change nothing.
 */

/** The record a step belongs to, and whose timeline its entries go on. */
export interface StepRecord {
  key: { pk: string; sk: string };
  timelinePk: string;
}

export interface OpenStep {
  actionId: string;
}

/** SET for each attribute given; names and values go through placeholders. */
export const assignments = (changes: Record<string, unknown>, prefix = 'c') => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = Object.entries(changes).map(([name, value], index) => {
    names[`#${prefix}${index}`] = name;
    values[`:${prefix}${index}`] = value;
    return `#${prefix}${index} = :${prefix}${index}`;
  });
  return { parts, names, values };
};

/** A step is asked: the action (holding the task token), the open step, the entry. */
export const recordStepAsked = async (
  record: StepRecord,
  open: OpenStep,
  stepKey: string,
  action: StoredAction,
  changes: Record<string, unknown>,
  entry: TimelineEntry,
  extra: TransactItems = [],
): Promise<void> => {
  const { parts, names, values } = assignments({ ...changes, updatedAt: entry.at });
  await writeTogether(
    [
      actionPut(action),
      {
        Update: {
          TableName: tableName(),
          Key: record.key,
          UpdateExpression: `SET tasks.#key = :open, ${parts.join(', ')}`,
          // A sibling branch may still be asking when the run has failed: a failed record takes
          // no new steps, so its status stays "failed".
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(failure)',
          ExpressionAttributeNames: { ...names, '#key': stepKey },
          ExpressionAttributeValues: { ...values, ':open': open },
        },
      },
      timelinePut(record.timelinePk, entry),
      ...extra,
    ],
    ([, closed]) => (closed ? new Conflict('The workflow of this record has failed; no new step is asked') : undefined),
  );
};

/** The emailed link is spent: once, by whoever answered; a second use finds it spent. */
export const spendAction = (actionId: string, by: string, at: string): TransactItems[number] => ({
  Update: {
    TableName: tableName(),
    Key: keys.action(actionId),
    UpdateExpression: 'SET #status = :used, usedAt = :now, usedBy = :by',
    ConditionExpression: '#status = :open',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':used': 'used', ':open': 'open', ':now': at, ':by': by },
  },
});

/**
 * A person answered: the link is spent, the record changes, the step closes, all at once. The
 * link already spent is a 410; the step already closed (answered another way) a 409.
 */
export const recordStepCompleted = async (
  record: StepRecord,
  open: OpenStep,
  stepKey: string,
  changes: Record<string, unknown>,
  entry: TimelineEntry,
  extra: TransactItems = [],
): Promise<void> => {
  const { parts, names, values } = assignments({ ...changes, updatedAt: entry.at });
  await writeTogether(
    [
      spendAction(open.actionId, entry.actor, entry.at),
      {
        Update: {
          TableName: tableName(),
          Key: record.key,
          UpdateExpression: `SET ${parts.join(', ')} REMOVE tasks.#key`,
          ConditionExpression: 'tasks.#key.actionId = :actionId',
          ExpressionAttributeNames: { ...names, '#key': stepKey },
          ExpressionAttributeValues: { ...values, ':actionId': open.actionId },
        },
      },
      timelinePut(record.timelinePk, entry),
      ...extra,
    ],
    ([linkSpent, stepClosed]) =>
      linkSpent ? new Gone('This link was used already') : stepClosed ? new Conflict('This step has already been answered') : undefined,
  );
};

/** The workflow moved the record on: what changed, the entry, and optionally a step closed unanswered. */
export const recordProgress = async (
  record: StepRecord,
  changes: Record<string, unknown>,
  entry: TimelineEntry,
  options: {
    closeStep?: { key: string; actionId: string };
    extra?: TransactItems;
    /** A condition on the record, with its own placeholders. */
    condition?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
    refusal?: (failed: boolean[]) => Error | undefined;
    /** Top-level attributes that no longer apply. */
    remove?: string[];
  } = {},
): Promise<void> => {
  const { parts, names, values } = assignments({ ...changes, updatedAt: entry.at });
  const close = options.closeStep;
  const removals = [...(close ? ['tasks.#key'] : []), ...(options.remove ?? []).map((_, index) => `#r${index}`)];
  (options.remove ?? []).forEach((name, index) => (names[`#r${index}`] = name));
  await writeTogether(
    [
      {
        Update: {
          TableName: tableName(),
          Key: record.key,
          UpdateExpression: `SET ${parts.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
          ConditionExpression: options.condition?.expression ?? 'attribute_exists(pk)',
          ExpressionAttributeNames: { ...names, ...(close ? { '#key': close.key } : {}), ...options.condition?.names },
          ExpressionAttributeValues: { ...values, ...options.condition?.values },
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
      timelinePut(record.timelinePk, entry),
      ...(options.extra ?? []),
    ],
    options.refusal,
  );
};
