import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let client: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

/** The low-level client: one per container, created on first use, shared with Powertools. */
export const rawDb = (): DynamoDBClient => (client ??= new DynamoDBClient({}));

/** The document client over it, for the records. */
export const db = (): DynamoDBDocumentClient =>
  (documentClient ??= DynamoDBDocumentClient.from(rawDb(), {
    marshallOptions: { removeUndefinedValues: true },
  }));

const throttlingErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** The table refused for load, after the SDK's own retries: the caller may try again shortly. */
export const isThrottling = (error: unknown): boolean =>
  error instanceof Error && throttlingErrors.has(error.name);

/** A TransactWriteItems cancelled because one of its conditions failed. */
export const failedConditions = (error: unknown): boolean[] | undefined => {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'ConditionalCheckFailedException') return [true];
  if (error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code === 'ConditionalCheckFailed');
};
