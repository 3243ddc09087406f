import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/mail/deliver';

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
  queuedAt: '2026-11-23T09:00:00.000Z',
};
const event = (...sequenceNumbers: string[]): DynamoDBStreamEvent => ({
  Records: sequenceNumbers.map((SequenceNumber) => ({
    eventName: 'INSERT',
    dynamodb: { Keys: marshall(key) as never, SequenceNumber },
  })),
});

beforeEach(() => {
  dynamodb.reset();
  ses.reset();
});

describe('mail delivery (the outbox)', () => {
  it('sends a queued email and files it on the timeline as the response to the customer', async () => {
    dynamodb.on(GetCommand).resolves({ Item: queued });
    dynamodb.on(TransactWriteCommand).resolves({});
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'ses-1' });
    expect(await handler(event('1'))).toEqual({ batchItemFailures: [] });
    const input = ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Source: 'sales@salesflow.example', Destinations: ['ann@acme.test'] });
    const mime = Buffer.from(input.RawMessage!.Data!).toString();
    expect(mime).toMatch(/^To: ann@acme\.test$/m);
    expect(mime).toMatch(/^Content-Type: multipart\/alternative/m);
    const [sent, entry] = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(sent!.Update!.ExpressionAttributeValues).toMatchObject({ ':outcome': 'sent', ':messageId': 'ses-1' });
    expect(entry!.Put!.Item).toMatchObject({ kind: 'customer-responded-to', channel: 'email', actor: 'salesflow' });
  });

  it('R2: bulk mail to an address that unsubscribed after it was queued is not sent, and says why', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, purpose: 'campaign-material' } });
    dynamodb.on(BatchGetCommand).resolves({ Responses: { 'salesflow-test': [{ pk: 'SUPPRESSED#ann@acme.test' }] } });
    dynamodb.on(TransactWriteCommand).resolves({});
    expect(await handler(event('1'))).toEqual({ batchItemFailures: [] });
    expect(ses.calls()).toHaveLength(0);
    const [settled, entry] = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(settled!.Update!.ExpressionAttributeValues).toMatchObject({ ':outcome': 'failed' });
    expect(entry!.Put!.Item).toMatchObject({ kind: 'email-suppressed' });
  });

  it('a replayed record of an email already sent sends nothing', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, status: 'sent' } });
    expect(await handler(event('1'))).toEqual({ batchItemFailures: [] });
    expect(ses.calls()).toHaveLength(0);
  });

  it('a failing SES counts the attempt and reports the record for a retry', async () => {
    dynamodb.on(GetCommand).resolves({ Item: queued });
    dynamodb.on(UpdateCommand).resolves({ Attributes: { attempts: 1 } });
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Daily sending quota exceeded'), { name: 'Throttling' }));
    expect(await handler(event('7', '8'))).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    expect(dynamodb.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':reason': 'Throttling',
    });
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('after the last attempt the email is marked failed on the timeline, where a person sees it', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { ...queued, attempts: 2 } });
    dynamodb.on(UpdateCommand).resolves({ Attributes: { attempts: 3 } });
    dynamodb.on(TransactWriteCommand).resolves({});
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    expect(await handler(event('7'))).toEqual({ batchItemFailures: [] });
    const [failed, entry] = dynamodb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(failed!.Update!.ExpressionAttributeValues).toMatchObject({ ':outcome': 'failed' });
    expect(entry!.Put!.Item).toMatchObject({ kind: 'email-failed', detail: { emailId: 'm1', reason: 'ServiceUnavailable' } });
  });
});
