import { randomUUID } from 'node:crypto';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { suppressedAmong } from '#adapters/campaign-records';
import { isPassingFault } from '#adapters/dynamodb';
import { claimEmail, markFailed, markRetrying, markSent, readDocument, readQueuedEmail } from '#adapters/email-outbox';
import { sendEmail } from '#adapters/ses-mailer';
import type { QueuedEmail } from '#adapters/table-items';
import { bulkPurposes, type EmailPurpose } from '#domain/correspondence';
import { nextAttempt } from '#domain/email-retry';
import { systemActor, type TimelineEntry, type TimelineKind } from '#domain/timeline';
import { emailMaxAttempts, emailRetry } from '#functions/config';
import { logger } from '#functions/observability';
import { inStreamOrder } from '#functions/stream-batch';

/**
 * Delivers the emails of the outbox: first from the table's stream, as soon as they are queued,
 * then from the retry job (functions/mail/retry.ts) when their next attempt is due. Every email
 * salesflow sends goes this one road.
 *
 * - A claim before the send: a replayed stream record or an overlapping retry finds the email
 *   claimed or sent, and sends nothing twice. What remains is the moment between SES accepting
 *   the email and the "sent" mark: a sender that dies there leaves a claim that lapses, and the
 *   email goes once more. That window is as small as SES's API allows (it takes no request token).
 * - An attempt that fails is tried again with exponential backoff and jitter, for hours. SES
 *   throttling, its 5xx and the network are not the email's fault: they never use up its attempts.
 * - Given up (attempts used, or the retry window over): failed on its record's timeline, listed
 *   with the outbox's dead letters for the redrive, counted by the EmailsFailed metric (alarmed).
 */

/** CloudWatch metrics in the log (EMF); the stack alarms on EmailsFailed. */
const metrics = new Metrics({ namespace: 'salesflow', serviceName: 'mail' });

const sentKind: Partial<Record<EmailPurpose, TimelineKind>> = {
  literature: 'customer-responded-to',
  acknowledgement: 'customer-responded-to',
  'owner-advice': 'owner-advised',
};

/** Long enough for the biggest email's send; a sender that died holds it no longer than this. */
const claimLeaseMillis = 2 * 60 * 1000;

const entry = (kind: TimelineKind, summary: string, detail: Record<string, unknown>): TimelineEntry => ({
  id: randomUUID(),
  at: new Date().toISOString(),
  actor: systemActor,
  kind,
  channel: 'email',
  summary,
  detail,
});

/** A queued email names the documents filed with its record (or another); they go as stored. */
const attachmentsOf = async (email: QueuedEmail) =>
  Promise.all(
    (email.attachments ?? []).map(async (attachment) => {
      const filedWith = attachment.filedWith ?? email.subjectPk;
      const content = await readDocument(filedWith, attachment.document);
      if (!content) throw new Error(`Document ${attachment.document} is not filed with ${filedWith}`);
      return { filename: attachment.filename, contentType: attachment.contentType, content };
    }),
  );

export type Delivery = 'sent' | 'retrying' | 'failed' | 'suppressed' | 'skipped';

/** One attempt at one outbox email. Throws only when the table itself fails (the caller retries). */
export const deliverEmail = async (key: { pk: string; sk: string }): Promise<Delivery> => {
  const email = await readQueuedEmail(key);
  if (!email || email.status === 'sent' || email.status === 'failed') return 'skipped'; // a replay does nothing
  const now = new Date();
  const claim = randomUUID();
  if (!(await claimEmail(key, claim, now, claimLeaseMillis))) return 'skipped'; // another sender has it, or not due
  // R2: bulk mail to an address taken off it since it was queued goes nowhere.
  if (bulkPurposes.includes(email.purpose) && (await suppressedAmong(email.to)).size) {
    await markFailed(
      key,
      claim,
      entry('email-suppressed', `Not sent: ${email.to.join(', ')} gets no marketing email`, { emailId: email.id }),
      'Suppressed',
      false,
    );
    return 'suppressed';
  }
  let messageId: string;
  try {
    messageId = await sendEmail({ ...email, attachments: await attachmentsOf(email) });
  } catch (error) {
    return notSent(key, claim, email, error, now);
  }
  const sent = entry(sentKind[email.purpose] ?? 'email-sent', `Emailed ${email.to.join(', ')}: ${email.subject}`, {
    emailId: email.id,
    messageId,
  });
  await patiently(() => markSent(key, claim, messageId, sent));
  logger.info('email sent', { emailId: email.id, purpose: email.purpose });
  return 'sent';
};

/**
 * SES has the email: until the mark is written, a lapsed claim would send it again. A table blip
 * is waited out here, with backoff, for most of the function's time, rather than left to a replay.
 */
const patiently = async (write: () => Promise<void>, forMillis = 20_000): Promise<void> => {
  const until = Date.now() + forMillis;
  for (let pause = 100; ; pause = Math.min(pause * 2, 2_000)) {
    try {
      return await write();
    } catch (error) {
      if (!isPassingFault(error) || Date.now() + pause > until) throw error;
      logger.warn('sent mark not written yet; trying again', { errorName: (error as Error).name });
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
};

const notSent = async (
  key: { pk: string; sk: string },
  claim: string,
  email: QueuedEmail,
  error: unknown,
  now: Date,
): Promise<Delivery> => {
  const reason = error instanceof Error ? error.name : 'UnknownError';
  const passing = isPassingFault(error);
  const attempts = email.attempts + (passing ? 0 : 1);
  const next = nextAttempt(
    { queuedAt: email.retryFrom ?? email.queuedAt, attempts, passingFaults: (email.passingFaults ?? 0) + (passing ? 1 : 0) },
    { ...emailRetry(), maxAttempts: emailMaxAttempts() },
    now,
    Math.random(),
  );
  if (next) {
    await markRetrying(key, claim, { at: next.toISOString(), reason, counted: !passing });
    logger.warn('email not sent; will retry', {
      emailId: email.id,
      purpose: email.purpose,
      attempts,
      passing,
      reason,
      nextAttemptAt: next.toISOString(),
    });
    return 'retrying';
  }
  await markFailed(
    key,
    claim,
    entry('email-failed', `Could not email ${email.to.join(', ')}: ${email.subject} (${reason})`, {
      emailId: email.id,
      reason,
      attempts,
    }),
    reason,
    true,
    attempts,
  );
  metrics.addMetric('EmailsFailed', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  logger.error('email failed for good', { emailId: email.id, purpose: email.purpose, attempts, reason });
  return 'failed';
};

const fromStream = async (record: DynamoDBRecord): Promise<void> => {
  const key = unmarshall(record.dynamodb?.Keys as Record<string, AttributeValue>) as { pk: string; sk: string };
  await deliverEmail(key);
};

/** From the table's stream: a table fault throws, and the event source retries from that record. */
export const handler = inStreamOrder(fromStream);
