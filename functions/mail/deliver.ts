import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { bulkPurposes, type EmailPurpose } from '#domain/correspondence';
import { systemActor, type TimelineEntry, type TimelineKind } from '#domain/timeline';
import { markAttemptFailed, markFailed, markSent, readDocument, readQueuedEmail } from '#adapters/email-outbox';
import type { QueuedEmail } from '#adapters/sales-records';
import { sendEmail } from '#adapters/ses-mailer';
import { suppressedAmong } from '#adapters/campaign-records';
import { emailMaxAttempts } from '#functions/config';
import { logger } from '#functions/observability';
import { inStreamOrder } from '#functions/stream-batch';

/**
 * Delivers the emails queued with sales records (the outbox), from the table's stream. A record
 * whose email fails is reported back and delivered again; after the last attempt the email is
 * marked failed on its record's timeline, where a person sees it. Beyond that the event source
 * sends the record to the dead-letter queue, and its alarm fires.
 */

const sentKind: Partial<Record<EmailPurpose, TimelineKind>> = {
  literature: 'customer-responded-to',
  acknowledgement: 'customer-responded-to',
  'owner-advice': 'owner-advised',
};

const entry = (kind: TimelineKind, summary: string, detail: Record<string, unknown>): TimelineEntry => ({
  id: randomUUID(),
  at: new Date().toISOString(),
  actor: systemActor,
  kind,
  channel: 'email',
  summary,
  detail,
});

/** A queued email names the documents filed with its record; they go as they are stored. */
const attachmentsOf = async (email: QueuedEmail) =>
  Promise.all(
    (email.attachments ?? []).map(async (attachment) => {
      const content = await readDocument(email.subjectPk, attachment.document);
      if (!content) throw new Error(`Document ${attachment.document} is not filed with ${email.subjectPk}`);
      return { filename: attachment.filename, contentType: attachment.contentType, content };
    }),
  );

const deliver = async (record: DynamoDBRecord): Promise<void> => {
  const key = unmarshall(record.dynamodb?.Keys as Record<string, AttributeValue>) as { pk: string; sk: string };
  const email = await readQueuedEmail(key);
  if (email?.status !== 'queued') return; // already delivered or given up: a replay does nothing
  // R2: bulk mail to an address taken off it since it was queued goes nowhere.
  if (bulkPurposes.includes(email.purpose) && (await suppressedAmong(email.to)).size) {
    await markFailed(key, entry('email-suppressed', `Not sent: ${email.to.join(', ')} gets no marketing email`, { emailId: email.id }));
    return;
  }
  try {
    const attachments = await attachmentsOf(email);
    const messageId = await sendEmail({ ...email, attachments });
    await markSent(
      key,
      messageId,
      entry(sentKind[email.purpose] ?? 'email-sent', `Emailed ${email.to.join(', ')}: ${email.subject}`, { emailId: email.id, messageId }),
    );
    logger.info('email sent', { emailId: email.id, purpose: email.purpose });
  } catch (error) {
    const reason = error instanceof Error ? error.name : 'UnknownError';
    const attempts = await markAttemptFailed(key, reason);
    logger.warn('email not sent', { emailId: email.id, purpose: email.purpose, attempts, reason });
    if (attempts < emailMaxAttempts()) throw error;
    await markFailed(
      key,
      entry('email-failed', `Could not email ${email.to.join(', ')} after ${attempts} attempts: ${email.subject}`, {
        emailId: email.id,
        reason,
      }),
    );
    logger.error('email failed for good', { emailId: email.id, purpose: email.purpose, attempts, reason });
  }
};

export const handler = inStreamOrder(deliver);
