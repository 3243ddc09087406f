import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { leadBody } from './latency';
import { summarize } from './stats';

/**
 * Section 4: a sustained burst of POST /leads at a fixed concurrency, on loopback, with a share of
 * bad requests and of retries that repeat an earlier Idempotency-Key. Then the reconciliation:
 * leads in the table = distinct accepted requests; emails queued or sent = 2 per lead.
 */
export const loadBurst = async (options: { api: string; tableName: string; concurrency: number; seconds: number; tag: string }) => {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const accepted = new Map<string, string>(); // Idempotency-Key -> lead id
  const replayedIds: [string, string][] = []; // [first id, id the retry got]
  const sentKeys: { key: string; body: string }[] = [];
  let sequence = 0;
  const deadline = performance.now() + options.seconds * 1000;

  const one = async () => {
    const n = sequence++;
    const roll = n % 10;
    let key: string = randomUUID();
    let body = JSON.stringify(leadBody(options.tag, n));
    let replayOf: string | undefined;
    if (roll === 3) body = '{"channel": "web-form", "contact": '; // malformed JSON: a 400
    if (roll === 7 && sentKeys.length) {
      // A client retrying an earlier request: same key, same body.
      const earlier = sentKeys[Math.floor(Math.random() * sentKeys.length)]!;
      key = earlier.key;
      body = earlier.body;
      replayOf = key;
    }
    const started = performance.now();
    const response = await fetch(`${options.api}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body,
    });
    const text = await response.text();
    latencies.push(performance.now() - started);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.status === 201) {
      const { id } = JSON.parse(text) as { id: string };
      if (replayOf) replayedIds.push([accepted.get(replayOf) ?? '(first still running)', id]);
      else {
        accepted.set(key, id);
        sentKeys.push({ key, body });
      }
    }
  };

  const worker = async () => {
    while (performance.now() < deadline) await one().catch(() => (statuses.network = (statuses.network ?? 0) + 1));
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;

  // The reconciliation, from the table itself once the outbox has settled.
  // DynamoDB Local, starved of CPU, can answer a long scan with InternalFailure: the SDK's own
  // retries (with backoff) ask again.
  const db = new DynamoDBClient({ maxAttempts: 10 });
  const pksOf = async (filter: string, values: Record<string, { S: string }>) => {
    const pks: string[] = [];
    let ExclusiveStartKey: Record<string, never> | undefined;
    const scan = () =>
      db.send(
        new ScanCommand({
          TableName: options.tableName,
          FilterExpression: filter,
          ExpressionAttributeValues: values,
          ProjectionExpression: 'pk',
          ExclusiveStartKey,
        }),
      );
    do {
      const page = await scan();
      pks.push(...(page.Items ?? []).map((item) => item.pk!.S!));
      ExclusiveStartKey = page.LastEvaluatedKey as never;
    } while (ExclusiveStartKey);
    return pks;
  };
  const leadPks = new Set(
    await pksOf('itemType = :lead AND contact.company = :company', { ':lead': { S: 'lead' }, ':company': { S: `Bench ${options.tag}` } }),
  );
  const leads = leadPks.size;
  let emails = 0;
  for (let wait = 0; wait < 60; wait += 1) {
    emails = (await pksOf('itemType = :email', { ':email': { S: 'email' } })).filter((pk) => leadPks.has(pk)).length;
    if (emails >= leads * 2) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  db.destroy();
  const distinctAccepted = new Set(accepted.values()).size;
  const duplicates = replayedIds.filter(([first, got]) => first !== got && first !== '(first still running)').length;
  return {
    concurrency: options.concurrency,
    seconds: Math.round(elapsed * 10) / 10,
    requests: sequence,
    throughputPerSecond: Math.round(sequence / elapsed),
    statuses,
    latency: summarize(latencies),
    reconciliation: {
      distinctAccepted,
      leadsInTable: leads,
      emailsQueuedOrSent: emails,
      emailsExpected: leads * 2,
      retriesAnsweredWithTheFirstLead: replayedIds.length - duplicates,
      duplicates,
      lost: distinctAccepted - leads,
    },
  };
};
