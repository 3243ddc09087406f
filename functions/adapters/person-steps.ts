import { isDeepStrictEqual } from 'node:util';
import { Conflict, Gone } from '#domain/errors';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { actionPut, type StoredAction } from './action-records';
import { failedConditions, type TransactItems, writeTogether } from './dynamodb';
import { keys } from './table-design';
import { readRecord, timelinePut } from './table-items';

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
 * The link answers nothing any more: its step ended without it. The task token goes too, and so
 * does any trace of an answer given through it (see takeBackStepCompleted).
 */
export const closeAction = (actionId: string, at: string): TransactItems[number] => ({
  Update: {
    TableName: tableName(),
    Key: keys.action(actionId),
    UpdateExpression: 'SET #status = :closed, closedAt = :now REMOVE taskToken, usedAt, usedBy',
    // Never a fragment of an action that has left the table.
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':closed': 'closed', ':now': at },
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
    /** Steps that end unanswered, their links with them (no new link follows). */
    closeSteps?: { key: string; actionId?: string }[];
    extra?: TransactItems;
    condition?: Condition;
    refusal?: (failed: boolean[]) => Error | undefined;
    /** Top-level attributes that no longer apply. */
    remove?: string[];
  } = {},
): Promise<void> => {
  const close = options.closeStep;
  const closeAll = options.closeSteps ?? [];
  const removed = options.remove ?? [];
  await writeTogether(
    [
      recordUpdate(record.key, changes, entry.at, options.condition ?? { expression: 'attribute_exists(pk)' }, {
        remove: [
          ...(close ? ['tasks.#key'] : []),
          ...closeAll.map((_, index) => `tasks.#s${index}`),
          ...removed.map((_, index) => `#r${index}`),
        ],
        names: {
          ...(close ? { '#key': close.key } : {}),
          ...Object.fromEntries(closeAll.map((step, index) => [`#s${index}`, step.key])),
          ...Object.fromEntries(removed.map((name, index) => [`#r${index}`, name])),
        },
      }),
      ...closeAll.flatMap((step) => (step.actionId ? [closeAction(step.actionId, entry.at)] : [])),
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

/**
 * `current` with what `written` changed from `prior` taken back, wherever it still stands; what
 * someone else wrote since stands. Maps are taken back key by key (a parallel step may have filled
 * its own part of `prepared`), lists by the items that were appended (`decisions`).
 */
const takeBack = (prior: unknown, written: unknown, current: unknown): unknown => {
  if (isDeepStrictEqual(current, written)) return prior;
  const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isMap(written) && isMap(current)) {
    const before = isMap(prior) ? prior : {};
    const result: Record<string, unknown> = { ...current };
    for (const name of new Set([...Object.keys(before), ...Object.keys(written)])) {
      if (isDeepStrictEqual(before[name], written[name])) continue;
      const back = takeBack(before[name], written[name], current[name]);
      if (back === undefined) delete result[name];
      else result[name] = back;
    }
    return result;
  }
  if (Array.isArray(written) && Array.isArray(current)) {
    const before = Array.isArray(prior) ? prior : [];
    const added = written.filter((item) => !before.some((old) => isDeepStrictEqual(old, item)));
    return current.filter((item) => !added.some((mine) => isDeepStrictEqual(mine, item)));
  }
  return current;
};

/** The record changed between reading and writing it: read it again. */
class RecordMoved extends Error {}
/** An attempt that seemed to fail had written it all: its closing entry is there. */
class TakenBack extends Error {}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The workflow refused an answer that recordStepCompleted wrote (its task timed out, its run
 * ended): nothing of the answer may stay. The record's changed attributes go back to what they
 * were (taken back only where they still hold what the answer wrote), the answer's timeline entry
 * goes, `closing` says why the step ended, and the link is closed rather than spent, so it
 * answers 410 from now on. The step itself stays closed: no one waits for it. The record is read
 * and written under a condition on its updatedAt, and read again if it moved meanwhile.
 */
export const takeBackStepCompleted = async (
  record: StepRecord,
  answer: { prior: Record<string, unknown>; changes: Record<string, unknown>; entry: TimelineEntry; actionId: string },
  closing: TimelineEntry,
): Promise<void> => {
  // As the table holds it: no undefined members.
  const written = JSON.parse(JSON.stringify(answer.changes)) as Record<string, unknown>;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const current = await readRecord<Record<string, unknown>>(record.key);
      if (!current) throw new Error(`${record.key.pk} is gone; the answer cannot be taken back`);
      const restored = Object.keys(written).map((name) => [name, takeBack(answer.prior[name], written[name], current[name])] as const);
      const restore = Object.fromEntries(restored.filter(([, value]) => value !== undefined));
      const absent = restored.filter(([, value]) => value === undefined).map(([name]) => name);
      await writeTogether(
        [
          recordUpdate(
            record.key,
            restore,
            closing.at,
            { expression: '#updatedAt = :seen', names: { '#updatedAt': 'updatedAt' }, values: { ':seen': current.updatedAt } },
            {
              remove: absent.map((_, index) => `#u${index}`),
              names: Object.fromEntries(absent.map((name, index) => [`#u${index}`, name])),
            },
          ),
          { Delete: { TableName: tableName(), Key: keys.timeline(record.timelinePk, answer.entry.at, answer.entry.id) } },
          timelinePut(record.timelinePk, closing),
          closeAction(answer.actionId, closing.at),
        ],
        ([moved, , closed]) => (moved ? new RecordMoved() : closed ? new TakenBack() : undefined),
      );
      return;
    } catch (error) {
      if (error instanceof TakenBack) return;
      // Left as it is, the record would keep an answer no workflow took: try hard.
      if (attempt >= 5) throw error;
      if (!(error instanceof RecordMoved)) await pause(50 * 2 ** attempt);
    }
  }
};

/**
 * What an answer causes once the workflow has taken it (the emails it queues, say): written until
 * it lands, since the workflow has moved on and will not ask again. A put whose item is there
 * already was written by an attempt that only seemed to fail.
 */
export const recordOnceTaken = async (items: TransactItems): Promise<void> => {
  if (items.length === 0) return;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await writeTogether(items);
      return;
    } catch (error) {
      if (failedConditions(error)?.some(Boolean)) return;
      if (attempt >= 5) throw error;
      await pause(50 * 2 ** attempt);
    }
  }
};
