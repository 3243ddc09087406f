import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, paginateQuery, QueryCommand } from '@aws-sdk/client-dynamodb';
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
  const began = new Date().toISOString();
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;

  // The reconciliation, from the table itself once the outbox has settled: the burst's leads from
  // the leads-by-status index (suspects created since it began), each one's emails from its own
  // partition. Not a scan: DynamoDB Local answered a scan of the whole bench table (20,000
  // accounts, PDFs and all) with InternalFailure, every time, even on a quiet machine.
  const db = new DynamoDBClient({ maxAttempts: 10 });
  const leadPks: string[] = [];
  for await (const page of paginateQuery(
    { client: db },
    {
      TableName: options.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :suspects AND gsi1sk >= :began',
      FilterExpression: 'begins_with(contact.company, :company)',
      ExpressionAttributeValues: {
        ':suspects': { S: 'LEADS#suspect' },
        ':began': { S: began },
        ':company': { S: `Bench ${options.tag} ` },
      },
      ProjectionExpression: 'pk',
    },
  ))
    leadPks.push(...(page.Items ?? []).map((item) => item.pk!.S!));
  const leads = new Set(leadPks).size;
  const emailsOf = async (pk: string) =>
    (
      await db.send(
        new QueryCommand({
          TableName: options.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :email)',
          ExpressionAttributeValues: { ':pk': { S: pk }, ':email': { S: 'EMAIL#' } },
          Select: 'COUNT',
        }),
      )
    ).Count ?? 0;
  const emailsPerLead = new Map<string, number>();
  let waiting = [...new Set(leadPks)];
  for (let wait = 0; wait < 60 && waiting.length; wait += 1) {
    for (let i = 0; i < waiting.length; i += 25)
      await Promise.all(waiting.slice(i, i + 25).map(async (pk) => emailsPerLead.set(pk, await emailsOf(pk))));
    waiting = waiting.filter((pk) => (emailsPerLead.get(pk) ?? 0) < 2);
    if (waiting.length) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const emails = [...emailsPerLead.values()].reduce((sum, count) => sum + count, 0);
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
