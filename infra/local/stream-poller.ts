import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * The Lambda event source mapping's stand-in: reads the table's stream on DynamoDB Local, keeps
 * the records the same filter pattern keeps, hands them to the real handler in batches, retries
 * from the first failed record with backoff, and after the last retry writes the record to a
 * dead-letter file, as the mapping's on-failure destination would to its queue.
 */

type Pattern = { [key: string]: Pattern | readonly (string | number | boolean)[] };

/** The subset of Lambda filter syntax the stack uses: nested fields and lists of exact values. */
export const matchesFilter = (pattern: Pattern, value: unknown): boolean =>
  Object.entries(pattern).every(([name, expected]) => {
    const actual = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
    return Array.isArray(expected) ? (expected as unknown[]).includes(actual) : matchesFilter(expected as Pattern, actual);
  });

const toLambdaRecord = (record: _Record, streamArn: string): DynamoDBRecord =>
  ({
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'local',
    eventSourceARN: streamArn,
    dynamodb: {
      ...record.dynamodb,
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
        : undefined,
    },
  }) as DynamoDBRecord;

export interface StreamPollerOptions {
  endpoint: string;
  streamArn: string;
  filter: Pattern;
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
  batchSize?: number;
  /** Retries of a failing record before it goes to the dead-letter file. */
  retryAttempts?: number;
  deadLetterFile: string;
  idleMillis?: number;
}

export interface StreamPoller {
  stop(): Promise<void>;
}

export const startStreamPoller = (options: StreamPollerOptions): StreamPoller => {
  const client = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: process.env.AWS_REGION ?? 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A read DynamoDB Local never answers (it was killed mid-request) must not stall the stream.
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  });
  const batchSize = options.batchSize ?? 25;
  const retryAttempts = options.retryAttempts ?? 8;
  const idle = options.idleMillis ?? 100;
  const iterators = new Map<string, string | undefined>(); // shardId -> iterator; undefined once closed
  const lastSequence = new Map<string, string>(); // shardId -> the last record handed on
  let running = true;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const deliver = async (records: DynamoDBRecord[]) => {
    let pending = records;
    let attempt = 0;
    while (pending.length && running) {
      let failedFrom: number | undefined;
      try {
        const result = await options.handler({ Records: pending });
        const failed = result?.batchItemFailures?.[0]?.itemIdentifier;
        if (failed !== undefined)
          failedFrom = Math.max(
            0,
            pending.findIndex((r) => r.dynamodb?.SequenceNumber === failed),
          );
      } catch {
        failedFrom = 0;
      }
      if (failedFrom === undefined) return;
      pending = pending.slice(failedFrom);
      attempt += 1;
      if (attempt > retryAttempts) {
        const [dead, ...rest] = pending;
        mkdirSync(dirname(options.deadLetterFile), { recursive: true });
        appendFileSync(
          options.deadLetterFile,
          `${JSON.stringify({ at: new Date().toISOString(), keys: dead?.dynamodb?.Keys, sequenceNumber: dead?.dynamodb?.SequenceNumber })}\n`,
        );
        console.error(`[streams] record ${dead?.dynamodb?.SequenceNumber} sent to ${options.deadLetterFile}`);
        pending = rest;
        attempt = 0;
        continue;
      }
      await sleep(Math.min(5_000, 100 * 2 ** attempt));
    }
  };

  const poll = async (): Promise<boolean> => {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: options.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (iterators.has(shard.ShardId!)) continue;
      // Where this shard was left (after a lost iterator), or its oldest record.
      const after = lastSequence.get(shard.ShardId!);
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamArn: options.streamArn,
          ShardId: shard.ShardId!,
          ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      iterators.set(shard.ShardId!, ShardIterator);
    }
    let sawRecords = false;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      let page;
      try {
        page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      } catch (error) {
        // The iterator is no good any more: trimmed past, expired, or DynamoDB Local restarted
        // under it. The shard starts again after the last record handed on (or from its oldest:
        // the workers are idempotent, so a record seen twice changes nothing).
        iterators.delete(shardId);
        const name = (error as Error).name;
        if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
        lastSequence.delete(shardId);
        continue;
      }
      iterators.set(shardId, page.NextShardIterator);
      const kept = (page.Records ?? [])
        .map((record) => toLambdaRecord(record, options.streamArn))
        .filter((record) => matchesFilter(options.filter, record));
      if (page.Records?.length) sawRecords = true;
      for (let i = 0; i < kept.length; i += batchSize) await deliver(kept.slice(i, i + batchSize));
      const last = page.Records?.at(-1)?.dynamodb?.SequenceNumber;
      if (last) lastSequence.set(shardId, last);
    }
    return sawRecords;
  };

  const loop = (async () => {
    while (running) {
      try {
        const busy = await poll();
        if (!busy) await sleep(idle);
      } catch (error) {
        if (running) console.error('[streams] poll failed:', (error as Error).message);
        await sleep(500);
      }
    }
  })();

  return {
    stop: async () => {
      running = false;
      await loop;
      client.destroy();
    },
  };
};
