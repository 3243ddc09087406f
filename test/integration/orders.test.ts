import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { eventually, stack, stackClient } from './local-stack';
import { daysAgo, linkIn, orderJourney, orderPeople } from './order-journey';
import { quoteJourney } from './quote-journey';

/**
 * R20-R24 on the shared local stack, over HTTP: Sales Admin enters the PO, and the order sets
 * going the acknowledgement, the contract review, the Welcome Letter or the SF login.
 */
const client = stackClient(stack);
const { api, tokenFor, settledItemCount, dynamodb } = client;
const { account, customer, order, getOrder, emailTo, emailsTo, agendaOf, admin } = orderJourney(client);

describe('accounts', () => {
  it('a distributor needs a size, and a customer may name the distributor serving it', async () => {
    const token = await admin();
    const marketingToken = await tokenFor('marketing@x.test', 'Marketing');
    const before = await settledItemCount();
    const noSize = await api('POST', '/accounts', {
      body: { kind: 'distributor', name: 'Sizeless', ownerEmail: orderPeople.sm, contacts: [{ name: 'A', email: 'a@d.test' }] },
      token,
    });
    expect(noSize.status).toBe(400);
    expect(noSize.body.errors.map((e: { path: string }) => e.path)).toContain('size');
    const notADistributor = await api('POST', '/accounts', {
      body: {
        kind: 'customer',
        name: 'X',
        ownerEmail: orderPeople.sm,
        distributorId: crypto.randomUUID(),
        contacts: [{ name: 'A', email: 'a@c.test' }],
      },
      token,
    });
    expect(notADistributor.status).toBe(400);
    expect(notADistributor.body.errors[0].path).toBe('distributorId');
    const marketing = await api('POST', '/accounts', {
      body: { kind: 'customer', name: 'X', ownerEmail: orderPeople.sm, contacts: [{ name: 'A', email: 'a@c.test' }] },
      token: marketingToken,
    });
    expect(marketing.status).toBe(403);
    expect(await settledItemCount()).toBe(before);

    const { accountId } = await customer({ viaDistributor: true });
    const found = await api('GET', `/accounts/${accountId}`, { token });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ kind: 'customer', servedBy: 'direct', orderChannel: 'standard', selected: false });
    expect(found.body.distributorId).toBeTruthy();
    expect(found.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['account-opened']);
  });
});

describe('R20-R23: a standard order', () => {
  it('registers support, acknowledges the customer, puts the contract review on the agenda and sends Production the Welcome Letter', async () => {
    const buyer = await customer();
    const orderId = await order(buyer);
    const placed = await getOrder(orderId);
    expect(placed).toMatchObject({
      poNumber: buyer.po,
      totalGbp: 25_000,
      routing: { channel: 'standard', followUps: 'direct' },
      contractReview: { status: 'open' },
      welcomeLetter: { status: 'with-production' },
      packing: { status: 'to-pack' },
      support: { serviceDesk: 'not-configured' },
      status: 'received',
    });
    expect(placed.support.registrationId).toMatch(/^SR-/);
    expect(placed.webLogin).toBeUndefined();

    // R22: the customer hears, with the support registration.
    const ack = await emailTo(buyer.user.email, new RegExp(`^Order ${buyer.po} received`));
    expect(ack.body.text).toContain(placed.support.registrationId);
    // R23: Production gets the Welcome Letter as a PDF, and the checklist to pack.
    const letter = await emailTo(orderPeople.production, new RegExp(`Welcome Letter to print: ${buyer.name}`));
    expect(letter.attachments?.map((a) => a.contentType)).toEqual(['application/pdf']);
    const pdf = Buffer.from(letter.attachments![0]!.content, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(letter.body.text).toContain('Serial numbers: SN-1001, SN-1002');
    expect(await emailsTo(orderPeople.sfSupport, new RegExp(buyer.name))).toHaveLength(0);

    // R22: the contract review is on the agenda of the Sales Admin who entered the order, until done.
    expect(
      (await agendaOf(orderPeople.salesAdmin, 'SalesAdmin')).some((item) => item.subject.id === orderId && item.kind === 'contract-review'),
    ).toBe(true);
    const reviewed = await api('POST', `/orders/${orderId}/tasks/contract-review`, {
      body: { notes: 'Terms as quoted' },
      token: await admin(),
    });
    expect(reviewed.status).toBe(200);
    expect((await api('POST', `/orders/${orderId}/tasks/contract-review`, { body: {}, token: await admin() })).status).toBe(409);
    expect((await agendaOf(orderPeople.salesAdmin, 'SalesAdmin')).some((item) => item.subject.id === orderId)).toBe(false);

    // Production reads what it packs and ships, and no prices: no unit price, no total, no amount in the timeline.
    const asProduction = await api('GET', `/orders/${orderId}`, { token: await tokenFor(orderPeople.production, 'Production') });
    expect(asProduction.status).toBe(200);
    expect(asProduction.body.lines).toEqual([{ sku: 'TX-200', description: 'Inline tester', quantity: 2 }]);
    expect(asProduction.body.totalGbp).toBeUndefined();
    expect(JSON.stringify(asProduction.body)).not.toMatch(/£|unitPrice|totalGbp/);
    expect(JSON.stringify(placed)).toMatch(/£25,000/);

    // Production marks the letter printed and packed; Engineering may not.
    const engineering = await tokenFor(orderPeople.engineering, 'Engineering');
    expect((await api('POST', `/orders/${orderId}/tasks/packing`, { body: {}, token: engineering })).status).toBe(403);
    const packed = await api('POST', `/orders/${orderId}/tasks/packing`, {
      body: {},
      token: await tokenFor(orderPeople.production, 'Production'),
    });
    expect(packed.status).toBe(200);
    const after = await getOrder(orderId);
    expect(after.welcomeLetter.status).toBe('printed-and-packed');
    expect(after.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['order-received', 'contract-review-done', 'packed']),
    );
    // R27: the order is on its account's timeline too.
    const onAccount = await api('GET', `/accounts/${buyer.accountId}`, { token: await admin() });
    expect(onAccount.body.timeline.map((e: { kind: string }) => e.kind)).toContain('order-received');
  });

  it('a duplicate PO for the same account is a 409; an Idempotency-Key retry returns the first order', async () => {
    const buyer = await customer();
    const body = {
      accountId: buyer.accountId,
      poNumber: buyer.po,
      lines: [{ sku: 'TX-200', description: 'Inline tester', quantity: 1, unitPrice: 100 }],
      userContact: buyer.user,
    };
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const first = await api('POST', '/orders', { body, token: await admin(), headers });
    expect(first.status).toBe(201);
    const retried = await api('POST', '/orders', { body, token: await admin(), headers });
    expect(retried.status).toBe(201);
    expect(retried.body.id).toBe(first.body.id);
    const before = await settledItemCount();
    const duplicate = await api('POST', '/orders', { body: { ...body, poNumber: buyer.po.toLowerCase() }, token: await admin() });
    expect(duplicate.status).toBe(409);
    expect(await settledItemCount()).toBe(before);
  });

  it('bad orders and wrong roles are refused and change nothing', async () => {
    const buyer = await customer();
    const distributorId = await account({
      kind: 'distributor',
      name: 'Only A Distributor',
      ownerEmail: orderPeople.sm,
      size: 'small',
      contacts: [{ name: 'D', email: 'd@d.test' }],
    });
    const good = {
      accountId: buyer.accountId,
      poNumber: 'PO-1',
      lines: [{ sku: 'A', description: 'B', quantity: 1, unitPrice: 1 }],
      userContact: buyer.user,
    };
    const before = await settledItemCount();
    const cases: [unknown, string][] = [
      [{ ...good, lines: [] }, 'lines'],
      [{ ...good, lines: [{ ...good.lines[0], quantity: 0 }] }, 'lines.0.quantity'],
      [{ ...good, userContact: { name: 'U', email: 'not-an-email' } }, 'userContact.email'],
      [{ ...good, accountId: crypto.randomUUID() }, 'accountId'],
      [{ ...good, accountId: distributorId }, 'accountId'],
    ];
    for (const [body, path] of cases) {
      const answer = await api('POST', '/orders', { body, token: await admin() });
      expect(answer.status, path).toBe(400);
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const sm = await tokenFor(orderPeople.sm, 'SalesManager');
    expect((await api('POST', '/orders', { body: good, token: sm })).status).toBe(403);
    expect(await settledItemCount()).toBe(before);
  });
});

describe('an order won from an opportunity', () => {
  it('shows on the opportunity, and on its timeline', async () => {
    const { opportunityId, sm, company } = await quoteJourney(client).opportunity();
    const buyer = await customer({ name: company.toUpperCase() });
    // Another customer's opportunity is refused (issue 13), and nothing is written.
    const stranger = await customer();
    const before = await settledItemCount();
    const foreign = await api('POST', '/orders', {
      body: {
        accountId: stranger.accountId,
        opportunityId,
        poNumber: stranger.po,
        lines: [{ sku: 'A', description: 'B', quantity: 1, unitPrice: 1 }],
        userContact: stranger.user,
      },
      token: await admin(),
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0]).toMatchObject({ path: 'opportunityId', message: expect.stringContaining(stranger.name) });
    expect(await settledItemCount()).toBe(before);
    const orderId = await order(buyer, { opportunityId });
    const opportunity = await api('GET', `/opportunities/${opportunityId}`, { token: sm });
    expect(opportunity.body.orders).toEqual([expect.objectContaining({ id: orderId, poNumber: buyer.po, totalGbp: 25_000 })]);
    expect(opportunity.body.timeline.map((e: { kind: string }) => e.kind)).toContain('order-received');
    const unknown = await api('POST', '/orders', {
      body: {
        accountId: buyer.accountId,
        opportunityId: crypto.randomUUID(),
        poNumber: 'PO-X',
        lines: [{ sku: 'A', description: 'B', quantity: 1, unitPrice: 1 }],
        userContact: buyer.user,
      },
      token: await admin(),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('opportunityId');
  });
});

describe('R24: an SF order', () => {
  it('SF Customer Support gets a one-time set-password link and never a password; Production gets the checklist', async () => {
    const buyer = await customer({ orderChannel: 'sf' });
    const orderId = await order(buyer);
    const login = await emailTo(orderPeople.sfSupport, new RegExp(`New SF website login: ${buyer.name}`));
    expect(login.body.text).toContain(`Username: ${buyer.user.email}`);
    expect(login.body.text).not.toMatch(/^\s*(temporary )?password\s*:/im);
    expect(await emailTo(orderPeople.production, new RegExp(`To pack \\(SF order\\): ${buyer.name}`))).toBeDefined();
    expect(await emailsTo(orderPeople.production, new RegExp(`Welcome Letter to print: ${buyer.name}`))).toHaveLength(0);

    const link = linkIn(login);
    const shown = await api('GET', link);
    expect(shown.status).toBe(200);
    expect(shown.body.fields.map((f: { kind: string }) => f.kind)).toEqual(['password']);
    expect((await api('POST', link, { body: { password: 'short' } })).status).toBe(400);
    const password = 'correct horse battery staple';
    const set = await api('POST', link, { body: { password } });
    expect(set.status).toBe(200);
    expect((await api('POST', link, { body: { password: 'another long password' } })).status).toBe(410);

    expect((await getOrder(orderId)).webLogin).toMatchObject({ username: buyer.user.email, status: 'password-set' });
    // Only a salted scrypt hash is kept, nowhere the password itself.
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: stack.tableName, Key: { pk: { S: `ORDER#${orderId}` }, sk: { S: 'LOGIN' } } }),
    );
    expect(Item?.passwordHash?.S).toMatch(/^scrypt\$/);
    const { Items = [] } = await dynamodb.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `ORDER#${orderId}` } },
      }),
    );
    expect(JSON.stringify(Items)).not.toContain(password);
  });
});

describe('shipment', () => {
  it('a ship date in the future or over a year back is a 400; a second shipment is a 409; one run per order', async () => {
    const buyer = await customer();
    const orderId = await order(buyer);
    const production = await tokenFor(orderPeople.production, 'Production');
    const before = await settledItemCount();
    for (const shippedAt of [new Date(Date.now() + 86_400_000).toISOString(), daysAgo(366)]) {
      const refused = await api('POST', `/orders/${orderId}/shipment`, { body: { shippedAt }, token: production });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].path).toBe('shippedAt');
    }
    const sm = await tokenFor(orderPeople.sm, 'SalesManager');
    expect((await api('POST', `/orders/${orderId}/shipment`, { body: { shippedAt: daysAgo(1) }, token: sm })).status).toBe(403);
    expect(
      (await api('POST', `/orders/${crypto.randomUUID()}/shipment`, { body: { shippedAt: daysAgo(1) }, token: production })).status,
    ).toBe(404);
    expect(await settledItemCount()).toBe(before);

    const shipped = await api('POST', `/orders/${orderId}/shipment`, { body: { shippedAt: daysAgo(1) }, token: production });
    expect(shipped.status).toBe(202);
    expect((await api('POST', `/orders/${orderId}/shipment`, { body: { shippedAt: daysAgo(1) }, token: production })).status).toBe(409);
    const run = await client.stepFunctions.send(new DescribeExecutionCommand({ executionArn: shipped.body.executionArn }));
    expect(run.status).toBe('RUNNING');
    const found = await getOrder(orderId);
    expect(found.status).toBe('shipped');
    // Everything is still ahead: nothing due yet.
    expect(found.followUpStates).toEqual({ deliveryCheck: 'not-applicable', smReminder: 'scheduled', equipmentCheck: 'scheduled' });
    await eventually(async () => (await getOrder(orderId)).timeline.some((e: { kind: string }) => e.kind === 'shipped'));
  });
});
