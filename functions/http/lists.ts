import type * as z from 'zod/mini';
import { InvalidListCursor, type ListRequest, listRecords } from '#adapters/search-records';
import { fromItem, type Item } from '#adapters/table-items';
import type { Caller } from '#domain/roles';
import { readRouteOf } from '#domain/search';
import type { RouteKey } from '#functions/routes';
import { apiRoute, json, Problem } from './api';
import { readRule } from './read-rule';

/**
 * What the list routes share: their query's paging fields as a list request, attribute filters
 * as DynamoDB reads them, a cursor from another list refused as a 400, and the owner rule.
 */

type Condition = { path: string; op: '=' | '>=' | '<='; value: unknown };

/** `a.b` names nested attributes; undefined values are no condition at all. */
export const attributeFilter = (conditions: Condition[]): ListRequest['filter'] => {
  const given = conditions.filter((condition) => condition.value !== undefined);
  if (!given.length) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = given.map((condition, i) => {
    const path = condition.path
      .split('.')
      .map((name) => {
        names[`#${name}`] = name;
        return `#${name}`;
      })
      .join('.');
    values[`:f${i}`] = condition.value;
    return `${path} ${condition.op} :f${i}`;
  });
  return { expression: parts.join(' AND '), names, values };
};

export interface PagingQuery {
  createdFrom?: string;
  createdTo?: string;
  order: 'newest' | 'oldest';
  limit: number;
  cursor?: string;
}

export const listPage = async (
  kind: ListRequest['kind'],
  query: PagingQuery,
  options: Pick<ListRequest, 'filter' | 'keep' | 'readBudget'>,
): Promise<{ items: Item[]; nextCursor?: string }> => {
  try {
    return await listRecords({
      kind,
      limit: query.limit,
      cursor: query.cursor,
      oldestFirst: query.order === 'oldest',
      createdFrom: query.createdFrom,
      createdTo: query.createdTo,
      ...options,
    });
  } catch (error) {
    if (error instanceof InvalidListCursor) throw new Problem(400, 'Invalid query', [{ path: 'cursor', message: error.message }]);
    throw error;
  }
};

/** A day's end for a range on times: "2026-03-01" up to "2026-03-01~" takes every time of that day. */
export const endOfDay = (day: string | undefined) => (day ? `${day}~` : undefined);

/**
 * A list route: an SM names themself or their reports as `owner`, or reads their own and their
 * reports' (each record through the read rule of its kind's GET route); whoever reads anyone's reads all.
 */
export const listRoute = <Q extends z.core.$ZodType<PagingQuery & { owner?: string }>, T>(
  kind: ListRequest['kind'],
  spec: {
    /** GET /quotes: the path names the records, in the answer and in a refusal. */
    route: RouteKey;
    query: Q;
    /** The attribute naming the owning SM. */
    owner: 'owner' | 'ownerEmail';
    /** The query's filters besides the owner. */
    filter: (query: z.output<Q>) => Condition[];
    /** What the list shows of a record (the caller's roles may hide some of it). */
    row: (record: T, caller: Caller) => object;
  },
) => {
  const records = spec.route.slice('GET /'.length);
  return apiRoute({ route: spec.route, query: spec.query }, async ({ query, caller, actOn, actsOnAny }) => {
    if (query.owner) await actOn(query.owner, `The ${records} of ${query.owner}`);
    const mayRead = readRule(caller!);
    const page = await listPage(kind, query, {
      filter: attributeFilter([...spec.filter(query), { path: spec.owner, op: '=', value: query.owner }]),
      keep: actsOnAny || query.owner ? undefined : (item) => mayRead(readRouteOf[kind], String(item[spec.owner])),
    });
    return json(200, { [records]: page.items.map((item) => spec.row(fromItem<T>(item), caller!)), nextCursor: page.nextCursor });
  });
};
