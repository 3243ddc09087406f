// @ts-check
import { $, gbp, h, internalPage, queryParam } from '../page.js';
import { api, config, session } from '../session.js';

/**
 * The Reports page: sales operations' figures from GET /reports/{name}, each as a chart (uPlot,
 * web/assets/vendor/uplot) with its figures in a table below it, for screen readers and for
 * copying, and a CSV download. Marketing sees the campaign report only; an SM their own figures
 * and their reports'.
 */
const who = internalPage();
/** uPlot's IIFE build, loaded by a classic script before this module. @type {any} */
const uPlot = /** @type {any} */ (globalThis).uPlot;

const marketingOnly = who.roles.every((role) => role === 'Marketing');
const names = marketingOnly
  ? ['campaigns']
  : ['pipeline', 'conversion', 'win-rate', 'quote-cycle', 'forecast', 'campaigns', 'after-shipment'];

const range = { from: queryParam('from'), to: queryParam('to'), owner: queryParam('owner') };
for (const [name, value] of Object.entries(range)) /** @type {HTMLInputElement} */ (document.getElementById(name)).value = value;
if (marketingOnly) document.getElementById('owner')?.closest('.field')?.setAttribute('hidden', '');

/** The query a report is read with; the pipeline is a snapshot and takes no months. @param {string} name */
const queryOf = (name, extra = {}) => {
  /** @type {Record<string, string>} */
  const params = {};
  if (name !== 'pipeline' && range.from) params.from = range.from;
  if (name !== 'pipeline' && range.to) params.to = range.to;
  if (range.owner) params.owner = range.owner;
  const search = new URLSearchParams({ ...params, ...extra }).toString();
  return search ? `?${search}` : '';
};

/** Colours with AA contrast against white, told apart by more than hue alone (the table carries the figures). */
const palette = ['#0b5cad', '#1e6b33', '#a4161a', '#8a5a00'];
const count = new Intl.NumberFormat('en-GB');
/** @param {number | null | undefined} value */
const percent = (value) => (value === null || value === undefined ? '—' : `${value}%`);
/** @param {number | null | undefined} value */
const hours = (value) => (value === null || value === undefined ? '—' : `${count.format(value)} h`);
/** @param {number | null | undefined} value */
const pounds = (value) => (value === null || value === undefined ? '—' : gbp(value));

/**
 * A chart of `series` over `labels`: bars for one series, lines with points for several. Drawn
 * once the box is on the page (uPlot measures nothing itself).
 * @param {string} title @param {string[]} labels @param {{ label: string, values: (number | null)[] }[]} series
 * @param {(value: number) => string} format
 */
const chart = (title, labels, series, format) => {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': `${title}: a chart; the table below holds its figures` });
  const key = h(
    'ul',
    { class: 'key', 'aria-hidden': 'true' },
    ...series.map((s, i) => {
      const swatch = h('span');
      swatch.style.background = palette[i % palette.length] ?? '#000';
      return h('li', {}, swatch, s.label);
    }),
  );
  const draw = () => {
    const bars = series.length === 1;
    const width = Math.max(300, Math.min(box.clientWidth || 800, 832));
    new uPlot(
      {
        width,
        height: 240,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: () => [-0.6, labels.length - 0.4] },
          y: { range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          {
            splits: () => labels.map((_, i) => i),
            values: (/** @type {any} */ _u, /** @type {number[]} */ splits) => splits.map((i) => labels[i] ?? ''),
            grid: { show: false },
          },
          { values: (/** @type {any} */ _u, /** @type {number[]} */ splits) => splits.map(format), size: 80 },
        ],
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: palette[i % palette.length],
            width: bars ? 0 : 2,
            ...(bars
              ? { fill: palette[i % palette.length], paths: uPlot.paths.bars({ size: [0.6, 64] }), points: { show: false } }
              : { points: { show: true, size: 7 } }),
          })),
        ],
      },
      [labels.map((_, i) => i), ...series.map((s) => s.values)],
      box,
    );
  };
  return { element: h('div', {}, box, key), draw };
};

/**
 * A table of figures; a column named in GBP is shown as money, a percentage with its sign.
 * @param {string} caption @param {string[]} columns @param {(string | number | null)[][]} rows
 */
const figures = (caption, columns, rows) => {
  const cell = (/** @type {string} */ column, /** @type {string | number | null} */ value) => {
    if (typeof value !== 'number' && value !== null) return h('td', {}, value);
    const text = /GBP/.test(column)
      ? pounds(value)
      : /%/.test(column)
        ? percent(value)
        : /hours/.test(column)
          ? hours(value)
          : value === null
            ? '—'
            : count.format(value);
    return h('td', { class: 'number' }, text);
  };
  return h(
    'table',
    {},
    h('caption', {}, caption),
    // A column of numbers is right-aligned, its heading too.
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...columns.map((column, i) =>
          h(
            'th',
            { scope: 'col', ...(typeof rows[0]?.[i] === 'number' || rows[0]?.[i] === null ? { class: 'number' } : {}) },
            column.replace(' (GBP)', ''),
          ),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...(rows.length
        ? rows.map((row) => h('tr', {}, ...row.map((value, i) => cell(columns[i] ?? '', value))))
        : [h('tr', {}, h('td', { colspan: String(columns.length) }, 'Nothing in these months.'))]),
    ),
  );
};

/** Big numbers above a chart. @param {[string, string][]} items */
const headline = (items) => h('div', { class: 'headline' }, ...items.map(([label, value]) => h('div', {}, h('strong', {}, value), label)));

/** @param {number} value */
const compactGbp = (value) => (Math.abs(value) >= 10_000 ? `£${count.format(Math.round(value / 1000))}k` : gbp(value));

/**
 * What each report shows: headline figures, a chart, and the tables behind them.
 * @type {Record<string, (report: any) => { parts: HTMLElement[], charts: (() => void)[] }>}
 */
const views = {
  pipeline: (r) => {
    const c = chart(
      'Pipeline value by stage',
      r.stages.map((/** @type {any} */ s) => s.label),
      [{ label: 'Value', values: r.stages.map((/** @type {any} */ s) => s.valueGbp) }],
      compactGbp,
    );
    return {
      parts: [
        headline(r.stages.map((/** @type {any} */ s) => [`${s.label}, ${gbp(s.valueGbp)}`, count.format(s.count)])),
        c.element,
        figures(
          'Pipeline by stage',
          ['Stage', 'Count', 'Value (GBP)'],
          r.stages.map((/** @type {any} */ s) => [s.label, s.count, s.valueGbp]),
        ),
        figures('By sales manager', r.table.columns, r.table.rows),
      ],
      charts: [c.draw],
    };
  },
  conversion: (r) => {
    const months = r.months.map((/** @type {any} */ m) => m.month);
    const c = chart(
      'Conversion by month',
      months,
      [
        { label: 'Suspects', values: r.months.map((/** @type {any} */ m) => m.suspects) },
        { label: 'Prospects', values: r.months.map((/** @type {any} */ m) => m.prospects) },
        { label: 'Quoted', values: r.months.map((/** @type {any} */ m) => m.quotes) },
        { label: 'Ordered', values: r.months.map((/** @type {any} */ m) => m.orders) },
      ],
      (v) => count.format(v),
    );
    const rowOf = (/** @type {any} */ f) => [f.suspects, f.prospects, f.quotes, f.orders, f.prospectRate, f.quoteRate, f.orderRate];
    const columns = ['Suspects', 'Prospects', 'Quoted', 'Ordered', 'Qualified (%)', 'Quoted (%)', 'Ordered (%)'];
    return {
      parts: [
        headline([
          ['suspects', count.format(r.totals.suspects)],
          ['qualified', percent(r.totals.prospectRate)],
          ['of prospects quoted', percent(r.totals.quoteRate)],
          ['of quotes ordered', percent(r.totals.orderRate)],
        ]),
        c.element,
        figures(
          'Conversion by month',
          ['Month', ...columns],
          r.months.map((/** @type {any} */ m) => [m.month, ...rowOf(m)]),
        ),
        figures(
          'By channel',
          ['Channel', ...columns],
          r.channels.map((/** @type {any} */ m) => [m.channel.replace(/-/g, ' '), ...rowOf(m)]),
        ),
      ],
      charts: [c.draw],
    };
  },
  'win-rate': (r) => {
    const c = chart(
      'Won and lost by month',
      r.months.map((/** @type {any} */ m) => m.month),
      [
        { label: 'Won', values: r.months.map((/** @type {any} */ m) => m.won) },
        { label: 'Lost', values: r.months.map((/** @type {any} */ m) => m.lost) },
      ],
      (v) => count.format(v),
    );
    return {
      parts: [
        headline([
          ['win rate', percent(r.totals.winRate)],
          ['won', count.format(r.totals.won)],
          ['lost', count.format(r.totals.lost)],
        ]),
        c.element,
        figures('Won and lost by month', r.table.columns, r.table.rows),
        figures(
          'Reasons lost',
          ['Reason', 'Times'],
          r.reasons.map((/** @type {any} */ x) => [x.name, x.count]),
        ),
        figures(
          'Lost to',
          ['Competitor', 'Times'],
          r.competitors.map((/** @type {any} */ x) => [x.name, x.count]),
        ),
      ],
      charts: [c.draw],
    };
  },
  'quote-cycle': (r) => {
    const c = chart(
      'Average wait by step',
      r.steps.map((/** @type {any} */ s) => s.label),
      [{ label: 'Average wait (hours)', values: r.steps.map((/** @type {any} */ s) => s.averageHours) }],
      (v) => `${count.format(v)} h`,
    );
    return {
      parts: [
        headline([
          ['quotes signed', count.format(r.totals.signed)],
          ['request to signature, on average', hours(r.totals.averageHours)],
        ]),
        c.element,
        figures('Where quotes wait', r.table.columns, r.table.rows),
        figures(
          'Signed by month',
          ['Month', 'Signed', 'Average days'],
          r.months.map((/** @type {any} */ m) => [m.month, m.signed, m.averageDays]),
        ),
      ],
      charts: [c.draw],
    };
  },
  forecast: (r) => {
    const c = chart(
      'Forecast by expected close month',
      r.months.map((/** @type {any} */ m) => m.month),
      [
        { label: 'Value', values: r.months.map((/** @type {any} */ m) => m.valueGbp) },
        { label: 'Weighted by probability', values: r.months.map((/** @type {any} */ m) => m.weightedGbp) },
      ],
      compactGbp,
    );
    return {
      parts: [
        headline([
          ['weighted', gbp(r.totals.weightedGbp)],
          ['open value', gbp(r.totals.valueGbp)],
          ['without a close date', count.format(r.undated.count)],
        ]),
        c.element,
        figures('Forecast by month', r.table.columns, r.table.rows),
      ],
      charts: [c.draw],
    };
  },
  campaigns: (r) => {
    const c = chart(
      'Cost per lead by campaign',
      r.campaigns.map((/** @type {any} */ x) => x.name),
      [{ label: 'Cost per lead', values: r.campaigns.map((/** @type {any} */ x) => x.costPerLeadGbp) }],
      compactGbp,
    );
    return { parts: [c.element, figures('Campaign return', r.table.columns, r.table.rows)], charts: [c.draw] };
  },
  'after-shipment': (r) => {
    const c = chart(
      'Equipment checks by month',
      r.months.map((/** @type {any} */ m) => m.month),
      [
        { label: 'Operating OK', values: r.months.map((/** @type {any} */ m) => m.ok) },
        { label: 'Corrective actions', values: r.months.map((/** @type {any} */ m) => m.corrective) },
      ],
      (v) => count.format(v),
    );
    return {
      parts: [
        headline([
          ['operating OK', percent(r.totals.okShare)],
          ['checks OK', count.format(r.totals.ok)],
          ['corrective actions', count.format(r.totals.corrective)],
          ['delivery checks with a problem', count.format(r.deliveryChecks.notOk)],
        ]),
        c.element,
        figures('Equipment checks by month', r.table.columns, r.table.rows),
      ],
      charts: [c.draw],
    };
  },
};

/** The CSV of a report, fetched with the person's token and handed to the browser as a file. @param {string} name */
const download = async (name) => {
  const response = await fetch(`${config.apiUrl}/reports/${name}${queryOf(name, { format: 'csv' })}`, {
    headers: { authorization: `Bearer ${session()?.token ?? ''}`, accept: 'text/csv' },
  });
  if (!response.ok) return;
  const link = h('a', { href: URL.createObjectURL(await response.blob()), download: `${name}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
};

const answers = await Promise.all(names.map((name) => api('GET', `/reports/${name}${queryOf(name)}`)));
$('#report-index').replaceChildren(...names.map((name, i) => h('a', { href: `#report-${name}` }, answers[i]?.body?.title ?? name)));
/** @type {(() => void)[]} */
const toDraw = [];
$('#content').replaceChildren(
  ...names.map((name, i) => {
    const answer = answers[i];
    const heading = h('h2', { id: `report-${name}` }, answer?.body?.title ?? name);
    if (answer?.status !== 200) {
      return h(
        'section',
        { class: 'report', 'aria-labelledby': `report-${name}` },
        heading,
        h('p', { class: 'error', role: 'alert' }, answer?.body?.message ?? 'Could not load this report'),
      );
    }
    const view = views[name]?.(answer.body) ?? { parts: [], charts: [] };
    toDraw.push(...view.charts);
    const csv = h('button', { type: 'button', class: 'link' }, 'Download these figures (CSV)');
    csv.addEventListener('click', () => void download(name));
    const period = answer.body.from
      ? h('p', { class: 'lede' }, `${answer.body.from} to ${answer.body.to}`)
      : h('p', { class: 'lede' }, 'As it stands now');
    return h(
      'section',
      { class: 'report', 'aria-labelledby': `report-${name}`, 'data-report': name },
      heading,
      period,
      ...view.parts,
      h('p', {}, csv),
    );
  }),
);
for (const draw of toDraw) draw();
