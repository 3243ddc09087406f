import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * A stream worker's handler: each record in order; the first that fails is reported and the
 * event source retries from it (ReportBatchItemFailures), so nothing after it is skipped.
 */
export const inStreamOrder =
  (handle: (record: DynamoDBRecord) => Promise<void>) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await handle(record);
      } catch {
        batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
        break;
      }
    }
    return { batchItemFailures };
  };
