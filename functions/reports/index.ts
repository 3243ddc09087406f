import { stringify } from 'csv-stringify/sync';
import { managersOf } from '#adapters/people-records';
import { readRollupRows } from '#adapters/rollup-records';
import { assembleReport, defaultRange, maxMonths, monthsBetween, periodsOf, reportTitles, rowsFor, type Table } from '#domain/reports';
import type { ReportName } from '#domain/rollups';
import { type ApiResult, apiRoute, json, Problem } from '#http/api';
import { dispatch } from '#http/dispatch';
import { reportPath, reportQuery } from './schemas';

/**
 * Sales operations' figures, read from the rollups the stream keeps (functions/reports/rollups):
 * a report costs one query per month shown, however many records lie behind it.
 */

/** The CSV download: the report's one table, as a spreadsheet opens it. */
const csv = (name: ReportName, table: Table, range: string): ApiResult => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name}-${range}.csv"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  },
  body: stringify([table.columns, ...table.rows.map((row) => row.map((cell) => (cell === null ? '' : cell)))]),
});

export const getReport = apiRoute(
  { route: 'GET /reports/{name}', path: reportPath, query: reportQuery },
  async ({ path, query, caller, actOn, actsOnAny, event }) => {
    const name = path.name;
    // Marketing reads what its campaigns brought, and no one's sales figures.
    if (name !== 'campaigns' && caller!.roles.every((role) => role === 'Marketing')) {
      throw new Problem(403, 'Only SalesManager or ManagingDirector may do this: Marketing reads the campaign report');
    }
    const fallback = defaultRange(name, new Date());
    const range = {
      from: query.from ?? (query.to && query.to < fallback.from ? query.to : fallback.from),
      to: query.to ?? (query.from && query.from > fallback.to ? query.from : fallback.to),
    };
    if (range.from > range.to) throw new Problem(400, 'Invalid query', [{ path: 'from', message: 'must not be after to' }]);
    const months = monthsBetween(range);
    if (months.length > maxMonths)
      throw new Problem(400, 'Invalid query', [{ path: 'to', message: `must be at most ${maxMonths} months after from` }]);

    if (query.owner) await actOn(query.owner, `The figures of ${query.owner}`);
    const rows = await readRollupRows(name, periodsOf(name, months));
    const scope = query.owner
      ? new Set([query.owner])
      : actsOnAny
        ? ('all' as const)
        : new Set(
            (
              await Promise.all(
                [...new Set(rows.map((row) => row.row.split('#')[0]!))].map(async (owner) =>
                  owner === caller!.email || (await managersOf(owner)).includes(caller!.email) ? owner : undefined,
                ),
              )
            ).filter((owner): owner is string => owner !== undefined),
          );
    const report = assembleReport(name, rowsFor(name, rows, scope), months);
    const wantsCsv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(event.headers?.accept ?? ''));
    if (wantsCsv) return csv(name, report.table, name === 'pipeline' ? 'now' : `${range.from}-to-${range.to}`);
    return json(200, {
      name,
      title: reportTitles[name],
      ...(name === 'pipeline' ? {} : range),
      owner: query.owner ?? (scope === 'all' ? null : caller!.email),
      ...report,
    });
  },
);

/** The reports Lambda. */
export const handler = dispatch({ 'GET /reports/{name}': getReport });
