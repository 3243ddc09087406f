import { randomUUID } from 'node:crypto';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '#adapters/table-design';
import { sha256 } from '#domain/document-hash';
import { followUpSchedule, type Order, placeOrder } from '#domain/order';
import type { Quote } from '#domain/quote';
import { handler as orders } from '../../functions/orders/index';
import { handler as quotes } from '../../functions/quotes/index';
import { handler as quoteSteps } from '../../functions/quotes/workflow-steps';
import { call, jsonHeaders } from './requests';

/**
 * "Nothing lost, nothing doubled": a person's answer is kept only if the workflow takes it. When
 * Step Functions refuses it (the task timed out, the run failed or is gone), the answer is taken
 * back, the link is closed and the person gets a 410; a failed quote closes its open steps and
 * says why it failed.
 */

const dynamodb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

beforeEach(() => {
  dynamodb.reset();
  sfn.reset();
});

type Item = Record<string, any>;

/** The table as GetItem sees it: each key's item, or a function of how often it was read. */
const table = (items: Record<string, Item | ((read: number) => Item | undefined)>) => {
  const reads = new Map<string, number>();
  dynamodb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
    const key = `${input.Key.pk}|${input.Key.sk}`;
    const read = (reads.get(key) ?? 0) + 1;
    reads.set(key, read);
    const item = items[key];
    return { Item: typeof item === 'function' ? item(read) : item };
  });
};
const at = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`;

const transactions = () => dynamodb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems! as Item[]);
const refused = (name: string) => Object.assign(new Error(name), { name });

/** What an Update item SETs, by attribute name (`#c0 = :c0` pairs), and what it REMOVEs. */
const setsOf = (update: Item) => {
  const names = update.ExpressionAttributeNames ?? {};
  const values = update.ExpressionAttributeValues ?? {};
  const [set = '', remove = ''] = String(update.UpdateExpression).replace(/^SET /, '').split(' REMOVE ');
  const sets = Object.fromEntries(
    set
      .split(', ')
      .map((part) => part.split(' = '))
      .filter(([name, value]) => name!.startsWith('#') && value!.startsWith(':'))
      .map(([name, value]) => [names[name!], values[value!]]),
  );
  const removes = remove
    .split(', ')
    .filter(Boolean)
    .map((path) => path.replace(/#\w+/g, (placeholder) => names[placeholder] ?? placeholder));
  return { sets, removes };
};

// ---- a quote waiting for its SM's signature --------------------------------------------------

const sm = 'sm.uk@salesflow.example';
const pdf = new TextEncoder().encode('%PDF-1.7 the quote as composed');
const askedAt = '2026-03-01T09:00:00.000Z';

const quoteWaitingForSignature = (): Quote => ({
  id: randomUUID(),
  number: 'Q-2026-0001',
  opportunityId: randomUUID(),
  owner: sm,
  customer: { name: 'Bea Buyer', email: 'bea@customer.test', company: 'Buyer Ltd' },
  request: {
    lines: [{ sku: 'TX-200', description: 'Tester', quantity: 1, unitPriceGbp: 1000, discountPercent: 0 }],
    proposalSummary: 'A tester',
    nonStandardRequirements: null,
    validForDays: 30,
  },
  totals: {
    listGbp: 1000,
    discountGbp: 0,
    netGbp: 1000,
    largestDiscountPercent: 0,
    vat: { country: 'GB', ratePercent: 20, wording: 'VAT at 20%' },
    vatGbp: 200,
    grossGbp: 1200,
  },
  qpa: { applies: false, reasons: [], approvers: [] },
  engineeringAssistance: false,
  status: 'awaiting-signature',
  tasks: { sign: { task: 'sign', assignee: sm, actionId: 'action-sign', askedAt, dueBy: '2026-03-04T09:00:00.000Z' } },
  decisions: [],
  escalations: {},
  prepared: {
    quote: { by: 'sales.admin@salesflow.example', at: askedAt, paymentTerms: '30 days', deliveryTerms: 'Ex works' },
    proposal: { by: 'ae@salesflow.example', at: askedAt, text: 'The proposal' },
  },
  document: { filename: 'quote.pdf', sha256: sha256(pdf), bytes: pdf.length, renderedAt: askedAt },
  executionArn: 'arn:aws:states:eu-west-2:123456789012:execution:salesflow-quote-approval:quote-x',
  createdAt: '2026-02-28T09:00:00.000Z',
  updatedAt: askedAt,
});

const openAction = (actionId: string, subject: { kind: 'quote' | 'order'; id: string }, task: string) => ({
  ...keys.action(actionId),
  actionId,
  subject,
  task,
  key: task,
  assignee: sm,
  taskToken: `token-of-${actionId}`,
  status: 'open',
  createdAt: askedAt,
  expiresAt: '2026-03-08T09:00:00.000Z',
  ttl: 1,
});

const sign = (quote: Quote) =>
  call(quotes, {
    method: 'POST',
    routeKey: 'POST /quotes/{id}/tasks/{task}',
    path: `/quotes/${quote.id}/tasks/sign`,
    pathParameters: { id: quote.id, task: 'sign' },
    headers: jsonHeaders,
    body: JSON.stringify({ confirm: true }),
    as: { email: sm, roles: ['SalesManager'] },
  });

describe('an answer to a step whose run is gone', () => {
  it('is refused with a 410 and leaves the quote as it was, its link closed', async () => {
    const quote = quoteWaitingForSignature();
    // What the table holds once the signature is recorded: read again when it is taken back.
    const recordedAt = '2026-03-02T10:00:00.000Z';
    const recorded = () => {
      const { sets } = setsOf(transactions()[0]!.find((item) => item.Update?.Key.pk === keys.quote(quote.id).pk)!.Update);
      return { ...quote, ...sets, tasks: {}, updatedAt: recordedAt };
    };
    table({
      [at(keys.quote(quote.id))]: (read) => (read === 1 ? quote : recorded()),
      [at(keys.quoteDocument(quote.id))]: { content: pdf },
      [at(keys.action('action-sign'))]: openAction('action-sign', { kind: 'quote', id: quote.id }, 'sign'),
    });
    dynamodb.on(TransactWriteCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).rejects(refused('TaskTimedOut'));

    const answer = await sign(quote);
    expect(answer.status).toBe(410);
    expect(answer.body!.message).toMatch(/no longer waiting.*not recorded/);

    const [record, takeBack] = transactions();
    expect(record).toBeDefined();
    const answerEntry = record!.find((item) => item.Put?.Item.kind === 'quote-step')!.Put.Item;
    expect(takeBack).toBeDefined();
    // The quote goes back to what it was, and only if nobody changed it since it was read.
    const quoteUpdate = takeBack!.find((item) => item.Update?.Key.pk === keys.quote(quote.id).pk)!.Update;
    const { sets, removes } = setsOf(quoteUpdate);
    expect(sets.status).toBe('awaiting-signature');
    expect(removes).toEqual(['signature']);
    expect(quoteUpdate.ConditionExpression).toBe('#updatedAt = :seen');
    expect(quoteUpdate.ExpressionAttributeValues[':seen']).toBe(recordedAt);
    // The answer's entry goes; an entry says the step closed, without the answer.
    expect(takeBack!.find((item) => item.Delete)!.Delete.Key).toEqual({ pk: answerEntry.pk, sk: answerEntry.sk });
    const closing = takeBack!.find((item) => item.Put)!.Put.Item;
    expect(closing).toMatchObject({ kind: 'quote-step', detail: { quoteId: quote.id, task: 'sign', refusal: 'TaskTimedOut' } });
    expect(closing.summary).toContain('not recorded');
    expect(closing.summary).not.toMatch(/SHA-256|Signed/);
    // The link answers nothing any more: closed, its token gone.
    const action = takeBack!.find((item) => item.Update?.Key.pk === keys.action('action-sign').pk)!.Update;
    expect(action.UpdateExpression).toContain('REMOVE taskToken');
    expect(action.ExpressionAttributeValues[':closed']).toBe('closed');
  });

  it('is taken back around what others wrote meanwhile, reading the quote again if it moved', async () => {
    const quote: Quote = {
      ...quoteWaitingForSignature(),
      status: 'in-preparation',
      prepared: {},
      document: undefined,
      tasks: {
        'prepare-quote': {
          task: 'prepare-quote',
          assignee: 'sales.admin@salesflow.example',
          actionId: 'action-prep',
          askedAt,
          dueBy: askedAt,
        },
      },
    };
    const theirs = { by: 'ae@salesflow.example', at: askedAt, text: 'The proposal' };
    const recordedPrepared = () =>
      setsOf(transactions()[0]!.find((item) => item.Update?.Key.pk === keys.quote(quote.id).pk)!.Update).sets.prepared;
    table({
      // Read by the route; then, when taken back, as the table holds it: the answer, and the AE's
      // proposal that landed meanwhile.
      [at(keys.quote(quote.id))]: (read) =>
        read === 1
          ? quote
          : { ...quote, tasks: {}, prepared: { ...recordedPrepared(), proposal: theirs }, updatedAt: `2026-03-02T10:00:0${read}.000Z` },
      [at(keys.action('action-prep'))]: openAction('action-prep', { kind: 'quote', id: quote.id }, 'prepare-quote'),
    });
    // The first take-back finds the quote changed since it was read.
    dynamodb
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(
        Object.assign(new Error('cancelled'), {
          name: 'TransactionCanceledException',
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }],
        }),
      )
      .resolves({});
    sfn.on(SendTaskSuccessCommand).rejects(refused('TaskDoesNotExist'));

    const answer = await call(quotes, {
      method: 'POST',
      routeKey: 'POST /quotes/{id}/tasks/{task}',
      path: `/quotes/${quote.id}/tasks/prepare-quote`,
      pathParameters: { id: quote.id, task: 'prepare-quote' },
      headers: jsonHeaders,
      body: JSON.stringify({ paymentTerms: '30 days', deliveryTerms: 'Ex works' }),
      as: { email: 'sales.admin@salesflow.example', roles: ['SalesAdmin'] },
    });
    expect(answer.status).toBe(410);
    const writes = transactions();
    expect(writes).toHaveLength(3);
    expect(recordedPrepared().quote).toMatchObject({ paymentTerms: '30 days' });
    // Its part of `prepared` goes; the AE's stays.
    const last = writes[2]!.find((item) => item.Update?.Key.pk === keys.quote(quote.id).pk)!.Update;
    expect(setsOf(last).sets.prepared).toEqual({ proposal: theirs });
    expect(last.ExpressionAttributeValues[':seen']).toBe('2026-03-02T10:00:03.000Z');
  });
});

// ---- an order's equipment check (R26) ---------------------------------------------------------

const shippedAt = '2026-01-10T00:00:00.000Z';
const orderAsked = (): Order => {
  const placed = placeOrder(
    {
      id: 'acc-1',
      kind: 'customer',
      name: 'Acme Ltd',
      ownerEmail: sm,
      selected: false,
      servedBy: 'direct',
      orderChannel: 'standard',
      contacts: [{ name: 'Pat', email: 'pat@acme.test' }],
      createdBy: 'a',
      createdAt: '2026-01-01T00:00:00.000Z',
    },
    undefined,
    {
      accountId: 'acc-1',
      poNumber: 'PO-1',
      lines: [{ sku: 'A', description: 'B', quantity: 1, unitPrice: 10 }],
      userContact: { name: 'U', email: 'u@acme.test' },
    },
    { orderId: randomUUID(), registrationId: 'SR-1', entryId: 'e' },
    'admin@x.test',
    '2026-01-02T00:00:00.000Z',
  ).order;
  const followUps = followUpSchedule(shippedAt, placed.routing);
  return {
    ...placed,
    owner: sm,
    status: 'shipped',
    shipment: { shippedAt, recordedBy: 'p', executionArn: 'arn' },
    followUps: { ...followUps, equipmentCheck: { ...followUps.equipmentCheck, status: 'asked' } },
    tasks: {
      'equipment-check': {
        task: 'equipment-check',
        assignee: sm,
        actionId: 'action-check',
        askedAt,
        dueBy: followUps.equipmentCheck.dueBy,
      },
    },
  };
};

const answerCheck = (order: Order, body: unknown) =>
  call(orders, {
    method: 'POST',
    routeKey: 'POST /orders/{id}/tasks/{task}',
    path: `/orders/${order.id}/tasks/equipment-check`,
    pathParameters: { id: order.id, task: 'equipment-check' },
    headers: jsonHeaders,
    body: JSON.stringify(body),
    as: { email: sm, roles: ['SalesManager'] },
  });

const emailsIn = (items: Item[]) => items.filter((item) => item.Put?.Item.itemType === 'email');

describe("the SM's equipment check, when the workflow no longer waits", () => {
  it('is refused with a 410: no corrective action, no email to anyone, the check as it was', async () => {
    const order = orderAsked();
    table({
      [at(keys.order(order.id))]: order,
      [at(keys.action('action-check'))]: openAction('action-check', { kind: 'order', id: order.id }, 'equipment-check'),
    });
    dynamodb.on(TransactWriteCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).rejects(refused('TaskTimedOut'));

    const answer = await answerCheck(order, { ok: false, notes: 'It smokes' });
    expect(answer.status).toBe(410);
    const [record, takeBack, ...more] = transactions();
    expect(more).toEqual([]);
    // Nothing went to the outbox, before or after the refusal: an email sent cannot be taken back.
    expect(emailsIn([...record!, ...takeBack!])).toEqual([]);
    expect(record!.filter((item) => item.Put?.Item.itemType === 'agenda-item')).toEqual([]);
    const { sets, removes } = setsOf(takeBack!.find((item) => item.Update?.Key.pk === keys.order(order.id).pk)!.Update);
    expect(sets.followUps.equipmentCheck.status).toBe('asked');
    expect(removes).toEqual(['correctiveAction']);
    expect(takeBack!.find((item) => item.Put)!.Put.Item.summary).toContain('was not recorded');
  });

  it('taken by the workflow, it queues its emails afterwards, trying again until they are written', async () => {
    const order = orderAsked();
    table({
      [at(keys.order(order.id))]: order,
      [at(keys.action('action-check'))]: openAction('action-check', { kind: 'order', id: order.id }, 'equipment-check'),
    });
    dynamodb
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(Object.assign(new Error('down'), { name: 'InternalServerError', $fault: 'server' }))
      .resolves({});
    sfn.on(SendTaskSuccessCommand).resolves({});

    const answer = await answerCheck(order, { ok: false, notes: 'It smokes' });
    expect(answer.status).toBe(200);
    const [record, failed, effects] = transactions();
    expect(emailsIn(record!)).toEqual([]);
    expect(failed).toEqual(effects);
    expect(emailsIn(effects!).length).toBeGreaterThan(0);
    expect(effects!.some((item) => item.Put?.Item.kind === 'corrective-action')).toBe(true);
    expect(JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.output!)).toEqual({ ok: false });
  });
});

// ---- a failed quote ---------------------------------------------------------------------------

describe('a failed quote', () => {
  const failingQuote = (): Quote => ({
    ...quoteWaitingForSignature(),
    status: 'in-preparation',
    document: undefined,
    prepared: {},
    tasks: {
      'prepare-quote': { task: 'prepare-quote', assignee: 'sales.admin@salesflow.example', actionId: 'action-a', askedAt, dueBy: askedAt },
      'prepare-proposal': { task: 'prepare-proposal', assignee: 'ae@salesflow.example', actionId: 'action-b', askedAt, dueBy: askedAt },
    },
  });

  it('lists no open step, closes their links, and says why it failed, without personal data', async () => {
    const quote = failingQuote();
    // The other link (action-b) has left the table already: its step closes all the same.
    table({
      [at(keys.quote(quote.id))]: quote,
      [at(keys.action('action-a'))]: openAction('action-a', { kind: 'quote', id: quote.id }, 'prepare-quote'),
    });
    dynamodb.on(TransactWriteCommand).resolves({});

    await quoteSteps({
      step: 'fail',
      quoteId: quote.id,
      failure: {
        Error: 'Error',
        Cause: JSON.stringify({
          errorType: 'MessageRejected',
          errorMessage:
            'Email address is not verified. The following identities failed the check: bea@customer.test, +44 20 7946 0000\n    at send (mailer.js:1)',
          trace: ['at send'],
        }),
      },
    });

    const [written] = transactions();
    const update = written!.find((item) => item.Update?.Key.pk === keys.quote(quote.id).pk)!.Update;
    const { sets, removes } = setsOf(update);
    expect(sets.status).toBe('failed');
    expect(sets.failure).toMatchObject({
      error: 'MessageRejected',
      reason: 'Email address is not verified. The following identities failed the check: [address], [number]',
    });
    expect(removes.sort()).toEqual(['tasks.prepare-proposal', 'tasks.prepare-quote']);
    const closedLinks = written!.filter((item) => item.Update?.Key.pk.startsWith('ACTION#'));
    expect(closedLinks.map((item) => item.Update.Key)).toEqual([keys.action('action-a')]);
    expect(closedLinks[0]!.Update.ExpressionAttributeValues[':closed']).toBe('closed');
    const agenda = written!.filter((item) => item.Update?.Key.sk?.startsWith('TODO#')).map((item) => item.Update.Key.sk);
    expect(agenda.sort()).toEqual(['TODO#prepare-proposal', 'TODO#prepare-quote']);
    const entry = written!.find((item) => item.Put)!.Put.Item;
    expect(entry.summary).toContain('Email address is not verified');
    expect(JSON.stringify(written)).not.toContain('bea@customer.test');
  });

  it('keeps a cause that is plain text, or a plain reason when there is none', async () => {
    const quote = { ...failingQuote(), tasks: {} };
    table({ [at(keys.quote(quote.id))]: quote });
    dynamodb.on(TransactWriteCommand).resolves({});
    await quoteSteps({
      step: 'fail',
      quoteId: quote.id,
      failure: { Error: 'Lambda.Unknown', Cause: 'The cause could not be determined because Lambda did not return an error type.' },
    });
    await quoteSteps({ step: 'fail', quoteId: quote.id, failure: { Error: 'States.Timeout' } });
    const [plain, timeout] = transactions().map((items) => setsOf(items[0]!.Update).sets.failure);
    expect(plain).toMatchObject({
      error: 'Lambda.Unknown',
      reason: 'The cause could not be determined because Lambda did not return an error type.',
    });
    expect(timeout).toMatchObject({ error: 'States.Timeout', reason: 'A step took longer than it is allowed' });
  });

  it('reads the quote again when a step was asked or answered while it failed', async () => {
    const quote = failingQuote();
    const later = {
      ...quote,
      tasks: {
        ...quote.tasks,
        'engineering-assistance': {
          task: 'engineering-assistance',
          assignee: 'engineering@salesflow.example',
          actionId: 'action-c',
          askedAt,
          dueBy: askedAt,
        },
      },
      updatedAt: '2026-03-01T09:00:05.000Z',
    };
    table({
      [at(keys.quote(quote.id))]: (read) => (read === 1 ? quote : later),
      ...Object.fromEntries(
        ['action-a', 'action-b', 'action-c'].map((id) => [at(keys.action(id)), openAction(id, { kind: 'quote', id: quote.id }, 'x')]),
      ),
    });
    dynamodb
      .on(TransactWriteCommand)
      .rejectsOnce(
        Object.assign(new Error('cancelled'), {
          name: 'TransactionCanceledException',
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
        }),
      )
      .resolves({});
    await quoteSteps({ step: 'fail', quoteId: quote.id, failure: { Error: 'States.TaskFailed' } });
    const [, written] = transactions();
    expect(setsOf(written![0]!.Update).removes).toContain('tasks.engineering-assistance');
  });
});
