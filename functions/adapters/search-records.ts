import { BatchGetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type Findable, type FindableKind, normalise, shortestQuery } from '#domain/search';
import { tableName } from '#functions/config';
import { db } from './dynamodb';
import { findIndex, itemKind, keys } from './table-design';
import type { Item } from './table-items';

/**
 * Search terms and lists on the find index (gsi4, see table-design). A record's terms are items
 * of its own collection, written in the record's transaction and refiled from the record as it
 * reads when it changes (an erasure, the backfill).
 */

/** A record with many contacts still writes a bounded number of terms (a transaction holds 100 items). */
const termsPerRecord = 20;

export const recordKey = {
  lead: keys.lead,
  opportunity: keys.opportunity,
  account: keys.account,
  quote: keys.quote,
  order: keys.order,
} as const satisfies Record<FindableKind, (id: string) => { pk: string; sk: string }>;

/** The record's search terms, to write in its own transaction (a Put each, replacing any before). */
export const findTermPuts = (findable: Findable) =>
  findable.terms.slice(0, termsPerRecord).map((term, n) => ({
    Put: {
      TableName: tableName(),
      Item: {
        ...findIndex.term(recordKey[findable.kind](findable.id).pk, n),
        itemType: itemKind.findTerm,
        ...findIndex.termKeys(term, findable.kind, findable.id),
        kind: findable.kind,
        recordId: findable.id,
        title: findable.title,
        subtitle: findable.subtitle,
        owner: findable.owner,
      },
    },
  }));

/**
 * For an edit, in its own transaction: the record's terms as it reads after the edit, and the
 * slots its terms took before and no longer need, put back empty (off the index, no delete).
 */
export const refiledTermPuts = (before: Findable, after: Findable) => {
  const puts = findTermPuts(after);
  const used = Math.min(before.terms.length, termsPerRecord);
  const pk = recordKey[after.kind](after.id).pk;
  for (let n = puts.length; n < used; n += 1) {
    puts.push({ Put: { TableName: tableName(), Item: { ...findIndex.term(pk, n), itemType: itemKind.findTerm } } as never });
  }
  return puts;
};

/** The list keys a record's own item carries (newest first in its kind's list). */
export const listKeys = (kind: FindableKind, record: { createdAt: string; id: string }) =>
  findIndex.listKeys(kind, record.createdAt, record.id);

export interface SearchHit {
  kind: FindableKind;
  id: string;
  title: string;
  subtitle: string;
  owner: string;
}

/**
 * Hits whose terms start with the query, in term order, each record once, those `mayRead`
 * keeps. Reads page by page only until `limit` hits are kept or `readBudget` terms were read,
 * so a query costs what it matches (up to that budget), never the table.
 */
export const findRecords = async (
  query: string,
  options: {
    limit: number;
    kinds: readonly FindableKind[];
    mayRead: (hit: SearchHit) => Promise<boolean>;
    /** Check the hits about to be shown against their records' owners as they are now (one BatchGetItem a page). */
    currentOwners?: boolean;
    readBudget?: number;
  },
): Promise<SearchHit[]> => {
  const prefix = normalise(query);
  if (prefix.length < shortestQuery || options.kinds.length === 0) return [];
  const hits = new Map<string, SearchHit>();
  const seen = new Set<string>();
  let start: Record<string, unknown> | undefined;
  let read = 0;
  const budget = options.readBudget ?? 400;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: findIndex.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        // A role that reads no leads (Production) is not handed them: filtered before they cross the wire.
        FilterExpression: `#kind IN (${options.kinds.map((_, i) => `:k${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#pk': findIndex.partitionKey, '#sk': findIndex.sortKey, '#kind': 'kind', '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':pk': findIndex.termPartition(prefix),
          ':prefix': prefix,
          ...Object.fromEntries(options.kinds.map((kind, i) => [`:k${i}`, kind])),
        },
        ProjectionExpression: '#kind, recordId, title, subtitle, #owner',
        Limit: 50,
        ExclusiveStartKey: start,
      } satisfies QueryCommandInput),
    );
    read += page.ScannedCount ?? 0;
    const fresh: SearchHit[] = [];
    for (const item of page.Items ?? []) {
      const hit: SearchHit = {
        kind: item.kind as FindableKind,
        id: String(item.recordId),
        title: String(item.title ?? ''),
        subtitle: String(item.subtitle ?? ''),
        owner: String(item.owner ?? ''),
      };
      const key = `${hit.kind}#${hit.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(hit);
    }
    // The page's hits are checked at once (each owner's managers read once, in parallel), then kept in term order.
    const readable = await Promise.all(fresh.map((hit) => options.mayRead(hit)));
    const candidates = fresh.filter((_, i) => readable[i]).slice(0, options.limit - hits.size);
    if (options.currentOwners && candidates.length) {
      // A record given to someone else since its terms were filed is no longer the caller's: only
      // the hits about to be shown are read again (one BatchGetItem), and one gone is no hit.
      const owners = await ownersNow(candidates);
      const still = await Promise.all(
        candidates.map((hit) => {
          const owner = owners.get(recordKey[hit.kind](hit.id).pk);
          return owner === undefined ? false : owner === hit.owner || options.mayRead({ ...hit, owner });
        }),
      );
      for (const [i, hit] of candidates.entries()) if (still[i]) hits.set(`${hit.kind}#${hit.id}`, hit);
    } else {
      for (const hit of candidates) hits.set(`${hit.kind}#${hit.id}`, hit);
    }
    start = page.LastEvaluatedKey;
  } while (start && hits.size < options.limit && read < budget);
  return [...hits.values()];
};

/** The owners of the hits' records as they stand, by record pk (the page holds at most 50, a BatchGetItem takes 100). */
const ownersNow = async (hits: SearchHit[]): Promise<Map<string, string>> => {
  const wanted = [...new Map(hits.map((hit) => [recordKey[hit.kind](hit.id).pk, recordKey[hit.kind](hit.id)])).values()];
  const owners = new Map<string, string>();
  let keysLeft: Record<string, unknown>[] = wanted;
  for (let attempt = 0; keysLeft.length && attempt < 5; attempt += 1) {
    const answer = await db().send(
      new BatchGetCommand({
        RequestItems: {
          [tableName()]: {
            Keys: keysLeft,
            ProjectionExpression: 'pk, #owner, ownerEmail',
            ExpressionAttributeNames: { '#owner': 'owner' },
          },
        },
      }),
    );
    for (const item of answer.Responses?.[tableName()] ?? []) owners.set(String(item.pk), String(item.owner ?? item.ownerEmail ?? ''));
    keysLeft = (answer.UnprocessedKeys?.[tableName()]?.Keys ?? []) as Record<string, unknown>[];
  }
  return owners;
};

// ---- lists ---------------------------------------------------------------------------------------

export class InvalidListCursor extends Error {
  override readonly name = 'InvalidListCursor';
}

/** A page's last key, as the client carries it to ask for the next page: opaque. */
export const encodeCursor = (key: Item | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);

/** What a cursor carries, or undefined if it is not one at all; whether it is a key of this list, each list checks. */
export const cursorContent = (cursor: string): unknown => {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};

const decodeCursor = (cursor: string | undefined, partition: string): Item | undefined => {
  if (!cursor) return undefined;
  const key = cursorContent(cursor);
  const valid =
    key &&
    typeof key === 'object' &&
    (key as Item)[findIndex.partitionKey] === partition &&
    // Exactly the index's and the table's keys, or DynamoDB would refuse the query (a 500, not a 400).
    Object.keys(key).sort().join() === ['pk', 'sk', findIndex.partitionKey, findIndex.sortKey].sort().join() &&
    Object.values(key).every((value) => typeof value === 'string');
  if (!valid) throw new InvalidListCursor('cursor does not belong to this list');
  return key as Item;
};

export interface ListRequest {
  kind: FindableKind;
  limit: number;
  cursor?: string;
  /** Oldest first instead of newest first. */
  oldestFirst?: boolean;
  createdFrom?: string;
  createdTo?: string;
  /** Attribute filters DynamoDB applies as it reads (equality, ranges), with their names and values. */
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  /** What only code can decide (the owner rule, a stage read from other items): kept or not. */
  keep?: (item: Item) => Promise<boolean>;
  /** Items read at most before a short page comes back with a cursor. */
  readBudget?: number;
}

/**
 * One page of a kind's list from the find index, newest first. Creation dates narrow the key
 * range; other filters are read through, so a selective filter can give a short page with a
 * cursor to go on (the page is never padded by reading on past `readBudget`).
 */
export const listRecords = async (request: ListRequest): Promise<{ items: Item[]; nextCursor?: string }> => {
  const partition = findIndex.list(request.kind);
  const range =
    request.createdFrom && request.createdTo
      ? { expression: ' AND #sk BETWEEN :from AND :to', values: { ':from': request.createdFrom, ':to': `${request.createdTo}~` } }
      : request.createdFrom
        ? { expression: ' AND #sk >= :from', values: { ':from': request.createdFrom } }
        : request.createdTo
          ? { expression: ' AND #sk <= :to', values: { ':to': `${request.createdTo}~` } }
          : { expression: '', values: {} };
  const items: Item[] = [];
  let start = decodeCursor(request.cursor, partition);
  let read = 0;
  const budget = request.readBudget ?? 1000;
  while (true) {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: findIndex.name,
        KeyConditionExpression: `#pk = :pk${range.expression}`,
        ...(request.filter ? { FilterExpression: request.filter.expression } : {}),
        ExpressionAttributeNames: {
          '#pk': findIndex.partitionKey,
          ...(range.expression ? { '#sk': findIndex.sortKey } : {}),
          ...request.filter?.names,
        },
        ExpressionAttributeValues: { ':pk': partition, ...range.values, ...request.filter?.values },
        ScanIndexForward: Boolean(request.oldestFirst),
        Limit: Math.min(100, request.limit * 2),
        ExclusiveStartKey: start,
      }),
    );
    read += page.ScannedCount ?? 0;
    // What only code can decide is decided for the whole page at once, then read in order.
    const kept = request.keep ? await Promise.all((page.Items ?? []).map((item) => request.keep!(item))) : undefined;
    for (const [i, item] of (page.Items ?? []).entries()) {
      if (kept && !kept[i]) continue;
      items.push(item);
      if (items.length === request.limit) {
        // Cut inside a page: the next page starts after the last item given.
        const last = Object.fromEntries(['pk', 'sk', findIndex.partitionKey, findIndex.sortKey].map((name) => [name, item[name]]));
        const isLastOfAll = !page.LastEvaluatedKey && item === page.Items!.at(-1);
        return { items, nextCursor: isLastOfAll ? undefined : encodeCursor(last) };
      }
    }
    start = page.LastEvaluatedKey;
    if (!start || read >= budget) return { items, nextCursor: encodeCursor(start) };
  }
};
