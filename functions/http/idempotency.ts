import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj } from '@middy/core';
import { rawDb } from '#adapters/dynamodb';
import { keys, tableDesign } from '#adapters/table-design';
import { tableName } from '#functions/config';
import type { ApiEvent, ApiResult } from './api';

/**
 * `Idempotency-Key` makes a retried POST return the first answer (Powertools, in the same table).
 * Built on first use, so that importing the module reads no settings.
 */
export const idempotentByKeyHeader = (scope: string): MiddlewareObj<ApiEvent, ApiResult> => {
  let middleware: MiddlewareObj<ApiEvent, ApiResult> | undefined;
  const inner = () =>
    (middleware ??= makeHandlerIdempotent({
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: tableName(),
        keyAttr: tableDesign.partitionKey,
        sortKeyAttr: tableDesign.sortKey,
        staticPkValue: keys.idempotency(scope),
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

