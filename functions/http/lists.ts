import type { Item } from '#adapters/sales-records';
import { InvalidListCursor, type ListRequest, listRecords } from '#adapters/search-records';
import { Problem } from './api';

/**
 * What the list routes share: their query's paging fields as a list request, attribute filters
 * as DynamoDB reads them, and a cursor from another list refused as a 400.
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
