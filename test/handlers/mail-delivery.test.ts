import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { emailHash } from '#adapters/person-key';
import { handler } from '../../functions/mail/deliver';
import { handler as retryJob } from '../../functions/mail/retry';

const dynamodb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);

const key = { pk: 'LEAD#l1', sk: 'EMAIL#m1' };
const queued = {
  ...key,
  itemType: 'email',
  id: 'm1',
  purpose: 'literature',
  to: ['ann@acme.test'],
  subject: 'The information you requested',
  text: 'Dear Ann',
  html: '<p>Dear Ann</p>',
  subjectPk: 'LEAD#l1',
  status: 'queued',
  attempts: 0,
  queuedAt: new Date().toISOString(),
};
const event = (...sequenceNumbers: string[]): DynamoDBStreamEvent => ({
  Records: sequenceNumbers.map((SequenceNumber) => ({
    eventName: 'INSERT',
    dynamodb: { Keys: marshall(key) as never, SequenceNumber },
  })),
});
const updates = () => dynamodb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
const sesError = (name: string, fault: 'client' | 'server') => Object.assign(new Error(name), { name, $fault: fault });

beforeEach(() => {
  dynamodb.reset();
  ses.reset();
  dynamodb.on(UpdateCommand).resolves({});
  dynamodb.on(TransactWriteCommand).resolves({});
});

describe('mail delivery (the outbox)', () => {
  it('claims a queued email, sends it, and files it on the timeline as the response to the customer', async () => {
    dynamodb.on(GetCommand).resolves({ Item: queued });
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'ses-1' });
    expect(await handler(event('1'))).toEqual({ batchItemFailures: [] });
    const [claim] = updates();
    expect(claim!.ConditionExpression).toContain('#status = :queued');
    expect(claim!.ExpressionAttributeValues).toMatchObject({ ':sending': 'sending' });
    const input = ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Source: 'sales@salesflow.example', Destinations: ['ann@acme.test'] });
    const mime = Buffer.from(input.RawMessage!.Data!).toString();
    expect(mime).toMatch(/^To: ann@acme\.test$/m);
    expect(mime).toMatch(/^Content-Type: multipart\/alternative/m);
    const [sent, entry] = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    // Only the sender holding the claim settles it.
    expect(sent!.Update!.ConditionExpression).toBe('#status = :sending AND claim = :claim');
    expect(sent!.Update!.ExpressionAttributeValues).toMatchObject({
      ':outcome': 'sent',
      ':messageId': 'ses-1',
      ':claim': claim!.ExpressionAttributeValues![':claim'],
    });
    expect(entry!.Put!.Item).toMatchObject({ kind: 'customer-responded-to', channel: 'email', actor: 'salesflow' });
  });

  it('R2: bulk mail carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058); other mail does not', async () => {
    const unsubscribeUrl = 'https://api.salesflow.example/unsubscribe/v1.abc.1.def';
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, purpose: 'campaign-material', unsubscribeUrl } });
    dynamodb.on(BatchGetCommand).resolves({ Responses: {} });
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'ses-2' });
    expect(await handler(event('1'))).toEqual({ batchItemFailures: [] });
    const bulk = Buffer.from(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input.RawMessage!.Data!).toString();
    expect(bulk).toMatch(new RegExp(`^List-Unsubscribe: <${unsubscribeUrl.replace(/\./g, '\\.')}>$`, 'm'));
    expect(bulk).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);

    dynamodb.on(GetCommand).resolves({ Item: queued });
    expect(await handler(event('2'))).toEqual({ batchItemFailures: [] });
    const plain = Buffer.from(ses.commandCalls(SendRawEmailCommand)[1]!.args[0].input.RawMessage!.Data!).toString();
    expect(plain).not.toMatch(/List-Unsubscribe/);
  });

  it('an email another sender has claimed is left alone: one send, not two', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, status: 'sending' } });
    dynamodb.on(UpdateCommand).rejects(Object.assign(new Error('claimed'), { name: 'ConditionalCheckFailedException' }));
    expect(await handler(event('1'))).toEqual({ batchItemFailures: [] });
    expect(ses.calls()).toHaveLength(0);
  });

  it('R2: bulk mail to an address that unsubscribed after it was queued is not sent, and says why', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, purpose: 'campaign-material' } });
    // Suppression is kept by the address's hash only.
    dynamodb.on(BatchGetCommand).resolves({ Responses: { 'salesflow-test': [{ pk: `SUPPRESSED#${emailHash('ann@acme.test')}` }] } });
    expect(await handler(event('1'))).toEqual({ batchItemFailures: [] });
    expect(ses.calls()).toHaveLength(0);
    const [settled, entry] = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(settled!.Update!.ExpressionAttributeValues).toMatchObject({ ':outcome': 'failed' });
    // Not a dead letter: a redrive must not send it.
    expect(JSON.stringify(settled!.Update)).not.toContain('OUTBOX#FAILED');
    expect(entry!.Put!.Item).toMatchObject({ kind: 'email-suppressed' });
  });

  it('a replayed record of an email already sent sends nothing', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, status: 'sent' } });
    expect(await handler(event('1'))).toEqual({ batchItemFailures: [] });
    expect(ses.calls()).toHaveLength(0);
    expect(updates()).toHaveLength(0);
  });

  it("SES throttling is not the email's fault: no attempt counted, the next one scheduled with backoff, the stream moves on", async () => {
    dynamodb.on(GetCommand).resolves({ Item: queued });
    ses.on(SendRawEmailCommand).rejects(sesError('Throttling', 'client'));
    const before = Date.now();
    expect(await handler(event('7', '8'))).toEqual({ batchItemFailures: [] });
    const retrying = updates().find(
      (update) => update.ExpressionAttributeValues?.[':retrying'] && update.ExpressionAttributeValues[':reason'],
    );
    expect(retrying!.UpdateExpression).toContain('passingFaults');
    expect(retrying!.UpdateExpression).not.toContain('attempts = attempts');
    expect(retrying!.ExpressionAttributeValues).toMatchObject({
      ':reason': 'Throttling',
      ':retryPk': expect.stringMatching(/^OUTBOX#RETRYING#\d$/),
    });
    // The test settings' first delay is 1 s: between half and all of it.
    const next = Date.parse(String(retrying!.ExpressionAttributeValues![':at']));
    expect(next - before).toBeGreaterThanOrEqual(500);
    expect(next - before).toBeLessThan(1_500);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('an SES outage never uses up the attempts: it is retried until the window closes', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, attempts: 2, passingFaults: 40 } });
    ses.on(SendRawEmailCommand).rejects(sesError('ServiceUnavailable', 'server'));
    await handler(event('7'));
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(updates().at(-1)!.ExpressionAttributeValues).toMatchObject({ ':retrying': 'retrying' });
  });

  it('after the last attempt the email is failed on the timeline, listed for the redrive, and counted', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, attempts: 2 } });
    ses.on(SendRawEmailCommand).rejects(sesError('MessageRejected', 'client'));
    expect(await handler(event('7'))).toEqual({ batchItemFailures: [] });
    const [failed, entry] = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(failed!.Update!.ExpressionAttributeValues).toMatchObject({
      ':outcome': 'failed',
      ':failedPk': 'OUTBOX#FAILED',
      ':reason': 'MessageRejected',
    });
    expect(entry!.Put!.Item).toMatchObject({ kind: 'email-failed', detail: { emailId: 'm1', reason: 'MessageRejected' } });
  });

  it('an email queued longer ago than the retry window is given up at its next failure', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, queuedAt: new Date(Date.now() - 2 * 3_600_000).toISOString() } });
    ses.on(SendRawEmailCommand).rejects(sesError('ServiceUnavailable', 'server'));
    await handler(event('7'));
    const [failed] = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(failed!.Update!.ExpressionAttributeValues).toMatchObject({ ':outcome': 'failed' });
  });

  it('a table blip after SES took the email is waited out: the email is marked sent, and sent once', async () => {
    dynamodb.on(GetCommand).resolves({ Item: queued });
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'ses-9' });
    dynamodb
      .on(TransactWriteCommand)
      .rejectsOnce(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
      .rejectsOnce(Object.assign(new Error('busy'), { name: 'InternalServerError', $fault: 'server' }))
      .resolves({});
    expect(await handler(event('1'))).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
    const marks = dynamodb.commandCalls(TransactWriteCommand);
    expect(marks).toHaveLength(3);
    expect(marks.at(-1)!.args[0].input.TransactItems![0]!.Update!.ExpressionAttributeValues).toMatchObject({
      ':outcome': 'sent',
      ':messageId': 'ses-9',
    });
  });

  it('a table that fails mid-delivery reports the record, so the stream tries it again', async () => {
    dynamodb.on(GetCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(await handler(event('7', '8'))).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
  });
});

describe('the retry job and the redrive', () => {
  it('an email is on the outbox index from the moment it is queued, due after the stream has had its minute', async () => {
    const { emailPut } = await import('#adapters/table-items');
    const put = emailPut(
      'LEAD#l1',
      { id: 'm1', purpose: 'literature', to: ['a@x.test'], subject: 's', text: 't', html: 'h' },
      '2026-11-23T09:00:00.000Z',
    );
    expect(put.Put.Item).toMatchObject({
      status: 'queued',
      nextAttemptAt: '2026-11-23T09:01:00.000Z',
      gsi1pk: expect.stringMatching(/^OUTBOX#RETRYING#\d$/),
      gsi1sk: '2026-11-23T09:01:00.000Z#LEAD#l1#EMAIL#m1',
    });
  });

  it('tries again what is due, read from the outbox index only up to now, in every shard', async () => {
    dynamodb
      .on(QueryCommand)
      .resolves({ Items: [] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':partition': 'OUTBOX#RETRYING#2' } })
      .resolves({ Items: [key] });
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, status: 'retrying', attempts: 1, nextAttemptAt: queued.queuedAt } });
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'ses-2' });
    const report = await retryJob({ schedule: 'mail-retry', tick: new Date().toISOString() });
    expect(report).toMatchObject({ due: 1, outcomes: { sent: 1 } });
    const queries = dynamodb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues!);
    expect(queries.map((values) => values[':partition'])).toEqual([
      'OUTBOX#RETRYING#0',
      'OUTBOX#RETRYING#1',
      'OUTBOX#RETRYING#2',
      'OUTBOX#RETRYING#3',
    ]);
    expect(String(queries[0]![':upTo'])).toMatch(/~$/);
  });

  it('a redrive gives each failed email a fresh round of attempts, and sends it', async () => {
    dynamodb
      .on(QueryCommand)
      .resolves({ Items: [] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':partition': 'OUTBOX#FAILED' } })
      .resolves({ Items: [key] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':partition': 'OUTBOX#RETRYING#0' } })
      .resolves({ Items: [key] });
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, status: 'retrying', attempts: 0 } });
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'ses-3' });
    const report = await retryJob({ redrive: true });
    expect(report).toMatchObject({ redriven: 1, due: 1, outcomes: { sent: 1 } });
    const requeue = updates().find((update) => update.ConditionExpression === '#status = :failed');
    expect(requeue!.ExpressionAttributeValues).toMatchObject({ ':zero': 0, ':retryPk': expect.stringMatching(/^OUTBOX#RETRYING#\d$/) });
  });
});
