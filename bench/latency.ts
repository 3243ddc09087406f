import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';
import { summarize } from './stats';

/**
 * Section 3: warm latency through the local API, against the same DynamoDB Local's raw PutItem
 * and GetItem measured in the same run. Requests go one after another: latency, not throughput.
 */
const timed = async (n: number, call: (i: number) => Promise<void>) => {
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    await call(i);
    times.push(performance.now() - started);
  }
  return summarize(times);
};

export const leadBody = (tag: string, i: number) => ({
  channel: 'web-form',
  source: 'marketing-campaign',
  contact: { name: `Bench Visitor ${i}`, email: `bench.${tag}.${i}@customer.test`, company: `Bench ${tag}`, country: 'GB' },
  literature: ['product-brochure'],
});

export const warmLatency = async (options: { api: string; tableName: string; token: string; requests: number; tag: string }) => {
  const db = new DynamoDBClient({});
  const item = (i: number) => ({
    pk: { S: `BENCH#${options.tag}#${i}` },
    sk: { S: 'LEAD' },
    contact: { M: { name: { S: `Bench Visitor ${i}` }, email: { S: `bench.${i}@customer.test` }, company: { S: 'Bench' } } },
    status: { S: 'suspect' },
  });
  // Warm both paths first, so neither pays a connection's or a module's first use.
  for (let i = 0; i < 20; i += 1) {
    await db.send(new PutItemCommand({ TableName: options.tableName, Item: item(-1 - i) }));
    await fetch(`${options.api}/leads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(leadBody(`${options.tag}w`, i)) }).then((r) => r.text());
  }
  const ids: string[] = [];
  const putItem = await timed(options.requests, async (i) => {
    await db.send(new PutItemCommand({ TableName: options.tableName, Item: item(i) }));
  });
  const postLead = await timed(options.requests, async (i) => {
    const response = await fetch(`${options.api}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(leadBody(options.tag, i)),
    });
    const body = (await response.json()) as { id: string };
    if (response.status !== 201) throw new Error(`POST /leads answered ${response.status}`);
    ids.push(body.id);
  });
  const getItem = await timed(options.requests, async (i) => {
    await db.send(new GetItemCommand({ TableName: options.tableName, Key: { pk: item(i).pk, sk: item(i).sk }, ConsistentRead: true }));
  });
  const getLead = await timed(options.requests, async (i) => {
    const response = await fetch(`${options.api}/leads/${ids[i % ids.length]}`, { headers: { authorization: `Bearer ${options.token}` } });
    await response.text();
    if (response.status !== 200) throw new Error(`GET /leads/{id} answered ${response.status}`);
  });
  db.destroy();
  return { postLead, putItem, getLead, getItem };
};
