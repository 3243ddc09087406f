import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Account } from '#domain/account';
import type { DueContact } from '#domain/cadence';
import type { OutgoingEmail } from '#domain/correspondence';
import { companyOfAccount, type DuplicateMark } from '#domain/duplicates';
import { versionOf } from '#domain/edit';
import { Conflict, NotFound } from '#domain/errors';
import type { Lead, PossibleDuplicate } from '#domain/lead';
import type { Opportunity } from '#domain/opportunity';
import { findableAccount, findableLead, findableOpportunity } from '#domain/search';
import { type Task, type TaskSubject, taskKind } from '#domain/task';
import type { TimelineEntry } from '#domain/timeline';
import { tableName } from '#functions/config';
import { agendaClose, agendaPut } from './agenda-records';
import { type TransactItems, writeTogether } from './dynamodb';
import { leadIndexKeys } from './lead-records';
import { emailHash } from './person-key';
import { refiledTermPuts } from './search-records';
import { indexKeys, itemKind, keys, personIndex } from './table-design';
import { emailPut, fromItem, type Item, putNew, readRecord, timelinePut } from './table-items';

/**
 * Changes to records after they were made (issue 15): edits, reassignments, decisions, tasks and
 * the duplicate markers. Each change writes the record only if it is still at the version the
 * person saw, with its timeline entry and its emails, in one transaction.
 */

type Key = { pk: string; sk: string };

/** The record is still at the version the person saw (its updatedAt, or createdAt if never changed). */
const atVersion = (seen: string) => ({
  ConditionExpression: 'attribute_exists(pk) AND (updatedAt = :seen OR (attribute_not_exists(updatedAt) AND createdAt = :seen))',
  ExpressionAttributeValues: { ':seen': seen },
});

/**
 * The record's item brought to `after`: its changed attributes set, its cleared ones removed, its
 * index keys set, and nothing else touched (what a keyed create was asked, the list keys).
 */
const updateTo = (key: Key, before: object, after: object, recordIndexKeys: Item, seen: string) => {
  const b = before as Item;
  const a = after as Item;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  let n = 0;
  for (const [name, value] of Object.entries({ ...a, ...recordIndexKeys })) {
    if (name in recordIndexKeys || JSON.stringify(b[name]) !== JSON.stringify(value)) {
      n += 1;
      names[`#a${n}`] = name;
      values[`:v${n}`] = value;
      sets.push(`#a${n} = :v${n}`);
    }
  }
  for (const name of Object.keys(b)) {
    if (!(name in a)) {
      n += 1;
      names[`#a${n}`] = name;
      removes.push(`#a${n}`);
    }
  }
  const version = atVersion(seen);
  return {
    Update: {
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: version.ConditionExpression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ...version.ExpressionAttributeValues },
    },
  };
};

const changedMeanwhile = (what: string) =>
  new Conflict(`${what} was changed by someone else meanwhile: reload it and make your change again`);

export interface Change<T> {
  before: T;
  after: T;
  entries: TimelineEntry[];
  emails?: OutgoingEmail[];
}

const changeItems = (key: Key, change: Change<object>, recordIndexKeys: Item, seen: string, also: TransactItems = []): TransactItems => {
  const at = change.entries[0]?.at ?? new Date().toISOString();
  return [
    updateTo(key, change.before, change.after, recordIndexKeys, seen),
    ...change.entries.map((entry) => timelinePut(key.pk, entry)),
    ...(change.emails ?? []).map((email) => emailPut(key.pk, email, at)),
    ...also,
  ];
};

/** A lead changed (edited, reassigned, disqualified), if nobody changed it since `seen`. */
export const recordLeadChange = async (change: Change<Lead>, seen = versionOf(change.before), also: TransactItems = []): Promise<void> => {
  const key = keys.lead(change.after.id);
  // The search terms follow the record (a new company, address or owner), in the same transaction.
  const terms = refiledTermPuts(findableLead(change.before), findableLead(change.after));
  await writeTogether(changeItems(key, change, leadIndexKeys(change.after), seen, [...also, ...terms]), ([failed]) =>
    failed ? changedMeanwhile(`Lead ${change.after.id}`) : undefined,
  );
};

/** An opportunity changed (edited, reassigned, closed), if nobody changed it since `seen`. */
export const recordOpportunityChange = async (
  change: Change<Opportunity>,
  seen = versionOf(change.before),
  /** The person of the lead it came from, whose name and address find it too: needed when its company or owner changes. */
  contact?: { name: string; email: string },
): Promise<void> => {
  const key = keys.opportunity(change.after.id);
  const { before, after } = change;
  const terms =
    contact && (before.company !== after.company || before.owner !== after.owner)
      ? refiledTermPuts(findableOpportunity(before, contact), findableOpportunity(after, contact))
      : [];
  await writeTogether(changeItems(key, change, indexKeys.ownersOpportunities(change.after), seen, terms), ([failed]) =>
    failed ? changedMeanwhile(`Opportunity ${change.after.id}`) : undefined,
  );
};

/**
 * An account changed: its contact items follow its contacts, so the person index stays true (an
 * address no longer listed leaves the index; the item stays, holding only the hash). A
 * reassignment moves the calls and visits its owner was due to the new owner.
 */
export const recordAccountChange = async (change: Change<Account>, seen: string, due: DueContact[] = []): Promise<void> => {
  const { before, after } = change;
  const key = keys.account(after.id);
  const hashes = (account: Account) => new Set(account.contacts.map((contact) => emailHash(contact.email)));
  const [had, has] = [hashes(before), hashes(after)];
  const contactChanges: TransactItems = [
    ...[...has]
      .filter((hash) => !had.has(hash))
      .map((hash) => {
        const contactKey = keys.accountContact(after.id, hash);
        return {
          Put: {
            TableName: tableName(),
            Item: { ...contactKey, itemType: itemKind.accountContact, ...personIndex.keysFor(hash, contactKey) },
          },
        };
      }),
    ...[...had]
      .filter((hash) => !has.has(hash))
      .map((hash) => ({
        Update: {
          TableName: tableName(),
          Key: keys.accountContact(after.id, hash),
          UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
        },
      })),
  ];
  const dueMoves: TransactItems = due.map((contact) => ({
    Update: {
      TableName: tableName(),
      Key: keys.dueContact(contact.accountId, contact.kind),
      UpdateExpression: 'SET assignee = :to',
      ExpressionAttributeValues: { ':to': after.ownerEmail },
    },
  }));
  const accountIndexKeys = after.kind === 'distributor' ? indexKeys.distributorsBySize(after) : {};
  await writeTogether(
    changeItems(key, change, accountIndexKeys, seen, [
      ...contactChanges,
      ...dueMoves,
      ...duplicateMarksOfAccount(after, change.entries[0]?.at ?? after.createdAt, before),
      ...refiledTermPuts(findableAccount(before), findableAccount(after)),
    ]),
    ([failed]) => (failed ? changedMeanwhile(`Account ${after.id}`) : undefined),
  );
};

/** Two leads become one: both change together, each only if still as read. */
export const recordMerge = async (merged: Change<Lead>, into: Change<Lead>): Promise<void> => {
  await writeTogether(
    [
      ...changeItems(
        keys.lead(merged.after.id),
        merged,
        leadIndexKeys(merged.after),
        versionOf(merged.before),
        refiledTermPuts(findableLead(merged.before), findableLead(merged.after)),
      ),
      ...changeItems(keys.lead(into.after.id), into, leadIndexKeys(into.after), versionOf(into.before)),
    ],
    (failed) => (failed.some(Boolean) ? changedMeanwhile('One of the two leads') : undefined),
  );
};

// ---- duplicates ---------------------------------------------------------------------------------

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** How long a marker counts (and lives): the duplicate window. */
const markTtl = (at: string, windowDays: number) => Math.floor(Date.parse(at) / 1000) + windowDays * 86_400;

const markPut = (key: Key, mark: DuplicateMark, windowDays: number) => ({
  Put: { TableName: tableName(), Item: { ...key, itemType: itemKind.duplicateMark, ...mark, ttl: markTtl(mark.at, windowDays) } },
});

/** The markers a lead leaves: under its address and its company with its country. */
export const duplicateMarksOfLead = (lead: Lead, company: string, windowDays: number) => {
  const mark: DuplicateMark = { kind: 'lead', id: lead.id, name: lead.contact.company, at: lead.createdAt };
  return [
    markPut(keys.duplicateMark('EMAIL', emailHash(lead.contact.email), 'LEAD'), mark, windowDays),
    markPut(keys.duplicateMark('COMPANY', sha256(company), 'LEAD'), mark, windowDays),
  ];
};

/** An account's markers are kept a year from its last change, whatever the window. */
const accountMarkDays = 366;

/** The markers an account leaves: under each contact's address, and its company; new ones only. */
export const duplicateMarksOfAccount = (account: Account, at: string, before?: Account) => {
  const mark: DuplicateMark = { kind: 'account', id: account.id, name: account.name, at };
  const known = new Set(before?.contacts.map((contact) => emailHash(contact.email)) ?? []);
  return [
    ...[...new Set(account.contacts.map((contact) => emailHash(contact.email)))]
      .filter((hash) => !known.has(hash))
      .map((hash) => markPut(keys.duplicateMark('EMAIL', hash, 'ACCOUNT'), mark, accountMarkDays)),
    ...(before && companyOfAccount(before.name) === companyOfAccount(account.name)
      ? []
      : [markPut(keys.duplicateMark('COMPANY', sha256(companyOfAccount(account.name)), 'ACCOUNT'), mark, accountMarkDays)]),
  ];
};

/** A marker that still counts (left within the window) fails this: the write learns of duplicates from its own refusal. */
const noMarkSince = (since: string) => ({
  ConditionExpression: 'attribute_not_exists(pk) OR #at < :since',
  ExpressionAttributeNames: { '#at': 'at' },
  ExpressionAttributeValues: { ':since': since },
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
});

/**
 * A new lead's markers, each written only where no lead of the window left one, and a check that
 * no account did either: a lead with no duplicate (nearly all) is still one round trip. When one
 * fails, the refusal carries the marks met (`duplicateMarksIn`), and the lead is written again
 * flagged, with plain markers.
 */
export const checkedDuplicateMarksOfLead = (lead: Lead, company: string, accountCompany: string, windowDays: number): TransactItems => {
  const condition = noMarkSince(new Date(Date.parse(lead.createdAt) - windowDays * 86_400_000).toISOString());
  const accountMarks = [
    keys.duplicateMark('EMAIL', emailHash(lead.contact.email), 'ACCOUNT'),
    keys.duplicateMark('COMPANY', sha256(accountCompany), 'ACCOUNT'),
  ];
  return [
    ...duplicateMarksOfLead(lead, company, windowDays).map(({ Put }) => ({ Put: { ...Put, ...condition } })),
    ...accountMarks.map((Key) => ({ ConditionCheck: { TableName: tableName(), Key, ...condition } })),
  ];
};

type Refusal = Error & { CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[] };

/**
 * The marks a refused lead write met, with what matched; undefined when anything else refused
 * it. The SDK leaves a refusal's items in DynamoDB's own encoding.
 */
export const duplicateMarksIn = (error: unknown): { mark: DuplicateMark; match: PossibleDuplicate['match'] }[] | undefined => {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const failed = ((error as Refusal).CancellationReasons ?? []).filter((reason) => reason.Code === 'ConditionalCheckFailed');
  const items = failed.flatMap(({ Item }) =>
    Item ? [typeof Item.pk === 'object' ? unmarshall(Item as Record<string, AttributeValue>) : Item] : [],
  );
  if (!failed.length || items.length !== failed.length || items.some((item) => item.itemType !== itemKind.duplicateMark)) return undefined;
  return items.map((item) => ({
    mark: fromItem<DuplicateMark>(item),
    match: String(item.pk).startsWith('DUPE#EMAIL#') ? 'email' : 'company',
  }));
};

// ---- tasks ------------------------------------------------------------------------------------

export const subjectKey = (subject: TaskSubject): Key =>
  ({ lead: keys.lead, opportunity: keys.opportunity, account: keys.account, order: keys.order, quote: keys.quote })[subject.kind](
    subject.id,
  );

/** The task, its agenda item and its timeline entry; the record must exist. */
export const recordNewTask = async (task: Task, item: Parameters<typeof agendaPut>[0], entry: TimelineEntry): Promise<void> => {
  const subject = subjectKey(task.subject);
  await writeTogether(
    [
      { ConditionCheck: { TableName: tableName(), Key: subject, ConditionExpression: 'attribute_exists(pk)' } },
      putNew({ ...keys.task(task.id), itemType: itemKind.task, ...task }),
      agendaPut(item, entry.at),
      timelinePut(subject.pk, entry),
    ],
    ([missing]) => (missing ? new NotFound(`No ${task.subject.kind} ${task.subject.id}`) : undefined),
  );
};

export const findTask = (id: string) => readRecord<Task>(keys.task(id));

/** Done, once: its agenda item closes (out of the agenda and the digest) with it. */
export const recordTaskDone = async (task: Task, entry: TimelineEntry): Promise<void> => {
  await writeTogether(
    [
      {
        Update: {
          TableName: tableName(),
          Key: keys.task(task.id),
          UpdateExpression: 'SET #status = :done, doneAt = :at',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': 'done', ':at': entry.at, ':open': 'open' },
        },
      },
      agendaClose(task.subject, taskKind(task.id), entry.actor, entry.at),
      timelinePut(subjectKey(task.subject).pk, entry),
    ],
    ([done]) => (done ? new Conflict(`The task "${task.title}" is done already`) : undefined),
  );
};
