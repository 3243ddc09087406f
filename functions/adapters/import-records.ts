import { gunzipSync, gzipSync } from 'node:zlib';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { openAccount } from '#domain/account';
import {
  type Duplicate,
  type Existing,
  importedAccount,
  importedLead,
  type PlannedAccount,
  type PlannedLead,
  type PlannedRecord,
} from '#domain/contact-import';
import { stableId } from '#domain/stable-id';
import { tableName } from '#functions/config';
import { recordNewAccount } from './account-records';
import { conditionHeld, db, failedConditions, queryAll, writeTogether } from './dynamodb';
import { RepeatedResponse, recordNewLead } from './lead-records';
import { emailHash } from './person-key';
import { itemKind, keys, personIndex, tableDesign } from './table-design';
import { fromItem } from './table-items';

/**
 * CSV imports in the table: the import's own item (status and progress counts), its chunks of
 * checked records (each INSERT starts the worker on it), and each chunk's result once done.
 */

export type ImportStatus = 'queued' | 'running' | 'done';

export interface ImportJob {
  id: string;
  status: ImportStatus;
  fileName?: string;
  bytes: number;
  rows: number;
  mapping: Record<string, string>;
  separator: string;
  chunks: number;
  /** What the file holds, as checked when it was uploaded. */
  planned: { accounts: number; leads: number; duplicatesInFile: number; badRows: number };
  /** Progress, added to as each chunk is done. */
  chunksDone: number;
  created: number;
  skipped: number;
  failed: number;
  /** The rows the upload refused, with their lines and reasons (the first 1,000). */
  badRows: { line: number; reason: string }[];
  duplicatesInFile: Duplicate[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export interface ChunkResult {
  created: number;
  skipped: { line: number; reason: string; existing?: Duplicate['existing'] }[];
  failed: { line: number; reason: string }[];
}

/** Imports and their parts go after a month; the records they made stay. */
const expiry = (now: string) => Math.floor(Date.parse(now) / 1000) + 30 * 86_400;

/**
 * A chunk is what the worker makes in one go (seconds), stored gzipped: 1,000 records are about
 * 200 KB of JSON and 30 KB packed, well under DynamoDB's 400 KB an item, and cheap to write.
 */
export const recordsPerChunk = 1000;

export const chunkRecords = (records: readonly PlannedRecord[]): PlannedRecord[][] =>
  Array.from({ length: Math.ceil(records.length / recordsPerChunk) }, (_, i) =>
    records.slice(i * recordsPerChunk, (i + 1) * recordsPerChunk),
  );

export const packRecords = (records: readonly PlannedRecord[]): Uint8Array => gzipSync(JSON.stringify(records));
export const unpackRecords = (packed: Uint8Array): PlannedRecord[] => JSON.parse(gunzipSync(packed).toString('utf8')) as PlannedRecord[];

/**
 * The import and its chunks. The import item goes first: a chunk's worker always finds it. Each
 * chunk is its own put (the functions hold no BatchWriteItem), a few at a time.
 */
export const recordImport = async (job: ImportJob, chunks: readonly PlannedRecord[][]): Promise<void> => {
  const ttl = expiry(job.createdAt);
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.importJob(job.id), itemType: itemKind.importJob, ...job, ttl },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  const puts = chunks.map(
    (records, n) => () =>
      db().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...keys.importChunk(job.id, n),
            itemType: itemKind.importChunk,
            importId: job.id,
            n,
            records: records.length,
            packed: packRecords(records),
            ttl,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
  );
  await inParallel(puts, 8);
};

/** Runs tasks with at most `width` at once, in order of start. */
export const inParallel = async <T>(tasks: readonly (() => Promise<T>)[], width: number): Promise<T[]> => {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
};

export const findImport = async (id: string): Promise<ImportJob | undefined> => {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.importJob(id), ConsistentRead: true }));
  return Item ? fromItem<ImportJob>(Item) : undefined;
};

/** The results of the chunks done so far, in chunk order. */
export const importResults = async (id: string): Promise<ChunkResult[]> =>
  (
    await queryAll({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :result)',
      ExpressionAttributeValues: { ':pk': keys.importJob(id).pk, ':result': 'RESULT#' },
    })
  ).map((item) => fromItem<ChunkResult & { n: number }>(item));

/**
 * A chunk done: its result filed and its counts added to the import, together and once (a
 * replayed stream record finds the result there and adds nothing). The last chunk closes the import.
 */
export const recordChunkDone = async (importId: string, n: number, result: ChunkResult, now: string): Promise<void> => {
  const key = keys.importJob(importId);
  try {
    await writeTogether([
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.importResult(importId, n), itemType: itemKind.importResult, n, ...result, ttl: expiry(now) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: key,
          UpdateExpression:
            'ADD chunksDone :one, created :created, skipped :skipped, failed :failed SET #status = :running, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':created': result.created,
            ':skipped': result.skipped.length,
            ':failed': result.failed.length,
            ':running': 'running',
            ':now': now,
          },
        },
      },
    ]);
  } catch (error) {
    if (!failedConditions(error)?.[0]) throw error;
  }
  await conditionHeld(
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'SET #status = :done, finishedAt = :now, updatedAt = :now',
        ConditionExpression: 'chunksDone >= chunks AND #status <> :done',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'done', ':now': now },
      }),
    ),
  );
};

export const chunkDone = async (importId: string, n: number): Promise<boolean> =>
  Boolean(
    (await db().send(new GetCommand({ TableName: tableName(), Key: keys.importResult(importId, n), ProjectionExpression: 'pk' }))).Item,
  );

// ---- what is there already ---------------------------------------------------------------------

/** A lead naming this address, by the person index (one key, never a scan). */
const leadNaming = async (email: string): Promise<string | undefined> => {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: personIndex.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :lead)',
      ExpressionAttributeNames: { '#pk': personIndex.partitionKey, '#sk': personIndex.sortKey },
      ExpressionAttributeValues: { ':pk': personIndex.partition(emailHash(email)), ':lead': 'LEAD#' },
      ProjectionExpression: 'pk',
      Limit: 1,
    }),
  );
  const pk = Items[0]?.pk as string | undefined;
  return pk?.slice('LEAD#'.length);
};

/** Which of these records' keys exist, 100 keys a request. */
const existingKeys = async (keyList: { pk: string; sk: string }[], until: number): Promise<{ found: Set<string>; checked: number }> => {
  const found = new Set<string>();
  let checked = 0;
  const batches = Array.from({ length: Math.ceil(keyList.length / 100) }, (_, i) => keyList.slice(i * 100, i * 100 + 100));
  await inParallel(
    batches.map((batch) => async () => {
      if (Date.now() > until) return;
      checked += batch.length;
      let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression?: string }> | undefined = {
        [tableName()]: { Keys: batch, ProjectionExpression: 'pk' },
      };
      for (let attempt = 0; request && Object.keys(request).length && attempt < 8; attempt += 1) {
        if (attempt) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const answer = await db().send(new BatchGetCommand({ RequestItems: request }));
        for (const item of answer.Responses?.[tableName()] ?? []) found.add(String(item[tableDesign.partitionKey]));
        request = answer.UnprocessedKeys as typeof request;
      }
    }),
    8,
  );
  return { found, checked };
};

/**
 * The planned records already in salesflow: accounts and leads by the ids an import gives them,
 * and leads made any other way (the form, Sales Admin) by the person index of their address.
 */
export const existingRecords = async (
  accounts: readonly PlannedAccount[],
  leads: readonly PlannedLead[],
  /** When to stop looking (a preview must answer within API Gateway's 30 s); the import looks each up again. */
  lookUpUntil = Number.POSITIVE_INFINITY,
): Promise<Existing & { lookups: { done: number; of: number } }> => {
  const [accountKeys, leadKeys] = await Promise.all([
    existingKeys(
      accounts.map((account) => keys.account(account.id)),
      lookUpUntil,
    ),
    existingKeys(
      leads.map((lead) => keys.lead(lead.id)),
      lookUpUntil,
    ),
  ]);
  const byEmail = new Map<string, string>();
  for (const lead of leads) if (leadKeys.found.has(keys.lead(lead.id).pk)) byEmail.set(lead.email, lead.id);
  const toCheck = leads.filter((lead) => !byEmail.has(lead.email));
  let checked = 0;
  const others = await inParallel(
    toCheck.map((lead) => async () => {
      if (Date.now() > lookUpUntil) return [lead.email, undefined] as const;
      checked += 1;
      return [lead.email, await leadNaming(lead.email)] as const;
    }),
    32,
  );
  for (const [email, id] of others) if (id) byEmail.set(email, id);
  return {
    leads: byEmail,
    accounts: new Set(accounts.filter((account) => accountKeys.found.has(keys.account(account.id).pk)).map((account) => account.id)),
    // By id, and by address on the person index.
    lookups: { done: accountKeys.checked + leadKeys.checked + checked, of: accounts.length + leads.length + toCheck.length },
  };
};

// ---- writing the records -----------------------------------------------------------------------

export type RecordOutcome = { outcome: 'created' } | { outcome: 'skipped'; reason: string; existing?: Duplicate['existing'] };

/** Whether this import made the record on an earlier try of the same chunk (then it counts as made). */
const madeBy = async (key: { pk: string; sk: string }, importId: string) =>
  (await db().send(new GetCommand({ TableName: tableName(), Key: key, ProjectionExpression: 'importId', ConsistentRead: true }))).Item
    ?.importId === importId;

/** An imported lead with its timeline entry, or nothing; never an email. */
export const writeImportedLead = async (planned: PlannedLead, importId: string, by: string, now: string): Promise<RecordOutcome> => {
  const other = await leadNaming(planned.email);
  if (other && other !== planned.id)
    return { outcome: 'skipped', reason: `${planned.email} is a lead already`, existing: { kind: 'lead', id: other } };
  if (other === planned.id)
    return (await madeBy(keys.lead(planned.id), importId))
      ? { outcome: 'created' }
      : { outcome: 'skipped', reason: `${planned.email} is a lead already`, existing: { kind: 'lead', id: other } };
  const { lead, entry } = importedLead(planned, importId, by, now);
  try {
    await recordNewLead(lead, entry, [], `import:${importId}`);
    return { outcome: 'created' };
  } catch (error) {
    if (error instanceof RepeatedResponse) return { outcome: 'skipped', reason: `${planned.email} made a lead today already` };
    if ((error as Error).name !== 'AlreadyRecorded') throw error;
    if (await madeBy(keys.lead(planned.id), importId)) return { outcome: 'created' };
    return { outcome: 'skipped', reason: `${planned.email} is a lead already`, existing: { kind: 'lead', id: planned.id } };
  }
};

/** An imported account with its timeline entry, contacts and search terms, or nothing. */
export const writeImportedAccount = async (planned: PlannedAccount, importId: string, by: string, now: string): Promise<RecordOutcome> => {
  // Read first: a file imported again finds every account there, and a read is cheaper than a refused transaction.
  const there = (
    await db().send(new GetCommand({ TableName: tableName(), Key: keys.account(planned.id), ProjectionExpression: 'importId' }))
  ).Item;
  if (there) {
    return there.importId === importId
      ? { outcome: 'created' }
      : { outcome: 'skipped', reason: `${planned.name} is an account already`, existing: { kind: 'account', id: planned.id } };
  }
  const { importId: _id, address, ...fields } = importedAccount(planned, importId);
  const { account, entry } = openAccount(fields, { accountId: planned.id, entryId: stableId(planned.id, 'imported', importId) }, by, now);
  const imported = { ...account, importId, ...(address ? { address } : {}) };
  try {
    await recordNewAccount(
      imported,
      {
        ...entry,
        summary: `${entry.summary}; imported from a CRM export (line ${planned.lines[0]})`,
        detail: { ...entry.detail, importId },
      },
      [],
    );
    return { outcome: 'created' };
  } catch (error) {
    if (!failedConditions(error)?.[0]) throw error;
    if (await madeBy(keys.account(planned.id), importId)) return { outcome: 'created' };
    return { outcome: 'skipped', reason: `${planned.name} is an account already`, existing: { kind: 'account', id: planned.id } };
  }
};
