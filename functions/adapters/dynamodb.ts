import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, type QueryCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

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

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/**
 * Writes every item or none (R27: nothing exists without its timeline entry). When conditions
 * fail, `refusal` turns which ones (by position) into the business's own error, if it has one.
 */
export const writeTogether = async (
  items: TransactItems,
  refusal?: (failed: boolean[]) => Error | undefined,
): Promise<void> => {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const failed = failedConditions(error);
    throw (failed && refusal?.(failed)) ?? error;
  }
};

/** Every item a query matches, page by page (each page is at most 1 MB). */
export const queryAll = async (input: QueryCommandInput): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};
