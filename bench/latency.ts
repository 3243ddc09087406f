import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { rawDb } from '#adapters/dynamodb';
import { routeGroups } from '#functions/routes';
import { lambdaContext } from '../infra/local/api-event';
import { loadHandler } from '../infra/local/project';
import { routeEvent } from './lambdas';
import { type Summary, summarize } from './stats';

/**
 * Section 3: warm latency of POST /leads, with an Idempotency-Key and without, through the handler
 * (the bundle, called in this process as Lambda calls it) and through the local API (HTTP, the
 * gateway's checks, then the same code). Its floors are the same DynamoDB Local's raw PutItem of
 * the lead, and raw TransactWriteItems of every item the route writes, copied from a real request.
 * Calls go one after another, each round through every path in turn: latency, not throughput,
 * and a slow moment on the machine falls on every path alike.
 */

/**
 * A lead of a company of its own: one of a company already there within the window is a possible
 * duplicate, written a second time flagged; the benchmark times the common path.
 */
export const leadBody = (tag: string, i: number) => ({
  channel: 'web-form',
  source: 'marketing-campaign',
  contact: { name: `Bench Visitor ${i}`, email: `bench.${tag}.${i}@customer.test`, company: `Bench ${tag} ${i}`, country: 'GB' },
  literature: ['product-brochure'],
});

type Item = Record<string, AttributeValue>;
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * What one POST /leads writes, as DynamoDB receives it: taken from the route's own transaction (the
 * handler run in this process, the table client listened to), so the floors write the same items
 * with the same conditions, not a guess at them.
 */
export const leadTransaction = async (tag: string): Promise<TransactWriteItem[]> => {
  const client = rawDb();
  let seen: TransactWriteItem[] | undefined;
  const name = 'benchListensForTheLeadTransaction';
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { TransactItems?: TransactWriteItem[] };
      if (input.TransactItems) seen = structuredClone(input.TransactItems);
      return next(args);
    },
    { step: 'build', name },
  );
  try {
    const handler = await loadHandler<(event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>>(
      routeGroups.leads.entry,
    );
    const answer = await handler(
      routeEvent('POST /leads', { body: leadBody(`${tag}copy`, 0), idempotencyKey: randomUUID() }),
      lambdaContext('bench'),
    );
    if (answer.statusCode !== 201) throw new Error(`bench: POST /leads answered ${answer.statusCode} ${answer.body}`);
  } finally {
    client.middlewareStack.remove(name);
  }
  // Puts, and the checks that no account of the same address or company is there (duplicates).
  if (!seen?.length || !seen.every((item) => item.Put || item.ConditionCheck) || !seen.some((item) => item.Put))
    throw new Error(`bench: POST /leads wrote no transaction of Puts: ${JSON.stringify(seen)?.slice(0, 300)}`);
  return seen;
};

/**
 * The same items under new keys: every id replaced, and a key with no id in it (the one-lead-a-day
 * marker, keyed by the address) suffixed, so each conditional write is a new record as the route's is.
 */
const rekeyed = (items: TransactWriteItem[], round: string): TransactWriteItem[] => {
  const ids = new Map<string, string>();
  const text = JSON.stringify(items).replace(uuid, (id) => ids.get(id) ?? (ids.set(id, randomUUID()), ids.get(id)!));
  const fresh = JSON.parse(text) as TransactWriteItem[];
  for (const { Put } of fresh) {
    // A check's key is a hash of the address or company: no record is there, whatever the round.
    if (!Put) continue;
    const item = Put.Item as Item;
    if (!uuid.test(`${item.pk?.S}${item.sk?.S}`)) item.pk = { S: `${item.pk?.S}#${round}` };
    uuid.lastIndex = 0;
  }
  return fresh;
};

type PathName =
  | 'putItem'
  | 'transactWriteItems'
  | 'getItem'
  | 'handlerWithKey'
  | 'handlerWithoutKey'
  | 'apiWithKey'
  | 'apiWithoutKey'
  | 'apiGetLead';

interface Path {
  name: PathName;
  call: (round: number) => Promise<void>;
}

/** Every path once per round, in an order that turns each round, after `warmUp` rounds untimed. */
const interleaved = async (paths: Path[], rounds: number, warmUp: number) => {
  const times = new Map<PathName, number[]>(paths.map((p) => [p.name, []]));
  for (let round = -warmUp; round < rounds; round += 1) {
    for (let k = 0; k < paths.length; k += 1) {
      const path = paths[(k + Math.max(round, 0)) % paths.length]!;
      const started = performance.now();
      await path.call(round);
      if (round >= 0) times.get(path.name)!.push(performance.now() - started);
    }
  }
  return Object.fromEntries([...times].map(([name, sample]) => [name, summarize(sample)])) as Record<PathName, Summary>;
};

export const warmLatency = async (options: {
  api: string;
  tableName: string;
  token: string;
  requests: number;
  tag: string;
  leadsBundle: string;
}) => {
  const { api, tableName, tag } = options;
  const db = new DynamoDBClient({});
  const written = await leadTransaction(tag);
  const leadPut = written.find((w) => w.Put?.Item?.itemType?.S === 'lead') ?? written[0]!;
  const { handler } = (await import(pathToFileURL(options.leadsBundle).href)) as {
    handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>;
  };
  const leadIds: string[] = [];
  const viaHandler = (keyed: boolean) => async (round: number) => {
    const event = routeEvent('POST /leads', {
      body: leadBody(`${tag}h${keyed ? 'k' : 'n'}`, round),
      ...(keyed ? { idempotencyKey: randomUUID() } : {}),
    });
    const answer = await handler(event, lambdaContext('bench'));
    if (answer.statusCode !== 201) throw new Error(`bench: POST /leads through the handler answered ${answer.statusCode} ${answer.body}`);
  };
  const viaApi = (keyed: boolean) => async (round: number) => {
    const response = await fetch(`${api}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(keyed ? { 'idempotency-key': randomUUID() } : {}) },
      body: JSON.stringify(leadBody(`${tag}a${keyed ? 'k' : 'n'}`, round)),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`bench: POST /leads answered ${response.status} ${text.slice(0, 300)}`);
    leadIds.push((JSON.parse(text) as { id: string }).id);
  };
  const getItemKey = { pk: leadPut.Put!.Item!.pk!, sk: leadPut.Put!.Item!.sk! };
  const paths: Path[] = [
    {
      name: 'putItem',
      call: async (round) =>
        void (await db.send(new PutItemCommand({ ...rekeyed([leadPut], `p${round}`)[0]!.Put!, TableName: tableName }))),
    },
    {
      name: 'transactWriteItems',
      call: async (round) =>
        void (await db.send(
          new TransactWriteItemsCommand({
            TransactItems: rekeyed(written, `t${round}`).map((w) =>
              w.Put ? { Put: { ...w.Put, TableName: tableName } } : { ConditionCheck: { ...w.ConditionCheck!, TableName: tableName } },
            ),
          }),
        )),
    },
    { name: 'handlerWithKey', call: viaHandler(true) },
    { name: 'handlerWithoutKey', call: viaHandler(false) },
    { name: 'apiWithKey', call: viaApi(true) },
    { name: 'apiWithoutKey', call: viaApi(false) },
    {
      name: 'getItem',
      call: async () => void (await db.send(new GetItemCommand({ TableName: tableName, Key: getItemKey, ConsistentRead: true }))),
    },
    {
      name: 'apiGetLead',
      call: async (round) => {
        const response = await fetch(`${api}/leads/${leadIds[Math.abs(round * 7919) % leadIds.length]}`, {
          headers: { authorization: `Bearer ${options.token}` },
        });
        await response.text();
        if (response.status !== 200) throw new Error(`bench: GET /leads/{id} answered ${response.status}`);
      },
    },
  ];
  const figures = await interleaved(paths, options.requests, 20);
  db.destroy();
  return {
    items: written.map((w) =>
      w.Put
        ? { sk: w.Put.Item!.sk?.S?.replace(uuid, '<id>'), itemType: w.Put.Item!.itemType?.S, condition: w.Put.ConditionExpression }
        : { sk: w.ConditionCheck!.Key!.sk?.S, itemType: 'condition-check', condition: w.ConditionCheck!.ConditionExpression },
    ),
    ...figures,
  };
};
