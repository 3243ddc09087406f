import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { isPassingFault } from '#adapters/dynamodb';
import {
  type ChunkResult,
  chunkDone,
  findImport,
  inParallel,
  recordChunkDone,
  unpackRecords,
  writeImportedAccount,
  writeImportedLead,
} from '#adapters/import-records';
import type { PlannedRecord } from '#domain/contact-import';
import { logger } from '#functions/observability';
import { inStreamOrder } from '#functions/stream-batch';

/**
 * Issue 15: makes an import's records, one stored chunk at a time, from the table's stream. Each
 * record is written with its timeline entry in one transaction, under an id its content names, so a
 * chunk tried again (a timeout, a passing fault) makes nothing twice. A record that cannot be
 * written for its own sake is reported with its line; a passing fault retries the chunk.
 */

const lineOf = (record: PlannedRecord) => (record.kind === 'lead' ? record.line : record.lines[0]!);

const makeChunk = async (streamRecord: DynamoDBRecord): Promise<void> => {
  const { importId, n, packed } = unmarshall(streamRecord.dynamodb?.NewImage as Record<string, AttributeValue>) as {
    importId: string;
    n: number;
    packed: Uint8Array;
  };
  if (await chunkDone(importId, n)) return; // a replayed record: its result is filed already
  const job = await findImport(importId);
  if (!job) return; // expired with its chunks
  const records = unpackRecords(packed);
  const now = new Date().toISOString();
  const result: ChunkResult = { created: 0, skipped: [], failed: [] };
  await inParallel(
    records.map((record) => async () => {
      try {
        const written =
          record.kind === 'lead'
            ? await writeImportedLead(record, importId, job.createdBy, now)
            : await writeImportedAccount(record, importId, job.createdBy, now);
        if (written.outcome === 'created') result.created += 1;
        else
          result.skipped.push({
            line: lineOf(record),
            reason: written.reason,
            ...(written.existing ? { existing: written.existing } : {}),
          });
      } catch (error) {
        if (isPassingFault(error)) throw error;
        logger.warn('imported record refused', { importId, line: lineOf(record), errorName: (error as Error).name });
        result.failed.push({ line: lineOf(record), reason: `not saved: ${(error as Error).name}` });
      }
    }),
    10,
  );
  await recordChunkDone(importId, n, result, new Date().toISOString());
  logger.info('import chunk done', { importId, n, created: result.created, skipped: result.skipped.length, failed: result.failed.length });
};

export const handler = inStreamOrder(makeChunk);
