import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DueThing } from '#domain/digest';
import { tableName } from '#functions/config';
import { db } from './dynamodb';
import { fromItem } from './sales-records';
import { dueIndex, itemKind, keys } from './table-design';

/**
 * What is due, from the due-date index, and which digests went out. The digest reads each shard
 * with `gsi1sk <= now`: its reads grow with what is due, never with the number of accounts.
 */

export interface DueRead {
  due: DueThing[];
  /** Read capacity the queries consumed (ReturnConsumedCapacity), for the job's report. */
  readCapacityUnits: number;
  pages: number;
}

export const dueBy = async (at: string): Promise<DueRead> => {
  const read: DueRead = { due: [], readCapacityUnits: 0, pages: 0 };
  for (let shard = 0; shard < dueIndex.shards; shard += 1) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: dueIndex.name,
          KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk <= :upTo',
          ExpressionAttributeValues: { ':shard': dueIndex.partition(shard), ':upTo': dueIndex.upTo(at) },
          ReturnConsumedCapacity: 'TOTAL',
          ExclusiveStartKey,
        }),
      );
      read.pages += 1;
      read.readCapacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
      for (const item of page.Items ?? []) {
        if (item.itemType === itemKind.dueContact || item.itemType === itemKind.agendaItem) read.due.push({ ...fromItem<DueThing>(item), itemType: item.itemType } as DueThing);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return read;
};

/** A digest already went to this person for this tick: a rerun sends no second one. */
export const digestSent = async (person: string, schedule: string, tick: string): Promise<boolean> => {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.digest(person, schedule, tick), ConsistentRead: true }));
  return Boolean(Item);
};

export const recordDigestSent = async (person: string, schedule: string, tick: string, detail: { messageId: string; lines: number; at: string }) => {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.digest(person, schedule, tick),
        itemType: itemKind.digest,
        ...detail,
        // Kept a quarter, then DynamoDB deletes it.
        ttl: Math.floor(Date.parse(detail.at) / 1000) + 92 * 24 * 60 * 60,
      },
    }),
  );
};
