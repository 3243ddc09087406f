import type { OutgoingEmail } from '#domain/correspondence';
import type { DueThing } from '#domain/digest';
import { tableName } from '#functions/config';
import { AlreadyRecorded, queryPages, writeTogether } from './dynamodb';
import { dueIndex, itemKind, keys } from './table-design';
import { emailPut, fromItem, putNew } from './table-items';

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
    for await (const page of queryPages({
      TableName: tableName(),
      IndexName: dueIndex.name,
      KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk <= :upTo',
      ExpressionAttributeValues: { ':shard': dueIndex.partition(shard), ':upTo': dueIndex.upTo(at) },
      ReturnConsumedCapacity: 'TOTAL',
    })) {
      read.pages += 1;
      read.readCapacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
      for (const item of page.Items ?? []) {
        if (item.itemType === itemKind.dueContact || item.itemType === itemKind.agendaItem)
          read.due.push({ ...fromItem<DueThing>(item), itemType: item.itemType } as DueThing);
      }
    }
  }
  return read;
};

/**
 * The person's digest for this tick, queued in the outbox with its marker, at most once: a rerun
 * of the tick finds the marker and queues nothing (false).
 */
export const queueDigest = async (
  person: string,
  schedule: string,
  tick: string,
  email: OutgoingEmail,
  detail: { lines: number; at: string },
): Promise<boolean> => {
  const key = keys.digest(person, schedule, tick);
  try {
    await writeTogether(
      [
        putNew({
          ...key,
          itemType: itemKind.digest,
          emailId: email.id,
          ...detail,
          // Kept a quarter, then DynamoDB deletes it.
          ttl: Math.floor(Date.parse(detail.at) / 1000) + 92 * 24 * 60 * 60,
        }),
        emailPut(key.pk, email, detail.at),
      ],
      ([queued]) => (queued ? new AlreadyRecorded(`Digest ${schedule} ${tick} is queued already`) : undefined),
    );
    return true;
  } catch (error) {
    if (error instanceof AlreadyRecorded) return false;
    throw error;
  }
};
