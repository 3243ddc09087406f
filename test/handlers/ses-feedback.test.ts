import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { emailHash } from '#adapters/person-key';
import { handler } from '../../functions/marketing/ses-feedback';

const dynamodb = mockClient(DynamoDBDocumentClient);
const sns = (...messages: unknown[]): SNSEvent =>
  ({
    Records: messages.map((message) => ({ Sns: { Message: JSON.stringify(message), Timestamp: '2026-11-23T10:00:00.000Z' } })),
  }) as SNSEvent;

beforeEach(() => {
  dynamodb.reset();
  dynamodb.on(PutCommand).resolves({});
});

describe('R2: SES feedback takes addresses off bulk mail', () => {
  it('a permanent bounce and a complaint suppress their addresses; a transient bounce does not', async () => {
    const result = await handler(
      sns(
        { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Gone@Dist.test' }] } },
        { notificationType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'angry@dist.test' }] } },
        { eventType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'full@dist.test' }] } },
      ),
    );
    expect(result.suppressed).toBe(2);
    const puts = dynamodb.commandCalls(PutCommand).map((c) => c.args[0].input.Item!);
    expect(puts.map((item) => [item.pk, item.reason])).toEqual([
      // Only the address's hash is kept.
      [`SUPPRESSED#${emailHash('gone@dist.test')}`, 'bounced'],
      [`SUPPRESSED#${emailHash('angry@dist.test')}`, 'complained'],
    ]);
  });

  it('an address already suppressed stays so, with its first reason', async () => {
    dynamodb.on(PutCommand).rejects(Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' }));
    await expect(
      handler(sns({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'a@d.test' }] } })),
    ).resolves.toEqual({ suppressed: 1 });
  });

  it('a notification it cannot read fails, for SNS to retry', async () => {
    await expect(handler(sns({ eventType: 'Bounce', bounce: { bouncedRecipients: 'nobody' } }))).rejects.toThrow();
  });
});
