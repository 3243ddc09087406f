import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Role } from '#domain/roles';
import { issueLocalToken } from '../infra/local/auth';
import { freePort } from '../infra/local/ports';
import { startLocalStack } from '../infra/local/stack';
import { seedDueCalls } from '../test/fixtures/due-contacts';
import { qualificationBody } from '../test/fixtures/qualification';
import { bundleAll } from './bundles';
import { bareNode, coldStartsBesideFloor } from './cold-init';
import { capacityMeter, lambdaMeter, priced, type Units } from './cost';
import { confirmDelivered, layGroundwork } from './groundwork';
import { benchLambdas } from './lambdas';
import { leadBody, warmLatency } from './latency';
import { loadBurst } from './load';
import { prices } from './prices';
import { writeReport } from './report';
import { ratio, summarize } from './stats';

/**
 * `npm run bench` (or `-- --quick`, CI's few-second check that the harness still works): five
 * sections, each measured against a floor taken in this same run, written to bench/results.json
 * and BENCHMARKS.md. Nothing is hard-coded; every figure is measured here.
 */
const quick = process.argv.includes('--quick');
const plan = quick
  ? { coldRuns: 2, requests: 30, loadSeconds: 2, concurrency: 10, costRuns: 1, accounts: 2_000 }
  : { coldRuns: 15, requests: 2_000, loadSeconds: 30, concurrency: 50, costRuns: 3, accounts: 20_000 };
const tag = Math.random().toString(36).slice(2, 8);
const began = Date.now();
// Seconds since the start on every line: how long each section takes, for planning a full run.
const log = (line: string) => process.stderr.write(`[bench ${Math.round((Date.now() - began) / 1000)} s] ${line}\n`);

// The public route's throttle would turn a load test into a test of the throttle.
process.env.SALESFLOW_LOCAL_THROTTLE = 'off';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
const dataDir = mkdtempSync(join(tmpdir(), 'salesflow-bench-'));
const tableName = 'salesflow-bench';
const stack = await startLocalStack({
  ports: { api: 0, ses: 0, stepFunctions: 0, scheduler: 0, dynamodb: await freePort() },
  dataDir,
  inMemory: true,
  tableName,
});
const meter = capacityMeter();
const invocations = lambdaMeter();
const sfn = new SFNClient({});
const results: Record<string, unknown> = {
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version },
  mode: quick ? 'quick' : 'full',
  at: new Date().toISOString(),
  plan,
};

try {
  // 1. Bundles, against a one-client, one-GetItem floor built the same way.
  log('bundles');
  const lambdas = benchLambdas();
  const bundles = await bundleAll(lambdas, 'bench/out/bundles');
  results.bundles = {
    goal: 'every function at most 1.25 x the floor',
    floorBytes: bundles.floor.bytes,
    floorInputs: bundles.floor.largestInputs,
    functions: bundles.functions.map((b) => ({ ...b, file: undefined, ratio: ratio(b.bytes, bundles.floor.bytes) })),
  };

  // 2. Cold init: a fresh process per start, each right after one of the floor's; an API function
  // starts on its main write route, on records laid down for it first.
  log('cold init: groundwork');
  const ground = await layGroundwork({ api: stack.urls.api, ses: stack.urls.ses, dataDir, tableName, rounds: plan.coldRuns, tag });
  const bare = await bareNode(plan.coldRuns);
  const { floor, functions: cold } = await coldStartsBesideFloor(
    bundles.floor.file,
    lambdas.map((lambda, index) => ({
      name: lambda.name,
      ...(lambda.route ? { route: lambda.route } : {}),
      mustSucceed: lambda.mustSucceed,
      ...(lambda.didItsWork ? { didItsWork: lambda.didItsWork } : {}),
      file: bundles.functions[index]!.file,
      event: (round: number) => lambda.event(round, ground),
    })),
    plan.coldRuns,
    join(dataDir, 'events'),
    log,
  );
  await confirmDelivered(tableName, ground.toDeliver.slice(0, plan.coldRuns));
  results.coldInit = {
    goal: 'POST /leads at most 1.15 x the floor, the other API functions at most 1.25 x (median of per-round ratios, 90% bootstrap interval)',
    goals: { leads: 1.15, otherApi: 1.25 },
    bareNode: bare,
    floor,
    functions: cold.map((f) => {
      const lambda = lambdas.find((l) => l.name === f.name)!;
      return { ...f, keyed: lambda.keyed ?? false, startsOn: lambda.startsOn };
    }),
  };

  // 3. Warm latency of POST /leads, through the handler and the local API, with a key and without,
  // against a raw PutItem of the lead and a raw TransactWriteItems of everything it writes.
  log('warm latency');
  const token = await issueLocalToken(join(dataDir, 'local-auth-key.json'), {
    email: 'sales.admin@salesflow.example',
    roles: ['SalesAdmin'],
  });
  const leadsBundle = bundles.functions[lambdas.findIndex((l) => l.route === 'POST /leads')]!.file;
  const warm = await warmLatency({ api: stack.urls.api, tableName, token, requests: plan.requests, tag, leadsBundle });
  const against = (figure: { p50: number; p99: number }) => ({
    ...figure,
    putItem: { p50: ratio(figure.p50, warm.putItem.p50), p99: ratio(figure.p99, warm.putItem.p99) },
    transactWriteItems: { p50: ratio(figure.p50, warm.transactWriteItems.p50), p99: ratio(figure.p99, warm.transactWriteItems.p99) },
  });
  results.warmLatency = {
    goal: 'POST /leads with a key, through the handler: p50 at most 2.5 x a raw PutItem, p99 at most 4 x; and how close it comes to a raw TransactWriteItems of the same items',
    goals: { p50: 2.5, p99: 4, getP50: 3, getP99: 5 },
    items: warm.items,
    floors: { putItem: warm.putItem, transactWriteItems: warm.transactWriteItems, getItem: warm.getItem },
    postLead: {
      handlerWithKey: against(warm.handlerWithKey),
      handlerWithoutKey: against(warm.handlerWithoutKey),
      apiWithKey: against(warm.apiWithKey),
      apiWithoutKey: against(warm.apiWithoutKey),
    },
    getLead: {
      ...warm.apiGetLead,
      p50Ratio: ratio(warm.apiGetLead.p50, warm.getItem.p50),
      p99Ratio: ratio(warm.apiGetLead.p99, warm.getItem.p99),
    },
  };

  // 4. Load, with nothing lost.
  log(`load: ${plan.concurrency} at once for ${plan.loadSeconds} s`);
  results.load = {
    goal: 'zero 5xx, zero lost, zero duplicates',
    ...(await loadBurst({ api: stack.urls.api, tableName, concurrency: plan.concurrency, seconds: plan.loadSeconds, tag: `${tag}load` })),
  };

  // 5. Cost per business event, from units counted in real runs.
  log('cost per event');
  const sentCount = async () => ((await (await fetch(`${stack.urls.ses}/store`)).json()) as { emails: unknown[] }).emails.length;
  const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
  const until = async <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => {
    for (let i = 0; i < 300; i += 1) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined && value !== false) return value;
      await sleep(100);
    }
    throw new Error(`bench: gave up waiting for ${what}`);
  };
  /** Until no email has gone out for `millis`. */
  const quiet = async (millis: number) => {
    for (let last = -1, stable = 0; stable < millis / 100; ) {
      const count = await sentCount();
      stable = count === last ? stable + 1 : 0;
      last = count;
      await sleep(100);
    }
  };
  // The load burst's emails are still going out: let the outbox drain first, so that no event is
  // charged for another's deliveries.
  await quiet(1500);
  const api = async (method: string, path: string, body: unknown, as?: string) => {
    const response = await fetch(`${stack.urls.api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${as}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
  };
  const tokenOf = (email: string, ...roles: Role[]) => issueLocalToken(join(dataDir, 'local-auth-key.json'), { email, roles });
  const transitionsOf = async (executionArn: string) => {
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    // Standard workflows bill each state entered.
    return events.filter((event) => event.type?.endsWith('StateEntered')).length;
  };

  /** One event: what it sent through the API, and every unit the stack used meanwhile. */
  const measure = async (run: () => Promise<{ requests: number; emails: number; executionArn?: string; scheduler?: number }>) => {
    const before = { ...meter.snapshot(), ...invocations.snapshot(), emails: await sentCount() };
    const done = await run();
    await until(async () => (await sentCount()) >= before.emails + done.emails, `${done.emails} emails`);
    await quiet(1000); // the deliveries' own bookkeeping, and any email beyond those expected
    const after = { ...meter.snapshot(), ...invocations.snapshot(), emails: await sentCount() };
    const units: Units = {
      apiRequests: done.requests,
      lambdaInvocations: after.invocations - before.invocations,
      lambdaGbSeconds: Math.round((after.gbSeconds - before.gbSeconds) * 1000) / 1000,
      readUnits: after.readUnits - before.readUnits,
      writeUnits: after.writeUnits - before.writeUnits,
      transitions: done.executionArn ? await transitionsOf(done.executionArn) : 0,
      emails: after.emails - before.emails,
      schedulerInvocations: done.scheduler ?? 0,
    };
    return units;
  };
  const medianUnits = (runs: Units[]): Units =>
    Object.fromEntries(Object.keys(runs[0]!).map((k) => [k, summarize(runs.map((u) => u[k as keyof Units])).median])) as unknown as Units;

  // Waiting on the workflows reads the records with a client of its own, outside the meters: the
  // event's units are what the process spends, not what the benchmark spends watching it.
  const watcher = new DynamoDBClient({});
  const recordOf = async (pk: string, sk: string) =>
    unmarshall(
      (await watcher.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true })))
        .Item ?? {},
    );
  const admin = await tokenOf('sales.admin@salesflow.example', 'SalesAdmin');
  const sm = await tokenOf('sm.uk@salesflow.example', 'SalesManager');
  const runs: Record<'lead' | 'opportunity' | 'quote' | 'order', Units[]> = { lead: [], opportunity: [], quote: [], order: [] };
  for (let i = 0; i < plan.costRuns; i += 1) {
    let leadId = '';
    runs.lead.push(
      await measure(async () => {
        leadId = (await api('POST', '/leads', leadBody(`${tag}cost`, i))).body.id;
        return { requests: 1, emails: 2 }; // the literature, and the SM's advice
      }),
    );
    let opportunityId = '';
    runs.opportunity.push(
      await measure(async () => {
        opportunityId = (await api('POST', `/leads/${leadId}/qualification`, qualificationBody(), sm)).body.opportunityId;
        return { requests: 1, emails: 0 };
      }),
    );
    // A quote with a 15% discount: a QPA, the sales director's approval, both documents, the
    // signature and the PDF to the customer. Every step through the internal route.
    runs.quote.push(
      await measure(async () => {
        const started = await api(
          'POST',
          `/opportunities/${opportunityId}/quotes`,
          {
            lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 2, unitPriceGbp: 12_000, discountPercent: 15 }],
            proposalSummary: 'Two testers',
          },
          sm,
        );
        const { quoteId, executionArn } = started.body as { quoteId: string; executionArn: string };
        let requests = 1;
        const step = async (task: string, body: unknown, as: string) => {
          await until(
            async () =>
              Object.values((await recordOf(`QUOTE#${quoteId}`, 'QUOTE')).tasks ?? {}).some((t) => (t as { task: string }).task === task),
            task,
          );
          const done = await api('POST', `/quotes/${quoteId}/tasks/${task}`, body, as);
          if (done.status !== 200) throw new Error(`bench: ${task} answered ${done.status}`);
          requests += 1;
        };
        await step('prepare-qpa', { text: 'QPA: 15% for a second unit' }, admin);
        await step('approve-qpa', { decision: 'approve' }, await tokenOf('sales.director@salesflow.example', 'SalesManager'));
        await step(
          'prepare-proposal',
          { text: 'Technical proposal' },
          await tokenOf('application.engineering@salesflow.example', 'ApplicationEngineer'),
        );
        await step('prepare-quote', { paymentTerms: '30 days', deliveryTerms: 'Ex works' }, admin);
        await step('sign', { confirm: true }, sm);
        await until(async () => (await recordOf(`QUOTE#${quoteId}`, 'QUOTE')).status === 'sent', 'the quote sent');
        // Five steps asked by email, and the customer's quote.
        return { requests, emails: 6, executionArn };
      }),
    );
    // A standard order through a distributor, shipped 61 days ago so that every follow-up is due
    // at once: acknowledgement, Welcome Letter, day 14, day 60 answered "yes".
    const distributor = await api(
      'POST',
      '/accounts',
      {
        kind: 'distributor',
        name: `Bench Dist ${i}`,
        ownerEmail: 'sm.uk@salesflow.example',
        size: 'large',
        contacts: [{ name: 'D', email: `d${i}.${tag}@dist.test` }],
      },
      admin,
    );
    const customer = await api(
      'POST',
      '/accounts',
      {
        kind: 'customer',
        name: `Bench Customer ${i}`,
        ownerEmail: 'sm.uk@salesflow.example',
        distributorId: distributor.body.id,
        contacts: [{ name: 'C', email: `c${i}.${tag}@customer.test` }],
      },
      admin,
    );
    runs.order.push(
      await measure(async () => {
        const order = await api(
          'POST',
          '/orders',
          {
            accountId: customer.body.id,
            poNumber: `PO-${tag}-${i}`,
            lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 1, unitPrice: 24_000 }],
            userContact: { name: 'U', email: `u${i}.${tag}@customer.test` },
          },
          admin,
        );
        const orderId = order.body.id as string;
        const shipped = await api(
          'POST',
          `/orders/${orderId}/shipment`,
          { shippedAt: new Date(Date.now() - 61 * 86_400_000).toISOString() },
          await tokenOf('production@salesflow.example', 'Production'),
        );
        await until(async () => Boolean((await recordOf(`ORDER#${orderId}`, 'ORDER')).tasks?.['equipment-check']), 'the equipment check');
        const answered = await api('POST', `/orders/${orderId}/tasks/equipment-check`, { ok: true }, sm);
        if (answered.status !== 200)
          throw new Error(`bench: the equipment check answered ${answered.status} ${JSON.stringify(answered.body)}`);
        await until(
          async () => (await sfn.send(new DescribeExecutionCommand({ executionArn: shipped.body.executionArn }))).status === 'SUCCEEDED',
          'the run to end',
        );
        // Acknowledgement, Welcome Letter, distributor's check, SM's reminder, SM's check, pleased to serve.
        return { requests: 3, emails: 6, executionArn: shipped.body.executionArn };
      }),
    );
  }

  // A digest run over N accounts: N call items, 50 due; seeded around the meters, not through them.
  const seeder = new DynamoDBClient({});
  await seedDueCalls(seeder, tableName, { tag, count: plan.accounts, due: 50, assignees: 5, prefix: 'bench' });
  seeder.destroy();
  const digestRuns: Units[] = [];
  let digestReport: unknown;
  for (let i = 0; i < plan.costRuns; i += 1) {
    digestRuns.push(
      await measure(async () => {
        const fired = await fetch(`${stack.urls.scheduler}/schedules/weekly-digest/fire`, {
          method: 'POST',
          body: JSON.stringify({ tick: new Date(Date.now() + 60_000 + i * 1000).toISOString() }),
        });
        digestReport = await fired.json();
        return { requests: 0, emails: (digestReport as { queued: number }).queued, scheduler: 1 };
      }),
    );
  }
  watcher.destroy();
  results.cost = {
    prices,
    events: {
      lead: priced(medianUnits(runs.lead)),
      qualifiedOpportunity: priced(medianUnits(runs.opportunity)),
      quoteWithQpa: priced(medianUnits(runs.quote)),
      orderThroughPostShipment: priced(medianUnits(runs.order)),
      digestRun: { accounts: plan.accounts, due: 50, report: digestReport, ...priced(medianUnits(digestRuns)) },
    },
  };

  // The quick run only proves the harness works: it leaves the published figures alone.
  const resultsFile = quick ? 'bench/out/results-quick.json' : 'bench/results.json';
  mkdirSync('bench/out', { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  // The quick run renders its report under bench/out, so CI checks the generator too.
  const reportFile = quick ? 'bench/out/BENCHMARKS-quick.md' : 'BENCHMARKS.md';
  writeReport(results, reportFile);
  log(`wrote ${resultsFile} and ${reportFile}`);
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
