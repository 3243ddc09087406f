import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '#adapters/dynamodb';
import { leadIndexKeys } from '#adapters/lead-records';
import { findRecords, findTermPuts, listKeys } from '#adapters/search-records';
import { findIndex, itemKind, keys } from '#adapters/table-design';
import type { Account } from '#domain/account';
import type { Lead } from '#domain/lead';
import { findableAccount, findableLead, normalise } from '#domain/search';
import { settingNames } from '#functions/config';
import { issueLocalToken } from '../infra/local/auth';
import { freePort } from '../infra/local/ports';
import { startLocalStack } from '../infra/local/stack';
import { summarize } from './stats';

/**
 * `npm run bench:search` (issue 15): the typeahead's p95 with 50,000 leads and 10,000 accounts in
 * the table, against a GetItem floor taken in the same run, interleaved round by round, on the
 * local stack. Seeded straight into the table with BatchWriteItem, each record and its search
 * terms shaped by the adapters' own functions (timelines and emails left out: search never reads
 * them). Writes bench/search-results.json and the "Search" section of BENCHMARKS.md.
 * `-- --quick` seeds a tenth and measures fewer rounds (a check that the harness works).
 */
const quick = process.argv.includes('--quick');
const plan = quick ? { leads: 5_000, accounts: 1_000, rounds: 60 } : { leads: 50_000, accounts: 10_000, rounds: 400 };
const began = Date.now();
const log = (line: string) => process.stderr.write(`[bench:search ${Math.round((Date.now() - began) / 1000)} s] ${line}\n`);

process.env.SALESFLOW_LOCAL_THROTTLE = 'off';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
const dataDir = mkdtempSync(join(tmpdir(), 'salesflow-bench-search-'));
const tableName = 'salesflow-bench-search';
const stack = await startLocalStack({
  ports: { api: 0, ses: 0, stepFunctions: 0, scheduler: 0, dynamodb: await freePort() },
  dataDir,
  inMemory: true,
  tableName,
});
process.env.AWS_ENDPOINT_URL_DYNAMODB = stack.urls.dynamodb;
process.env[settingNames.tableName] = tableName;

// Names as a European customer base has them: accents, shared first letters, shared words.
const surnames = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Robinson',
  'Wright',
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'García',
  'Fernández',
  'González',
  'Rodríguez',
  'López',
  'Martínez',
  'Sánchez',
  'Pérez',
  'Jansen',
  'de Vries',
  'van den Berg',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'Øster',
  'Ångström',
  'Nieminen',
  'Virtanen',
  'Kowalski',
];
const firstNames = [
  'Anna',
  'Jürgen',
  'Zoë',
  'Renée',
  'José',
  'Ann',
  'Mark',
  'Maria',
  'Peter',
  'Paul',
  'Sophie',
  'Lena',
  'Hans',
  'Chloé',
  'Björn',
  'Søren',
  'Inés',
  'Luca',
  'Emma',
  'Noah',
];
const trades = [
  'Bottling',
  'Präzision',
  'Packaging',
  'Pharma',
  'Brewing',
  'Dairy',
  'Foods',
  'Cosmetics',
  'Chemicals',
  'Plastics',
  'Medical',
  'Automotive',
  'Électronique',
  'Glass',
  'Beverages',
];
const forms = ['Ltd', 'GmbH', 'AG', 'SA', 'SARL', 'BV', 'Oy', 'AB', 'S.L.', 'KG'];
const owners = ['sm.uk@salesflow.example', 'sm.dach@salesflow.example', 'sm.fr@salesflow.example', 'sales.director@salesflow.example'];
const pick = <T>(list: readonly T[], n: number) => list[n % list.length]!;
const company = (n: number) =>
  `${pick(surnames, n * 7)} ${pick(trades, Math.floor(n / 7))} ${n % 97 === 0 ? '' : `${n} `}${pick(forms, n)}`.replace(/\s+/g, ' ');

const at = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString();
const leadOf = (n: number): Lead => {
  const name = `${pick(firstNames, n)} ${pick(surnames, n * 13 + 5)}`;
  const firm = company(n);
  return {
    id: randomUUID(),
    channel: 'web-form',
    source: 'marketing-campaign',
    contact: {
      name,
      email: `${normalise(name).replace(/ /g, '.')}.${n}@${normalise(firm).split(' ')[0]}.example`,
      company: firm,
      country: 'GB',
    },
    literature: [],
    status: 'suspect',
    owner: pick(owners, n),
    createdAt: at(n),
    updatedAt: at(n),
  };
};
const accountOf = (n: number): Account => ({
  id: randomUUID(),
  kind: n % 5 === 0 ? 'distributor' : 'customer',
  ...(n % 5 === 0 ? { size: n % 2 ? 'large' : 'small' } : {}),
  name: company(n + 1_000_003),
  ownerEmail: pick(owners, n),
  selected: false,
  servedBy: 'direct',
  orderChannel: 'standard',
  contacts: [{ name: `${pick(firstNames, n + 3)} ${pick(surnames, n * 11)}`, email: `buyer.${n}@account${n}.example` }],
  createdBy: 'bench@salesflow.example',
  createdAt: at(n),
});

/** A record's items as its adapter writes them: the record with its index keys, and its search terms. */
const leadItems = (lead: Lead) => [
  { ...keys.lead(lead.id), itemType: itemKind.lead, ...leadIndexKeys(lead), ...lead },
  ...findTermPuts(findableLead(lead)).map(({ Put }) => Put.Item),
];
const accountItems = (account: Account) => [
  {
    ...keys.account(account.id),
    itemType: itemKind.account,
    ...(account.kind === 'distributor' ? { gsi2pk: keys.distributors(), gsi2sk: `${account.size}#${account.id}` } : {}),
    ...listKeys('account', account),
    ...account,
  },
  ...findTermPuts(findableAccount(account)).map(({ Put }) => Put.Item),
];

const writeAll = async (items: Record<string, unknown>[]) => {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length) {
          const answer = await db().send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (answer.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        }
      }
    }),
  );
};

const results: Record<string, unknown> = {
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version },
  mode: quick ? 'quick' : 'full',
  at: new Date().toISOString(),
  plan,
};
try {
  log(`seeding ${plan.leads} leads and ${plan.accounts} accounts`);
  const leads = Array.from({ length: plan.leads }, (_, n) => leadOf(n));
  const accounts = Array.from({ length: plan.accounts }, (_, n) => accountOf(n));
  const seedStart = Date.now();
  const items = [...leads.flatMap(leadItems), ...accounts.flatMap(accountItems)];
  for (let i = 0; i < items.length; i += 20_000) {
    await writeAll(items.slice(i, i + 20_000));
    log(`seeded ${Math.min(i + 20_000, items.length)} of ${items.length} items`);
  }
  results.seed = {
    items: items.length,
    terms: items.filter((item) => item.itemType === itemKind.findTerm).length,
    seconds: (Date.now() - seedStart) / 1000,
  };

  // What a person types into the box: two to five letters, with and without accents, and an address.
  const queries = ['mu', 'mül', 'schm', 'smi', 'bot', 'pra', 'ann', 'jurg', 'garc', 'øst', 'dubo', 'van d', 'elec', 'anna.', 'müller p'];
  const token = await issueLocalToken(join(dataDir, 'local-auth-key.json'), {
    email: 'sales.admin@salesflow.example',
    roles: ['SalesAdmin'],
  });
  const smToken = await issueLocalToken(join(dataDir, 'local-auth-key.json'), {
    email: 'sm.uk@salesflow.example',
    roles: ['SalesManager'],
  });
  const get = async (path: string, bearer?: string) => {
    const response = await fetch(`${stack.urls.api}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    const body = await response.text();
    if (!response.ok) throw new Error(`bench: ${path} answered ${response.status} ${body.slice(0, 200)}`);
    return JSON.parse(body) as { hits?: unknown[] };
  };
  // Each person signs in once before the measurement (enrolment writes the directory).
  await get('/search?q=mu', token);
  await get('/search?q=mu', smToken);

  // How much a query reads: the first page of its partition, whatever the table holds.
  const reads = [];
  for (const q of queries) {
    const prefix = normalise(q);
    let matching = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db().send(
        new QueryCommand({
          TableName: tableName,
          IndexName: findIndex.name,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :q)',
          ExpressionAttributeNames: { '#pk': findIndex.partitionKey, '#sk': findIndex.sortKey },
          ExpressionAttributeValues: { ':pk': findIndex.termPartition(prefix), ':q': prefix },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      matching += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    const answer = await get(`/search?q=${encodeURIComponent(q)}`, token);
    reads.push({ q, termsMatching: matching, hits: answer.hits?.length ?? 0 });
  }
  results.reads = reads;

  log(`measuring ${plan.rounds} rounds, interleaved`);
  const sample = {
    getItem: [] as number[],
    query: [] as number[],
    health: [] as number[],
    searchAdmin: [] as number[],
    searchSm: [] as number[],
  };
  const time = async (into: number[], work: () => Promise<unknown>) => {
    const t0 = performance.now();
    await work();
    into.push(performance.now() - t0);
  };
  for (let round = 0; round < plan.rounds; round += 1) {
    const q = pick(queries, round);
    const lead = pick(leads, round * 7919);
    await time(sample.getItem, () => db().send(new GetCommand({ TableName: tableName, Key: keys.lead(lead.id) })));
    await time(sample.query, () =>
      findRecords(q, { limit: 20, kinds: ['lead', 'opportunity', 'account', 'quote', 'order'], mayRead: async () => true }),
    );
    await time(sample.health, () => get('/health'));
    await time(sample.searchAdmin, () => get(`/search?q=${encodeURIComponent(q)}`, token));
    await time(sample.searchSm, () => get(`/search?q=${encodeURIComponent(q)}`, smToken));
  }
  const p95 = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return Math.round(sorted[Math.ceil(0.95 * sorted.length) - 1]! * 100) / 100;
  };
  const figures = Object.fromEntries(Object.entries(sample).map(([name, values]) => [name, { ...summarize(values), p95: p95(values) }]));
  results.latency = figures;
  results.ratios = {
    queryToGetItemP95: Math.round((figures.query!.p95 / figures.getItem!.p95) * 100) / 100,
    searchToHealthP95: Math.round((figures.searchAdmin!.p95 / figures.health!.p95) * 100) / 100,
    smSearchToHealthP95: Math.round((figures.searchSm!.p95 / figures.health!.p95) * 100) / 100,
  };
  writeFileSync('bench/search-results.json', `${JSON.stringify(results, null, 2)}\n`);
  writeSection(results);
  log('done: bench/search-results.json and the Search section of BENCHMARKS.md');
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/** The "Search" section of BENCHMARKS.md, replaced in place; the rest of the file is left alone. */
function writeSection(r: Record<string, any>) {
  const l = r.latency;
  const row = (name: string, what: string) => `| ${what} | ${l[name].p50} | ${l[name].p95} | ${l[name].p99} | ${l[name].n} |`;
  const section = [
    '<!-- search:start (bench/search.ts writes this section; npm run bench:search) -->',
    '## Search',
    '',
    `\`npm run bench:search\`${r.mode === 'quick' ? ' -- --quick' : ''}, ${r.at.slice(0, 10)}, ${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}, DynamoDB Local in memory.`,
    `Seeded ${r.plan.leads.toLocaleString('en-GB')} leads and ${r.plan.accounts.toLocaleString('en-GB')} accounts (${r.seed.items.toLocaleString('en-GB')} items, of which ${r.seed.terms.toLocaleString('en-GB')} search terms) by BatchWriteItem in ${Math.round(r.seed.seconds)} s,`,
    `each record and its terms built by the adapters' own functions. ${r.plan.rounds} rounds, each one of every measurement below in turn (interleaved), typing one of ${r.reads.length} typeahead queries in turn.`,
    '',
    '| ms | p50 | p95 | p99 | n |',
    '|---|---|---|---|---|',
    row('getItem', 'floor: GetItem of a lead, straight to the table'),
    row('query', 'the search query (findRecords), straight to the table'),
    row('health', 'HTTP floor: GET /health (one GetItem through the local API)'),
    row('searchAdmin', 'GET /search?q= as Sales Admin (every hit readable)'),
    row('searchSm', 'GET /search?q= as an SM (each hit through the owner rule)'),
    '',
    `p95 ratios: the search query to GetItem ${r.ratios.queryToGetItemP95}; GET /search to GET /health ${r.ratios.searchToHealthP95} (Sales Admin), ${r.ratios.smSearchToHealthP95} (SM).`,
    '',
    'What a query reads does not grow with the table: it reads its partition of the find index from the typed prefix on, a page of at most 50 terms, and stops at 20 hits.',
    '',
    '| typed | terms in the table starting so | hits answered |',
    '|---|---|---|',
    ...r.reads.map(
      (read: { q: string; termsMatching: number; hits: number }) =>
        `| \`${read.q}\` | ${read.termsMatching.toLocaleString('en-GB')} | ${read.hits} |`,
    ),
    '<!-- search:end -->',
  ].join('\n');
  const file = 'BENCHMARKS.md';
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('<!-- search:start');
  const end = text.indexOf('<!-- search:end -->');
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${section}${text.slice(end + '<!-- search:end -->'.length)}`
      : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}
