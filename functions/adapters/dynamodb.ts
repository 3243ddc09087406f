import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  paginateQuery,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

let client: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

/** The low-level client: one per container, created on first use, shared with Powertools. */
export const rawDb = (): DynamoDBClient =>
  // A request the table never answers (a connection to a node that went away) is a passing fault
  // after a few seconds, not a function stuck until its own timeout.
  (client ??= new DynamoDBClient({ requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 } }));

/** The document client over it, for the records. */
export const db = (): DynamoDBDocumentClient =>
  (documentClient ??= DynamoDBDocumentClient.from(rawDb(), {
    marshallOptions: { removeUndefinedValues: true },
  }));

const throttlingErrors = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** The table refused for load, after the SDK's own retries: the caller may try again shortly. */
export const isThrottling = (error: unknown): boolean => error instanceof Error && throttlingErrors.has(error.name);

/** Faults of the service or the network, not of the request: nothing is lost by trying again. */
const passingFaults = new Set([
  ...throttlingErrors,
  // SES's name for its sending-rate and daily-quota refusals.
  'Throttling',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * A fault a retry may cure: an unreachable or overloaded AWS service, a 5xx, a transaction that lost
 * a race for an item. The API answers these with 503 and Retry-After, never a bare 500.
 */
export const isPassingFault = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  if (passingFaults.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && networkCodes.has(code)) return true;
  if ((error as { $fault?: unknown }).$fault === 'server') return true;
  if ((error as { $retryable?: unknown }).$retryable) return true;
  if (error.name === 'TransactionCanceledException') {
    const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return reasons.some((reason) =>
      ['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded'].includes(reason.Code ?? ''),
    );
  }
  return false;
};

/** Runs a conditional write: whether its condition held (false), or the write failed otherwise (throws). */
export const conditionHeld = async (write: Promise<unknown>): Promise<boolean> => {
  try {
    await write;
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
};

/** A create found its record written already: by the same request before (a retry), or not. */
export class AlreadyRecorded extends Error {
  override readonly name = 'AlreadyRecorded';
}

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
export const writeTogether = async (items: TransactItems, refusal?: (failed: boolean[]) => Error | undefined): Promise<void> => {
  // A transaction that lost a race for one of its items (TransactionConflict) is tried again a few
  // times, with jitter: the SDK does not, and the other writer has usually finished by then.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const failed = failedConditions(error);
      const refused = failed && refusal?.(failed);
      if (refused) throw refused;
      if (attempt < 4 && lostRace(error)) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
        continue;
      }
      throw error;
    }
  }
};

const lostRace = (error: unknown) =>
  error instanceof Error &&
  error.name === 'TransactionCanceledException' &&
  ((error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some(
    (reason) => reason.Code === 'TransactionConflict',
  );

/**
 * A query's pages (each at most 1 MB), read on as long as the table says there is more. The
 * paginator writes each page's start key into the input it is given: it gets a copy.
 */
export const queryPages = (input: QueryCommandInput) => paginateQuery({ client: db() }, { ...input });

/** Every item a query matches, from all its pages. */
export const queryAll = async (input: QueryCommandInput): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(input)) items.push(...(page.Items ?? []));
  return items;
};
