import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import * as z from 'zod/mini';
import { chunkRecords, existingRecords, findImport, type ImportJob, importResults, recordImport } from '#adapters/import-records';
import {
  type ColumnMapping,
  chooseMapping,
  contactsPerAccount,
  type ImportPlan,
  planImport,
  readRow,
  unknownColumns,
  withoutExisting,
} from '#domain/contact-import';
import { NotFound } from '#domain/errors';
import { territories } from '#functions/config';
import { logger } from '#functions/observability';
import { type ApiEvent, apiRoute, json, Problem } from '#http/api';
import { dispatch } from '#http/dispatch';
import { readCsv, UnreadableFile } from './csv-file';
import { columnMapping, importPath, importQuery } from './schemas';

/**
 * Issue 15: contacts and companies from another CRM's CSV export. A dry run answers what the file
 * would make; the real run stores the checked records in chunks and answers 202 at once, and the
 * import worker (functions/imports/import-worker.ts) makes them chunk by chunk.
 */

/**
 * The largest file taken. Lambda takes 6 MB of event synchronously, and in the event's JSON every
 * quote and line break of a CSV counts twice; 5 MiB leaves that room (about 40,000 rows of a
 * GoldMine export). Gzipped (`application/gzip`, as the import page sends it) the file travels as
 * base64, 4/3 of its size: 4 MiB of gzip, up to 16 MiB of CSV once unpacked (about 120,000 rows).
 * API Gateway's own limit (10 MB) never comes into it.
 */
export const maxImportBytes = 5 * 1024 * 1024;
export const maxGzippedBytes = 4 * 1024 * 1024;
export const maxUnpackedBytes = 16 * 1024 * 1024;

/** How long a preview looks addresses up, of API Gateway's 30 seconds. */
const previewLookupMillis = 18_000;

/** How many of each list a dry run shows, and an import's report keeps: the counts are always whole. */
const shown = 1000;

const csvType = /^text\/csv\s*(;|$)/i;
const gzipType = /^application\/(gzip|x-gzip)\s*(;|$)/i;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The file's text: CSV (or gzipped CSV), within the limits, UTF-8. */
const fileOf = (event: ApiEvent): { text: string; bytes: number } => {
  const type = event.headers?.['content-type'] ?? '';
  const gzipped = gzipType.test(type);
  if (!csvType.test(type) && !gzipped)
    throw new Problem(415, 'Content-Type must be text/csv (a CSV file saved as UTF-8), or application/gzip (one gzipped)');
  const sent = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '', gzipped ? 'latin1' : 'utf8');
  if (!gzipped && sent.length > maxImportBytes) {
    throw new Problem(
      413,
      `The file is ${mib(sent.length)}: files up to 5 MiB are taken (about 40,000 rows), or 16 MiB gzipped to at most 4 MiB (the import page does this); split it and import each part`,
    );
  }
  if (gzipped && sent.length > maxGzippedBytes) {
    throw new Problem(
      413,
      `The gzipped file is ${mib(sent.length)}: up to 4 MiB gzipped (16 MiB of CSV) is taken; split it and import each part`,
    );
  }
  let raw = sent;
  if (gzipped) {
    try {
      raw = gunzipSync(sent, { maxOutputLength: maxUnpackedBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new Problem(413, 'The file is over 16 MiB once unpacked: up to 16 MiB of CSV is taken; split it and import each part');
      }
      throw new Problem(400, 'The body is not gzip: send the CSV as text/csv, or gzipped as application/gzip');
    }
  }
  if (raw.length === 0) throw new Problem(400, 'The file is empty');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    text = '\uFFFD';
  }
  // A gateway that decoded the bytes itself leaves U+FFFD where they were not UTF-8.
  if (text.includes('\uFFFD')) {
    throw new Problem(400, 'The file is not UTF-8: save it as "CSV UTF-8" (Excel) or with UTF-8 encoding, then upload it again');
  }
  return { text, bytes: raw.length };
};

/** The person's mapping, from the query or the X-Column-Mapping header. */
const overrideOf = (event: ApiEvent, fromQuery: string | undefined): ColumnMapping => {
  const given = fromQuery ?? event.headers?.['x-column-mapping'];
  if (!given) return {};
  let value: unknown;
  try {
    value = JSON.parse(fromQuery !== undefined ? given : decodeURIComponent(given));
  } catch {
    throw new Problem(400, 'Invalid query', [{ path: 'mapping', message: 'must be JSON such as {"company":"Firma","email":"E-Mail"}' }]);
  }
  const result = z.safeParse(columnMapping, value);
  if (!result.success) {
    throw new Problem(
      400,
      'Invalid query',
      result.error.issues.map((issue) => ({ path: ['mapping', ...issue.path.map(String)].join('.'), message: issue.message })),
    );
  }
  return result.data as ColumnMapping;
};

interface ReadFile {
  plan: ImportPlan;
  mapping: ColumnMapping;
  headers: string[];
  separator: string;
  rows: number;
}

const readFile = (text: string, override: ColumnMapping): ReadFile => {
  let file;
  try {
    file = readCsv(text);
  } catch (error) {
    if (error instanceof UnreadableFile) throw new Problem(400, error.message);
    throw error;
  }
  const missing = unknownColumns(file.headers, override);
  if (missing.length) {
    throw new Problem(
      400,
      'Invalid query',
      missing.map((header) => ({
        path: 'mapping',
        message: `the file has no column "${header}" (it has ${file.headers.map((h) => `"${h}"`).join(', ')})`,
      })),
    );
  }
  const mapping = chooseMapping(file.headers, override);
  if (!mapping.company) {
    throw new Problem(
      400,
      `No column holds the company: name it with mapping={"company":"<column>"}; the file's columns are ${file.headers.map((h) => `"${h}"`).join(', ')}`,
    );
  }
  const plan = planImport(
    file.rows.map((row) => readRow(row.cells, mapping, row.line)),
    territories(),
  );
  return { plan, mapping, headers: file.headers, separator: file.separator, rows: file.rows.length };
};

const separatorName = (separator: string) => ({ ',': 'comma', ';': 'semicolon', '\t': 'tab' })[separator] ?? separator;

/** POST /imports: the preview (?dryRun=true, nothing written), or the import itself (202). */
export const importFile = apiRoute({ route: 'POST /imports', query: importQuery }, async ({ query, event, caller }) => {
  const { text, bytes } = fileOf(event);
  const override = overrideOf(event, query.mapping);
  const started = Date.now();
  const read = readFile(text, override);
  const { plan, mapping } = read;
  const summary = {
    rows: read.rows,
    columns: read.headers,
    separator: separatorName(read.separator),
    mapping,
  };
  if (query.dryRun === 'true') {
    // What is there already, by key: the ids the records would have, and the person index.
    // Addresses of leads made another way (the form, by hand) are looked up for as long as the answer
    // can wait; the import looks each up again as it makes the lead, so none is made twice.
    const existing = await existingRecords(plan.accounts, plan.leads, started + previewLookupMillis);
    const preview = withoutExisting(plan, existing);
    logger.info('import previewed', { rows: read.rows, millis: Date.now() - started });
    return json(200, {
      ...summary,
      dryRun: true,
      counts: {
        accounts: preview.accounts.length,
        leads: preview.leads.length,
        duplicates: preview.duplicates.length,
        badRows: preview.badRows.length,
      },
      accounts: preview.accounts
        .slice(0, shown)
        .map(({ kind: _kind, contacts, ...account }) => ({ ...account, contacts: contacts.length })),
      leads: preview.leads.slice(0, shown).map(({ kind: _kind, ...lead }) => lead),
      duplicates: preview.duplicates.slice(0, shown),
      badRows: preview.badRows.slice(0, shown),
      contactsPerAccount,
      // Look-ups against salesflow done in the time a preview has (by id, and addresses on the person index).
      lookups: existing.lookups,
      emails: 'none: imported contacts are not emailed',
    });
  }
  const now = new Date().toISOString();
  const chunks = chunkRecords([...plan.accounts, ...plan.leads]);
  const job: ImportJob = {
    id: randomUUID(),
    status: chunks.length ? 'queued' : 'done',
    ...(query.fileName ? { fileName: query.fileName } : {}),
    bytes,
    rows: read.rows,
    mapping: mapping as Record<string, string>,
    separator: summary.separator,
    chunks: chunks.length,
    planned: {
      accounts: plan.accounts.length,
      leads: plan.leads.length,
      duplicatesInFile: plan.duplicates.length,
      badRows: plan.badRows.length,
    },
    chunksDone: 0,
    created: 0,
    // Duplicates within the file and bad rows are known now; the table's duplicates as each chunk is done.
    skipped: plan.duplicates.length,
    failed: plan.badRows.length,
    badRows: plan.badRows.slice(0, shown),
    duplicatesInFile: plan.duplicates.slice(0, shown),
    createdBy: caller!.email,
    createdAt: now,
    updatedAt: now,
    ...(chunks.length ? {} : { finishedAt: now }),
  };
  await recordImport(job, chunks);
  logger.info('import queued', { importId: job.id, rows: read.rows, chunks: chunks.length, millis: Date.now() - started });
  return json(202, { id: job.id, status: job.status, chunks: chunks.length, ...summary }, { location: `/imports/${job.id}` });
});

/** GET /imports/{id}: where the import stands, and its report. */
export const getImport = apiRoute({ route: 'GET /imports/{id}', path: importPath }, async ({ path }) => {
  const job = await findImport(path.id);
  if (!job) throw new NotFound(`No import ${path.id}`);
  const results = await importResults(path.id);
  const skipped = [...job.duplicatesInFile, ...results.flatMap((result) => result.skipped)].sort((a, b) => a.line - b.line);
  const failed = [...job.badRows, ...results.flatMap((result) => result.failed)].sort((a, b) => a.line - b.line);
  return json(200, {
    id: job.id,
    status: job.status,
    ...(job.fileName ? { fileName: job.fileName } : {}),
    rows: job.rows,
    mapping: job.mapping,
    separator: job.separator,
    progress: {
      chunks: job.chunks,
      chunksDone: job.chunksDone,
      percent: job.chunks ? Math.floor((100 * job.chunksDone) / job.chunks) : 100,
    },
    planned: job.planned,
    counts: { created: job.created, skipped: job.skipped, failed: job.failed },
    skipped: skipped.slice(0, shown),
    failed: failed.slice(0, shown),
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
  });
});

/** The imports Lambda. */
export const handler = dispatch({
  'POST /imports': importFile,
  'GET /imports/{id}': getImport,
});
