import { escapeHtml } from '#domain/correspondence';
import { approverTitles, taskRules, type OpenTask, type Quote, type QuoteTask } from '#domain/quote';

/**
 * What an emailed link shows: the step, the quote it is about, and the form that answers it.
 * Opening it changes nothing (mail scanners open links); only the form's POST does.
 */

export interface StepView {
  ask: string;
  quote: {
    id: string;
    customer: string;
    owner: string;
    netGbp: number;
    listGbp: number;
    lines: Quote['request']['lines'];
    proposalSummary: string;
    qpaReasons: string[];
    document?: { sha256: string; bytes: number };
  };
  assignee: string;
  expiresAt: string;
  /** The fields the POST takes. */
  fields: { name: string; kind: 'text' | 'choice' | 'confirm'; required: boolean; options?: string[] }[];
}

const fieldsOf: Record<QuoteTask, StepView['fields']> = {
  'prepare-qpa': [{ name: 'text', kind: 'text', required: true }],
  'approve-qpa': [
    { name: 'decision', kind: 'choice', required: true, options: ['approve', 'reject'] },
    { name: 'reason', kind: 'text', required: false },
  ],
  'prepare-quote': [
    { name: 'paymentTerms', kind: 'text', required: true },
    { name: 'deliveryTerms', kind: 'text', required: true },
    { name: 'notes', kind: 'text', required: false },
  ],
  'engineering-assistance': [{ name: 'text', kind: 'text', required: true }],
  'prepare-proposal': [{ name: 'text', kind: 'text', required: true }],
  sign: [{ name: 'confirm', kind: 'confirm', required: true }],
  'approve-contract': [
    { name: 'decision', kind: 'choice', required: true, options: ['approve', 'reject'] },
    { name: 'reason', kind: 'text', required: false },
    { name: 'terms', kind: 'text', required: false },
  ],
};

export const stepView = (quote: Quote, open: OpenTask, expiresAt: Date): StepView => ({
  ask: open.approver ? `${taskRules[open.task].ask} (${approverTitles[open.approver]})` : taskRules[open.task].ask,
  quote: {
    id: quote.id,
    customer: quote.customer.company,
    owner: quote.owner,
    netGbp: quote.totals.netGbp,
    listGbp: quote.totals.listGbp,
    lines: quote.request.lines,
    proposalSummary: quote.request.proposalSummary,
    qpaReasons: quote.qpa.reasons,
    ...(quote.document ? { document: { sha256: quote.document.sha256, bytes: quote.document.bytes } } : {}),
  },
  assignee: open.assignee,
  expiresAt: expiresAt.toISOString(),
  fields: fieldsOf[open.task],
});

const gbp = (n: number) => `£${n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const shell = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>` +
  `<style>body{font:16px system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left}textarea{width:100%;min-height:6rem}label{display:block;margin:.8rem 0 .2rem}</style>` +
  `</head><body>${body}</body></html>`;

const input = (field: StepView['fields'][number]) => {
  const id = `f-${field.name}`;
  switch (field.kind) {
    case 'choice':
      return `<fieldset><legend>${field.name}</legend>${field.options!.map((o) => `<label><input type="radio" name="${field.name}" value="${o}"${field.required ? ' required' : ''}> ${o}</label>`).join('')}</fieldset>`;
    case 'confirm':
      return `<label><input type="checkbox" name="confirm" value="yes" required> I have reviewed the document and sign it as it stands</label>`;
    default:
      return `<label for="${id}">${field.name}${field.required ? '' : ' (optional)'}</label><textarea id="${id}" name="${field.name}"${field.required ? ' required' : ''}></textarea>`;
  }
};

export const stepPage = (view: StepView): string =>
  shell(
    view.ask,
    `<h1>${escapeHtml(view.ask)}</h1>` +
      `<p>Quote for <strong>${escapeHtml(view.quote.customer)}</strong>, ${gbp(view.quote.netGbp)} net (list ${gbp(view.quote.listGbp)}), from ${escapeHtml(view.quote.owner)}.</p>` +
      (view.quote.qpaReasons.length ? `<p>QPA because of ${escapeHtml(view.quote.qpaReasons.join('; '))}.</p>` : '') +
      `<table><tr><th>Qty</th><th>Item</th><th>Unit</th><th>Discount</th></tr>${view.quote.lines
        .map((l) => `<tr><td>${l.quantity}</td><td>${escapeHtml(l.sku)} ${escapeHtml(l.description)}</td><td>${gbp(l.unitPriceGbp)}</td><td>${l.discountPercent}%</td></tr>`)
        .join('')}</table>` +
      `<p>${escapeHtml(view.quote.proposalSummary)}</p>` +
      (view.quote.document ? `<p>Document SHA-256: <code>${view.quote.document.sha256}</code></p>` : '') +
      `<form method="post">${view.fields.map(input).join('')}<p><button type="submit">Send</button></p></form>` +
      `<p><small>For ${escapeHtml(view.assignee)}; this link works once, until ${escapeHtml(view.expiresAt.slice(0, 16).replace('T', ' '))} UTC.</small></p>`,
  );

export const donePage = (ask: string, outcome: string): string =>
  shell('Thank you', `<h1>Thank you</h1><p>${escapeHtml(ask)}: ${escapeHtml(outcome)}. It is recorded on the quote.</p>`);
