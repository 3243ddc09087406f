import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BatchWriteItemCommand, DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { ensureTable } from '../infra/local/table';
import { summarize } from './stats';

/**
 * `npm run bench:reports`: one report (conversion, twelve months, every owner: what the MD opens)
 * over 50,000 leads, against a GetItem floor, in the same run and interleaved. The records and
 * their rollups are seeded straight into a DynamoDB Local of the bench's own (the rollups computed
 * by the same pure functions the stream worker uses), so seeding takes a minute, not a day of
 * stream. Measured: the read units each consumes (ReturnConsumedCapacity), and latency through
 * the route's own handler and through its data path alone; for contrast, the same figures read
 * from the records. Writes bench/out/reports.json and its own section of BENCHMARKS.md.
 */

const leadsSeeded = Number(process.env.BENCH_REPORT_LEADS ?? 50_000);
const rounds = Number(process.env.BENCH_REPORT_ROUNDS ?? 200);
const tableName = 'salesflow-bench-reports';

const dataDir = join(tmpdir(), `salesflow-bench-reports-${process.pid}`);
const dynamodb = await startDynamoDbLocal({ host: '127.0.0.1', port: 0 });
Object.assign(process.env, {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
  SALESFLOW_TABLE_NAME: tableName,
  LOG_LEVEL: 'WARN',
});
const client = new DynamoDBClient({});
const started = performance.now();
const log = (message: string) => process.stdout.write(`[bench:reports ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);

try {
  await ensureTable(client, tableName);
  const { dealCounts, emptyDeal, leadSnapshot, opportunitySnapshot, totalsOf } = await import('#domain/rollups');
  const { keys, itemKind } = await import('#adapters/table-design');

  // ---- seed: leads over twelve months, six SMs, five channels, ten campaigns; three in ten qualified
  const owners = ['sm.uk', 'sm.dach', 'sm.fr', 'sm.nordics', 'sm.benelux', 'sm.iberia'].map((name) => `${name}@salesflow.example`);
  const channels = ['bingo-card', 'email', 'phone', 'business-card', 'web-form'];
  const now = new Date();
  const monthStart = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  const campaigns = Array.from({ length: 10 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    kind: 'advertising',
    name: `Campaign ${i + 1}`,
    startsOn: monthStart(11 - i)
      .toISOString()
      .slice(0, 10),
    costGbp: 5_000 + i * 500,
    createdBy: 'marketing@salesflow.example',
    createdAt: monthStart(11 - i).toISOString(),
  }));
  const items: Record<string, unknown>[] = campaigns.map((c) => ({ ...keys.campaign(c.id), itemType: itemKind.campaign, ...c }));
  const counts = campaigns.flatMap((c) =>
    dealCounts({
      ...emptyDeal(),
      campaign: { id: c.id, name: c.name, kind: c.kind, startsOn: c.startsOn, costGbp: c.costGbp, updatedAt: c.createdAt },
    }),
  );
  // A seeded generator (mulberry32): the same 50,000 leads every run, spread over every month, owner and channel.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  for (let i = 0; i < leadsSeeded; i += 1) {
    const id = `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const created = new Date(monthStart(Math.floor(random() * 12)).getTime() + Math.floor(random() * 27 * 86_400_000)).toISOString();
    const owner = pick(owners);
    const channel = pick(channels);
    const campaign = random() < 0.25 ? pick(campaigns) : undefined;
    const qualified = random() < 0.3;
    const opportunityId = `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const lead = {
      id,
      channel,
      source: campaign ? 'marketing-campaign' : 'prior-contact',
      ...(campaign ? { campaignId: campaign.id } : {}),
      contact: { name: `Buyer ${i}`, email: `buyer${i}@customer.test`, company: `Company ${i} Ltd`, country: 'GB' },
      literature: [],
      status: qualified ? 'prospect' : 'suspect',
      owner,
      createdAt: created,
      updatedAt: created,
      ...(qualified ? { opportunityId } : {}),
    };
    items.push({
      ...keys.lead(id),
      itemType: itemKind.lead,
      gsi1pk: keys.leadsByStatus(lead.status),
      gsi1sk: `${created}#${id}`,
      gsi2pk: keys.owner(owner),
      gsi2sk: `LEAD#${lead.status}#${created}#${id}`,
      ...lead,
    });
    const context = { channel, ...(campaign ? { campaignId: campaign.id, campaignMonth: campaign.startsOn.slice(0, 7) } : {}) };
    counts.push(...dealCounts({ ...emptyDeal(), lead: leadSnapshot(lead), context }));
    if (qualified) {
      const opportunity = {
        id: opportunityId,
        leadId: id,
        status: 'prospect',
        owner,
        company: lead.contact.company,
        qualifiedBy: owner,
        qualification: { estimatedValueGbp: 10_000 + Math.floor(random() * 50) * 1_000 },
        engineeringReview: { status: 'not-required', reasons: [] },
        createdAt: created,
        updatedAt: created,
      };
      items.push({
        ...keys.opportunity(opportunityId),
        itemType: itemKind.opportunity,
        gsi2pk: keys.owner(owner),
        gsi2sk: `OPP#${created}#${opportunityId}`,
        ...opportunity,
      });
      counts.push(...dealCounts({ ...emptyDeal(), opportunity: opportunitySnapshot(opportunity), context }));
    }
  }
  const rows = totalsOf(counts);
  for (const row of rows) {
    const campaign = row.report === 'campaigns' ? campaigns.find((c) => c.id === row.row) : undefined;
    items.push({
      ...keys.rollupRow(row.report, row.period, row.row),
      itemType: itemKind.rollup,
      report: row.report,
      period: row.period,
      ...Object.fromEntries(Object.entries(row.add).map(([field, n]) => [`n_${field}`, n])),
      ...(campaign ? { label_name: campaign.name, label_kind: campaign.kind } : {}),
    });
  }
  log(`seeding ${items.length} items (${leadsSeeded} leads, their opportunities, ${rows.length} rollup rows)`);
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let requests = batches[next++]!.map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } }));
        while (requests.length) {
          const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
          requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
      }
    }),
  );
  log('seeded');

  // ---- what is measured
  const { readRollupRows } = await import('#adapters/rollup-records');
  const { assembleReport, defaultRange, monthsBetween, periodsOf } = await import('#domain/reports');
  const { handler } = await import('#functions/reports/index');
  const months = monthsBetween(defaultRange('conversion', now));

  const dataPath = async () => {
    const consumed = { units: 0 };
    const report = assembleReport('conversion', await readRollupRows('conversion', periodsOf('conversion', months), consumed), months) as {
      totals: { suspects: number };
    };
    return { units: consumed.units, suspects: report.totals.suspects };
  };
  const event = {
    routeKey: 'GET /reports/{name}',
    rawPath: '/reports/conversion',
    pathParameters: { name: 'conversion' },
    queryStringParameters: {},
    headers: { accept: 'application/json' },
    requestContext: {
      requestId: 'bench',
      authorizer: {
        jwt: { claims: { sub: 'bench-md', email: 'md@salesflow.example', email_verified: 'true', 'cognito:groups': '[ManagingDirector]' } },
      },
    },
  };
  const throughHandler = async () => {
    const answer = (await handler(event as never, {} as never)) as { statusCode: number; body: string };
    if (answer.statusCode !== 200) throw new Error(`GET /reports/conversion answered ${answer.statusCode}: ${answer.body}`);
    return (JSON.parse(answer.body) as { totals: { suspects: number } }).totals.suspects;
  };
  const floorKey = marshall(keys.rollupRow('conversion', months.at(-1)!, `${owners[0]}#${channels[0]}`));
  const floor = async () => {
    const { ConsumedCapacity, Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: floorKey, ReturnConsumedCapacity: 'TOTAL' }),
    );
    if (!Item) throw new Error('the floor item is missing');
    return ConsumedCapacity?.CapacityUnits ?? 0;
  };

  // The same figures from the records: every lead, by status, through the status index.
  const fromRecords = async () => {
    let units = 0;
    let leads = 0;
    for (const status of ['suspect', 'prospect']) {
      let ExclusiveStartKey: Record<string, any> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: marshall({ ':pk': keys.leadsByStatus(status) }),
            ReturnConsumedCapacity: 'TOTAL',
            ExclusiveStartKey,
          }),
        );
        units += page.ConsumedCapacity?.CapacityUnits ?? 0;
        leads += page.Count ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
    return { units, leads };
  };

  // Warm-up (the handler enrols its caller once), then a check that the report is right.
  const first = await dataPath();
  const viaHandler = await throughHandler();
  await floor();
  if (first.suspects !== leadsSeeded || viaHandler !== leadsSeeded)
    throw new Error(`the report counts ${first.suspects}/${viaHandler} suspects, not ${leadsSeeded}`);

  const timings = { handler: [] as number[], dataPath: [] as number[], floor: [] as number[] };
  const units = { dataPath: 0, floor: 0 };
  const measures: [keyof typeof timings, () => Promise<unknown>][] = [
    ['handler', throughHandler],
    ['dataPath', async () => (units.dataPath = (await dataPath()).units)],
    ['floor', async () => (units.floor = await floor())],
  ];
  for (let round = 0; round < rounds; round += 1) {
    // Interleaved, in a new order each round, so drift in the machine falls on all alike.
    for (const [name, run] of [...measures].sort(() => Math.random() - 0.5)) {
      const t0 = performance.now();
      await run();
      timings[name].push(performance.now() - t0);
    }
  }
  const recordsRuns: { ms: number; units: number; leads: number }[] = [];
  for (let i = 0; i < 3; i += 1) {
    const t0 = performance.now();
    const read = await fromRecords();
    recordsRuns.push({ ms: performance.now() - t0, ...read });
  }
  const p95 = (sample: number[]) => {
    const sorted = [...sample].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]! * 100) / 100;
  };
  const result = {
    at: new Date().toISOString(),
    leads: leadsSeeded,
    opportunities: items.filter((item) => item.itemType === itemKind.opportunity).length,
    rollupRows: rows.length,
    report: 'conversion, 12 months, every owner',
    rounds,
    handler: { ...summarize(timings.handler), p95: p95(timings.handler) },
    dataPath: { ...summarize(timings.dataPath), p95: p95(timings.dataPath), readUnits: units.dataPath, queries: months.length },
    floor: { ...summarize(timings.floor), p95: p95(timings.floor), readUnits: units.floor },
    fromRecords: {
      runs: recordsRuns.length,
      medianMs: Math.round(recordsRuns.map((r) => r.ms).sort((a, b) => a - b)[1]!),
      readUnits: recordsRuns[0]!.units,
      leadsRead: recordsRuns[0]!.leads,
    },
    node: process.version,
    /** The machine's load (1-minute average) as the measuring ended, against its cores: what the p95s sat in. */
    load: { average: Math.round(loadavg()[0]! * 10) / 10, cores: cpus().length },
  };
  mkdirSync('bench/out', { recursive: true });
  writeFileSync('bench/out/reports.json', `${JSON.stringify(result, null, 2)}\n`);

  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : '—');
  const section = [
    '<!-- reports:start (bench/reports.ts writes this section; npm run bench:reports) -->',
    '## Reports: one report over 50,000 leads',
    '',
    `Measured ${result.at.slice(0, 16).replace('T', ' ')} UTC on DynamoDB Local (Node ${result.node}), on a machine shared with other work (load ${result.load.average} on ${result.load.cores} cores): ${result.leads.toLocaleString('en-GB')} leads (six SMs, five channels, twelve months) and their ${result.opportunities.toLocaleString('en-GB')} opportunities seeded with their ${result.rollupRows} rollup rows; the report is ${result.report} (what the MD opens), read ${result.rounds} times, interleaved in a random order each round with a GetItem of one rollup row (the floor).`,
    '',
    '| what | read units | median ms | p95 ms | p99 ms | median / floor | p95 / floor |',
    '|---|---|---|---|---|---|---|',
    `| GET /reports/conversion through its handler (auth, query, 12 month partitions, JSON) | ${result.dataPath.readUnits} | ${result.handler.median} | ${result.handler.p95} | ${result.handler.p99} | ${ratio(result.handler.median, result.floor.median)} | ${ratio(result.handler.p95, result.floor.p95)} |`,
    `| its data path alone (${result.dataPath.queries} queries in parallel, figures assembled) | ${result.dataPath.readUnits} | ${result.dataPath.median} | ${result.dataPath.p95} | ${result.dataPath.p99} | ${ratio(result.dataPath.median, result.floor.median)} | ${ratio(result.dataPath.p95, result.floor.p95)} |`,
    `| floor: GetItem of one rollup row | ${result.floor.readUnits} | ${result.floor.median} | ${result.floor.p95} | ${result.floor.p99} | 1× | 1× |`,
    `| for contrast: the same counts from the records (every lead through the status index), ${result.fromRecords.runs} runs | ${result.fromRecords.readUnits} | ${result.fromRecords.medianMs} | | | ${ratio(result.fromRecords.medianMs, result.floor.median)} | |`,
    '',
    `The report reads ${result.dataPath.readUnits} read units whatever the number of leads (it grows with months and owners × channels, not records); read from the records it would take ${result.fromRecords.readUnits} (${ratio(result.fromRecords.readUnits, result.dataPath.readUnits)}). The report is ${result.dataPath.queries} queries against the floor's one GetItem, so its median sits several floors up, and the tails follow the machine's load more than the report. DynamoDB Local's latencies are not AWS's; the read units, and that they do not grow with the leads, are what carry over.`,
    '<!-- reports:end -->',
  ].join('\n');
  const file = 'BENCHMARKS.md';
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const pattern = /<!-- reports:start[\s\S]*?<!-- reports:end -->/;
  writeFileSync(file, pattern.test(existing) ? existing.replace(pattern, section) : `${existing.trimEnd()}\n\n${section}\n`);
  log(
    `report p95 ${result.handler.p95} ms through the handler, ${result.dataPath.p95} ms data path, floor ${result.floor.p95} ms; ${result.dataPath.readUnits} read units against ${result.fromRecords.readUnits} from the records`,
  );
} finally {
  client.destroy();
  await dynamodb.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
