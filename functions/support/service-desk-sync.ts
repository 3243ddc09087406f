import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { readServiceDeskCopy, serviceDeskAttemptFailed, serviceDeskSettled } from '#adapters/order-records';
import { systemActor, type TimelineEntry } from '#domain/timeline';
import { serviceDeskMaxAttempts, serviceDeskUrl } from '#functions/config';
import { logger } from '#functions/observability';
import { inStreamOrder } from '#functions/stream-batch';

/**
 * R21 ("enters information in HEAT"): copies each new support registration to the external
 * service desk's webhook, from the table's stream. The registration itself was written with the
 * order, so a desk that is down loses nothing: the record is retried with backoff, and after the
 * last attempt the order says "failed" on its timeline; beyond that the DLQ keeps the record.
 */

const entry = (summary: string, detail: Record<string, unknown>): TimelineEntry => ({
  id: randomUUID(),
  at: new Date().toISOString(),
  actor: systemActor,
  kind: 'support-registered',
  channel: 'service-desk',
  summary,
  detail,
});

class DeskRefused extends Error {
  override readonly name = 'ServiceDeskRefused';
}

const post = async (url: string, registration: Record<string, unknown>) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': String(registration.registrationId) },
    body: JSON.stringify(registration),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new DeskRefused(`HTTP ${response.status}`);
};

const sync = async (record: DynamoDBRecord): Promise<void> => {
  const { orderId } = unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue>) as { orderId: string };
  const copy = await readServiceDeskCopy(orderId);
  if (copy?.status !== 'queued') return; // settled already: a replay does nothing
  const url = serviceDeskUrl();
  if (!url) return; // configured off since: the registration stays with the order
  try {
    await post(url, copy.registration);
  } catch (error) {
    const reason = error instanceof Error ? error.name : 'UnknownError';
    const attempts = await serviceDeskAttemptFailed(orderId, reason);
    logger.warn('service desk not reached', { orderId, attempts, reason });
    if (attempts < serviceDeskMaxAttempts()) throw error;
    await serviceDeskSettled(
      orderId,
      'failed',
      entry(`Could not copy the support registration to the service desk after ${attempts} attempts; it is kept on the order`, {
        orderId,
        reason,
      }),
    );
    logger.error('service desk failed for good', { orderId, attempts, reason });
    return;
  }
  // The desk has it: a failure from here on retries the write, and the desk sees the same
  // Idempotency-Key if it is posted again.
  await serviceDeskSettled(
    orderId,
    'synced',
    entry(`Support registration ${copy.registration.registrationId} copied to the service desk`, { orderId }),
  );
  logger.info('service desk synced', { orderId });
};

export const handler = inStreamOrder(sync);
