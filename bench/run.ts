import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { issueLocalToken } from '../infra/local/auth';
import { freePort } from '../infra/local/ports';
import { startLocalStack } from '../infra/local/stack';
import { seedDueCalls } from '../test/fixtures/due-contacts';
import { qualificationBody } from '../test/fixtures/qualification';
import { bundleAll } from './bundles';
import { bareNode, coldStarts } from './cold-init';
import { capacityMeter, priced, type Units } from './cost';
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
  ? { coldRuns: 1, requests: 30, loadSeconds: 2, concurrency: 10, costRuns: 1, accounts: 2_000 }
  : { coldRuns: 7, requests: 2_000, loadSeconds: 30, concurrency: 50, costRuns: 3, accounts: 20_000 };
const tag = Math.random().toString(36).slice(2, 8);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

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

  // 2. Cold init: a fresh process per start, median of N, against the floor's.
  log('cold init');
  const bare = await bareNode(plan.coldRuns);
  const floor = await coldStarts(bundles.floor.file, () => ({}), plan.coldRuns, join(dataDir, 'events'));
  const cold = [];
  for (const [index, lambda] of lambdas.entries()) {
    const measured = await coldStarts(bundles.functions[index]!.file, lambda.event, plan.coldRuns, join(dataDir, 'events'));
    cold.push({ name: lambda.name, ...measured, ratio: ratio(measured.median, floor.median) });
  }
  results.coldInit = { goal: 'every function at most 1.15 x the floor', bareNode: bare, floor, functions: cold };

  // 3. Warm latency through the local API, against raw PutItem / GetItem.
  log('warm latency');
  const token = await issueLocalToken(join(dataDir, 'local-auth-key.json'), { email: 'sales.admin@salesflow.example', roles: ['SalesAdmin'] });
  const warm = await warmLatency({ api: stack.urls.api, tableName, token, requests: plan.requests, tag });
  results.warmLatency = {
    goal: 'p50 at most 3 x the floor, p99 at most 5 x',
    postLead: { ...warm.postLead, p50Ratio: ratio(warm.postLead.p50, warm.putItem.p50), p99Ratio: ratio(warm.postLead.p99, warm.putItem.p99) },
    putItem: warm.putItem,
    getLead: { ...warm.getLead, p50Ratio: ratio(warm.getLead.p50, warm.getItem.p50), p99Ratio: ratio(warm.getLead.p99, warm.getItem.p99) },
    getItem: warm.getItem,
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
  const settle = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await check()); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  };
  const measure = async (
    run: () => Promise<{ requests: number; lambdaMillis: number[]; extraInvocations: number; scheduler?: number; emails: number }>,
  ) => {
    const before = { ...meter.snapshot(), emails: await sentCount() };
    const done = await run();
    // Wait for the outbox to deliver what the event queued: counted at SES, not by reading the table.
    await settle(async () => (await sentCount()) >= before.emails + done.emails);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the delivery's own bookkeeping
    const after = { ...meter.snapshot(), emails: await sentCount() };
    const apiMillis = done.lambdaMillis.reduce((a, b) => a + b, 0);
    // Outbox deliveries are not timed one by one here: each is taken at the median call's time.
    const workerMillis = done.extraInvocations * (summarize(done.lambdaMillis).median || 0);
    const units: Units = {
      apiRequests: done.requests,
      lambdaInvocations: done.requests + done.extraInvocations + (done.scheduler ?? 0),
      lambdaGbSeconds: Math.round(((apiMillis + workerMillis) / 1000) * 1000) / 1000,
      readUnits: after.readUnits - before.readUnits,
      writeUnits: after.writeUnits - before.writeUnits,
      transitions: 0,
      emails: after.emails - before.emails,
      schedulerInvocations: done.scheduler ?? 0,
    };
    return units;
  };
  const medianUnits = (runs: Units[]): Units =>
    Object.fromEntries(Object.keys(runs[0]!).map((k) => [k, summarize(runs.map((u) => u[k as keyof Units])).median])) as unknown as Units;

  const postLead = async (i: number) => {
    const started = performance.now();
    const response = await fetch(`${stack.urls.api}/leads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(leadBody(`${tag}cost`, i)) });
    const { id } = (await response.json()) as { id: string };
    return { id, millis: performance.now() - started };
  };
  // The load burst's emails are still going out: let the outbox drain first, so that no event is
  // charged for another's deliveries.
  for (let last = -1, stable = 0; stable < 15; ) {
    const count = await sentCount();
    stable = count === last ? stable + 1 : 0;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const leadRuns: Units[] = [];
  const opportunityRuns: Units[] = [];
  const smToken = await issueLocalToken(join(dataDir, 'local-auth-key.json'), { email: 'sm.uk@salesflow.example', roles: ['SalesManager'] });
  for (let i = 0; i < plan.costRuns; i += 1) {
    let leadId = '';
    leadRuns.push(
      await measure(async () => {
        const { id, millis } = await postLead(i);
        leadId = id;
        return { requests: 1, lambdaMillis: [millis], extraInvocations: 2, emails: 2 }; // literature and SM advice, by the outbox
      }),
    );
    opportunityRuns.push(
      await measure(async () => {
        const started = performance.now();
        const answer = await fetch(`${stack.urls.api}/leads/${leadId}/qualification`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${smToken}` },
          body: JSON.stringify(qualificationBody()),
        });
        await answer.text();
        const millis = performance.now() - started;
        return { requests: 1, lambdaMillis: [millis], extraInvocations: 0, emails: 0 };
      }),
    );
  }

  // A day of digests for N accounts: N call items, 50 due; seeded around the meter, not through it.
  const seeder = new DynamoDBClient({});
  await seedDueCalls(seeder, tableName, { tag, count: plan.accounts, due: 50, assignees: 5, prefix: 'bench' });
  seeder.destroy();
  const digestRuns: Units[] = [];
  let digestReport: unknown;
  for (let i = 0; i < plan.costRuns; i += 1) {
    digestRuns.push(
      await measure(async () => {
        const started = performance.now();
        const fired = await fetch(`${stack.urls.scheduler}/schedules/weekly-digest/fire`, {
          method: 'POST',
          body: JSON.stringify({ tick: new Date(Date.now() + 60_000 + i * 1000).toISOString() }),
        });
        digestReport = await fired.json();
        const millis = performance.now() - started;
        return { requests: 0, lambdaMillis: [millis], extraInvocations: 0, scheduler: 1, emails: 5 }; // five SMs with calls due: a new tick, five digests
      }),
    );
  }
  results.cost = {
    prices,
    events: {
      lead: priced(medianUnits(leadRuns)),
      qualifiedOpportunity: priced(medianUnits(opportunityRuns)),
      digestRun: { accounts: plan.accounts, due: 50, report: digestReport, ...priced(medianUnits(digestRuns)) },
      quoteWithQpa: { notMeasured: 'not yet: the harness does not drive a quote through its links' },
      orderThroughPostShipment: { notMeasured: 'not yet: the harness does not drive an order through its workflow' },
    },
  };

  // The quick run only proves the harness works: it leaves the published figures alone.
  const resultsFile = quick ? 'bench/out/results-quick.json' : 'bench/results.json';
  mkdirSync('bench/out', { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  if (!quick) writeReport(results);
  log(`wrote ${resultsFile}${quick ? '' : ' and BENCHMARKS.md'}`);
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
