/**
 * The single table's key design: one module read by the handlers, by the CDK stack and by the
 * local stack, so the three can never disagree about a key or an index.
 *
 * Access patterns (entity: key condition):
 * - a lead with its timeline and emails:        pk = LEAD#<id>
 * - leads by status, newest first:              gsi1pk = LEADS#<status>, gsi1sk = <createdAt>#<id>
 * - an owner's leads (optionally one status):   gsi2pk = OWNER#<email>, gsi2sk begins_with LEAD#<status>#
 * - an opportunity with its timeline:           pk = OPP#<id>
 * - an owner's opportunities:                   gsi2pk = OWNER#<email>, gsi2sk begins_with OPP#
 * - an account (for lead routing):              pk = ACCOUNT#<id>, sk = ACCOUNT
 * - a quote, and its signed document:           pk = QUOTE#<id>, sk = QUOTE | DOC#quote
 * - an opportunity's quotes, oldest first:      gsi1pk = QUOTES#<opportunityId>, gsi1sk = <createdAt>#<id>
 * - the year's last quote number:               pk = COUNTER#QUOTE#<year>, sk = COUNTER (n; moved in the quote's own transaction)
 * - a product of the price list, by SKU:        pk = PRODUCT#<sku>, sk = PRODUCT
 * - the price list, by SKU:                     gsi1pk = PRODUCTS, gsi1sk = <sku>
 * - an emailed link's action (holds the task token): pk = ACTION#<id>, sk = ACTION
 * - the key that signs emailed links:           pk = CONFIG, sk = LINK_KEY
 * - an account with its timeline:               pk = ACCOUNT#<id>
 * - an order with its timeline, documents, agenda items, login and service-desk copy:
 *                                               pk = ORDER#<id>, sk = ORDER | TL#... | DOC#... | TODO#... | LOGIN | DESK#...
 * - an opportunity's orders, oldest first:      gsi1pk = ORDERS#<opportunityId>, gsi1sk = <createdAt>#<id>
 * - a PO number, once per account:              pk = PO#<accountId>#<po>, sk = PO
 * - a person's open agenda, by due date:        gsi2pk = OWNER#<email>, gsi2sk begins_with TODO#open#
 * - an account's calls and visits (R6-R8):      pk = ACCOUNT#<id>, sk = DUE#<kind>
 * - a contact of an account, for the person index: pk = ACCOUNT#<id>, sk = CONTACT#<sha256 of email>
 * - everything due by a time (digest), sharded: gsi1pk = DUE#<0..3>, gsi1sk <= <time>~
 *   (due calls and visits, and open agenda items; closed items leave the index)
 * - a campaign with its timeline (R1):          pk = CAMPAIGN#<id>, sk = CAMPAIGN | TL#...
 * - a campaign's leads, counted (R1):           pk = CAMPAIGN#<id>#LEADS, sk = LEAD#<leadId> | QUALIFIED#<leadId>
 *   (one item per lead, written in the lead's own transaction: no shared counter to fight over)
 * - distributors by size (R2):                  gsi2pk = DISTRIBUTORS, gsi2sk begins_with <size>#
 * - an address off bulk mail (R2):              pk = SUPPRESSED#<email>, sk = SUPPRESSED
 * - a person's digests, one per schedule tick:  pk = PERSON#<email>, sk = DIGEST#<schedule>#<tick> | EMAIL#<id>
 * - emails waiting for their next attempt:      gsi1pk = OUTBOX#RETRYING, gsi1sk <= <now>~ (sparse: only those)
 * - emails given up on (the dead letters):      gsi1pk = OUTBOX#FAILED, gsi1sk = <failedAt>#<pk>#<sk>
 * - the lead an address made today (folds repeats): pk = LEADDAY#<sha256 of email>#<day>, sk = LEADDAY (TTL)
 * - a person of the staff directory, by sub:    pk = STAFF#<sub>, sk = PERSON
 * - the same person by email (unique):          pk = STAFF#EMAIL#<email>, sk = PERSON
 * - everything held about a person (GDPR 15/17/20): gsi3pk = PERSON#<sha256 of email>, gsi3sk = <pk>#<sk>
 *   (leads, the emails sent them, quotes and orders naming them, accounts listing them; sparse)
 * - suspects past their retention, oldest first: gsi1pk = LEADS#suspect, gsi1sk < <cutoff>
 * - an erasure, recorded without the personal data: pk = ERASURE#<id>, sk = ERASURE
 * - a report's counters for a month (or "now"): pk = ROLLUP#<report>#<yyyy-mm>, sk = <owner>#<dimension>... | <campaignId>
 * - what a deal last contributed to them:       pk = ROLLUP#DEAL#<LEAD|OPP|ORDER|CAMPAIGN>#<id>, sk = ROLLUP
 * - a CSV import with its chunks and results:  pk = IMPORT#<id>, sk = IMPORT | CHUNK#<n> | RESULT#<n> (TTL 30 days)
 * - possible duplicates of a new lead (issue 15): pk = DUPE#EMAIL#<sha256 of email> | DUPE#COMPANY#<sha256 of plain company[|country]>,
 *   sk = LEAD | ACCOUNT (the newest lead or account with it; TTL the duplicate window)
 * - an ad-hoc task, by id (issue 15):          pk = TASK#<id>, sk = TASK (its agenda item: pk = <record pk>, sk = TODO#task:<id>)
 * - health probe:                               pk = HEALTH, sk = HEALTH (never written)
 * - search terms (sparse gsi4, issue 15):       gsi4pk = FIND#<first two characters>, gsi4sk begins_with <typed prefix>
 *   (gsi4sk = <term>#<kind>#<id>; a term is a normalised company, name, address, PO or quote number. Each is an
 *   item filed under its record, pk = <record pk>, sk = FIND#<n>, written in the record's own transaction: the
 *   term stays out of the table's keys, so an erasure can rewrite or delete it like any other attribute)
 * - lists, newest first (gsi4, issue 15):       gsi4pk = LIST#<lead|opportunity|account|quote|order>, gsi4sk = <createdAt>#<id>
 *   (on the record's own item; filters other than the owner's are read through, so a page may come back short)
 *
 * Item collections sort the entity item before its children: the entity's sort key is its
 * type name, children use EMAIL#... (outgoing email) and TL#... (timeline, in time order).
 */

export const tableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item after it (spent link actions). */
  timeToLiveAttribute: 'ttl',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
  ],
  /** Outgoing emails are inserted as outbox items; the stream delivers them (see mail/deliver). */
  stream: 'NEW_IMAGE',
} as const;

/** The item kinds the table holds, written as the `itemType` attribute of every item. */
export const itemKind = {
  lead: 'lead',
  opportunity: 'opportunity',
  account: 'account',
  timeline: 'timeline',
  email: 'email',
  quote: 'quote',
  document: 'document',
  action: 'action',
  config: 'config',
  order: 'order',
  purchaseOrder: 'purchase-order',
  agendaItem: 'agenda-item',
  webLogin: 'web-login',
  serviceDeskSync: 'service-desk-sync',
  dueContact: 'due-contact',
  digest: 'digest',
  campaign: 'campaign',
  campaignLead: 'campaign-lead',
  suppressed: 'suppressed-address',
  person: 'person',
  leadOfTheDay: 'lead-of-the-day',
  erasure: 'erasure',
  quoteCounter: 'quote-counter',
  product: 'product',
  accountContact: 'account-contact',
  duplicateMark: 'duplicate-mark',
  task: 'task',
  importJob: 'import',
  importChunk: 'import-chunk',
  importResult: 'import-result',
  findTerm: 'find-term',
  rollup: 'rollup',
  rollupDeal: 'rollup-deal',
} as const;

/**
 * Lambda event-source filter for the mail delivery function: only new outbox emails. The local
 * stream poller applies the same pattern, so both places deliver exactly the same records.
 */
export const outboxStreamFilter = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { itemType: { S: [itemKind.email] } } },
} as const;

export const keys = {
  lead: (id: string) => ({ pk: `LEAD#${id}`, sk: 'LEAD' }),
  opportunity: (id: string) => ({ pk: `OPP#${id}`, sk: 'OPP' }),
  account: (id: string) => ({ pk: `ACCOUNT#${id}`, sk: 'ACCOUNT' }),
  health: () => ({ pk: 'HEALTH', sk: 'HEALTH' }),
  quote: (id: string) => ({ pk: `QUOTE#${id}`, sk: 'QUOTE' }),
  quoteDocument: (id: string) => keys.document(keys.quote(id).pk, 'quote'),
  /** A document (PDF bytes) filed with a record under its name. */
  document: (subjectPk: string, name: string) => ({ pk: subjectPk, sk: `DOC#${name}` }),
  order: (id: string) => ({ pk: `ORDER#${id}`, sk: 'ORDER' }),
  /** Makes a PO number unique per account: written with the order, conditionally. */
  purchaseOrder: (accountId: string, poNumber: string) => ({ pk: `PO#${accountId}#${poNumber.toLowerCase()}`, sk: 'PO' }),
  /** The customer's website login (R24): only ever a password hash, set through a one-time link. */
  webLogin: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'LOGIN' }),
  /** One agenda item per kind on a record. */
  agendaItem: (subjectPk: string, kind: string) => ({ pk: subjectPk, sk: `TODO#${kind}` }),
  serviceDeskSync: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'DESK#registration' }),
  quotesOf: (opportunityId: string) => `QUOTES#${opportunityId}`,
  /** The last quote number given in a calendar year. */
  quoteCounter: (year: number) => ({ pk: `COUNTER#QUOTE#${year}`, sk: 'COUNTER' }),
  /** A product by SKU; SKUs compare without case, as people type them. */
  product: (sku: string) => ({ pk: `PRODUCT#${sku.toUpperCase()}`, sk: 'PRODUCT' }),
  /** The price list's partition of gsi1 (a few hundred items, read whole). */
  products: () => 'PRODUCTS',
  ordersOf: (opportunityId: string) => `ORDERS#${opportunityId}`,
  action: (id: string) => ({ pk: `ACTION#${id}`, sk: 'ACTION' }),
  /** R6-R8: one item per kind of call or visit an account is due. */
  dueContact: (accountId: string, kind: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `DUE#${kind}` }),
  /** An account's contact, by the hash of their address: what puts the account on the person index. */
  accountContact: (accountId: string, emailHash: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `CONTACT#${emailHash}` }),
  campaign: (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' }),
  /**
   * R1: a lead counted for its campaign (recorded or not yet), and again when qualified. One item
   * per lead rather than a shared counter, so concurrent leads never conflict in a transaction.
   */
  campaignLead: (campaignId: string, leadId: string, stage: 'LEAD' | 'QUALIFIED') => ({
    pk: keys.campaignLeads(campaignId),
    sk: `${stage}#${leadId}`,
  }),
  campaignLeads: (campaignId: string) => `CAMPAIGN#${campaignId}#LEADS`,
  /** R2: an address that gets no more bulk mail (unsubscribed, bounced, complained, erased): only its hash. */
  suppressed: (emailHash: string) => ({ pk: `SUPPRESSED#${emailHash}`, sk: 'SUPPRESSED' }),
  erasure: (id: string) => ({ pk: `ERASURE#${id}`, sk: 'ERASURE' }),
  /** Distributors by size, for mailshots: gsi2pk = DISTRIBUTORS, gsi2sk = <size>#<id>. */
  distributors: () => 'DISTRIBUTORS',
  digest: (email: string, schedule: string, tick: string) => ({ pk: `PERSON#${email.toLowerCase()}`, sk: `DIGEST#${schedule}#${tick}` }),
  linkKey: () => ({ pk: 'CONFIG', sk: 'LINK_KEY' }),
  /** The lead an address made on a day: a repeat that day is folded into it (the address only hashed). */
  leadOfTheDay: (emailHash: string, day: string) => ({ pk: `LEADDAY#${emailHash}#${day}`, sk: 'LEADDAY' }),
  /** The people directory: a person by the identity provider's sub, and by email (which is unique). */
  person: (sub: string) => ({ pk: `STAFF#${sub}`, sk: 'PERSON' }),
  personByEmail: (email: string) => ({ pk: `STAFF#EMAIL#${email.toLowerCase()}`, sk: 'PERSON' }),
  /** Timeline entries sort by time; the id breaks ties between entries of the same millisecond. */
  timeline: (subjectPk: string, at: string, entryId: string) => ({ pk: subjectPk, sk: `TL#${at}#${entryId}` }),
  email: (subjectPk: string, emailId: string) => ({ pk: subjectPk, sk: `EMAIL#${emailId}` }),
  leadsByStatus: (status: string) => `LEADS#${status}`,
  owner: (email: string) => `OWNER#${email.toLowerCase()}`,
  /** The newest lead or account with an address or a company: what a new lead may duplicate. */
  duplicateMark: (what: 'EMAIL' | 'COMPANY', hash: string, kind: 'LEAD' | 'ACCOUNT') => ({ pk: `DUPE#${what}#${hash}`, sk: kind }),
  task: (id: string) => ({ pk: `TASK#${id}`, sk: 'TASK' }),
  /** A CSV import (POST /imports): its progress, its chunks of checked rows, each chunk's result. */
  importJob: (id: string) => ({ pk: `IMPORT#${id}`, sk: 'IMPORT' }),
  importChunk: (id: string, n: number) => ({ pk: `IMPORT#${id}`, sk: `CHUNK#${String(n).padStart(5, '0')}` }),
  importResult: (id: string, n: number) => ({ pk: `IMPORT#${id}`, sk: `RESULT#${String(n).padStart(5, '0')}` }),
  /** The reports' counters: one partition per report and month, read whole (functions/domain/rollups). */
  rollupPeriod: (report: string, period: string) => `ROLLUP#${report}#${period}`,
  rollupRow: (report: string, period: string, row: string) => ({ pk: keys.rollupPeriod(report, period), sk: row }),
  /** What a deal (a lead, an opportunity with its quotes and orders, a lone order, a campaign) counts now. */
  rollupDeal: (recordPk: string) => ({ pk: `ROLLUP#DEAL#${recordPk}`, sk: 'ROLLUP' }),
} as const;

export const sortKeyPrefix = { timeline: 'TL#', email: 'EMAIL#', agenda: 'TODO#', due: 'DUE#' } as const;

/**
 * The index keys a record's item carries, one function per access pattern (see the list above):
 * every write of a record composes them here, so a record is always found the same way.
 */
export const indexKeys = {
  /** Leads by status, newest first (gsi1). */
  leadsByStatus: (lead: { status: string; createdAt: string; id: string }) => ({
    gsi1pk: keys.leadsByStatus(lead.status),
    gsi1sk: `${lead.createdAt}#${lead.id}`,
  }),
  /** An owner's leads, optionally of one status (gsi2). */
  ownersLeads: (lead: { owner: string; status: string; createdAt: string; id: string }) => ({
    gsi2pk: keys.owner(lead.owner),
    gsi2sk: `LEAD#${lead.status}#${lead.createdAt}#${lead.id}`,
  }),
  /** An owner's opportunities (gsi2). */
  ownersOpportunities: (opportunity: { owner: string; status: string; createdAt: string; id: string }) => ({
    gsi2pk: keys.owner(opportunity.owner),
    gsi2sk: `OPP#${opportunity.status}#${opportunity.createdAt}#${opportunity.id}`,
  }),
  /** R2: distributors by size, for mailshots (gsi2). */
  distributorsBySize: (distributor: { size?: string; id: string }) => ({
    gsi2pk: keys.distributors(),
    gsi2sk: `${distributor.size}#${distributor.id}`,
  }),
  /** A person's open agenda, by due date (gsi2); a closed item leaves the index. */
  openAgenda: (item: { assignee: string; dueAt: string; subject: { id: string }; kind: string }) => ({
    gsi2pk: keys.owner(item.assignee),
    gsi2sk: `${sortKeyPrefix.agenda}open#${item.dueAt}#${item.subject.id}#${item.kind}`,
  }),
  /** An opportunity's orders, oldest first (gsi1). */
  opportunityOrders: (opportunityId: string, order: { createdAt: string; id: string }) => ({
    gsi1pk: keys.ordersOf(opportunityId),
    gsi1sk: `${order.createdAt}#${order.id}`,
  }),
} as const;

/**
 * The due-date index: what is due sorts by its due time, spread over a few partitions so that no
 * single one takes every write. The digest queries each with `gsi1sk <= now`: it reads what is
 * due and nothing else, however many accounts there are.
 */
export const dueIndex = {
  name: 'gsi1',
  shards: 4,
  partition: (shard: number) => `DUE#${shard}`,
  /** A stable shard for a record id (FNV-1a). */
  shardOf: (id: string): number => {
    let hash = 0x811c9dc5;
    for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
    return hash % dueIndex.shards;
  },
  keysFor: (recordId: string, dueAt: string, what: string) => ({
    gsi1pk: `DUE#${dueIndex.shardOf(recordId)}`,
    gsi1sk: `${dueAt}#${recordId}#${what}`,
  }),
  /** Everything due at or before `at` (ISO times sort as strings; "~" sorts after "#"). */
  upTo: (at: string) => `${at}~`,
} as const;

/**
 * The outbox index: an email not yet settled sorts by the time of its next attempt (spread over a
 * few partitions, as a mailshot queues thousands at once), and one given up on by when; sent
 * emails leave it. An email is on it from the moment it is queued, due a little later: if the
 * stream's first attempt never happens or never finishes, the retry job still finds it.
 */
export const outboxIndex = {
  name: 'gsi1',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
  shards: 4,
  retrying: (shard: number) => `OUTBOX#RETRYING#${shard}`,
  failed: 'OUTBOX#FAILED',
  /** How long the stream has for its first attempt before the retry job looks at an email. */
  firstAttemptGraceMillis: 60_000,
  /** The index keys of an email due at `at`. */
  due: (key: { pk: string; sk: string }, at: string) => ({
    gsi1pk: outboxIndex.retrying(dueIndex.shardOf(`${key.pk}#${key.sk}`)),
    gsi1sk: `${at}#${key.pk}#${key.sk}`,
  }),
  /** Everything due at or before `at`. */
  upTo: (at: string) => `${at}~`,
} as const;

/**
 * The person index: each item that names a person (a lead's contact, an email's recipient, a
 * quote's customer, an order's user) carries the hash of their address, so an export or an
 * erasure reads what it needs and nothing else. The address itself is never a key.
 */
export const personIndex = {
  name: 'gsi3',
  partitionKey: 'gsi3pk',
  sortKey: 'gsi3sk',
  partition: (emailHash: string) => `PERSON#${emailHash}`,
  keysFor: (emailHash: string, key: { pk: string; sk: string }) => ({ gsi3pk: `PERSON#${emailHash}`, gsi3sk: `${key.pk}#${key.sk}` }),
} as const;

/**
 * The find index (issue 15): search terms and lists share gsi4 through overloaded partition keys.
 * A term's partition is its first two characters, so a typeahead reads one partition from the
 * prefix on, and what it reads grows with what matches, never with the table.
 */
export const findIndex = {
  name: 'gsi4',
  partitionKey: 'gsi4pk',
  sortKey: 'gsi4sk',
  termPartition: (term: string) => `FIND#${term.slice(0, 2)}`,
  termKeys: (term: string, kind: string, id: string) => ({ gsi4pk: `FIND#${term.slice(0, 2)}`, gsi4sk: `${term}#${kind}#${id}` }),
  /** The n-th search term filed under a record. */
  term: (recordPk: string, n: number) => ({ pk: recordPk, sk: `FIND#${n}` }),
  termPrefix: 'FIND#',
  list: (kind: string) => `LIST#${kind}`,
  listKeys: (kind: string, createdAt: string, id: string) => ({ gsi4pk: `LIST#${kind}`, gsi4sk: `${createdAt}#${id}` }),
} as const;

/** The service-desk worker's filter: only new registrations to copy to the external desk (R21). */
export const serviceDeskStreamFilter = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { itemType: { S: [itemKind.serviceDeskSync] } } },
} as const;

/**
 * The reports' worker: every change to a lead, opportunity, quote, order or campaign item (by its
 * sort key, so deletions too, which carry no image).
 */
export const rollupStreamFilter = {
  dynamodb: { Keys: { sk: { S: ['LEAD', 'OPP', 'QUOTE', 'ORDER', 'CAMPAIGN'] } } },
} as const;

/** The import worker's filter: each chunk of checked rows a CSV import stored (POST /imports). */
export const importStreamFilter = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { itemType: { S: [itemKind.importChunk] } } },
} as const;
