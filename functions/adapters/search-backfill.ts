import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type FindableKind, findableKinds } from '#domain/search';
import { tableName } from '#functions/config';
import { db } from './dynamodb';
import { refileTerms } from './search-refile';
import { findIndex } from './table-design';

/**
 * Issue 15's backfill: records made before search and lists get their terms and their list key.
 * A one-off over the whole table (the only scan there is), run by an operator with `npm run
 * backfill`, never by a function. The list key is written last, so it marks a record done: a
 * rerun, or a run after an interruption, reads past the done ones and changes nothing twice.
 */
export const backfillFindIndex = async (options: { segments?: number; onProgress?: (counts: BackfillCounts) => void } = {}) => {
  const segments = options.segments ?? 4;
  const counts: BackfillCounts = { read: 0, records: 0, filed: 0, terms: 0 };
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db().send(
          new ScanCommand({
            TableName: tableName(),
            Segment: segment,
            TotalSegments: segments,
            ProjectionExpression: 'pk, sk, itemType, id, createdAt',
            FilterExpression: `itemType IN (${findableKinds.map((_, i) => `:k${i}`).join(', ')}) AND attribute_not_exists(#listPk)`,
            ExpressionAttributeNames: { '#listPk': findIndex.partitionKey },
            ExpressionAttributeValues: Object.fromEntries(findableKinds.map((kind, i) => [`:k${i}`, kind])),
            ExclusiveStartKey: start,
          }),
        );
        counts.read += page.ScannedCount ?? 0;
        for (const item of page.Items ?? []) {
          counts.records += 1;
          counts.terms += await refileTerms(String(item.pk));
          const keys = findIndex.listKeys(item.itemType as FindableKind, String(item.createdAt), String(item.id));
          await db()
            .send(
              new UpdateCommand({
                TableName: tableName(),
                Key: { pk: item.pk, sk: item.sk },
                UpdateExpression: 'SET #listPk = :pk, #listSk = :sk',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: { '#listPk': findIndex.partitionKey, '#listSk': findIndex.sortKey },
                ExpressionAttributeValues: { ':pk': keys.gsi4pk, ':sk': keys.gsi4sk },
              }),
            )
            .catch((error: Error) => {
              // Deleted while the backfill ran (an erasure): nothing to list.
              if (error.name !== 'ConditionalCheckFailedException') throw error;
            });
          counts.filed += 1;
        }
        options.onProgress?.(counts);
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  return counts;
};

export interface BackfillCounts {
  /** Items the scan read. */
  read: number;
  /** Records found without their list key. */
  records: number;
  /** Records given their list key (the rest were deleted meanwhile). */
  filed: number;
  /** Search terms written. */
  terms: number;
}
