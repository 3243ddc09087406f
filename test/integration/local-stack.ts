import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { Role } from '#domain/roles';
import { issueLocalToken } from '../../infra/local/auth';

/** Talking to the integration suite's local stack: over HTTP, as users and scripts do. */
export const stack = inject('stack');

export const tokenFor = (email: string, ...roles: Role[]) => issueLocalToken(stack.keyFile, { email, roles });

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export const api = async (
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<Answer> => {
  const response = await fetch(`${stack.api}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};

export interface SentEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** Every email aws-ses-v2-local has received (its /store API, the data behind its page). */
export const sentEmails = async (): Promise<SentEmail[]> => {
  const response = await fetch(`${stack.ses}/store`);
  return ((await response.json()) as { emails: SentEmail[] }).emails;
};

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

const dynamodb = new DynamoDBClient({
  endpoint: stack.dynamodb,
  region: 'eu-west-2',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/** How many items the table holds: a rejected request must not change it. */
export const itemCount = async (): Promise<number> => {
  let count = 0;
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: stack.tableName, Select: 'COUNT', ExclusiveStartKey }));
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey as never;
  } while (ExclusiveStartKey);
  return count;
};

export const uniqueEmail = (name: string) => `${name}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@customer.test`;
