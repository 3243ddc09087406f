import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj } from '@middy/core';
import { randomUUID } from 'node:crypto';
import { customerResponseEmail, ownerAdviceEmail } from '#domain/correspondence';
import { logResponse } from '#domain/lead';
import { ownerOfLead } from '#domain/ownership';
import { rawDb } from '#adapters/dynamodb';
import { findAccountOwner, recordNewLead } from '#adapters/sales-records';
import { keys, tableDesign } from '#adapters/table-design';
import { links, tableName, territories } from '#functions/config';
import { apiRoute, json, type ApiEvent, type ApiResult } from '#http/api';
import { logger } from '#functions/observability';
import { leadBody, leadFromForm } from './schemas';

/**
 * `Idempotency-Key` makes a retried POST return the first answer (Powertools, in the same table).
 * Built on first use, so that importing the module reads no settings.
 */
const idempotentByKeyHeader = (): MiddlewareObj<ApiEvent, ApiResult> => {
  let middleware: MiddlewareObj<ApiEvent, ApiResult> | undefined;
  const inner = () =>
    (middleware ??= makeHandlerIdempotent({
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: tableName(),
        keyAttr: tableDesign.partitionKey,
        sortKeyAttr: tableDesign.sortKey,
        staticPkValue: keys.idempotency('leads'),
        expiryAttr: tableDesign.timeToLiveAttribute,
        awsSdkV3Client: rawDb(),
      }),
      config: new IdempotencyConfig({
        eventKeyJmesPath: 'headers."idempotency-key"',
        payloadValidationJmesPath: 'body',
        throwOnNoIdempotencyKey: false,
        expiresAfterSeconds: 24 * 60 * 60,
      }),
    }) as MiddlewareObj<ApiEvent, ApiResult>);
  return {
    before: (request) => inner().before?.(request),
    after: (request) => inner().after?.(request),
    onError: (request) => inner().onError?.(request),
  };
};

/** R3/R4/R5: a customer response becomes a suspect; the customer and the owning SM hear of it. */
export const createLead = apiRoute(
  { route: 'POST /leads', body: leadBody, fromForm: leadFromForm, around: [idempotentByKeyHeader()] },
  async ({ body }) => {
    const { website, ...response } = body;
    if (website) {
      // The honeypot was filled in: a bot. It gets what a person would, and nothing is stored.
      logger.info('honeypot filled; nothing stored');
      return json(201, { id: randomUUID(), status: 'suspect' });
    }
    const distributorOwner = response.distributorId ? await findAccountOwner(response.distributorId) : undefined;
    const owner = ownerOfLead({ distributorOwner, country: response.contact.country }, territories());
    const { lead, entry } = logResponse(
      response,
      { leadId: randomUUID(), entryId: randomUUID() },
      owner,
      new Date().toISOString(),
    );
    await recordNewLead(lead, entry, [
      customerResponseEmail(lead, randomUUID(), links()),
      ownerAdviceEmail(lead, randomUUID(), links()),
    ]);
    logger.info('lead logged', { leadId: lead.id, channel: lead.channel, source: lead.source });
    return json(201, { id: lead.id, status: lead.status }, { location: `/leads/${lead.id}` });
  },
);
