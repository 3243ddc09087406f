import { probeTable } from '#adapters/table-items';
import { openApiDocument } from '#contract/openapi';
import { logger } from '#functions/observability';
import { apiRoute, json } from '#http/api';
import { dispatch } from '#http/dispatch';

let document: string | undefined;

/** The platform Lambda: the health probe and the API's own description. */
export const handler = dispatch({
  'GET /health': apiRoute({ route: 'GET /health' }, async () => {
    // Which part is down, for a load balancer (the status) and a person (the body).
    const table = await probeTable().then(
      () => 'up' as const,
      (error: unknown) => {
        logger.warn('health: table down', { errorName: (error as Error).name });
        return 'down' as const;
      },
    );
    const parts = { table };
    return table === 'up' ? json(200, { status: 'ok', parts }) : json(503, { status: 'unavailable', parts }, { 'retry-after': '5' });
  }),
  'GET /openapi.json': apiRoute({ route: 'GET /openapi.json' }, async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'max-age=300' },
    body: (document ??= JSON.stringify(openApiDocument())),
  })),
});
