import { probeTable } from '#adapters/sales-records';
import { openApiDocument } from '#contract/openapi';
import { apiRoute, json } from '#http/api';
import { dispatch } from '#http/dispatch';

let document: string | undefined;

/** The platform Lambda: the health probe and the API's own description. */
export const handler = dispatch({
  'GET /health': apiRoute({ route: 'GET /health' }, async () => {
    await probeTable();
    return json(200, { status: 'ok' });
  }),
  'GET /openapi.json': apiRoute({ route: 'GET /openapi.json' }, async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'max-age=300' },
    body: (document ??= JSON.stringify(openApiDocument())),
  })),
});
