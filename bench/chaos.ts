import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Role } from '#domain/roles';
import { defaultEmailRetry, settingNames } from '#functions/config';
import { issueLocalToken } from '../infra/local/auth';
import { freePort } from '../infra/local/ports';
import { type LocalStack, localKeyFile, startLocalStack } from '../infra/local/stack';
import { startFaultProxy } from '../test/fixtures/fault-proxy';
import { qualificationBody } from '../test/fixtures/qualification';

/**
 * `npm run chaos` (or `-- --quick`, CI's bounded run): the fault suite. Each scenario runs in a
 * process of its own, on a local stack of its own, breaks one part on purpose, then reconciles what
 * the API answered against the table and the SES store. The full run writes bench/chaos.json and
 * CHAOS.md; the quick run writes bench/out/chaos-quick.json and leaves the published figures alone.
 * A scenario that does not hold its promise fails the run (exit 1).
 */

const quick = process.argv.includes('--quick');
const scenarioNames = ['dynamodb-killed', 'ses-down', 'stack-restarted', 'campaign-burst'] as const;
type ScenarioName = (typeof scenarioNames)[number];

interface Outcome {
  scenario: ScenarioName;
  title: string;
  expected: string;
  held: boolean;
  figures: Record<string, number | string | boolean | Record<string, number>>;
  seconds: number;
}

const log = (line: string) => console.error(`[chaos] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const runId = Math.random().toString(36).slice(2, 8);

// ---- a stack and a client ----------------------------------------------------------------------

interface Stack {
  local: LocalStack;
  dataDir: string;
  api: (
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ) => Promise<{ status: number; headers: Headers; body: any }>;
  token: (email: string, ...roles: Role[]) => Promise<string>;
  sesStore: () => Promise<{ destination: { to: string[] }; subject: string; body: { text?: string }; at: number }[]>;
  items: (itemType: string) => Promise<Record<string, any>[]>;
}

/** Fixed ports, so a stack started again is where its clients left it. */
const fixedPorts = async () => ({
  api: await freePort(),
  dynamodb: await freePort(),
  ses: await freePort(),
  stepFunctions: await freePort(),
  scheduler: await freePort(),
});

const startStack = async (ports: Awaited<ReturnType<typeof fixedPorts>>, dataDir: string, env: Record<string, string>): Promise<Stack> => {
  Object.assign(process.env, { SALESFLOW_LOCAL_THROTTLE: 'off', POWERTOOLS_LOG_LEVEL: 'ERROR', ...env });
  const local = await startLocalStack({ ports, dataDir, tableName: 'salesflow-chaos' });
  const api: Stack['api'] = async (method, path, options = {}) => {
    const response = await fetch(path.startsWith('http') ? path : `${local.urls.api}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    };
  };
  const table = new DynamoDBClient({
    endpoint: local.urls.dynamodb,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const items = async (itemType: string) => {
    const found: Record<string, any>[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await table.send(
        new ScanCommand({
          TableName: 'salesflow-chaos',
          FilterExpression: 'itemType = :type',
          ExpressionAttributeValues: { ':type': { S: itemType } },
          ExclusiveStartKey,
        }),
      );
      found.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found;
  };
  return {
    local,
    dataDir,
    api,
    token: (email, ...roles) => issueLocalToken(localKeyFile(dataDir), { email, roles }),
    sesStore: async () => ((await (await fetch(`${local.urls.ses}/store`)).json()) as { emails: any[] }).emails,
    items,
  };
};

/** A scenario's own stack, persisted under a folder of its own, stopped and removed afterwards. */
const onOwnStack = async <T>(env: Record<string, string>, scenario: (stack: Stack) => Promise<T>): Promise<T> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesflow-chaos-'));
  const stack = await startStack(await fixedPorts(), dataDir, env);
  try {
    return await scenario(stack);
  } finally {
    await stack.local.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const until = async <T>(what: string, probe: () => Promise<T | undefined | false>, withinMs: number): Promise<T> => {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${withinMs / 1000} s`);
    await sleep(250);
  }
};

const histogram = (values: (number | string)[]) =>
  values.reduce<Record<string, number>>((counts, value) => ({ ...counts, [String(value)]: (counts[String(value)] ?? 0) + 1 }), {});

/** Deliveries beyond the first of each email (same recipient and subject), in the SES store. */
const duplicatesIn = (store: Awaited<ReturnType<Stack['sesStore']>>, keep: (subject: string) => boolean) =>
  Object.values(
    histogram(store.filter((email) => keep(email.subject)).map((email) => `${email.destination.to.join(',')}|${email.subject}`)),
  ).reduce((extra, count) => extra + count - 1, 0);

const leadBody = (company: string, email: string, campaignId?: string) => ({
  channel: 'web-form',
  source: 'marketing-campaign',
  ...(campaignId ? { campaignId } : {}),
  contact: { name: 'Chris Chaos', email, company, country: 'GB' },
});

const people = {
  sm: 'sm.uk@salesflow.example',
  salesAdmin: 'sales.admin@salesflow.example',
  production: 'production@salesflow.example',
  marketing: 'marketing@salesflow.example',
};

/** Posts with its key until the API answers 201, honouring Retry-After; every status heard. */
const postUntilCreated = async (stack: Stack, body: unknown, key: string, heard: number[], tries = 20) => {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const answer = await stack
      .api('POST', '/leads', { body, headers: { 'idempotency-key': key } })
      .catch(() => ({ status: 0, headers: new Headers(), body: undefined }));
    heard.push(answer.status);
    if (answer.status === 201) return answer.body.id as string;
    await sleep(Number(answer.headers.get('retry-after') ?? 1) * 1000);
  }
  throw new Error(`key ${key} never got its 201`);
};

// ---- the scenarios -----------------------------------------------------------------------------

/** DynamoDB Local killed in the middle of a burst of keyed leads, started again, every failure retried. */
const dynamodbKilled = async (): Promise<Outcome> => {
  const count = quick ? 20 : 50;
  // A minute a second: the outbox's retry job, every minute, runs every second.
  return onOwnStack({ SALESFLOW_TIME_SCALE: '60' }, async (stack) => {
    const requests = Array.from({ length: count }, (_, n) => ({
      key: `chaos-${runId}-${n}`,
      body: leadBody(`Chaos Kill ${runId} ${n}`, `kill.${runId}.${n}@chaos.test`),
    }));
    const first: number[] = [];
    // The kill comes once a third of the burst has its answer: some leads before it, some during.
    let answered = 0;
    let killed!: () => void;
    const killTime = new Promise<void>((resolve) => (killed = resolve));
    const burst = Promise.all(
      requests.map(async (request, n) => {
        await sleep(n * 10); // a burst spread over the kill
        const answer = await stack
          .api('POST', '/leads', { body: request.body, headers: { 'idempotency-key': request.key } })
          .catch(() => ({ status: 0, body: undefined, headers: new Headers() }));
        first[n] = answer.status;
        if ((answered += 1) === Math.ceil(count / 3)) killed();
        return answer.status === 201 ? (answer.body.id as string) : undefined;
      }),
    );
    await killTime;
    // SIGTERM: Java stops at once, refusing what is in flight. Not SIGKILL: DynamoDB Local (SQLite
    // underneath) can lose its last acknowledged writes to a SIGKILL, which DynamoDB on AWS never
    // does, and that would measure the stand-in rather than salesflow (README, "The two places").
    stack.local.dynamodbFaults.kill('SIGTERM');
    log('DynamoDB Local killed (SIGTERM)');
    const firstIds = await burst;
    await sleep(2_000);
    const restartStarted = Date.now();
    await stack.local.dynamodbFaults.start();
    const restartSeconds = (Date.now() - restartStarted) / 1000;
    log(`DynamoDB Local started again in ${restartSeconds.toFixed(1)} s`);
    const retried: number[] = [];
    const finalIds = await Promise.all(
      requests.map(async (request, n) => firstIds[n] ?? postUntilCreated(stack, request.body, request.key, retried)),
    );
    // Reconcile: one lead per key, every lead that got a 201 among them.
    const leads = (await stack.items('lead')).filter((lead) => String(lead.contact?.company).startsWith(`Chaos Kill ${runId} `));
    const perCompany = histogram(leads.map((lead) => lead.contact.company));
    const missing201 = firstIds.filter((id) => id && !leads.some((lead) => lead.id === id)).length;
    const answersChanged = firstIds.filter((id, n) => id && id !== finalIds[n]).length;
    const recoveryStarted = Date.now();
    const leadEmails = async () => (await stack.items('email')).filter((email) => leads.some((lead) => email.pk === `LEAD#${lead.id}`));
    const emails = await until(
      'every lead email sent',
      async () => {
        const found = await leadEmails();
        return found.length === count * 2 && found.every((email) => email.status === 'sent') ? found : undefined;
      },
      150_000,
    ).catch(async (error: Error) => {
      const found = await leadEmails();
      const short = leads.filter((lead) => found.filter((email) => email.pk === `LEAD#${lead.id}`).length < 2);
      const timeline = await stack.items('timeline');
      const shortDetail = short.map((lead) => ({
        lead: lead.id,
        emails: found.filter((email) => email.pk === `LEAD#${lead.id}`).length,
        timelineEntries: timeline.filter((entry) => entry.pk === `LEAD#${lead.id}`).length,
      }));
      const leadsNow = (await stack.items('lead')).filter((lead) => String(lead.contact?.company).startsWith(`Chaos Kill ${runId} `));
      const missing = finalIds.filter((id) => !leads.some((lead) => lead.id === id));
      log(
        `first ${JSON.stringify(first)} missing ${JSON.stringify(missing.map((id) => finalIds.indexOf(id)))} leads then ${leads.length} now ${leadsNow.length}`,
      );
      throw new Error(
        `${error.message}: ${found.length} emails, ${JSON.stringify(histogram(found.map((email) => `${email.status}/${email.lastError ?? ''}`)))}; leads short of emails: ${JSON.stringify(shortDetail)}`,
      );
    });
    const store = await stack.sesStore();
    const duplicates = duplicatesIn(
      store,
      (subject) => subject.includes(`Chaos Kill ${runId} `) || subject === 'The information you requested',
    );
    const figures = {
      requests: count,
      firstAnswers: histogram(first),
      retryAnswers: histogram(retried),
      leadsFound: leads.length,
      keysWithMoreThanOneLead: Object.values(perCompany).filter((n) => n > 1).length,
      createdThenMissing: missing201,
      retriesAnsweredWithAnotherId: answersChanged,
      dynamodbKilledWith: 'SIGTERM',
      dynamodbRestartSeconds: Number(restartSeconds.toFixed(1)),
      emailsSent: emails.length,
      emailDuplicates: duplicates,
      secondsUntilEveryEmailSent: Number(((Date.now() - recoveryStarted) / 1000).toFixed(1)),
    };
    const errorsOnly503 = [...first, ...retried].every((status) => status === 201 || status === 503);
    return {
      scenario: 'dynamodb-killed',
      title: `DynamoDB Local killed during a burst of ${count} keyed leads`,
      expected: 'every key has exactly one lead; no lead that got a 201 is missing; the only errors are 503s; every email sent once',
      held:
        leads.length === count &&
        figures.keysWithMoreThanOneLead === 0 &&
        missing201 === 0 &&
        answersChanged === 0 &&
        errorsOnly503 &&
        duplicates === 0,
      figures: { ...figures, onlyErrorsWere503: errorsOnly503 },
      seconds: 0,
    };
  });
};

/** SES unreachable for ten scaled minutes while leads, a quote and a digest are queued. */
const sesDown = async (): Promise<Outcome> => {
  const leadCount = quick ? 5 : 20;
  const scale = 60;
  const dataDir = mkdtempSync(join(tmpdir(), 'salesflow-chaos-'));
  // The retry policy scaled with the clock: 30 s becomes 0.5 s, an hour a minute.
  const retry = Object.fromEntries(Object.entries(defaultEmailRetry).map(([name, value]) => [name, value / scale]));
  const stack = await startStack(await fixedPorts(), dataDir, {
    SALESFLOW_TIME_SCALE: String(scale),
    [settingNames.emailRetry]: JSON.stringify(retry),
  });
  const ses = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(stack.local.urls.ses).port) });
  process.env.AWS_ENDPOINT_URL_SES = ses.url; // before the first send makes the client
  try {
    ses.down();
    log('SES down');
    const outageStarted = Date.now();
    const statuses: number[] = [];
    for (let n = 0; n < leadCount; n += 1) {
      const answer = await stack.api('POST', '/leads', { body: leadBody(`Chaos Ses ${runId} ${n}`, `ses.${runId}.${n}@chaos.test`) });
      statuses.push(answer.status);
    }
    // A quote: a qualified lead, then the SM's request; its first steps email two people.
    const lead = await stack.api('POST', '/leads', { body: leadBody(`Chaos Quote ${runId}`, `quote.${runId}@chaos.test`) });
    const sm = await stack.token(people.sm, 'SalesManager');
    const qualified = await stack.api('POST', `/leads/${lead.body.id}/qualification`, { body: qualificationBody(50_000, null), token: sm });
    const quote = await stack.api('POST', `/opportunities/${qualified.body.opportunityId}/quotes`, {
      body: {
        lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 1, unitPriceGbp: 2_000, discountPercent: 0 }],
        proposalSummary: 'A tester',
      },
      token: sm,
    });
    statuses.push(lead.status, qualified.status, quote.status);
    // A digest: an account with a call due, and the weekly tick.
    const account = await stack.api('POST', '/accounts', {
      body: {
        kind: 'customer',
        name: `Chaos Digest ${runId}`,
        selected: true,
        ownerEmail: people.sm,
        contacts: [{ name: 'K', email: `digest.${runId}@chaos.test` }],
      },
      token: await stack.token(people.salesAdmin, 'SalesAdmin'),
    });
    const digest = await fetch(`${stack.local.urls.scheduler}/schedules/weekly-digest/fire`, {
      method: 'POST',
      body: JSON.stringify({ tick: new Date(Date.now() + 60_000).toISOString() }),
    });
    statuses.push(account.status, digest.status);
    // Ten scaled minutes in all.
    await sleep(Math.max(0, (10 * 60 * 1000) / scale - (Date.now() - outageStarted)));
    const queued = await stack.items('email');
    const waiting = queued.filter((email) => email.status !== 'sent');
    const triesDuringOutage = queued.reduce((sum, email) => sum + Number(email.passingFaults ?? 0), 0);
    ses.up();
    const upAt = Date.now();
    log(`SES up again; ${waiting.length} emails waiting`);
    const sent = await until(
      'every email sent',
      async () => {
        const all = await stack.items('email');
        return all.length >= queued.length && all.every((email) => email.status === 'sent' || email.status === 'failed') ? all : undefined;
      },
      120_000,
    );
    const store = await stack.sesStore();
    const failed = sent.filter((email) => email.status === 'failed').length;
    const duplicates = duplicatesIn(store, () => true);
    const figures = {
      requests: statuses.length,
      answers: histogram(statuses),
      outageScaledMinutes: 10,
      emailsQueued: sent.length,
      emailsWaitingWhenSesCameBack: waiting.length,
      sendAttemptsDuringOutage: triesDuringOutage,
      emailsSent: sent.length - failed,
      emailsFailed: failed,
      emailDuplicates: duplicates,
      secondsFromSesBackToLastSent: Number(((Date.now() - upAt) / 1000).toFixed(1)),
      quoteStatus: String((await stack.api('GET', `/quotes/${quote.body.quoteId}`, { token: sm })).body.status),
    };
    return {
      scenario: 'ses-down',
      title: `SES unreachable for 10 scaled minutes while ${leadCount} leads, a quote and a digest are queued`,
      expected: 'after SES returns every email is delivered, none failed; duplicates counted (aim: zero); the quote does not fail',
      held:
        failed === 0 &&
        figures.emailsWaitingWhenSesCameBack > 0 &&
        figures.quoteStatus !== 'failed' &&
        statuses.every((s) => s < 400) &&
        duplicates === 0,
      figures,
      seconds: 0,
    };
  } finally {
    await ses.close();
    await stack.local.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

/** The whole stack restarted while a quote waits on a person and an order waits for day 14 and day 60. */
const stackRestarted = async (): Promise<Outcome> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesflow-chaos-'));
  const ports = await fixedPorts();
  // A day a real second; shipped a day ago, so day 14 is due well after the second restart, which
  // takes seconds (up to twelve on a loaded two-core machine).
  const dayScale = 1;
  const shippedDaysAgo = 1;
  const restarts: number[] = [];
  const restart = async (stack: Stack, env: Record<string, string>) => {
    const started = Date.now();
    await stack.local.stop();
    const again = await startStack(ports, dataDir, env);
    restarts.push((Date.now() - started) / 1000);
    log(`stack restarted in ${restarts.at(-1)!.toFixed(1)} s`);
    return again;
  };
  // First at real time: the quote's run keeps the clock it started with, so its person step waits.
  let stack = await startStack(ports, dataDir, { SALESFLOW_TIME_SCALE: '1' });
  try {
    const company = `Chaos Restart ${runId} Ltd`;
    const lead = await stack.api('POST', '/leads', { body: leadBody(company, `restart.${runId}@chaos.test`) });
    const sm = await stack.token(people.sm, 'SalesManager');
    const qualified = await stack.api('POST', `/leads/${lead.body.id}/qualification`, { body: qualificationBody(50_000, null), token: sm });
    const quote = await stack.api('POST', `/opportunities/${qualified.body.opportunityId}/quotes`, {
      body: {
        lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 1, unitPriceGbp: 2_000, discountPercent: 0 }],
        proposalSummary: 'A tester',
      },
      token: sm,
    });
    const toPrepare = await until(
      'the "Prepare the quote" email',
      async () =>
        (await stack.sesStore()).find(
          (email) =>
            email.destination.to.includes(people.salesAdmin) &&
            email.subject.startsWith('Prepare the quote') &&
            email.subject.includes(company),
        ),
      30_000,
    );
    const link = /https?:\/\/\S+\/actions\/[A-Za-z0-9._-]+/.exec(toPrepare.body.text ?? '')?.[0];
    if (!link) throw new Error('no link in the "Prepare the quote" email');

    // Then a day a second (or two): an order shipped some days ago waits for its day 14 and 60.
    const fast = { SALESFLOW_TIME_SCALE: String(86_400 * dayScale) };
    stack = await restart(stack, fast);
    const admin = await stack.token(people.salesAdmin, 'SalesAdmin');
    const buyer = await stack.api('POST', '/accounts', {
      body: {
        kind: 'customer',
        name: company,
        ownerEmail: people.sm,
        servedBy: 'direct',
        orderChannel: 'standard',
        contacts: [{ name: 'P', email: `po.${runId}@chaos.test` }],
      },
      token: admin,
    });
    const order = await stack.api('POST', '/orders', {
      body: {
        accountId: buyer.body.id,
        poNumber: `PO-${runId}`,
        lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 1, unitPrice: 12_500 }],
        userContact: { name: 'Una User', email: `user.${runId}@chaos.test` },
        system: { model: 'TX-200', serialNumbers: ['SN-1'] },
      },
      token: admin,
    });
    const shippedAt = Date.now() - shippedDaysAgo * 86_400_000;
    const shipCalled = Date.now();
    const shipped = await stack.api('POST', `/orders/${order.body.id}/shipment`, {
      body: { shippedAt: new Date(shippedAt).toISOString(), carrier: 'DHL', tracking: 'JD0001' },
      token: await stack.token(people.production, 'Production'),
    });
    if (shipped.status !== 202) throw new Error(`shipment answered ${shipped.status}`);
    stack = await restart(stack, fast);

    // After the restart: both runs listed, the emailed link works, day 14 and day 60 arrive on time.
    const sfn = new SFNClient({
      endpoint: stack.local.urls.stepFunctions,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const machines = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
    const running = async (name: string) => {
      const machine = machines.find((found) => found.name === `salesflow-${name}`);
      if (!machine) return -1;
      return (
        (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, statusFilter: 'RUNNING' }))).executions
          ?.length ?? 0
      );
    };
    const listed = {
      quoteApproval: await running('quote-approval').catch(() => -1),
      postShipment: await running('post-shipment').catch(() => -1),
    };
    const answered = await stack.api('POST', link, { body: { paymentTerms: '30 days net', deliveryTerms: 'Ex works, 6 weeks' } });
    const scaledDay = (at: number) => shippedDaysAgo + ((at - shipCalled) / 1000) * dayScale;
    const arrival = async (subject: string, withinDays: number) => {
      await until(
        subject,
        async () =>
          (await stack.sesStore()).find(
            (found) => found.destination.to.includes(people.sm) && found.subject.startsWith(subject) && found.subject.includes(company),
          ),
        (withinDays / dayScale) * 1000 + 30_000,
      );
      return Number(scaledDay(Date.now()).toFixed(1));
    };
    const day14 = await arrival('Two weeks since shipment', 14);
    const day60 = await arrival('Is the equipment operating OK?', 60);
    const quoteAfter = (await stack.api('GET', `/quotes/${quote.body.quoteId}`, { token: sm })).body;
    const figures = {
      restarts: restarts.length,
      restartSecondsMax: Number(Math.max(...restarts).toFixed(1)),
      runsListedAfterRestart: listed as unknown as Record<string, number>,
      linkAnsweredAfterRestart: answered.status,
      quoteOpenStepsAfterAnswer: (quoteAfter.tasks ?? []).map((task: { task: string }) => task.task).join(', ') || 'none',
      dayscalePerSecond: dayScale,
      day14ArrivedAtScaledDay: day14,
      day60ArrivedAtScaledDay: day60,
    };
    return {
      scenario: 'stack-restarted',
      title: 'The whole stack restarted while a quote waits on a person and an order waits for day 14 and day 60',
      expected:
        'after the restart the runs are listed, the emailed link still works, and day 14 and day 60 arrive at the right scaled times',
      held:
        listed.quoteApproval >= 1 &&
        listed.postShipment >= 1 &&
        answered.status === 200 &&
        Math.abs(day14 - 14) <= 1.5 * dayScale &&
        Math.abs(day60 - 60) <= 1.5 * dayScale,
      figures,
      seconds: 0,
    };
  } finally {
    await stack.local.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

/** Many leads for one campaign at once: each counts, none fails for the count. */
const campaignBurst = async (): Promise<Outcome> => {
  const count = quick ? 20 : 50;
  return onOwnStack({ SALESFLOW_TIME_SCALE: '1' }, async (stack) => {
    const marketing = await stack.token(people.marketing, 'Marketing');
    const campaign = await stack.api('POST', '/campaigns', {
      body: { kind: 'trade-show', name: `Chaos ${runId}`, startsOn: '2026-11-01', costGbp: 1_000 },
      token: marketing,
    });
    const answers = await Promise.all(
      Array.from({ length: count }, (_, n) =>
        stack.api('POST', '/leads', { body: leadBody(`Chaos Burst ${runId} ${n}`, `burst.${runId}.${n}@chaos.test`, campaign.body.id) }),
      ),
    );
    if (campaign.status !== 201) throw new Error(`POST /campaigns answered ${campaign.status}: ${JSON.stringify(campaign.body)}`);
    const read = await stack.api('GET', `/campaigns/${campaign.body.id}`, { token: marketing });
    if (read.status !== 200) throw new Error(`GET /campaigns/{id} answered ${read.status}: ${JSON.stringify(read.body)}`);
    const report = read.body;
    const statuses = answers.map((answer) => answer.status);
    const figures = { requests: count, answers: histogram(statuses), leadCount: Number(report.leadCount) };
    return {
      scenario: 'campaign-burst',
      title: `${count} leads for one campaign at once`,
      expected: 'no 5xx, and the campaign counts every lead',
      held: statuses.every((status) => status === 201) && figures.leadCount === count,
      figures,
      seconds: 0,
    };
  });
};

const scenarios: Record<ScenarioName, () => Promise<Outcome>> = {
  'dynamodb-killed': dynamodbKilled,
  'ses-down': sesDown,
  'stack-restarted': stackRestarted,
  'campaign-burst': campaignBurst,
};

// ---- the runner --------------------------------------------------------------------------------

/** One scenario, in this process: its outcome as the last line on stdout. */
const runOne = async (name: ScenarioName) => {
  const started = Date.now();
  const outcome = await scenarios[name]();
  outcome.seconds = Number(((Date.now() - started) / 1000).toFixed(1));
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
};

/** Each scenario in a process of its own: the handlers' clients and settings start fresh. */
const runAll = async () => {
  const outcomes: Outcome[] = [];
  for (const name of scenarioNames) {
    log(`${name}: starting`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/chaos.ts', `--scenario=${name}`, ...(quick ? ['--quick'] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    // Bounded: a scenario that hangs is a failure, not a stuck CI.
    const limit = setTimeout(() => child.kill('SIGTERM'), (quick ? 4 : 8) * 60_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(limit);
    const last = output.trim().split('\n').at(-1) ?? '';
    const outcome: Outcome = last.startsWith('{')
      ? (JSON.parse(last) as Outcome)
      : { scenario: name, title: name, expected: '', held: false, figures: { exitCode: String(code) }, seconds: 0 };
    outcomes.push(outcome);
    log(`${name}: ${outcome.held ? 'held' : 'DID NOT HOLD'} in ${outcome.seconds} s ${JSON.stringify(outcome.figures)}`);
  }
  const results = { generatedAt: new Date().toISOString(), mode: quick ? 'quick' : 'full', machine: { node: process.version }, outcomes };
  const file = quick ? 'bench/out/chaos-quick.json' : 'bench/chaos.json';
  mkdirSync('bench/out', { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  if (!quick) writeFileSync('CHAOS.md', report(results));
  const held = outcomes.filter((outcome) => outcome.held).length;
  console.log(`chaos: ${held} passed, ${outcomes.length - held} failed`);
  process.exit(held === outcomes.length ? 0 : 1);
};

const report = (results: { generatedAt: string; outcomes: Outcome[] }) => {
  const value = (figure: unknown) =>
    figure && typeof figure === 'object'
      ? Object.entries(figure)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')
      : String(figure);
  return [
    '# The fault suite',
    '',
    '`npm run chaos` breaks one part of the local stack at a time, on purpose, and checks that nothing',
    'was lost and nothing doubled: it reconciles what the API answered against the table and the SES store.',
    'Each scenario runs on a stack of its own, in a process of its own. `npm run chaos -- --quick` is the',
    'smaller run CI does on every change; this page is written only by the full run. What survives what, and',
    'why, is in the README\'s "Faults" section.',
    '',
    `Last full run: ${results.generatedAt}.`,
    '',
    ...results.outcomes.flatMap((outcome) => [
      `## ${outcome.title}`,
      '',
      `Expected: ${outcome.expected}.`,
      `Outcome: **${outcome.held ? 'held' : 'did not hold'}**, in ${outcome.seconds} s.`,
      '',
      '| figure | value |',
      '|---|---|',
      ...Object.entries(outcome.figures).map(
        ([name, figure]) => `| ${name.replace(/([a-z])([A-Z0-9])/g, '$1 $2').toLowerCase()} | ${value(figure)} |`,
      ),
      '',
    ]),
  ].join('\n');
};

const scenario = process.argv.find((arg) => arg.startsWith('--scenario='))?.slice('--scenario='.length) as ScenarioName | undefined;
if (scenario) {
  await runOne(scenario).then(
    () => process.exit(0),
    (error: unknown) => {
      log(`${scenario} broke: ${(error as Error).stack ?? error}`);
      process.exit(1);
    },
  );
} else {
  await runAll();
}
