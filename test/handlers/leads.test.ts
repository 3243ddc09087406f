import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/leads/index';
import { apiGatewayEvent, lambdaContext } from '../../infra/local/api-event';
import { qualificationBody } from '../fixtures/qualification';
import { call, jsonHeaders, validLead } from './requests';

const validQualification = qualificationBody();

const dynamodb = mockClient(DynamoDBDocumentClient);
const sm = { email: 'sm.uk@salesflow.example', roles: ['SalesManager' as const] };

beforeEach(() => {
  dynamodb.reset();
});

const postLead = (body: string, headers: Record<string, string> = jsonHeaders) =>
  call(handler, { method: 'POST', routeKey: 'POST /leads', headers, body });

describe('POST /leads stores the lead before any email can fail', () => {
  it("writes the lead, its timeline entry, both queued emails and its campaign's count in one transaction, one round trip", async () => {
    dynamodb.on(TransactWriteCommand).resolves({});
    const { status, body, headers } = await postLead(JSON.stringify(validLead));
    expect(status).toBe(201);
    expect(body).toEqual({ id: expect.any(String), status: 'suspect' });
    expect(headers.location).toBe(`/leads/${body!.id}`);
    // One round trip: the possible duplicates are checked by the write itself, not read first.
    expect(dynamodb.calls()).toHaveLength(1);
    expect(dynamodb.commandCalls(BatchGetCommand)).toHaveLength(0);
    const [write] = dynamodb.commandCalls(TransactWriteCommand);
    const transact = write!.args[0].input.TransactItems!;
    // R1: the lead counts for the campaign it came from: an item of its own, no shared counter,
    // if that campaign is running (checked in the same transaction).
    expect(transact.at(-2)!.Put!.Item).toMatchObject({
      pk: 'CAMPAIGN#trade-show-2026#LEADS',
      sk: `LEAD#${body!.id}`,
      itemType: 'campaign-lead',
    });
    expect(transact.at(-1)!.ConditionCheck).toMatchObject({ Key: { pk: 'CAMPAIGN#trade-show-2026', sk: 'CAMPAIGN' } });
    const items = transact.slice(0, -2).flatMap((item) => (item.Put ? [item.Put.Item!] : []));
    // No account of the same address or company within the window: checked in the same write.
    const checks = transact.slice(0, -2).flatMap((item) => (item.ConditionCheck ? [item.ConditionCheck] : []));
    expect(checks.map((check) => [String(check.Key!.pk).replace(/#[0-9a-f]{64}$/, '#<hash>'), check.Key!.sk])).toEqual([
      ['DUPE#EMAIL#<hash>', 'ACCOUNT'],
      ['DUPE#COMPANY#<hash>', 'ACCOUNT'],
    ]);
    // One lead per address a day (issue 13): the day's marker holds only a hash of the address.
    expect(items.map((item) => item.itemType).slice(0, 5)).toEqual(['lead', 'lead-of-the-day', 'timeline', 'email', 'email']);
    // Issue 15: its search terms (company, name, address), in the same transaction.
    expect(items.slice(5).map((item) => [item.itemType, item.gsi4sk])).toContainEqual(['find-term', `acme ltd#lead#${body!.id}`]);
    // And the markers a later lead of the same address or company finds it by: hashes only.
    expect(new Set(items.slice(5).map((item) => item.itemType))).toEqual(new Set(['find-term', 'duplicate-mark']));
    const marks = items.filter((item) => item.itemType === 'duplicate-mark');
    expect(marks.map((item) => String(item.pk).replace(/#[0-9a-f]{64}$/, '#<hash>'))).toEqual(['DUPE#EMAIL#<hash>', 'DUPE#COMPANY#<hash>']);
    expect(JSON.stringify(marks)).not.toContain('ann@acme.test');
    expect(JSON.stringify(items[1])).not.toContain('ann@acme.test');
    expect(items[0]).toMatchObject({ status: 'suspect', owner: 'sm.uk@salesflow.example', source: 'marketing-campaign' });
    // No TTL on the lead alone: the nightly retention job deletes a suspect with its timeline and emails.
    expect(items[0]!.ttl).toBeUndefined();
    expect(items[0]).toMatchObject({ gsi1pk: 'LEADS#suspect', gsi1sk: `${String(items[0]!.createdAt)}#${body!.id}` });
    expect(items.slice(3, 5).map((item) => [item.purpose, item.to, item.status])).toEqual([
      ['literature', ['ann@acme.test'], 'queued'],
      ['owner-advice', ['sm.uk@salesflow.example'], 'queued'],
    ]);
  });

  it('R1: a campaign that does not exist or is not running is ignored: the lead stands and counts for none', async () => {
    const cancelled = Object.assign(new Error('cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed' },
      ],
    });
    dynamodb.on(TransactWriteCommand).rejectsOnce(cancelled).resolves({});
    const { status } = await postLead(JSON.stringify({ ...validLead, campaignId: 'made-up' }));
    expect(status).toBe(201);
    const [, second] = dynamodb.commandCalls(TransactWriteCommand);
    const items = second!.args[0].input.TransactItems!;
    expect(
      items.map((item) => item.Put?.Item?.itemType).filter((type) => type && type !== 'find-term' && type !== 'duplicate-mark'),
    ).toEqual(['lead', 'lead-of-the-day', 'timeline', 'email', 'email']);
    expect(items[0]!.Put!.Item!.campaignId).toBeUndefined();
  });

  it('a lead whose address another lead gave within the window is written again, flagged, from what the refusal named', async () => {
    const earlier = { kind: 'lead', id: 'lead-earlier', name: 'Acme Ltd', at: new Date(Date.now() - 86_400_000).toISOString() };
    const refusal = Object.assign(new Error('cancelled'), {
      name: 'TransactionCanceledException',
      // The lead, the day's marker, its timeline and emails went through; the campaign is running.
      CancellationReasons: [
        ...Array.from({ length: 5 }, () => ({ Code: 'None' })),
        // The SDK hands back the item a condition met in DynamoDB's own encoding.
        { Code: 'ConditionalCheckFailed', Item: marshall({ pk: 'DUPE#EMAIL#abc', sk: 'LEAD', itemType: 'duplicate-mark', ...earlier }) },
        { Code: 'None' },
      ],
    });
    dynamodb.on(TransactWriteCommand).rejectsOnce(refusal).resolves({});
    const { status } = await postLead(JSON.stringify(validLead));
    expect(status).toBe(201);
    const [, second] = dynamodb.commandCalls(TransactWriteCommand);
    const items = second!.args[0].input.TransactItems!;
    expect(items[0]!.Put!.Item!.possibleDuplicates).toEqual([{ kind: 'lead', id: 'lead-earlier', match: 'email', name: 'Acme Ltd' }]);
    expect(items.map((item) => item.Put?.Item?.kind)).toContain('possible-duplicate');
    // Written flagged, its markers now replace the earlier lead's without a condition.
    const marks = items.filter((item) => item.Put?.Item?.itemType === 'duplicate-mark');
    expect(marks).toHaveLength(2);
    expect(marks.every((item) => item.Put!.ConditionExpression === undefined)).toBe(true);
    expect(items.some((item) => item.ConditionCheck?.Key?.sk === 'ACCOUNT')).toBe(false);
  });

  it("a distributor's lead goes to the distributor's SM", async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ownerEmail: 'sm.partners@salesflow.example' } });
    dynamodb.on(TransactWriteCommand).resolves({});
    const { status } = await postLead(JSON.stringify({ ...validLead, source: 'distributor-contact', distributorId: 'dist-7' }));
    expect(status).toBe(201);
    const lead = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!.Item!;
    expect(lead.owner).toBe('sm.partners@salesflow.example');
  });

  it.each([
    ['a throttled table', { name: 'ProvisionedThroughputExceededException' }],
    ['an unreachable table', { name: 'Error', code: 'ECONNREFUSED' }],
    ['a table 5xx', { name: 'InternalServerError', $fault: 'server' }],
    ['a lost race in the transaction', { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'TransactionConflict' }] }],
  ])('%s answers 503 with Retry-After, never a bare 500', async (_what, fault) => {
    dynamodb.on(TransactWriteCommand).rejects(Object.assign(new Error('fault'), fault));
    const { status, headers, body } = await postLead(JSON.stringify(validLead));
    expect(status).toBe(503);
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
    expect(body!.message).toMatch(/try again/);
  });

  it('a lead whose answer was lost is found again by its Idempotency-Key: one lead, the same id', async () => {
    const key = { ...jsonHeaders, 'idempotency-key': 'form-7d1c' };
    // The write reached the table, but its answer was lost on the way back.
    dynamodb.on(TransactWriteCommand).rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const lost = await postLead(JSON.stringify(validLead), key);
    expect(lost.status).toBe(503);
    const written = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!;
    expect(written.ConditionExpression).toBe('attribute_not_exists(pk)');
    // The retry's write finds the lead there, and reads it back.
    dynamodb.on(TransactWriteCommand).rejects(
      Object.assign(new Error('cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      }),
    );
    dynamodb.on(GetCommand).resolves({ Item: written.Item });
    const retried = await postLead(JSON.stringify(validLead), key);
    expect(retried.status).toBe(201);
    expect(retried.body!.id).toBe(written.Item!.id);
    expect(dynamodb.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems![0]!.Put!.Item!.id).toBe(written.Item!.id);
    // The same key with another body is refused.
    const other = await postLead(JSON.stringify({ ...validLead, contact: { ...validLead.contact, name: 'Someone Else' } }), key);
    expect(other.status).toBe(409);
  });

  it('an Idempotency-Key that is not plain visible text is a 400', async () => {
    const { status, body } = await postLead(JSON.stringify(validLead), { ...jsonHeaders, 'idempotency-key': 'a b' });
    expect(status).toBe(400);
    expect(body!.errors[0].path).toBe('headers.idempotency-key');
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('an unexpected fault is a 500 that says nothing was recorded, never a stack trace', async () => {
    dynamodb.on(TransactWriteCommand).rejects(new Error('socket hang up'));
    const { status, body } = await postLead(JSON.stringify(validLead));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('socket hang up');
  });

  it('the honeypot gets a 201 and stores nothing', async () => {
    const { status, body } = await postLead(JSON.stringify({ ...validLead, website: 'http://spam.example' }));
    expect(status).toBe(201);
    expect(body!.status).toBe('suspect');
    expect(dynamodb.calls()).toHaveLength(0);
  });
});

describe('POST /leads refuses bad input with its 4xx and writes nothing', () => {
  const cases: [string, string, Record<string, string>, number, string?][] = [
    ['broken JSON', '{"channel": "web-form",', jsonHeaders, 400],
    ['an empty body', '', jsonHeaders, 400],
    ['a JSON array', '[]', jsonHeaders, 400],
    ['a wrong type', JSON.stringify({ ...validLead, contact: { ...validLead.contact, name: 42 } }), jsonHeaders, 400, 'contact.name'],
    ['an unknown channel', JSON.stringify({ ...validLead, channel: 'carrier-pigeon' }), jsonHeaders, 400, 'channel'],
    ['an unknown literature code', JSON.stringify({ ...validLead, literature: ['secret-plans'] }), jsonHeaders, 400, 'literature.0'],
    [
      'a bad email',
      JSON.stringify({ ...validLead, contact: { ...validLead.contact, email: 'not-an-email' } }),
      jsonHeaders,
      400,
      'contact.email',
    ],
    [
      'a made-up country',
      JSON.stringify({ ...validLead, contact: { ...validLead.contact, country: 'XX' } }),
      jsonHeaders,
      400,
      'contact.country',
    ],
    ['an unknown field', JSON.stringify({ ...validLead, isAdmin: true }), jsonHeaders, 400],
    ['a __proto__ key', '{"__proto__": {"isAdmin": true}, "channel": "web-form"}', jsonHeaders, 400],
    ['a constructor.prototype key', '{"constructor": {"prototype": {"isAdmin": true}}}', jsonHeaders, 400],
    [
      'script in a name',
      JSON.stringify({ ...validLead, contact: { ...validLead.contact, name: '<script>alert(1)</script>' } }),
      jsonHeaders,
      400,
      'contact.name',
    ],
    [
      'HTML in a company',
      JSON.stringify({ ...validLead, contact: { ...validLead.contact, company: 'Acme <b>Ltd</b>' } }),
      jsonHeaders,
      400,
      'contact.company',
    ],
    ['a body over 64 KiB', JSON.stringify({ ...validLead, interest: { message: 'x'.repeat(70 * 1024) } }), jsonHeaders, 413],
    ['text/plain', JSON.stringify(validLead), { 'content-type': 'text/plain' }, 415],
    ['no content type', JSON.stringify(validLead), {}, 415],
  ];

  it.each(cases)('%s', async (_, body, headers, expected, field) => {
    const { status, body: answer } = await postLead(body, headers);
    expect(status).toBe(expected);
    expect(answer!.message).toEqual(expect.any(String));
    if (field) expect(answer!.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(dynamodb.calls()).toHaveLength(0);
  });
});

describe('POST /leads/{id}/qualification', () => {
  const leadId = '5b0e5a0e-3c1f-4a57-9f2a-8f6f1b1d2c3e';
  const suspect = {
    id: leadId,
    status: 'suspect',
    channel: 'web-form',
    source: 'prior-contact',
    contact: { name: 'Ann', email: 'ann@acme.test', company: 'Acme' },
    owner: 'sm.uk@salesflow.example',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
  };
  const qualifyAs = (as: typeof sm | undefined, body: object = validQualification) =>
    call(handler, {
      method: 'POST',
      routeKey: 'POST /leads/{id}/qualification',
      path: `/leads/${leadId}/qualification`,
      pathParameters: { id: leadId },
      headers: jsonHeaders,
      body: JSON.stringify(body),
      as,
    });

  it('R28: no token is a 401, another role is a 403, and neither reads anything', async () => {
    expect((await qualifyAs(undefined)).status).toBe(401);
    expect((await qualifyAs({ email: 'admin@salesflow.example', roles: ['SalesAdmin' as never] })).status).toBe(403);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('an unknown lead is a 404', async () => {
    dynamodb.on(GetCommand).resolves({});
    expect((await qualifyAs(sm)).status).toBe(404);
  });

  it('a lead qualified meanwhile is a 409', async () => {
    dynamodb.on(GetCommand).resolves({ Item: suspect });
    dynamodb.on(TransactWriteCommand).rejects(
      Object.assign(new Error('cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    expect((await qualifyAs(sm)).status).toBe(409);
  });

  it('a negative value is refused by field', async () => {
    const { status, body } = await qualifyAs(sm, { ...validQualification, estimatedValueGbp: -1 });
    expect(status).toBe(400);
    expect(body!.errors[0].path).toBe('estimatedValueGbp');
  });

  it('a large deal queues the referral email to Engineering with the opportunity', async () => {
    dynamodb.on(GetCommand).resolves({ Item: suspect });
    dynamodb.on(TransactWriteCommand).resolves({});
    const { status, body } = await qualifyAs(sm, { ...validQualification, estimatedValueGbp: 250001 });
    expect(status).toBe(201);
    expect(body!.engineeringReview).toBe('required');
    const items = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!.map((i) => i.Put!.Item!);
    expect(items.find((item) => item.itemType === 'email')).toMatchObject({
      purpose: 'engineering-referral',
      to: ['engineering@salesflow.example'],
    });
  });
});

describe('the lead form posted by a browser without JavaScript', () => {
  const formPost = (body: string) =>
    handler(
      apiGatewayEvent({
        method: 'POST',
        routeKey: 'POST /leads',
        path: '/leads',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html,application/xhtml+xml',
          referer: 'https://www.sales.example/',
        },
        body,
      }),
      lambdaContext('salesflow-test'),
    );
  const fields = (overrides: Record<string, string> = {}) =>
    new URLSearchParams({
      channel: 'web-form',
      source: 'marketing-campaign',
      'contact.name': 'Nora',
      'contact.email': 'nora@plain.test',
      'contact.company': 'Plain Posts plc',
      ...overrides,
    }).toString();

  it('is recorded, and the browser is sent on to the thank-you page (303)', async () => {
    dynamodb.on(TransactWriteCommand).resolves({});
    const result = await formPost(fields());
    expect(result).toMatchObject({ statusCode: 303, headers: { location: 'https://www.sales.example/thanks.html' } });
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('a refusal is a 400 page naming each field to correct, with the way back; nothing is written', async () => {
    const result = await formPost(fields({ 'contact.email': 'nope', 'contact.country': 'QQ' }));
    expect(result.statusCode).toBe(400);
    expect(result.headers!['content-type']).toMatch(/^text\/html/);
    expect(result.body).toContain('Contact email must be an email address');
    expect(result.body).toContain('Contact country must be an ISO 3166-1 alpha-2 country code');
    expect(result.body).toContain('href="https://www.sales.example/"');
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('what a person typed is escaped on the refusal page, never run', async () => {
    const result = await formPost(fields({ 'contact.name': '<script>alert(1)</script>' }));
    expect(result.statusCode).toBe(400);
    expect(result.body).not.toContain('<script>');
  });
});
