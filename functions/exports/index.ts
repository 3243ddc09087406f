import { createGzip } from 'node:zlib';
import { stringify } from 'csv-stringify';
import { exportPages } from '#adapters/export-records';
import { type ExportKind, exportRow, headerRow, ownerOf } from '#domain/export-columns';
import { logger } from '#functions/observability';
import { type ApiResult, apiRoute } from '#http/api';
import { dispatch } from '#http/dispatch';
import { exportPath, exportQuery } from './schemas';

/**
 * Issue 15: GET /exports/{kind}.csv. Query pages go one at a time through csv-stringify into the
 * answer, so 50,000 rows never sit in memory as records. A body over what Lambda may answer
 * (6 MB, and the body's quotes and line breaks count twice in the answer's JSON) goes gzipped.
 */

/** Plain text up to here; gzipped beyond (base64 in the answer: 4/3 of the gzipped size). */
export const plainLimitBytes = 4 * 1024 * 1024;

export const exportFile = apiRoute(
  { route: 'GET /exports/{file}', path: exportPath, query: exportQuery },
  async ({ path, query, caller, actOn, actsOnAny }) => {
    const kind = path.file.replace(/\.csv$/, '') as ExportKind;
    // An SM names no owner: their own records and their reports'. Another SM's are a 403.
    const owner = query.owner ?? undefined;
    if (owner) await actOn(owner, `The ${kind} of ${owner}`);
    const mayRead = new Map<string, Promise<boolean>>();
    const readable = (recordOwner: string) => {
      if (actsOnAny || owner) return Promise.resolve(true);
      if (!mayRead.has(recordOwner)) {
        mayRead.set(
          recordOwner,
          actOn(recordOwner, kind).then(
            () => true,
            () => false,
          ),
        );
      }
      return mayRead.get(recordOwner)!;
    };
    // The list filters a query key cannot take, read through as the pages come.
    const wanted = (record: Record<string, unknown>) =>
      (!query.channel || record.channel === query.channel) &&
      (!query.campaignId || record.campaignId === query.campaignId) &&
      (!query.createdFrom || String(record.createdAt ?? '') >= query.createdFrom) &&
      (!query.createdTo || String(record.createdAt ?? '').slice(0, 10) <= query.createdTo);
    const started = Date.now();
    // A BOM first: Excel reads a CSV as UTF-8 only with one, else accents come out garbled.
    const csv = stringify({ bom: true, record_delimiter: '\r\n' });
    const gzip = createGzip();
    const plain: Buffer[] = [];
    const zipped: Buffer[] = [];
    let plainBytes = 0;
    csv.on('data', (chunk: Buffer) => {
      plainBytes += chunk.length;
      // Kept as text only while it may still go plain.
      if (plainBytes <= plainLimitBytes) plain.push(chunk);
      else plain.length = 0;
      if (!gzip.write(chunk)) csv.pause();
    });
    gzip.on('drain', () => csv.resume());
    gzip.on('data', (chunk: Buffer) => zipped.push(chunk));
    const zippedDone = new Promise<void>((resolve, reject) => {
      gzip.on('end', resolve);
      gzip.on('error', reject);
    });
    const written = new Promise<void>((resolve, reject) => {
      csv.on('end', () => {
        gzip.end();
        resolve();
      });
      csv.on('error', reject);
    });
    const put = (row: (string | number)[]) =>
      csv.write(row) ? Promise.resolve() : new Promise<void>((resolve) => csv.once('drain', () => resolve()));
    csv.write(headerRow(kind));
    let rows = 0;
    for await (const page of exportPages(kind, { owner, ...(kind === 'leads' && query.status ? { status: query.status } : {}) })) {
      for (const record of page) {
        if (!wanted(record) || !(await readable(ownerOf(kind, record)))) continue;
        await put(exportRow(kind, record));
        rows += 1;
      }
    }
    csv.end();
    await written;
    await zippedDone;
    const name = `${kind}-${new Date().toISOString().slice(0, 10)}.csv`;
    const headers = {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'x-rows': String(rows),
    };
    const gzipped = plainBytes > plainLimitBytes;
    logger.info('export written', { kind, rows, bytes: plainBytes, gzipped, millis: Date.now() - started, by: caller?.email });
    const answer: ApiResult = gzipped
      ? {
          statusCode: 200,
          headers: { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' },
          body: Buffer.concat(zipped).toString('base64'),
          isBase64Encoded: true,
        }
      : { statusCode: 200, headers, body: Buffer.concat(plain).toString('utf8') };
    return answer;
  },
);

/** The exports Lambda. */
export const handler = dispatch({ 'GET /exports/{file}': exportFile });
