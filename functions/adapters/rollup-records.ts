import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { RollupRow } from '#domain/reports';
import { type DealState, emptyDeal, type RowChange } from '#domain/rollups';
import { tableName } from '#functions/config';
import { db, failedConditions, queryPages, type TransactItems } from './dynamodb';
import { itemKind, keys } from './table-design';

/**
 * The reports' counters in the single table. A rollup row holds its counters as top-level numbers
 * named `n_<field>` (ADD needs no map to exist first); a deal's item holds what it counted last,
 * and a revision that every change moves on, under a condition: two workers on the same deal
 * cannot both count.
 */

const counterPrefix = 'n_';
const labelPrefix = 'label_';

export interface StoredDeal {
  deal: DealState;
  /** 0 when the deal was never counted. */
  rev: number;
}

export const readDeal = async (recordPk: string): Promise<StoredDeal> => {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.rollupDeal(recordPk), ConsistentRead: true }));
  return Item ? { deal: Item.deal as DealState, rev: Item.rev as number } : { deal: emptyDeal(), rev: 0 };
};

/** A record read as it stands (the stream's image of another record may be older). */
export const readRecordItem = async (key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> => {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return Item;
};

/** One row's ADD (and the campaign's name and kind, which are set, not added). */
export const rowUpdate = (change: RowChange, labels?: Record<string, string>): TransactItems[number] => {
  const names: Record<string, string> = { '#type': 'itemType', '#report': 'report', '#period': 'period' };
  const values: Record<string, unknown> = { ':type': itemKind.rollup, ':report': change.report, ':period': change.period };
  const adds = Object.entries(change.add).map(([field, n], i) => {
    names[`#f${i}`] = `${counterPrefix}${field}`;
    values[`:f${i}`] = n;
    return `#f${i} :f${i}`;
  });
  const sets = ['#type = :type', '#report = :report', '#period = :period'];
  Object.entries(labels ?? {}).forEach(([name, value], i) => {
    names[`#l${i}`] = `${labelPrefix}${name}`;
    values[`:l${i}`] = value;
    sets.push(`#l${i} = :l${i}`);
  });
  return {
    Update: {
      TableName: tableName(),
      Key: keys.rollupRow(change.report, change.period, change.row),
      UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/** The deal's new state moved on from the revision read, or refused (someone counted first). */
export class DealMoved extends Error {}

/** A transaction holds 100 items: the deal's own and 99 rows. */
export const maxRowsPerChange = 99;

/**
 * The deal's new state and the rows' additions in one transaction: either the counts move and
 * the deal remembers it, or neither happens. The condition on the revision makes a replayed or
 * concurrent delivery count once.
 */
export const recordDealChange = async (
  recordPk: string,
  seenRev: number,
  deal: DealState,
  changes: RowChange[],
  labels?: (change: RowChange) => Record<string, string> | undefined,
): Promise<void> => {
  if (changes.length > maxRowsPerChange) throw new Error(`One change moves ${changes.length} rollup rows, more than a transaction holds`);
  const items: TransactItems = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.rollupDeal(recordPk), itemType: itemKind.rollupDeal, deal, rev: seenRev + 1 },
        ConditionExpression: seenRev === 0 ? 'attribute_not_exists(pk)' : 'rev = :rev',
        ...(seenRev === 0 ? {} : { ExpressionAttributeValues: { ':rev': seenRev } }),
      },
    },
    ...changes.map((change) => rowUpdate(change, labels?.(change))),
  ];
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (failedConditions(error)?.[0]) throw new DealMoved();
    throw error;
  }
};

const rowOfItem = (item: Record<string, unknown>): RollupRow => {
  const fields: Record<string, number> = {};
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(counterPrefix) && typeof value === 'number') fields[name.slice(counterPrefix.length)] = value;
    if (name.startsWith(labelPrefix) && typeof value === 'string') labels[name.slice(labelPrefix.length)] = value;
  }
  return { period: String(item.period), row: String(item.sk), fields, ...(Object.keys(labels).length ? { labels } : {}) };
};

/**
 * A report's rows for its periods: one query per period (a month's partition holds a row per
 * owner and dimension, a few hundred at most), in parallel. `consumed` adds up the read units.
 */
export const readRollupRows = async (report: string, periods: string[], consumed?: { units: number }): Promise<RollupRow[]> => {
  const pages = await Promise.all(
    periods.map(async (period) => {
      const items: Record<string, unknown>[] = [];
      for await (const page of queryPages({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.rollupPeriod(report, period) },
        ...(consumed ? { ReturnConsumedCapacity: 'TOTAL' as const } : {}),
      })) {
        items.push(...(page.Items ?? []));
        if (consumed) consumed.units += page.ConsumedCapacity?.CapacityUnits ?? 0;
      }
      return items;
    }),
  );
  return pages.flat().map(rowOfItem);
};
