import { type PipelineStage, pipelineStages, stageLabels } from './pipeline';
import { type ApproverPosition, approverTitles, type QuoteStep, stepRules } from './quote';
import { type Month, monthOf, type ReportName, undatedPeriod } from './rollups';

/**
 * The reports as sales operations read them, assembled from rollup rows (functions/domain/rollups):
 * sums and ratios only, never a record. Every report also flattens to one table, which is what
 * the CSV download holds and what the page shows beside each chart.
 */

export const reportTitles: Record<ReportName, string> = {
  pipeline: 'Pipeline by stage',
  conversion: 'Conversion: suspect to order',
  'win-rate': 'Win rate and reasons lost',
  'quote-cycle': 'Quote cycle time',
  forecast: 'Forecast by expected close month',
  campaigns: 'Campaign return',
  'after-shipment': 'After shipment: equipment checks',
};

/** A rollup row as read: its period (month), its name (owner#dimension...) and its counters. */
export interface RollupRow {
  period: string;
  row: string;
  fields: Record<string, number>;
  labels?: Record<string, string>;
}

export interface MonthRange {
  from: Month;
  to: Month;
}

/** Months from..to inclusive, oldest first. */
export const monthsBetween = ({ from, to }: MonthRange): Month[] => {
  const months: Month[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = to.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
};

const addMonths = (month: Month, n: number): Month => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/** Most reports look back twelve months to this one; the forecast looks twelve ahead. */
export const defaultRange = (report: ReportName, now: Date): MonthRange => {
  const thisMonth = monthOf(now.toISOString());
  return report === 'forecast' ? { from: thisMonth, to: addMonths(thisMonth, 11) } : { from: addMonths(thisMonth, -11), to: thisMonth };
};

/** No report reads more than five years of months. */
export const maxMonths = 60;

const gbp = (pence: number) => Math.round(pence) / 100;
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);
const per = (pence: number | undefined, count: number) => (pence === undefined || count === 0 ? null : Math.round(pence / count) / 100);
const ownerOf = (row: string) => row.split('#')[0]!;
const dimensions = (row: string) => row.split('#').slice(1);
const field = (row: RollupRow | undefined, name: string) => row?.fields[name] ?? 0;

/** A quote step as people name it: "Approve or reject the QPA (Finance)". */
export const stepLabel = (step: string): string => {
  const [task, approver] = step.split(':') as [QuoteStep, ApproverPosition | undefined];
  const ask = stepRules[task]?.ask ?? task;
  return approver ? `${ask} (${approverTitles[approver] ?? approver})` : ask;
};

export interface Table {
  columns: string[];
  rows: (string | number | null)[][];
}

const sumBy = <K extends string>(rows: RollupRow[], key: (row: RollupRow) => K | undefined, fields: string[]) => {
  const totals = new Map<K, Record<string, number>>();
  for (const row of rows) {
    const k = key(row);
    if (k === undefined) continue;
    const sum = totals.get(k) ?? Object.fromEntries(fields.map((name) => [name, 0]));
    for (const name of fields) sum[name] = (sum[name] ?? 0) + field(row, name);
    totals.set(k, sum);
  }
  return totals;
};

// ---- each report -------------------------------------------------------------------------------

export const pipelineReport = (rows: RollupRow[]) => {
  const byStage = sumBy(rows, (row) => dimensions(row.row)[0] as PipelineStage, ['count', 'valuePence']);
  const byOwnerStage = sumBy(rows, (row) => row.row, ['count', 'valuePence']);
  const owners = [...new Set(rows.map((row) => ownerOf(row.row)))].sort();
  const stages = pipelineStages.map((stage) => ({
    stage,
    label: stageLabels[stage],
    count: byStage.get(stage)?.count ?? 0,
    valueGbp: gbp(byStage.get(stage)?.valuePence ?? 0),
  }));
  return {
    stages,
    owners: owners.map((owner) => ({
      owner,
      stages: pipelineStages.map((stage) => {
        const sum = byOwnerStage.get(`${owner}#${stage}`);
        return { stage, count: sum?.count ?? 0, valueGbp: gbp(sum?.valuePence ?? 0) };
      }),
    })),
    table: {
      columns: ['Owner', 'Stage', 'Count', 'Value (GBP)'],
      rows: owners.flatMap((owner) =>
        pipelineStages.map((stage) => {
          const sum = byOwnerStage.get(`${owner}#${stage}`);
          return [owner, stageLabels[stage], sum?.count ?? 0, gbp(sum?.valuePence ?? 0)];
        }),
      ),
    } satisfies Table,
  };
};

const conversionFields = ['suspects', 'prospects', 'quotes', 'orders'] as const;

export const conversionReport = (rows: RollupRow[], months: Month[]) => {
  const byMonth = sumBy(rows, (row) => row.period, [...conversionFields]);
  const byMonthChannel = sumBy(rows, (row) => `${row.period}#${dimensions(row.row)[0]}`, [...conversionFields]);
  const channels = [...new Set(rows.map((row) => dimensions(row.row)[0]!))].sort();
  const figures = (sum: Record<string, number> | undefined) => {
    const [suspects, prospects, quotes, orders] = conversionFields.map((name) => sum?.[name] ?? 0) as [number, number, number, number];
    return {
      suspects,
      prospects,
      quotes,
      orders,
      prospectRate: share(prospects, suspects),
      quoteRate: share(quotes, prospects),
      orderRate: share(orders, quotes),
    };
  };
  const totals = sumBy(rows, () => 'all', [...conversionFields]).get('all');
  const byChannel = sumBy(rows, (row) => dimensions(row.row)[0], [...conversionFields]);
  return {
    months: months.map((month) => ({
      month,
      ...figures(byMonth.get(month)),
      channels: channels.map((channel) => ({ channel, ...figures(byMonthChannel.get(`${month}#${channel}`)) })),
    })),
    channels: channels.map((channel) => ({ channel, ...figures(byChannel.get(channel)) })),
    totals: figures(totals),
    table: {
      columns: ['Month', 'Channel', 'Suspects', 'Prospects', 'Quoted', 'Ordered'],
      rows: months.flatMap((month) =>
        channels
          .map((channel) => [month, channel, ...conversionFields.map((name) => byMonthChannel.get(`${month}#${channel}`)?.[name] ?? 0)])
          .filter((row) => row.slice(2).some((n) => n !== 0)),
      ),
    } satisfies Table,
  };
};

export const winRateReport = (rows: RollupRow[], months: Month[]) => {
  const kindOf = (row: RollupRow) => dimensions(row.row)[0];
  const outcome = (kind: 'won' | 'lost') =>
    sumBy(
      rows.filter((row) => kindOf(row) === kind),
      (row) => row.period,
      ['count', 'valuePence'],
    );
  const won = outcome('won');
  const lost = outcome('lost');
  const tally = (kind: 'reason' | 'competitor') =>
    [
      ...sumBy(
        rows.filter((row) => kindOf(row) === kind),
        (row) => dimensions(row.row).slice(1).join('#'),
        ['count'],
      ),
    ]
      .map(([name, sum]) => ({ name, count: sum.count ?? 0 }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const totalWon = [...won.values()].reduce((n, sum) => n + (sum.count ?? 0), 0);
  const totalLost = [...lost.values()].reduce((n, sum) => n + (sum.count ?? 0), 0);
  const monthly = months.map((month) => {
    const w = won.get(month)?.count ?? 0;
    const l = lost.get(month)?.count ?? 0;
    return {
      month,
      won: w,
      lost: l,
      winRate: share(w, w + l),
      wonGbp: gbp(won.get(month)?.valuePence ?? 0),
      lostGbp: gbp(lost.get(month)?.valuePence ?? 0),
    };
  });
  const reasons = tally('reason');
  return {
    months: monthly,
    totals: { won: totalWon, lost: totalLost, winRate: share(totalWon, totalWon + totalLost) },
    reasons,
    competitors: tally('competitor'),
    table: {
      columns: ['Month', 'Won', 'Lost', 'Win rate (%)', 'Won (GBP)', 'Lost (GBP)'],
      rows: monthly.map((m) => [m.month, m.won, m.lost, m.winRate, m.wonGbp, m.lostGbp]),
    } satisfies Table,
  };
};

export const quoteCycleReport = (rows: RollupRow[], months: Month[]) => {
  const signed = sumBy(
    rows.filter((row) => dimensions(row.row)[0] === 'signed'),
    (row) => row.period,
    ['count', 'minutes'],
  );
  const steps = sumBy(
    rows.filter((row) => dimensions(row.row)[0] === 'step'),
    (row) => dimensions(row.row)[1],
    ['count', 'minutes'],
  );
  const hours = (minutes: number, count: number) => (count === 0 ? null : Math.round((minutes / count / 60) * 10) / 10);
  const allSigned = { count: 0, minutes: 0 };
  for (const sum of signed.values()) {
    allSigned.count += sum.count ?? 0;
    allSigned.minutes += sum.minutes ?? 0;
  }
  const stepRows = [...steps]
    .map(([step, sum]) => ({
      step,
      label: stepLabel(step),
      count: sum.count ?? 0,
      averageHours: hours(sum.minutes ?? 0, sum.count ?? 0),
      totalHours: Math.round(((sum.minutes ?? 0) / 60) * 10) / 10,
    }))
    .sort((a, b) => b.totalHours - a.totalHours || a.step.localeCompare(b.step));
  const monthly = months.map((month) => {
    const count = signed.get(month)?.count ?? 0;
    const minutes = signed.get(month)?.minutes ?? 0;
    return { month, signed: count, averageDays: count ? Math.round((minutes / count / 1440) * 10) / 10 : null };
  });
  return {
    months: monthly,
    totals: { signed: allSigned.count, averageHours: hours(allSigned.minutes, allSigned.count) },
    steps: stepRows,
    table: {
      columns: ['Step', 'Times', 'Average wait (hours)', 'Total wait (hours)'],
      rows: stepRows.map((s) => [s.label, s.count, s.averageHours, s.totalHours]),
    } satisfies Table,
  };
};

export const forecastReport = (rows: RollupRow[], months: Month[]) => {
  const fields = ['count', 'valuePence', 'weightedPence', 'unweighted'];
  const byMonth = sumBy(rows, (row) => row.period, fields);
  const figures = (sum: Record<string, number> | undefined) => ({
    count: sum?.count ?? 0,
    valueGbp: gbp(sum?.valuePence ?? 0),
    weightedGbp: gbp(sum?.weightedPence ?? 0),
    withoutProbability: sum?.unweighted ?? 0,
  });
  const monthly = months.map((month) => ({ month, ...figures(byMonth.get(month)) }));
  return {
    months: monthly,
    undated: figures(byMonth.get(undatedPeriod)),
    totals: figures(
      sumBy(
        rows.filter((row) => row.period !== undatedPeriod),
        () => 'all',
        fields,
      ).get('all'),
    ),
    table: {
      columns: ['Expected close', 'Opportunities', 'Value (GBP)', 'Weighted (GBP)', 'Without probability'],
      rows: [
        ...monthly.map((m) => [m.month, m.count, m.valueGbp, m.weightedGbp, m.withoutProbability]),
        ...(byMonth.has(undatedPeriod) ? [['no date', ...Object.values(figures(byMonth.get(undatedPeriod)))]] : []),
      ],
    } satisfies Table,
  };
};

export const campaignsReport = (rows: RollupRow[]) => {
  const campaigns = rows
    .map((row) => {
      const leads = field(row, 'leads');
      const qualified = field(row, 'qualified');
      const orders = field(row, 'orders');
      const cost = row.fields.costPence;
      return {
        id: row.row,
        name: row.labels?.name ?? row.row,
        kind: row.labels?.kind ?? '',
        month: row.period,
        costGbp: cost === undefined ? null : gbp(cost),
        leads,
        qualified,
        orders,
        orderValueGbp: gbp(field(row, 'orderValuePence')),
        costPerLeadGbp: per(cost, leads),
        costPerQualifiedLeadGbp: per(cost, qualified),
        costPerOrderGbp: per(cost, orders),
      };
    })
    .sort((a, b) => a.month.localeCompare(b.month) || a.name.localeCompare(b.name));
  return {
    campaigns,
    table: {
      columns: [
        'Campaign',
        'Started',
        'Cost (GBP)',
        'Leads',
        'Qualified',
        'Orders',
        'Per lead (GBP)',
        'Per qualified lead (GBP)',
        'Per order (GBP)',
      ],
      rows: campaigns.map((c) => [
        c.name,
        c.month,
        c.costGbp,
        c.leads,
        c.qualified,
        c.orders,
        c.costPerLeadGbp,
        c.costPerQualifiedLeadGbp,
        c.costPerOrderGbp,
      ]),
    } satisfies Table,
  };
};

export const afterShipmentReport = (rows: RollupRow[], months: Month[]) => {
  const equipment = sumBy(
    rows.filter((row) => dimensions(row.row)[0] === 'equipment'),
    (row) => row.period,
    ['ok', 'corrective', 'unanswered'],
  );
  const delivery = sumBy(
    rows.filter((row) => dimensions(row.row)[0] === 'delivery'),
    () => 'all',
    ['ok', 'notOk'],
  ).get('all');
  const monthly = months.map((month) => {
    const sum = equipment.get(month);
    const ok = sum?.ok ?? 0;
    const corrective = sum?.corrective ?? 0;
    return { month, ok, corrective, unanswered: sum?.unanswered ?? 0, okShare: share(ok, ok + corrective) };
  });
  const ok = monthly.reduce((n, m) => n + m.ok, 0);
  const corrective = monthly.reduce((n, m) => n + m.corrective, 0);
  return {
    months: monthly,
    totals: { ok, corrective, unanswered: monthly.reduce((n, m) => n + m.unanswered, 0), okShare: share(ok, ok + corrective) },
    deliveryChecks: { ok: delivery?.ok ?? 0, notOk: delivery?.notOk ?? 0 },
    table: {
      columns: ['Month', 'Operating OK', 'Corrective actions', 'Unanswered', 'OK (%)'],
      rows: monthly.map((m) => [m.month, m.ok, m.corrective, m.unanswered, m.okShare]),
    } satisfies Table,
  };
};

/** Which periods a report reads: its months, plus the pipeline's snapshot or the undated forecast. */
export const periodsOf = (report: ReportName, months: Month[]): string[] =>
  report === 'pipeline' ? ['now'] : report === 'forecast' ? [...months, undatedPeriod] : months;

/**
 * A row whose counters all came back to zero counts nothing: the stream leaves it in place, a
 * rebuild does not write it, and either way the report is the same.
 */
const counting = (row: RollupRow) => Object.values(row.fields).some((n) => n !== 0);

export const assembleReport = (report: ReportName, all: RollupRow[], months: Month[]) => {
  const rows = all.filter(counting);
  switch (report) {
    case 'pipeline':
      return pipelineReport(rows);
    case 'conversion':
      return conversionReport(rows, months);
    case 'win-rate':
      return winRateReport(rows, months);
    case 'quote-cycle':
      return quoteCycleReport(rows, months);
    case 'forecast':
      return forecastReport(rows, months);
    case 'campaigns':
      return campaignsReport(rows);
    case 'after-shipment':
      return afterShipmentReport(rows, months);
  }
};

/** Rows other people own are not the caller's to see; campaign rows belong to no owner. */
export const rowsFor = (report: ReportName, rows: RollupRow[], owners: ReadonlySet<string> | 'all'): RollupRow[] =>
  report === 'campaigns' || owners === 'all' ? rows : rows.filter((row) => owners.has(ownerOf(row.row)));
