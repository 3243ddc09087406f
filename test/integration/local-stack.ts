import { DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { SFNClient } from '@aws-sdk/client-sfn';
import { inject } from 'vitest';
import type { Role } from '#domain/roles';
import { issueLocalToken } from '../../infra/local/auth';

/** Talking to a local stack over HTTP, as users and scripts do. */

export interface StackInfo {
  api: string;
  dynamodb: string;
  ses: string;
  stepFunctions: string;
  scheduler: string;
  tableName: string;
  keyFile: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface SentEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments?: { filename: string; contentType: string; content: string }[];
  at: number;
}

const localCredentials = { region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** The helpers for one stack: the suite's shared one, or a file's own. */
export const stackClient = (stack: StackInfo) => {
  /**
   * A token for a person, who has signed in once already: the first request of someone new enrols
   * them in the people directory (two items), which would muddle a count around a refusal.
   */
  const enrolled = new Set<string>();
  const tokenFor = async (email: string, ...roles: Role[]) => {
    const token = await issueLocalToken(stack.keyFile, { email, roles });
    if (roles.length && !enrolled.has(email.toLowerCase())) {
      await api('GET', '/agenda', { token });
      enrolled.add(email.toLowerCase());
    }
    return token;
  };

  const api = async (
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const response = await fetch(path.startsWith('http') ? path : `${stack.api}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json');
    return { status: response.status, headers: response.headers, body: text && json ? JSON.parse(text) : text || undefined };
  };

  /** Every email aws-ses-v2-local has received (its /store API, the data behind its page). */
  const sentEmails = async (): Promise<SentEmail[]> => {
    const response = await fetch(`${stack.ses}/store`);
    return ((await response.json()) as { emails: SentEmail[] }).emails;
  };

  const dynamodb = new DynamoDBClient({ endpoint: stack.dynamodb, ...localCredentials });
  const stepFunctions = new SFNClient({ endpoint: stack.stepFunctions, ...localCredentials });

  /** How many items the table holds: a rejected request must not change it. */
  const itemCount = async (): Promise<number> => {
    let count = 0;
    let ExclusiveStartKey: Record<string, never> | undefined;
    do {
      const page = await dynamodb.send(new ScanCommand({ TableName: stack.tableName, Select: 'COUNT', ExclusiveStartKey }));
      count += page.Count ?? 0;
      ExclusiveStartKey = page.LastEvaluatedKey as never;
    } while (ExclusiveStartKey);
    return count;
  };

  const streams = new DynamoDBStreamsClient({ endpoint: stack.dynamodb, ...localCredentials });
  const shardsOf = async (streamArn: string) =>
    (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
  /** Each write a shard holds from the iterator on, as "MODIFY LEAD#1 LEAD". */
  const recordsFrom = async (ShardIterator: string | undefined): Promise<string[]> =>
    ShardIterator
      ? ((await streams.send(new GetRecordsCommand({ ShardIterator }))).Records ?? []).map(
          (record) => `${record.eventName} ${record.dynamodb?.Keys?.pk?.S} ${record.dynamodb?.Keys?.sk?.S}`,
        )
      : [];

  /**
   * Where the table's stream stands now. `writesSince(mark)` then lists every put, update and
   * delete after it, even one that leaves the item count as it was, without scanning a table that
   * grows through the run.
   */
  const streamMark = async () => {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: stack.tableName }));
    const StreamArn = Table!.LatestStreamArn!;
    const shards = await shardsOf(StreamArn);
    const iterators = await Promise.all(
      shards
        .filter((shard) => !shard.SequenceNumberRange?.EndingSequenceNumber)
        .map(
          async ({ ShardId }) =>
            (await streams.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'LATEST' }))).ShardIterator,
        ),
    );
    return { StreamArn, shards: new Set(shards.map((shard) => shard.ShardId)), iterators };
  };

  const writesSince = async (mark: Awaited<ReturnType<typeof streamMark>>): Promise<string[]> => {
    const writes: string[] = [];
    for (const iterator of mark.iterators) writes.push(...(await recordsFrom(iterator)));
    // A shard opened since the mark holds only later writes.
    for (const { ShardId } of await shardsOf(mark.StreamArn)) {
      if (mark.shards.has(ShardId)) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: mark.StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      writes.push(...(await recordsFrom(ShardIterator)));
    }
    return writes;
  };

  /** Once the stream workers and schedules have stopped writing: two seconds with no write at all. */
  const streamSettled = async (): Promise<void> => {
    for (;;) {
      const mark = await streamMark();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (!(await writesSince(mark)).length) return;
    }
  };

  /** The count once the mail worker has finished filing what earlier requests queued. */
  const settledItemCount = async (): Promise<number> => {
    let last = await itemCount();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const now = await itemCount();
      if (now === last) return now;
      last = now;
    }
  };

  /** Runs a schedule now, as `npm run fire` does; the target's report, or its failure. */
  const fire = async (schedule: string, tick?: string) => {
    const response = await fetch(`${stack.scheduler}/schedules/${schedule}/fire`, {
      method: 'POST',
      body: tick ? JSON.stringify({ tick }) : undefined,
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  return {
    stack,
    tokenFor,
    api,
    sentEmails,
    itemCount,
    settledItemCount,
    streamMark,
    writesSince,
    streamSettled,
    dynamodb,
    stepFunctions,
    fire,
  };
};

export type StackClient = ReturnType<typeof stackClient>;

/** Waits until `probe` returns a value, polling; gives up with the last error after `within` ms. */
export const eventually = async <T>(probe: () => Promise<T | undefined>, within = 20_000): Promise<T> => {
  const deadline = Date.now() + within;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${String(last ?? 'no value')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** The /actions/ link in an email. */
export const linkIn = (email: SentEmail): string => {
  const match = /https?:\/\/\S+\/actions\/[A-Za-z0-9._-]+/.exec(email.body.text ?? '');
  if (!match) throw new Error(`no action link in "${email.subject}"`);
  return match[0];
};

export const uniqueEmail = (name: string) => `${name}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@customer.test`;

/** The integration suite's shared stack (see global-setup). */
export const stack = inject('stack');
export const { tokenFor, api, sentEmails, itemCount } = stackClient(stack);
