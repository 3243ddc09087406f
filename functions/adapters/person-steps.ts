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

/** A condition on a record, with its own placeholders. */
export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/**
 * The record's own update in a transaction: the changes and updatedAt set, any further SET parts
 * and REMOVEs, all under a condition. Every step write below goes through it.
 */
export const recordUpdate = (
  key: { pk: string; sk: string },
  changes: Record<string, unknown>,
  at: string,
  condition: Condition,
  more: { set?: string[]; remove?: string[]; names?: Record<string, string>; values?: Record<string, unknown> } = {},
): TransactItems[number] => {
  const { parts, names, values } = assignments({ ...changes, updatedAt: at });
  const remove = more.remove ?? [];
  return {
    Update: {
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${[...(more.set ?? []), ...parts].join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: condition.expression,
      ExpressionAttributeNames: { ...names, ...more.names, ...condition.names },
      ExpressionAttributeValues: { ...values, ...more.values, ...condition.values },
    },
  };
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
  await writeTogether(
    [
      actionPut(action),
      // A sibling branch may still be asking when the run has failed: a failed record takes no
      // new steps, so its status stays "failed".
      recordUpdate(
        record.key,
        changes,
        entry.at,
        { expression: 'attribute_exists(pk) AND attribute_not_exists(failure)' },
        { set: ['tasks.#key = :open'], names: { '#key': stepKey }, values: { ':open': open } },
      ),
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
  await writeTogether(
    [
      spendAction(open.actionId, entry.actor, entry.at),
      recordUpdate(
        record.key,
        changes,
        entry.at,
        { expression: 'tasks.#key.actionId = :actionId', names: { '#key': stepKey }, values: { ':actionId': open.actionId } },
        { remove: ['tasks.#key'] },
      ),
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
    condition?: Condition;
    refusal?: (failed: boolean[]) => Error | undefined;
    /** Top-level attributes that no longer apply. */
    remove?: string[];
  } = {},
): Promise<void> => {
  const close = options.closeStep;
  const removed = options.remove ?? [];
  await writeTogether(
    [
      recordUpdate(record.key, changes, entry.at, options.condition ?? { expression: 'attribute_exists(pk)' }, {
        remove: [...(close ? ['tasks.#key'] : []), ...removed.map((_, index) => `#r${index}`)],
        names: {
          ...(close ? { '#key': close.key } : {}),
          ...Object.fromEntries(removed.map((name, index) => [`#r${index}`, name])),
        },
      }),
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
