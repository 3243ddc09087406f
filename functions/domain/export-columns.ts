import type { Account } from './account';
import type { Lead } from './lead';
import type { Opportunity } from './opportunity';
import type { Order } from './order';
import type { Quote } from './quote';

/**
 * The columns of each CSV export (docs/api.md lists them), written so that a spreadsheet reads
 * them as they are: times as `YYYY-MM-DD HH:MM` in UTC (the header says so), money as a plain
 * number with two decimals, no currency sign or thousands separator.
 */

export const exportKinds = ['leads', 'opportunities', 'accounts', 'orders', 'quotes'] as const;
export type ExportKind = (typeof exportKinds)[number];

/** 2026-03-01T09:05:12.345Z as 2026-03-01 09:05 (UTC). */
export const spreadsheetTime = (iso: string | undefined): string => {
  if (!iso) return '';
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? '' : time.toISOString().slice(0, 16).replace('T', ' ');
};

/** 1234.5 as 1234.50. */
export const spreadsheetMoney = (gbp: number | undefined): string =>
  typeof gbp === 'number' && Number.isFinite(gbp) ? gbp.toFixed(2) : '';

type Column<T> = readonly [header: string, value: (record: T) => string | number | undefined];

const leadColumns: Column<Lead>[] = [
  ['Id', (l) => l.id],
  ['Created (UTC)', (l) => spreadsheetTime(l.createdAt)],
  ['Status', (l) => l.status],
  ['Owner', (l) => l.owner],
  ['Company', (l) => l.contact.company],
  ['Contact', (l) => l.contact.name],
  ['E-mail', (l) => l.contact.email],
  ['Phone', (l) => l.contact.phone],
  ['Country', (l) => l.contact.country],
  ['Channel', (l) => l.channel],
  ['Source', (l) => l.source],
  ['Campaign', (l) => l.campaignId],
  ['Opportunity', (l) => l.opportunityId],
  ['Updated (UTC)', (l) => spreadsheetTime(l.updatedAt)],
];

const opportunityColumns: Column<Opportunity>[] = [
  ['Id', (o) => o.id],
  ['Created (UTC)', (o) => spreadsheetTime(o.createdAt)],
  ['Status', (o) => o.status],
  ['Owner', (o) => o.owner],
  ['Company', (o) => o.company],
  ['Estimated value (GBP)', (o) => spreadsheetMoney(o.qualification?.estimatedValueGbp)],
  ['Expected close', (o) => o.expectedCloseOn],
  ['Probability (%)', (o) => o.probability],
  ['Engineering review', (o) => o.engineeringReview?.status],
  ['Lead', (o) => o.leadId],
  ['Updated (UTC)', (o) => spreadsheetTime(o.updatedAt)],
];

type ImportedAccount = Account & { address?: { street?: string; postcode?: string; city?: string; country?: string } };
const accountColumns: Column<ImportedAccount>[] = [
  ['Id', (a) => a.id],
  ['Created (UTC)', (a) => spreadsheetTime(a.createdAt)],
  ['Kind', (a) => a.kind],
  ['Name', (a) => a.name],
  ['Owner', (a) => a.ownerEmail],
  ['Size', (a) => a.size],
  ['Served by', (a) => a.servedBy],
  ['Order channel', (a) => a.orderChannel],
  ['Address', (a) => a.address?.street],
  ['Postcode', (a) => a.address?.postcode],
  ['City', (a) => a.address?.city],
  ['Country', (a) => a.address?.country],
  ['Contacts', (a) => a.contacts?.length ?? 0],
  ['First contact', (a) => a.contacts?.[0]?.name],
  ['First contact e-mail', (a) => a.contacts?.[0]?.email],
];

const orderColumns: Column<Order>[] = [
  ['Id', (o) => o.id],
  ['Created (UTC)', (o) => spreadsheetTime(o.createdAt)],
  ['PO number', (o) => o.poNumber],
  ['Status', (o) => o.status],
  ['Owner', (o) => o.owner],
  ['Customer', (o) => o.customer?.name],
  ['Account', (o) => o.accountId],
  ['Opportunity', (o) => o.opportunityId],
  ['Total (GBP)', (o) => spreadsheetMoney(o.totalGbp)],
  ['Shipped (UTC)', (o) => spreadsheetTime(o.shipment?.shippedAt)],
];

const quoteColumns: Column<Quote>[] = [
  ['Id', (q) => q.id],
  ['Number', (q) => q.number],
  ['Created (UTC)', (q) => spreadsheetTime(q.createdAt)],
  ['Status', (q) => q.status],
  ['Owner', (q) => q.owner],
  ['Company', (q) => q.customer?.company],
  ['Customer', (q) => q.customer?.name],
  ['Net (GBP)', (q) => spreadsheetMoney(q.totals?.netGbp)],
  ['VAT (GBP)', (q) => spreadsheetMoney(q.totals?.vatGbp)],
  ['Gross (GBP)', (q) => spreadsheetMoney(q.totals?.grossGbp)],
  ['Opportunity', (q) => q.opportunityId],
];

export const exportColumns = {
  leads: leadColumns,
  opportunities: opportunityColumns,
  accounts: accountColumns,
  orders: orderColumns,
  quotes: quoteColumns,
} as const satisfies Record<ExportKind, readonly Column<never>[]>;

/** Who owns a record of the kind: the owner rule reads it. */
export const ownerOf = (kind: ExportKind, record: Record<string, unknown>): string =>
  String((kind === 'accounts' ? record.ownerEmail : record.owner) ?? '');

export const headerRow = (kind: ExportKind): string[] => exportColumns[kind].map(([header]) => header);

export const exportRow = (kind: ExportKind, record: unknown): (string | number)[] =>
  (exportColumns[kind] as readonly Column<unknown>[]).map(([, value]) => value(record) ?? '');
