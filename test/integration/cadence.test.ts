import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDueCalls } from '../fixtures/due-contacts';
import { eventually, type SentEmail, type StackClient, uniqueEmail } from './local-stack';
import { type OwnStack, startOwnStack } from './own-stack';

/**
 * R6-R8 on a stack of its own (the digest reads everything due, so no other test's accounts may
 * be in it): accounts carry their calls and visits, the weekly schedule fired now emails each SM
 * and AE one digest of exactly what is due from them, logging a call moves it on, a rerun of the
 * tick sends nothing twice, and with 20,000 accounts the job reads only the due ones.
 */
let own: OwnStack;
let client: StackClient;

beforeAll(async () => {
  own = await startOwnStack('cadence');
  client = own.client;
}, 120_000);

afterAll(async () => {
  await own?.stop();
});

const smA = 'sm.a@salesflow.example';
const smB = 'sm.b@salesflow.example';
const ae = 'ae.north@salesflow.example';
const tag = Math.random().toString(36).slice(2, 7);
const accounts: Record<string, string> = {};

const open = async (name: string, fields: Record<string, unknown>) => {
  const created = await client.api('POST', '/accounts', {
    body: { name: `${name} ${tag}`, contacts: [{ name: 'Kim', email: uniqueEmail('contact') }], ...fields },
    token: await client.tokenFor('sales.admin@salesflow.example', 'SalesAdmin'),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  accounts[name] = created.body.id;
};

const digestsNow = async (person: string, after: number): Promise<SentEmail[]> =>
  (await client.sentEmails())
    .slice(after)
    .filter((email) => email.destination.to.includes(person) && email.subject.startsWith('Due from you'));
/** The digests the outbox has delivered to a person since `after` (queued by the job, sent just after). */
const digestsTo = (person: string, after: number): Promise<SentEmail[]> =>
  eventually(async () => {
    const found = await digestsNow(person, after);
    return found.length ? found : undefined;
  });

const inAMinute = () => new Date(Date.now() + 60_000).toISOString();

describe('R6-R8: the weekly digest', () => {
  beforeAll(async () => {
    await open('Large Dist', { kind: 'distributor', size: 'large', ownerEmail: smA, aeVisits: { ae, everyMonths: 2 } });
    await open('Small Dist', { kind: 'distributor', size: 'small', ownerEmail: smB });
    await open('Selected Customer', { kind: 'customer', selected: true, ownerEmail: smA });
    await open('Plain Customer', { kind: 'customer', ownerEmail: smA });
  });

  it('each SM and AE gets one digest listing exactly what is due from them; nobody else gets one', async () => {
    const before = (await client.sentEmails()).length;
    const fired = await client.fire('weekly-digest', inAMinute());
    expect(fired.status, JSON.stringify(fired.body)).toBe(200);
    expect(fired.body).toMatchObject({ dueItems: 6, people: 3, queued: 3, alreadyQueued: 0 });

    const [toA] = await digestsTo(smA, before);
    const linesOf = (email: SentEmail) => email.body.text!.split('\n').filter((l) => l.startsWith('- '));
    expect(linesOf(toA!).map((l) => l.replace(/ \(due .*$/, ''))).toEqual(
      expect.arrayContaining([
        `- Status-check call: Large Dist ${tag}`,
        `- Visit: Large Dist ${tag}`,
        `- Status-check call: Selected Customer ${tag}`,
      ]),
    );
    expect(linesOf(toA!)).toHaveLength(3);
    expect(toA!.body.text).toContain(
      'Agenda: Forecast, Key prospects, Joint customer visits, Blue Sheet review, Sales and marcoms needs, Sales training',
    );
    expect(linesOf((await digestsTo(smB, before))[0]!)).toHaveLength(2);
    expect(linesOf((await digestsTo(ae, before))[0]!)).toEqual([expect.stringMatching(new RegExp(`^- AE visit: Large Dist ${tag}`))]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await digestsNow(smA, before)).toHaveLength(1);
  });

  it('a rerun of the same tick sends no second digest', async () => {
    const tick = inAMinute();
    const start = (await client.sentEmails()).length;
    const first = await client.fire('weekly-digest', tick);
    expect(first.body.queued).toBe(3);
    await eventually(async () => ((await client.sentEmails()).length >= start + 3 ? true : undefined));
    const before = (await client.sentEmails()).length;
    const again = await client.fire('weekly-digest', tick);
    expect(again.body).toMatchObject({ queued: 0, alreadyQueued: 3 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await client.sentEmails()).length).toBe(before);
  });

  it("logging the call removes it from the next digest, and the next call is due a week after it happened; someone else's call completes nothing", async () => {
    const aeCall = await client.api('POST', `/accounts/${accounts['Large Dist']}/activities`, {
      body: { kind: 'call', summary: 'Checked stock' },
      token: await client.tokenFor(ae, 'ApplicationEngineer'),
    });
    expect(aeCall.status).toBe(201);
    expect(aeCall.body.completed).toBeUndefined();

    const happened = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const logged = await client.api('POST', `/accounts/${accounts['Large Dist']}/activities`, {
      body: { kind: 'call', at: happened, summary: 'Status check: forecast steady', with: 'Kim' },
      token: await client.tokenFor(smA, 'SalesManager'),
    });
    expect(logged.status).toBe(201);
    expect(logged.body).toMatchObject({ completed: 'sm-call', nextDueAt: new Date(Date.parse(happened) + 7 * 86_400_000).toISOString() });

    const before = (await client.sentEmails()).length;
    expect((await client.fire('weekly-digest', inAMinute())).body.queued).toBe(3);
    const [toA] = await digestsTo(smA, before);
    expect(toA!.body.text).not.toContain(`Status-check call: Large Dist ${tag}`);
    expect(toA!.body.text).toContain(`Visit: Large Dist ${tag}`);
    const account = await client.api('GET', `/accounts/${accounts['Large Dist']}`, { token: await client.tokenFor(smA, 'SalesManager') });
    expect(account.body.due.find((d: { kind: string }) => d.kind === 'sm-call')).toMatchObject({ lastDoneAt: happened, overdueByDays: 0 });
    expect(account.body.timeline.map((e: { kind: string }) => e.kind)).toContain('activity');
  });

  it('a call logged on an account that does not exist is a 404 and changes nothing', async () => {
    const before = await client.settledItemCount();
    const missing = await client.api('POST', `/accounts/${crypto.randomUUID()}/activities`, {
      body: { kind: 'call', summary: 'x' },
      token: await client.tokenFor(smA, 'SalesManager'),
    });
    expect(missing.status).toBe(404);
    expect(await client.settledItemCount()).toBe(before);
  });
});

describe('the digest reads what is due, not the customer base', () => {
  it('20,000 accounts of which 50 are due: the job reads capacity for the 50 only', async () => {
    const baseline = await client.fire('weekly-digest', inAMinute());
    const dueBefore = baseline.body.dueItems as number;
    // 20,000 accounts' call items straight into the table: 19,950 due next year, 50 due now.
    await seedDueCalls(client.dynamodb, own.client.stack.tableName, { tag, count: 20_000, due: 50, assignees: 5, prefix: 'seed' });

    const fired = await client.fire('weekly-digest', inAMinute());
    expect(fired.status).toBe(200);
    expect(fired.body.dueItems).toBe(dueBefore + 50);
    expect(fired.body.people).toBe(baseline.body.people + 5);
    // Reading the whole table instead would cost this much:
    let scanned = 0;
    let ExclusiveStartKey: Record<string, never> | undefined;
    do {
      const page = await client.dynamodb.send(
        new ScanCommand({ TableName: own.client.stack.tableName, ReturnConsumedCapacity: 'TOTAL', ExclusiveStartKey }),
      );
      scanned += page.ConsumedCapacity?.CapacityUnits ?? 0;
      ExclusiveStartKey = page.LastEvaluatedKey as never;
    } while (ExclusiveStartKey);
    console.log(
      `digest read ${fired.body.readCapacityUnits} RCU for ${fired.body.dueItems} due items (${baseline.body.readCapacityUnits} before seeding); a scan of the table costs ${scanned} RCU`,
    );
    expect(fired.body.readCapacityUnits).toBeGreaterThan(0);
    expect(fired.body.readCapacityUnits - baseline.body.readCapacityUnits).toBeLessThanOrEqual(8);
    expect(scanned).toBeGreaterThan(100 * fired.body.readCapacityUnits);
    await eventually(async () => (await client.sentEmails()).some((e) => e.destination.to.includes('sm.seed0@salesflow.example')));
  }, 120_000);
});
