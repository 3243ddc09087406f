import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type StackClient } from './local-stack';
import { daysAgo, linkIn, orderJourney, orderPeople } from './order-journey';
import { type OwnStack, startOwnStack } from './own-stack';

/**
 * R25/R26 under time scaling: this file runs its own stack where a day passes in a quarter of a
 * second, so the SM's 30 days to answer the equipment check last 7.5 s. Shipments are back-dated:
 * the workflow's waits run to timestamps computed from the ship date, so an order shipped 61 days
 * ago is at its equipment check at once. An external service desk listens on a local port, and
 * refuses some registrations to show they are retried and never lost.
 */
const dayInSeconds = 0.25;
let own: OwnStack;
let client: StackClient;
let journey: ReturnType<typeof orderJourney>;
let desk: Server;
const received: { registrationId: string; customer: string }[] = [];
const refusals = new Map<string, number>();

beforeAll(async () => {
  // The desk refuses "Flaky" customers twice, and "Down" customers always.
  desk = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const registration = JSON.parse(body) as { registrationId: string; customer: string };
      const refused = refusals.get(registration.registrationId) ?? 0;
      const down = registration.customer.includes('Down') || (registration.customer.includes('Flaky') && refused < 2);
      if (down) {
        refusals.set(registration.registrationId, refused + 1);
        response.writeHead(503).end();
        return;
      }
      received.push(registration);
      response.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => desk.listen(0, '127.0.0.1', resolve));
  own = await startOwnStack('post-shipment', {
    SALESFLOW_TIME_SCALE: String(86_400 / dayInSeconds),
    SALESFLOW_SERVICE_DESK_URL: `http://127.0.0.1:${(desk.address() as AddressInfo).port}/registrations`,
    SALESFLOW_SERVICE_DESK_MAX_ATTEMPTS: '3',
  });
  client = own.client;
  journey = orderJourney(client);
}, 120_000);

afterAll(async () => {
  await own?.stop();
  desk?.close();
  delete process.env.SALESFLOW_SERVICE_DESK_URL;
});

const runStatus = (executionArn: string, status: string) =>
  eventually(async () => {
    const run = await client.stepFunctions.send(new DescribeExecutionCommand({ executionArn }));
    return run.status === status ? run : undefined;
  }, 30_000);

const sm = () => client.tokenFor(orderPeople.sm, 'SalesManager');

describe('R25: two weeks after shipment', () => {
  it('a standard order shipped 15 days ago: the distributor is asked, the SM reminded, and the answer recorded', async () => {
    const { customer, order, ship, getOrder, emailTo } = journey;
    const buyer = await customer({ viaDistributor: true });
    const orderId = await order(buyer);
    await ship(orderId, daysAgo(15));

    const asked = await emailTo(buyer.distributorEmail, new RegExp(`^Everything received in good order\\? ${buyer.name}`));
    const reminder = await emailTo(orderPeople.sm, new RegExp(`^Two weeks since shipment: contact ${buyer.name}`));
    expect(reminder.body.text).toContain(buyer.user.email);
    const logged = await getOrder(orderId);
    expect(logged.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['delivery-check', 'sm-reminded']));
    expect(logged.followUpStates).toMatchObject({ deliveryCheck: 'done', smReminder: 'done', equipmentCheck: 'scheduled' });

    // The distributor's link: looking changes nothing; the answer is recorded once.
    const link = linkIn(asked);
    expect((await client.api('GET', link)).body.fields.map((f: { name: string }) => f.name)).toEqual(['allReceived', 'notes']);
    const answered = await client.api('POST', link, {
      raw: 'allReceived=no&notes=One+probe+missing',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(answered.status).toBe(200);
    expect((await client.api('POST', link, { body: { allReceived: true } })).status).toBe(410);
    const after = await getOrder(orderId);
    expect(after.followUps.deliveryCheck).toMatchObject({ status: 'answered', answer: { allReceived: false, notes: 'One probe missing' } });
    // "No" is the SM's to sort out, at once.
    expect((await emailTo(orderPeople.sm, new RegExp(`^Delivery problem reported: ${buyer.name}`))).body.text).toContain(
      'One probe missing',
    );
  });
});

describe('R26: is your equipment operating OK?', () => {
  it('"yes": the customer is pleased to be of service, the agenda clears, the run succeeds', async () => {
    const { customer, order, ship, getOrder, emailTo, agendaOf } = journey;
    const buyer = await customer();
    const orderId = await order(buyer);
    const { executionArn } = await ship(orderId, daysAgo(61));

    const ask = await emailTo(orderPeople.sm, new RegExp(`^Is the equipment operating OK\\? ${buyer.name}`));
    // A direct customer: no distributor to ask, but the SM was reminded at two weeks.
    expect(await journey.emailsTo(orderPeople.sm, new RegExp(`^Two weeks since shipment: contact ${buyer.name}`))).toHaveLength(1);
    expect(
      (await agendaOf(orderPeople.sm, 'SalesManager')).some((item) => item.subject.id === orderId && item.kind === 'equipment-check'),
    ).toBe(true);
    expect((await getOrder(orderId)).followUpStates.equipmentCheck).toBe('due');

    const link = linkIn(ask);
    const page = await client.api('GET', link, { headers: { accept: 'text/html' } });
    expect(page.body).toContain('Is the equipment operating OK?');
    const yes = await client.api('POST', link, { body: { ok: true } });
    expect(yes.status).toBe(200);
    expect(await emailTo(buyer.user.email, /^Pleased to be of service!/)).toBeDefined();
    await runStatus(executionArn, 'SUCCEEDED');
    expect((await agendaOf(orderPeople.sm, 'SalesManager')).some((item) => item.subject.id === orderId)).toBe(false);
    const done = await getOrder(orderId);
    expect(done.followUps.equipmentCheck).toMatchObject({ status: 'yes', answeredBy: orderPeople.sm });
    expect(done.followUpStates.equipmentCheck).toBe('done');
    expect((await client.api('POST', link, { body: { ok: false, notes: 'too late' } })).status).toBe(410);
  });

  it('"no": a corrective action opens, Engineering and support hear, and it stays on the agenda until closed', async () => {
    const { customer, order, ship, getOrder, emailTo, agendaOf } = journey;
    const buyer = await customer();
    const orderId = await order(buyer);
    const { executionArn } = await ship(orderId, daysAgo(61));
    await emailTo(orderPeople.sm, new RegExp(`^Is the equipment operating OK\\? ${buyer.name}`));

    // Only the owning SM answers, and "no" must say what is wrong.
    const otherSm = await client.tokenFor('sm.dach@salesflow.example', 'SalesManager');
    expect(
      (await client.api('POST', `/orders/${orderId}/tasks/equipment-check`, { body: { ok: false, notes: 'x' }, token: otherSm })).status,
    ).toBe(403);
    const noReason = await client.api('POST', `/orders/${orderId}/tasks/equipment-check`, { body: { ok: false }, token: await sm() });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('notes');

    const no = await client.api('POST', `/orders/${orderId}/tasks/equipment-check`, {
      body: { ok: false, notes: 'Readings drift after an hour' },
      token: await sm(),
    });
    expect(no.status).toBe(200);
    const notice = await emailTo(orderPeople.engineering, new RegExp(`^Corrective action: ${buyer.name}`));
    expect(notice.destination.to.join(',')).toContain(orderPeople.support);
    expect(notice.body.text).toContain('Readings drift after an hour');
    await runStatus(executionArn, 'SUCCEEDED');
    const onAgenda = async () =>
      (await agendaOf(orderPeople.sm, 'SalesManager')).filter((item) => item.subject.id === orderId).map((item) => item.kind);
    expect(await onAgenda()).toEqual(['corrective-action']);
    expect((await getOrder(orderId)).correctiveAction).toMatchObject({ status: 'open', problem: 'Readings drift after an hour' });

    const closed = await client.api('POST', `/orders/${orderId}/tasks/corrective-action`, {
      body: { resolution: 'Sensor replaced on site' },
      token: await client.tokenFor(orderPeople.engineering, 'Engineering'),
    });
    expect(closed.status).toBe(200);
    expect(await onAgenda()).toEqual([]);
    expect((await getOrder(orderId)).correctiveAction).toMatchObject({ status: 'closed', resolution: 'Sensor replaced on site' });
  });

  it("no answer by three months: the SM's manager hears of it and the SM gets a new link", async () => {
    const { customer, order, ship, getOrder, emailTo } = journey;
    const buyer = await customer();
    const orderId = await order(buyer);
    await ship(orderId, daysAgo(61));
    const first = await emailTo(orderPeople.sm, new RegExp(`^Is the equipment operating OK\\? ${buyer.name}`));
    const escalation = await emailTo(orderPeople.salesDirector, new RegExp(`^Overdue: equipment check for ${buyer.name}`), 30_000);
    expect(escalation.body.text).toContain(orderPeople.sm);
    const again = await emailTo(orderPeople.sm, new RegExp(`^Reminder: Is the equipment operating OK\\? ${buyer.name}`));
    // The first link was replaced; the new one answers.
    expect((await client.api('POST', linkIn(first), { body: { ok: true } })).status).toBe(410);
    expect((await client.api('POST', linkIn(again), { body: { ok: true } })).status).toBe(200);
    expect((await getOrder(orderId)).timeline.map((e: { kind: string }) => e.kind)).toContain('follow-up-escalated');
  }, 60_000);
});

describe('the W. Sales exception', () => {
  it('a W. Sales order shipped 61 days ago sends nothing after shipment: skipped, logged, done', async () => {
    const { customer, order, ship, getOrder } = journey;
    const buyer = await customer({ servedBy: 'w-sales', viaDistributor: true });
    const orderId = await order(buyer);
    // The order's own emails (acknowledgement, Welcome Letter) go first.
    await eventually(async () => (await getOrder(orderId)).emails.every((email: { status: string }) => email.status === 'sent'));
    const before = (await client.sentEmails()).length;
    const { executionArn } = await ship(orderId, daysAgo(61));
    await runStatus(executionArn, 'SUCCEEDED');
    const found = await getOrder(orderId);
    expect(found.timeline.map((e: { kind: string }) => e.kind)).toContain('post-shipment-skipped');
    expect(found.followUpStates).toEqual({
      deliveryCheck: 'not-applicable',
      smReminder: 'not-applicable',
      equipmentCheck: 'not-applicable',
    });
    const { events = [] } = await client.stepFunctions.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events.filter((e) => e.type === 'WaitStateEntered')).toHaveLength(0);
    // Nothing went out about this order after shipment: no reminder, no distributor email, no check.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = (await client.sentEmails()).slice(before);
    expect(after.filter((email) => email.subject.includes(buyer.name) || email.destination.to.includes(buyer.distributorEmail))).toEqual(
      [],
    );
  });
});

describe('R21: the external service desk', () => {
  it('a desk that refuses twice gets the registration on the third try; the order shows it synced', async () => {
    const buyer = await journey.customer({ label: 'Flaky' });
    const orderId = await journey.order(buyer);
    const synced = await eventually(async () => {
      const found = await journey.getOrder(orderId);
      return found.support.serviceDesk === 'synced' ? found : undefined;
    });
    const { registrationId } = synced.support;
    expect(refusals.get(registrationId)).toBe(2);
    expect(received.filter((r) => r.registrationId === registrationId)).toHaveLength(1);
    expect(synced.timeline.map((e: { kind: string }) => e.kind)).toContain('support-registered');
  });

  it('a desk that stays down: the order is kept, and says the copy failed after the last attempt', async () => {
    const buyer = await journey.customer({ label: 'Down' });
    const orderId = await journey.order(buyer);
    const failed = await eventually(async () => {
      const found = await journey.getOrder(orderId);
      return found.support.serviceDesk === 'failed' ? found : undefined;
    });
    expect(refusals.get(failed.support.registrationId)).toBe(3);
    expect(failed).toMatchObject({ poNumber: buyer.po, status: 'received', contractReview: { status: 'open' } });
    expect(failed.timeline.at(-1).summary).toMatch(/after 3 attempts; it is kept on the order/);
  });
});
